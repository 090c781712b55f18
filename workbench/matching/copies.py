"""Independent sources: copies of one story are grouped, so a claim's evidence shows each source once.

When six outlets print one wire story, or a page repeats its headline in its first sentence, the
top-k fills with the same sentence and the one outlet that reports another figure drops out of view.
Copies are found among a claim's ranked candidates by their words (near-identical text, or one text
inside the other); each group is one independent source. The matches written are the best of each
of the top-k groups, ranks 1..n, then the copies, each pointing at the row it is folded under
(`copy_of`), so every independent source among the top-k is visible and nothing found is hidden.
One outlet's third and later sentences do not count towards k, so k grows past them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence

from sqlite_utils import Database

from .. import facts
from .scoring import Candidate

# Share of words two texts have in common (of all their words) above which one is a copy of the other.
COPY_OVERLAP = 0.7
# Share of the shorter text's words found in the longer one for a repeated headline or lead; the
# shorter must have at least COPY_MIN_WORDS words, so "Death toll rises" copies nothing.
CONTAINED = 0.9
COPY_MIN_WORDS = 5
# How many ranked candidates are looked through for copies (and further independent sources).
POOL_FACTOR = 3
# How many of one outlet's sentences count towards k: its further sentences are kept as rows of their
# own (they are not copies), but k grows past them so one talkative outlet cannot hide the others.
PER_OUTLET = 2


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def _figures(text: str) -> frozenset[float]:
    return frozenset(q.value for q in facts.read(text).quantities)


def is_copy(a: str, b: str) -> bool:
    """Whether two texts are one story's copies: nearly the same words, or the shorter repeated
    inside the longer (a headline and the lead that repeats it), and never another figure: "2 killed"
    and "3 killed" in the same words are two reports, each its own evidence."""
    return _copied(a, b, _words(a), _words(b))


def _copied(a: str, b: str, wa: frozenset[str], wb: frozenset[str]) -> bool:
    """is_copy with the words of each text read already (fold compares each candidate with every head)."""
    if not wa or not wb:
        return False
    shared = len(wa & wb)
    shorter = min(len(wa), len(wb))
    if not (shared >= COPY_OVERLAP * len(wa | wb) or (shorter >= COPY_MIN_WORDS and shared >= CONTAINED * shorter)):
        return False
    # Figures last: reading them is the costly part, and most pairs differ in words already.
    fa, fb = _figures(a), _figures(b)
    return fa <= fb or fb <= fa


def fold(candidates: Sequence[Candidate], texts: dict[int, str], k: int,
         sources: dict[int, int] | None = None) -> list[tuple[Candidate, int | None]]:
    """The candidates (best first) down to the k-th independent source, the best of each group of
    copies first, then the copies, each with the claim id of the row it is folded under.

    With `sources` (claim id -> source id) an outlet's third and later sentences do not count
    towards k (PER_OUTLET) once another outlet is among the rows: with four sentences of one page
    among the best six, the rows go on until k sources are counted, so the other outlets are seen.

    Only a prefix of the ranking is kept, so that what is written depends on the scores alone: the
    entry bar (the lowest score kept, see entry_bar) then tells incremental matching exactly which
    newcomers change the rows."""
    heads: list[Candidate] = []
    copies: list[tuple[Candidate, int]] = []
    per_outlet: Counter[int] = Counter()
    counted = 0
    words: dict[int, frozenset[str]] = {}
    for candidate in candidates:
        if counted == k:
            break
        text = texts.get(candidate.claim_id, "")
        words[candidate.claim_id] = _words(text)
        head = next((h for h in heads if _copied(texts.get(h.claim_id, ""), text, words[h.claim_id],
                                                  words[candidate.claim_id])), None)
        if head is not None:
            copies.append((candidate, head.claim_id))
        else:
            heads.append(candidate)
            outlet = sources.get(candidate.claim_id) if sources is not None else None
            if outlet is not None:
                per_outlet[outlet] += 1
            # With one outlet among the rows there is no other to make room for (a collection of
            # fact-checks, a single other source): every row counts, as before.
            counted += outlet is None or per_outlet[outlet] <= PER_OUTLET or len(per_outlet) == 1
    return [(h, None) for h in heads] + list(copies)


def fold_candidates(db: Database, candidates: Sequence[Candidate], k: int) -> list[tuple[Candidate, int | None]]:
    """fold() with the candidates' texts read from claims.db."""
    rows = db.execute("SELECT id, text, source_id FROM claims WHERE id IN (SELECT value FROM json_each(?))",
                      [json.dumps([c.claim_id for c in candidates])]).fetchall()
    return fold(candidates, {r[0]: r[1] for r in rows}, k, {r[0]: r[2] for r in rows})


def fold_all(db: Database, ranked: dict[int, Sequence[Candidate]], k: int
             ) -> dict[int, list[tuple[Candidate, int | None]]]:
    """fold() of each claim's candidates, the texts of all of them read in one statement (a match
    run writes a chunk of claims at once)."""
    ids = sorted({c.claim_id for candidates in ranked.values() for c in candidates})
    rows = db.execute("SELECT id, text, source_id FROM claims WHERE id IN (SELECT value FROM json_each(?))",
                      [json.dumps(ids)]).fetchall()
    texts, sources = {r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}
    return {claim_id: fold(candidates, texts, k, sources) for claim_id, candidates in ranked.items()}


def entry_bar(folded: Sequence[tuple[Candidate, int | None]], pool: int, k: int) -> float | None:
    """The score a newcomer must reach to change the folded rows: the lowest kept, once k independent
    sources (or the whole pool of k x POOL_FACTOR) are kept; None while any newcomer gets in.

    A fold that kept every candidate of a short pool may still be short of k counted sources (an
    outlet's third sentence does not count), so there too any newcomer gets in."""
    heads = sum(1 for _, copy_of in folded if copy_of is None)
    if pool < k * POOL_FACTOR and (heads < k or len(folded) >= pool):
        return None
    return min(c.score for c, _ in folded)
