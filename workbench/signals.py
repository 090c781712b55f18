"""Signals: cheap, explainable differences between a claim and a matched claim.

"numbers differ: 4 vs 5", "dates differ: April 3 vs April 4", "places differ: Kherson vs Mykolaiv".
They are heuristics (regular expressions, no model): they point the reviewer's eye, they decide nothing.
The review desk shows them in the evidence panel and puts claims with conflicting signals first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import facts

# Only explicit negations: "without" or "refused" are too common in plain reporting to mean much.
NEGATIONS = ("not", "no", "never", "denied", "denies", "deny", "n't", "false")


@dataclass(frozen=True)
class Signal:
    """One observation about a claim and its match; `conflict` marks a difference worth a look."""

    kind: str  # numbers, dates, places, negation, rating
    message: str
    conflict: bool


def dates_in(text: str) -> list[str]:
    """Dates naming a month and a day ("April 3", "3 April 2025"), normalised to "April 3" (the year
    left out: "April 4" and "April 4, 2025" are the same day for a reviewer)."""
    return _month_days(facts.dates(text))


def _month_days(found_dates: list[facts.DateMention]) -> list[str]:
    found: list[str] = []
    for mention in found_dates:
        if mention.month_day and mention.month_day not in found:
            found.append(mention.month_day)
    return found


def numbers_in(text: str) -> list[str]:
    """Quantities in the text (digits and number words, with % or a scale word), and years standing
    alone; dates, clock times, ordinals and model designations left out."""
    return _numbers(text, facts.dates(text))


def _numbers(text: str, found_dates: list[facts.DateMention]) -> list[str]:
    values = [(q.start, _number_text(q)) for q in facts.quantities(text, found_dates) if not q.vague]
    values += [(d.start, str(d.year)) for d in found_dates if d.kind == "year"]
    found: list[str] = []
    for _, value in sorted(values):
        if value not in found:
            found.append(value)
    return found


def _number_text(quantity: facts.Quantity) -> str:
    """"4.5%", "1200", "130 million": one spelling per value, so that equal numbers compare equal."""
    value = quantity.value
    scale = ""
    for word, size in (("trillion", 10**12), ("billion", 10**9), ("million", 10**6)):
        if value >= size:
            value, scale = value / size, f" {word}"
            break
    number = f"{value:.12g}"
    return number + ("%" if quantity.unit == "%" else scale)


def places_in(text: str) -> list[str]:
    """Capitalised names after a preposition of place ("in Kherson"), months and weekdays left out."""
    return facts.places(text)


def _negated(text: str) -> bool:
    words = re.findall(r"[\w']+|n't", text.lower())
    return any(word in NEGATIONS or word.endswith("n't") for word in words)


@dataclass(frozen=True)
class _Read:
    dates: tuple[str, ...]
    numbers: tuple[str, ...]
    places: tuple[str, ...]
    negated: bool


# The desk compares each claim with several matches, and a matched claim appears in many claims'
# matches (the conflict-first queue compares them all): each text is read once.
@lru_cache(maxsize=4096)
def _read(text: str) -> _Read:
    found_dates = facts.dates(text)
    return _Read(tuple(_month_days(found_dates)), tuple(_numbers(text, found_dates)), tuple(places_in(text)),
                 _negated(text))


def _compare(kind: str, ours: Sequence[str], theirs: Sequence[str]) -> Signal | None:
    if not ours or not theirs:
        return None
    if set(ours) == set(theirs):
        return Signal(kind, f"same {kind}: {', '.join(ours)}", conflict=False)
    only_ours = [v for v in ours if v not in theirs]
    only_theirs = [v for v in theirs if v not in ours]
    if not only_ours or not only_theirs:
        # One side only adds detail (e.g. a year); not a contradiction.
        return None
    return Signal(kind, f"{kind} differ: {', '.join(only_ours)} vs {', '.join(only_theirs)}", conflict=True)


def rating_signal(rating: str | None) -> Signal | None:
    """A fact-check's own rating of the matched claim ("False", "Mostly true")."""
    if not rating:
        return None
    lowered = rating.lower()
    conflict = any(word in lowered for word in ("false", "misleading", "wrong", "incorrect", "fake"))
    return Signal("rating", f"fact-check rated it {rating}", conflict=conflict)


def compare(claim: str, other: str, *, rating: str | None = None) -> list[Signal]:
    """Signals comparing a claim's text with a matched claim's text (conflicts first)."""
    ours, theirs = _read(claim), _read(other)
    signals = [
        _compare("dates", ours.dates, theirs.dates),
        _compare("numbers", ours.numbers, theirs.numbers),
        _compare("places", ours.places, theirs.places),
        rating_signal(rating),
    ]
    if ours.negated != theirs.negated:
        signals.append(Signal("negation", "one says not/no, the other does not", conflict=True))
    found = [s for s in signals if s is not None]
    return sorted(found, key=lambda s: not s.conflict)


def has_conflict(claim: str, other: str, *, rating: str | None = None) -> bool:
    return any(s.conflict for s in compare(claim, other, rating=rating))
