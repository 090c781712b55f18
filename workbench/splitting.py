"""Split an article into claims with exact character spans.

Pipeline: lines -> drop headlines/bylines/link lists -> paragraphs -> pysbd
sentences (spans verified) -> independent clauses -> drop fragments/questions
-> claimant + worthiness. Every span satisfies text[start:end] == claim.text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import pysbd

from workbench.claimant import attribute_article, find_claimant
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

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TERMINAL_RE = re.compile(r"[.!?…][\"'”’)\]]*$")
_BYLINE_RE = re.compile(
    r"^\W*(?:by\s+[A-Z]|(?:additional\s+)?reporting\s+by\b|writing\s+by\b|edit(?:ed|ing)\s+by\b"
    r"|compiled\s+by\b|photo(?:graph)?s?\s*(?:by|:))",
    re.IGNORECASE,
)
_BOILERPLATE_RE = re.compile(
    r"^\W*(?:related(?:\s+\w+)?\s*:|sources?\s*:|read more\b|see also\b|more on this\b|share this\b"
    r"|follow us\b|subscribe\b|sign up\b|advertisement\b|copyright\b|©|all rights reserved\b"
    r"|click here\b|corrections?\s*:"
    # A note about the publication itself: "This digest is compiled by volunteers ..."
    r"|(?:this|the|our)\s+(?:digest|newsletter|article|story|briefing|round-?up|page|blog|site)\s+"
    r"(?:is|was|has been|are)\s+(?:compiled|written|produced|prepared|edited|updated|curated)\b)",
    re.IGNORECASE,
)
_BULLET_RE = re.compile(r"^\s*[•·▪◦‣*–-]\s")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
# A clause is "full" when it has a finite-looking verb; cheap, but it keeps lists
# like "Kyiv; Kharkiv; Lviv" together.
_VERBISH_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|remains?|has|have|had|will|would|can|could|did|does|do"
    r"|says?|said|\w{3,}ed)\b",
    re.IGNORECASE,
)
_CONTRAST_RE = re.compile(r",\s+(?:although|though|while|whereas)\s+")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line without its line break; handles CRLF and CR."""
    for m in _LINE_RE.finditer(text):
        if m.start() == len(text) and m.start() > 0:
            break
        line = m.group().rstrip("\r\n")
        yield m.start(), m.start() + len(line)


def _is_title_case(line: str) -> bool:
    """Most longer words capitalised: a headline, not a sentence."""
    words = [w for w in _WORD_RE.findall(line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.7


def _is_non_claim_line(line: str, standalone: bool) -> bool:
    """Headline, byline, link list, bullet list or boilerplate label."""
    stripped = line.strip()
    if not stripped:
        return True
    if _BYLINE_RE.match(stripped) or _BOILERPLATE_RE.match(stripped):
        return True
    if _URL_RE.search(stripped) and len(_WORD_RE.findall(_URL_RE.sub("", stripped))) < 6:
        return True  # link list entry
    if _TERMINAL_RE.search(stripped):
        return False
    # No terminal punctuation: a headline/label if it stands alone, is title-case or is a bullet.
    return standalone or _is_title_case(stripped) or bool(_BULLET_RE.match(stripped))


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Runs of consecutive claim-bearing lines, as (start, end) of the article."""
    lines = list(_lines(text))
    blank = [not text[s:e].strip() for s, e in lines]
    run_start = run_end = None
    for i, (s, e) in enumerate(lines):
        standalone = (i == 0 or blank[i - 1]) and (i + 1 == len(lines) or blank[i + 1])
        if _is_non_claim_line(text[s:e], standalone):
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


def split_claims(text: str) -> list[ClaimSpan]:
    """Split an article into check-worthiness-scored claims with exact spans."""
    if not text or not text.strip():
        return []
    # One segmenter per call: Segmenter.segment keeps state on the instance.
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    spans: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text):
        for s_start, s_end in _sentences(segmenter, text, p_start, p_end):
            spans.extend(c for c in _clauses(text, s_start, s_end) if _is_claim(text[c[0]:c[1]]))

    claimants = attribute_article(text, spans)

    claims = []
    for (s, e), claimant in zip(spans, claimants):
        w = assess(text[s:e], claimant)
        claims.append(ClaimSpan(s, e, text[s:e], claimant, w.score, w.features))
    return claims
