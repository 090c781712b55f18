"""Signals: cheap, explainable differences between a claim and a matched claim.

"numbers differ: 4 vs 5", "dates differ: April 3 vs April 4", "places differ: Kherson vs Mykolaiv".
They are heuristics (regular expressions, no model): they point the reviewer's eye, they decide nothing.
The review desk shows them in the evidence panel and puts claims with conflicting signals first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH_ABBREVIATIONS = {m[:3]: m for m in MONTHS} | {"sept": "september"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
}
# Only explicit negations: "without" or "refused" are too common in plain reporting to mean much.
NEGATIONS = ("not", "no", "never", "denied", "denies", "deny", "n't", "false")

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = (
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4}))?", re.I),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>\d{4}))?",
               re.I),
)
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)(\s*(?:%|per\s?cent|percent|million|billion|thousand))?",
                     re.I)
_NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)
# A place is a capitalised name after a preposition of place: "in Kherson", "near Mykolaiv".
_PLACE = re.compile(r"\b(?:in|at|near|outside|from|over|around|across)\s+(?:the\s+)?"
                    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)*)")
# "the southern Ukrainian city of Kherson": the name follows "city of", not a preposition of place.
_PLACE_OF = re.compile(r"\b(?:city|town|village|region|port|province|district|oblast)\s+of\s+"
                       r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)*)")
_NOT_PLACES = set(MONTHS) | set(WEEKDAYS) | {"the", "a", "an", "his", "her", "their", "its", "this",
                                             "that", "kyiv's"}


@dataclass(frozen=True)
class Signal:
    """One observation about a claim and its match; `conflict` marks a difference worth a look."""

    kind: str  # numbers, dates, places, negation, rating
    message: str
    conflict: bool


def dates_in(text: str) -> list[str]:
    """Dates written as "April 3" / "3 April" (an optional year dropped), normalised to "April 3"."""
    found: list[str] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            month = match.group("month").lower().rstrip(".")
            if month not in MONTHS:
                month = _MONTH_ABBREVIATIONS.get(month, _MONTH_ABBREVIATIONS.get(month[:3], month))
            day = int(match.group("day"))
            if not 1 <= day <= 31:
                continue
            # The year is left out: "April 4" and "April 4, 2025" are the same day for a reviewer.
            value = f"{month.capitalize()} {day}"
            if value not in found:
                found.append(value)
    return found


def _without_dates(text: str) -> str:
    for pattern in _DATE_PATTERNS:
        text = pattern.sub(" ", text)
    return text


def numbers_in(text: str) -> list[str]:
    """Quantities in the text (digits, with % or million, and number words), dates left out."""
    text = _without_dates(text)
    found: list[str] = []
    for match in _NUMBER.finditer(text):
        value = match.group(1).replace(",", "")
        unit = (match.group(2) or "").strip().lower()
        if unit in ("per cent", "percent"):
            unit = "%"
        value = value + ("" if not unit else unit if unit == "%" else f" {unit}")
        if value not in found:
            found.append(value)
    for match in _NUMBER_WORD.finditer(text):
        value = str(NUMBER_WORDS[match.group(1).lower()])
        if value not in found:
            found.append(value)
    return found


def places_in(text: str) -> list[str]:
    """Capitalised names after a preposition of place ("in Kherson"), months and weekdays left out."""
    found: list[str] = []
    matches = sorted([*_PLACE.finditer(text), *_PLACE_OF.finditer(text)], key=lambda m: m.start(1))
    for match in matches:
        name = match.group(1).strip("'’")
        if name.lower() in _NOT_PLACES or name.split()[0].lower() in _NOT_PLACES:
            continue
        if name not in found:
            found.append(name)
    return found


def _negated(text: str) -> bool:
    words = re.findall(r"[\w']+|n't", text.lower())
    return any(word in NEGATIONS or word.endswith("n't") for word in words)


def _compare(kind: str, ours: list[str], theirs: list[str]) -> Signal | None:
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
    signals = [
        _compare("dates", dates_in(claim), dates_in(other)),
        _compare("numbers", numbers_in(claim), numbers_in(other)),
        _compare("places", places_in(claim), places_in(other)),
        rating_signal(rating),
    ]
    if _negated(claim) != _negated(other):
        signals.append(Signal("negation", "one says not/no, the other does not", conflict=True))
    found = [s for s in signals if s is not None]
    return sorted(found, key=lambda s: not s.conflict)


def has_conflict(claim: str, other: str, *, rating: str | None = None) -> bool:
    return any(s.conflict for s in compare(claim, other, rating=rating))
