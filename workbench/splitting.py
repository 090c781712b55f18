"""Split an article into claims with exact character spans.

Pipeline: lines -> drop page furniture (workbench.furniture) -> paragraphs -> pysbd
sentences (spans verified) -> independent clauses -> drop fragments/questions
-> claimant + worthiness. Every span satisfies text[start:end] == claim.text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pysbd

from workbench.claimant import find_claimant
from workbench.claimant_resolution import attribute_article
from workbench.furniture import (TERMINAL_RE, WORD_RE, Furniture, find_furniture, is_title_case, line_spans,
                                 sentence_kind, skip_bullet)
from workbench.worthiness import assess


@dataclass(frozen=True)
class ClaimSpan:
    """One claim: article_text[start:end] == text, always."""

    start: int
    end: int
    text: str
    claimant: str | None
    worthiness: float  # [0, 1]
    features: dict[str, Any]  # JSON-serialisable explanation of the worthiness score


class Cancelled(Exception):
    """Splitting stopped because the caller's cancel check said so; nothing was stored."""


MIN_WORDS = 3  # "He left." / "Ok then." carry no checkable fact
# pysbd's time grows with the square of the text it is given (it re-searches the block for each
# sentence): a paragraph longer than CHUNK_AT is cut into blocks of about CHUNK_TARGET characters at
# safe sentence boundaries (at most CHUNK_MAX) before it reaches pysbd, which keeps splitting linear.
# Real paragraphs are far shorter, so ordinary articles split exactly as before.
CHUNK_AT = 6_000
CHUNK_TARGET = 1_000
CHUNK_MAX = 2_000
HARD_CUT = 250  # where a paragraph with no sentence end in sight is cut
MAX_SENTENCE = 1_000  # longer "sentences" (lists without stops, junk) are cut at a word boundary

# A clause is "full" when it has a finite-looking verb; cheap, but it keeps lists
# like "Kyiv; Kharkiv; Lviv" together.
_VERBISH_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|remains?|has|have|had|will|would|can|could|did|does|do"
    r"|says?|said|\w{3,}ed)\b",
    re.IGNORECASE,
)
_CONTRAST_RE = re.compile(r",\s+(?:although|though|while|whereas)\s+")


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


# ". " + a capital after a word of 2+ letters that is not a title: a sentence ends there for sure.
_SAFE_BREAK_RE = re.compile(r"\b[^\W\d_]{2,}[.!?][\"'”’)\]]*\s+(?=[\"“(]?[A-Z])")
_TITLES = frozenset({
    "mr", "ms", "dr", "st", "jr", "sr", "lt", "mt", "ft", "co", "vs", "mrs", "mme", "mlle", "rev", "gen",
    "col", "sgt", "capt", "gov", "sen", "rep", "hon", "prof", "lieut", "cmdr", "maj", "adm", "est",
    "approx", "dept", "univ", "corp", "inc", "ltd", "etc", "vol", "fig", "no", "nos", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri",
    "sat", "sun"
})


def _blocks(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    """A paragraph as blocks pysbd can take in linear time (the paragraph itself when it is short).

    Each block is (start, end, cut inside a sentence)."""
    if end - start <= CHUNK_AT:
        yield start, end, False
        return
    cursor = start
    while end - cursor > CHUNK_MAX:
        cut = None
        for m in _SAFE_BREAK_RE.finditer(text, cursor + CHUNK_TARGET, cursor + CHUNK_MAX):
            word = m.group().rstrip()[:-1].rstrip("\"'”’)]").rstrip(".!?")
            if word.lower() not in _TITLES:
                cut = m.end()
                break
        if cut is not None:
            yield cursor, cut, False
            cursor = cut
            continue
        # No sentence ends in the window (a list, junk such as "Mr. Mr. ..."): short blocks cut at
        # spaces up to the window, because pysbd's time also grows with block length x abbreviations.
        window = cursor + CHUNK_TARGET
        while cursor < window:
            space = text.rfind(" ", cursor + 1, cursor + HARD_CUT)
            cut = space + 1 if space > cursor else cursor + HARD_CUT
            yield cursor, cut, True
            cursor = cut
    yield cursor, end, False


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence, cut at word boundaries into pieces of at most MAX_SENTENCE characters."""
    while end - start > MAX_SENTENCE:
        space = text.rfind(" ", start + 1, start + MAX_SENTENCE)
        cut = space if space > start else start + MAX_SENTENCE
        piece = _trim(text, start, cut)
        if piece[0] < piece[1]:
            yield piece
        start = _trim(text, cut, end)[0]
    if start < end:
        yield start, end


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
        if merged and not TERMINAL_RE.search(block[merged[-1][0]:merged[-1][1]]) and block[s].islower():
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    for s, e in merged:
        yield start + s, start + e


def _full_clause(clause: str) -> bool:
    return len(WORD_RE.findall(clause)) >= 4 and _VERBISH_RE.search(clause) is not None


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
    if len(WORD_RE.findall(sentence)) < MIN_WORDS:
        return False
    # A headline pysbd glued to nothing else (no line of its own to catch it).
    return not (not TERMINAL_RE.search(sentence) and is_title_case(sentence))


def split_claims(text: str, title: str | None = None, *, cancel: Callable[[], bool] | None = None,
                 notices: list[str] | None = None) -> list[ClaimSpan]:
    """Split an article into check-worthiness-scored claims with exact spans."""
    return split_article(text, title, cancel=cancel, notices=notices)[0]


def split_article(text: str, title: str | None = None, *, cancel: Callable[[], bool] | None = None,
                  notices: list[str] | None = None) -> tuple[list[ClaimSpan], list[Furniture]]:
    """The article's claims, and its page furniture (headline, captions, prompts ...) kept out of them.

    Time is linear in the text (see CHUNK_AT). `cancel` is checked between blocks and raises
    Cancelled; a sentence cut because it ran past MAX_SENTENCE characters adds a line to `notices`.
    """
    if not text or not text.strip():
        return [], []
    # One segmenter per call: Segmenter.segment keeps state on the instance.
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    furniture = find_furniture(text, title)
    inline: list[Furniture] = []
    last = len(text.rstrip())  # a sentence ending here is the page's last (a cut-off fragment?)
    spans: list[tuple[int, int]] = []
    cut = 0
    for p_start, p_end in _paragraphs(text, furniture):
        for b_start, b_end, hard in _blocks(text, p_start, p_end):
            if cancel is not None and cancel():
                raise Cancelled("splitting was cancelled")
            cut += hard
            for s_start, s_end in _sentences(segmenter, text, b_start, b_end):
                kind = sentence_kind(text[s_start:s_end], at_end=s_end >= last)
                if kind is not None:
                    inline.append(Furniture(s_start, s_end, kind))
                    continue
                s_start = skip_bullet(text, s_start, s_end)
                if s_end - s_start > MAX_SENTENCE:
                    cut += 1
                for piece_start, piece_end in _bounded(text, s_start, s_end):
                    spans.extend(c for c in _clauses(text, piece_start, piece_end) if _is_claim(text[c[0]:c[1]]))
    furniture = sorted(furniture + inline, key=lambda f: f.start)
    if cut and notices is not None:
        notices.append(f"text with no sentence end for over {MAX_SENTENCE:,} characters was cut at a word boundary "
                       f"in {cut} place(s)")

    claimants = attribute_article(text, spans)

    claims = []
    for (s, e), claimant in zip(spans, claimants):
        w = assess(text[s:e], claimant)
        claims.append(ClaimSpan(s, e, text[s:e], claimant, w.score, w.features))
    return claims, furniture
