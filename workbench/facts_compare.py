"""Facts of two reports put on one footing, so that signals.py and relation.py can compare them.

The calendar day a date mention names, read from the article's publication day ("Friday" in a
Saturday paper); one key for the spellings of one place (Kyiv / Kiev); what a quantity counts, as a
key two reports can share ("dead" for "1,140 people had died" and "killing 64"). The mentions
themselves come from facts.py.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from .facts import NUMBER_WORDS, WEEKDAYS, DateMention, Quantity


# --- resolving dates against the publication date -----------------------------------------------
def published_day(published: str | None) -> date | None:
    """The day an article was published ("2024-05-24", "2024-05-24T10:00:00Z"), None when unknown."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def day_of(mention: DateMention, published: date | None) -> date | None:
    """The calendar day a mention names, read from the article's publication day: a weekday is the
    last such day on or before it ("Friday" in a Saturday paper is the day before), "yesterday" the
    day before, a month and day without a year the one nearest before publication. None when the
    mention names no single day ("last week", "April") or it cannot be resolved."""
    if mention.kind == "date" and mention.month and mention.day:
        year = mention.year or (published.year if published else None)
        if year is None:
            return None
        try:
            day = date(year, mention.month, mention.day)
        except ValueError:
            return None
        if mention.year is None and published and day > published + timedelta(days=31):
            day = day.replace(year=year - 1)  # "December 30" in a January paper
        return day
    if published is None:
        return None
    if mention.kind == "weekday":
        back = (published.weekday() - WEEKDAYS.index(mention.text.lower())) % 7
        return published - timedelta(days=back)
    lowered = mention.text.lower()
    if mention.kind == "relative" and lowered in ("yesterday", "today", "tonight", "tomorrow"):
        shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[lowered]
        return published + timedelta(days=shift)
    return None


# --- places: one key for the spellings of one name -----------------------------------------------
# Names whose spellings differ by more than vowels and h/g: the older or Russian form -> the current one.
PLACE_ALIASES = {"kiev": "kyiv", "krivoy rog": "kryvyi rih", "kharkov": "kharkiv", "nikolaev": "mykolaiv",
                 "nikolayev": "mykolaiv", "lvov": "lviv", "bombay": "mumbai", "calcutta": "kolkata",
                 "madras": "chennai", "peking": "beijing", "rangoon": "yangon", "burma": "myanmar"}


def place_key(name: str) -> str:
    """One key for the transliterations of a place: Kryvyi Rih / Kryvyi Rig / Krivoy Rog, Kyiv / Kiev,
    Odesa / Odessa. ASCII-folded, lower case, an alias table, then the consonants (h read as g,
    w as v, doubled letters once) of each word, as transliterations differ mostly in vowels."""
    folded = re.sub(r"^[Tt]he\s+|['’]s$", "", name.strip())
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode().lower()
    folded = PLACE_ALIASES.get(folded, folded)
    words = []
    for word in re.findall(r"[a-z]+", folded):
        skeleton = word[0] + re.sub(r"[aeiouy]", "", word[1:]).replace("h", "g").replace("w", "v")
        words.append(re.sub(r"(.)\1+", r"\1", skeleton))
    return " ".join(words)


# --- what a quantity counts ------------------------------------------------------------------------
# The state a count of people is in, from the words around it: "1,140 people had died", "killing 64",
# "injured over 3,000", "the death toll has risen to 2,300". Families, so that "dead" and "killed" meet.
STATES = {
    "dead": ("dead", "died", "die", "killed", "killing", "kills", "deaths", "death", "fatalities", "fatality",
             "lives", "perished", "passed"),
    "injured": ("injured", "injuring", "injuries", "wounded", "wounding", "hurt", "hospitalised", "hospitalized"),
    "missing": ("missing", "unaccounted"),
    "trapped": ("trapped",),
    "displaced": ("displaced", "homeless", "evacuated"),
    "rescued": ("rescued", "survived", "survivors"),
    "affected": ("affected",),
}
_STATE_OF = {word: state for state, words in STATES.items() for word in words}
# Words that name the measure whatever the unit: "a magnitude of 6.1", "a majority of 58 seats".
MEASURES = ("magnitude", "majority", "depth", "turnout")
# Units written several ways, as (key, factor to the key's unit).
UNIT_SPELLINGS = {"km": ("km", 1.0), "kilometre": ("km", 1.0), "kilometer": ("km", 1.0), "mile": ("km", 1.609),
                  "mi": ("km", 1.609), "percent": ("%", 1.0), "cent": ("%", 1.0)}
PEOPLE = frozenset("people person persons individual individuals resident residents civilian civilians".split())
_CLAUSE_STOP = re.compile(r"[;:()]|\band\b|,|\bwhile\b|\bwhile\b|\bbut\b")


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2].endswith(("ss", "sh", "ch", "x")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def counted(text: str, quantity: Quantity) -> tuple[str | None, float]:
    """What a quantity counts, as a key two reports can share, and the factor to that key's unit:
    "dead" for "1,140 people had died" and "killing 64", "injured" for "injured over 3,000", "km" for
    "6.2 miles" (x 1.609), the unit as written (singular) otherwise; None for a bare figure. What is
    left of something ("two wards still to count", "three days remaining") is its own key: "ward left"."""
    key, factor = _counted(text, quantity)
    if _LEFT_RE.match(text, quantity.end):
        return f"{key or 'figure'} left", factor
    return key, factor


_LEFT_RE = re.compile(r"\s*(?:left|remaining|to go|still to|yet to)\b")


def _counted(text: str, quantity: Quantity) -> tuple[str | None, float]:
    before = text[:quantity.start]
    after = text[quantity.end:]
    clause_before = _CLAUSE_STOP.split(before)[-1].lower()
    clause_after = _CLAUSE_STOP.split(after)[0].lower()
    words_before = re.findall(r"[a-z]+", clause_before)
    unit = quantity.unit.lower() if quantity.unit else None
    factor = UNIT_SPELLINGS.get(_singular(unit), ("", 1.0))[1] if unit else 1.0
    for word in reversed(words_before[-3:]):
        if word in MEASURES:
            return word, factor
    if re.match(r"\s*(?:on the Richter|-?magnitude)\b", after) or words_before[-1:] in (["measured"], ["measuring"]):
        return "magnitude", 1.0  # "measured 6.1 on the Richter scale"
    if re.match(r"\s*(?:deep|below the surface)\b", after):
        return "depth", factor  # "22.5 kilometers deep" is "a depth of 22.5 km"
    if re.search(r"(?:\d|\b(?:" + "|".join(NUMBER_WORDS) + r"))\b[^.]*\b(?:of|among|out of)(?: the)?\s*$",
                 clause_before):
        return "total", 1.0  # "64 of 70 people", "64 deaths among the 70 passengers"
    own = re.findall(r"[a-z]+", quantity.text.lower())
    if unit is None or unit in PEOPLE or _singular(unit) in ("passenger", "people", "person") or unit in _STATE_OF:
        near_after = re.findall(r"[a-z]+", clause_after)[:4]
        near_before = words_before[-5:]
        found = [(0, _STATE_OF[w]) for w in own if w in _STATE_OF]
        found += [(i + 1, _STATE_OF[w]) for i, w in enumerate(near_after) if w in _STATE_OF]
        found += [(i + 1, _STATE_OF[w]) for i, w in enumerate(reversed(near_before)) if w in _STATE_OF]
        if not found and re.search(r"\btoll\b", clause_before) and unit is None:
            found = [(9, "dead")]
        if found:
            return min(found, key=lambda pair: pair[0])[1], 1.0
    if unit is None:
        return None, 1.0
    singular = _singular(unit)
    key, factor = UNIT_SPELLINGS.get(singular, ("people" if unit in PEOPLE else singular, 1.0))
    if re.search(r"\btotal\b", clause_before) or re.match(r"[^.;]*\bin total\b", clause_after):
        return f"total {key}", factor  # "total support of 7 billion euros" is not "a further 130 million euros"
    return key, factor
