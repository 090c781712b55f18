"""Split an article into claims with exact character spans.

Pipeline: lines -> drop page furniture (workbench.furniture) -> paragraphs -> pysbd
sentences (spans verified) -> independent clauses -> drop fragments/questions
-> claimant + worthiness. Every span satisfies text[start:end] == claim.text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import pysbd

from workbench.claimant import (
    canonical_claimants,
    find_claimant,
    is_person_like,
    personal_pronoun,
    pronoun_attribution,
    titled_names,
    titled_subject,
)
from workbench.furniture import Furniture, find_furniture, line_spans, sentence_kind, skip_bullet
from workbench.worthiness import assess


@dataclass(frozen=True)
class ClaimSpan:
    """One claim: article_text[start:end] == text, always."""

    start: int
    end: int
    text: str
    claimant: str | None
    worthiness: float  # [0, 1]
    features: dict  # JSON-serialisable explanation of the worthiness score


MIN_WORDS = 3  # "He left." / "Ok then." carry no checkable fact
PRONOUN_LOOKBACK = 3  # a pronoun further back than this is not "simple" to resolve

_TERMINAL_RE = re.compile(r"[.!?…][\"'”’)\]]*$")
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
# A clause is "full" when it has a finite-looking verb; cheap, but it keeps lists
# like "Kyiv; Kharkiv; Lviv" together.
_VERBISH_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|remains?|has|have|had|will|would|can|could|did|does|do"
    r"|says?|said|\w{3,}ed)\b",
    re.IGNORECASE,
)
_CONTRAST_RE = re.compile(r",\s+(?:although|though|while|whereas)\s+")


def _is_title_case(line: str) -> bool:
    """Most longer words capitalised: a headline, not a sentence."""
    words = [w for w in _WORD_RE.findall(line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.7


def _paragraphs(text: str, furniture: list[Furniture]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive lines that are neither blank nor furniture, as (start, end) of the article."""
    starts = {f.start for f in furniture}
    run_start: int | None = None
    run_end = 0
    for s, e in line_spans(text):
        line = text[s:e]
        if not line.strip() or s + len(line) - len(line.lstrip()) in starts:
            if run_start is not None:
                yield run_start, run_end
            run_start = None
            continue
        if run_start is None:
            run_start = s
        run_end = e
    if run_start is not None:
        yield run_start, run_end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink (start, end) so it starts and ends on non-space characters."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentences(segmenter: pysbd.Segmenter, text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """pysbd sentences of text[start:end] with verified, trimmed article offsets.

    pysbd locates sentences by re-searching the text, so its spans are checked
    and, if off, recomputed with a forward-only find; anything pysbd dropped is
    kept as its own span so no text silently disappears.
    """
    block = text[start:end]
    cursor = 0
    pieces: list[tuple[int, int]] = []
    for span in segmenter.segment(block):
        s, e = span.start, span.end
        if block[s:e] != span.sent or s < cursor:
            s = block.find(span.sent.strip(), cursor)
            if s < 0:
                continue
            e = s + len(span.sent.strip())
        if block[cursor:s].strip():
            pieces.append((cursor, s))
        pieces.append((s, e))
        cursor = e
    if block[cursor:].strip():
        pieces.append((cursor, len(block)))

    merged: list[tuple[int, int]] = []
    for s, e in pieces:
        s, e = _trim(block, s, e)
        if s == e:
            continue
        # pysbd breaks at every newline; rejoin a hard-wrapped sentence
        # ("... wraps\nonto the next line.") when the first part has no terminal mark.
        if merged and not _TERMINAL_RE.search(block[merged[-1][0]:merged[-1][1]]) and block[s].islower():
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    for s, e in merged:
        yield start + s, start + e


def _full_clause(clause: str) -> bool:
    return len(_WORD_RE.findall(clause)) >= 4 and _VERBISH_RE.search(clause) is not None


def _balanced(fragment: str) -> bool:
    """No open quote or bracket: splitting here would cut a quotation in half."""
    straight = fragment.count('"') % 2 == 0
    curly = fragment.count("“") == fragment.count("”")
    return straight and curly and fragment.count("(") == fragment.count(")")


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a sentence into independent claims where that is safe.

    "; " between two full clauses always splits; ", although X stated ..."
    splits only when the second clause has its own claimant, because then it
    is a separate sourced claim ("Kyiv asserts ..., although Moscow has stated ...").
    """
    cuts: list[tuple[int, int]] = []  # (end of left part, start of right part)
    sentence = text[start:end]
    for m in re.finditer(r";\s+", sentence):
        left, right = sentence[: m.start()], sentence[m.end():]
        if _balanced(left) and _full_clause(left.split(";")[-1]) and _full_clause(right.split(";")[0]):
            cuts.append((m.start(), m.end()))
    for m in _CONTRAST_RE.finditer(sentence):
        left, right = sentence[: m.start()], sentence[m.end():]
        if _balanced(left) and _full_clause(left) and _full_clause(right) and find_claimant(right):
            cuts.append((m.start(), m.end()))
    cursor = 0
    for left_end, right_start in sorted(cuts):
        if left_end > cursor:
            yield _trim(text, start + cursor, start + left_end)
        cursor = right_start
    yield _trim(text, start + cursor, end)


def _is_claim(sentence: str) -> bool:
    """Drop questions, labels and fragments too short to state a fact."""
    stripped = sentence.rstrip("\"'”’)] ")
    if stripped.endswith("?") or stripped.endswith(":"):
        return False
    if len(_WORD_RE.findall(sentence)) < MIN_WORDS:
        return False
    # A headline pysbd glued to nothing else (no line of its own to catch it).
    return not (not _TERMINAL_RE.search(sentence) and _is_title_case(sentence))


def split_claims(text: str, title: str | None = None) -> list[ClaimSpan]:
    """Split an article into check-worthiness-scored claims with exact spans."""
    return split_article(text, title)[0]


def split_article(text: str, title: str | None = None) -> tuple[list[ClaimSpan], list[Furniture]]:
    """The article's claims, and its page furniture (headline, captions, prompts ...) kept out of them."""
    if not text or not text.strip():
        return [], []
    # One segmenter per call: Segmenter.segment keeps state on the instance.
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    furniture = find_furniture(text, title)
    inline: list[Furniture] = []
    spans: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text, furniture):
        for s_start, s_end in _sentences(segmenter, text, p_start, p_end):
            kind = sentence_kind(text[s_start:s_end], at_end=not text[s_end:].strip())
            if kind is not None:
                inline.append(Furniture(s_start, s_end, kind))
                continue
            s_start = skip_bullet(text, s_start, s_end)
            spans.extend(c for c in _clauses(text, s_start, s_end) if _is_claim(text[c[0]:c[1]]))
    furniture = sorted(furniture + inline, key=lambda f: f.start)

    titles = titled_names(text)
    claimants: list[str | None] = []
    antecedents: list[str | None] = []  # who a later pronoun may point to, per span
    for i, (s, e) in enumerate(spans):
        sentence = text[s:e]
        claimant = find_claimant(sentence)
        if claimant is not None:
            # "the president said" -> the one person the article calls President.
            claimant = titles.get(claimant.lower(), claimant)
        elif pronoun_attribution(sentence):
            # Resolve "He warned ..." to the most recent named source or titled subject nearby.
            recent = [c for c in antecedents[max(0, i - PRONOUN_LOOKBACK):i] if c]
            if personal_pronoun(sentence):
                recent = [c for c in recent if is_person_like(c)]
            claimant = recent[-1] if recent else None
        claimants.append(claimant)
        antecedents.append(claimant or titled_subject(sentence))
    claimants = canonical_claimants(claimants)

    claims = []
    for (s, e), claimant in zip(spans, claimants):
        w = assess(text[s:e], claimant)
        claims.append(ClaimSpan(s, e, text[s:e], claimant, w.score, w.features))
    return claims, furniture
