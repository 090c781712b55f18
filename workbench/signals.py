"""Signals: cheap, explainable differences between a claim and a matched claim.

"numbers differ: 4 vs 5", "dates differ: April 3 vs April 4", "places differ: Kherson vs Mykolaiv",
"parties differ", "actors differ", "one denies it", "one says it stopped", "conditions differ". Like is compared with like: quantities only when
they count the same thing, dates as calendar days read from each article's publication date, places
with their transliterations folded. Differences within rounding or compatible bounds are agreement.
They are heuristics (regular expressions, no model): they point the reviewer's eye, they decide
nothing. Whether a difference is a conflict between reports of one event is relation.py's call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from . import facts, facts_compare, facts_events, figures
from .figures import number_text

@dataclass(frozen=True)
class Signal:
    """One observation about a claim and its match; `conflict` marks a difference worth a look.
    `ours` and `theirs` are the two values compared, as the reviewer reads them."""

    kind: str  # numbers, counts, dates, places, origins, parties, actors, negation, ceased, conditions, rating
    message: str
    conflict: bool
    ours: str = ""
    theirs: str = ""
    days_apart: int | None = None  # dates: how far apart the nearest two differing days are


def dates_in(text: str) -> list[str]:
    """Dates naming a month and a day ("April 3", "3 April 2025"), normalised to "April 3" (the year
    left out: "April 4" and "April 4, 2025" are the same day for a reviewer)."""
    found: list[str] = []
    for mention in facts.read(text).dates:
        if mention.month_day and mention.month_day not in found:
            found.append(mention.month_day)
    return found


def numbers_in(text: str) -> list[str]:
    """Quantities in the text (digits and number words, with % or a scale word), and years standing
    alone; dates, clock times, ordinals and model designations left out."""
    read = facts.read(text)
    values = [(q.start, number_text(q)) for q in read.quantities if not q.vague]
    values += [(d.start, str(d.year)) for d in read.dates if d.kind == "year"]
    found: list[str] = []
    for _, value in sorted(values):
        if value not in found:
            found.append(value)
    return found


def places_in(text: str) -> list[str]:
    """Capitalised names after a preposition of place ("in Kherson"), months and weekdays left out."""
    return facts.places(text)


# --- reading a sentence once --------------------------------------------------------------------
@dataclass(frozen=True)
class _Day:
    shown: str  # "April 1", "Friday (May 24)", "Friday"
    key: str | None  # "April 1" when the day is known, else None
    weekday: str | None  # "friday" when the text names the weekday


@dataclass(frozen=True)
class _Read:
    quantities: tuple[figures.Count, ...]
    years: frozenset[int]
    days: tuple[_Day, ...]
    places: tuple[str, ...]
    parties: tuple[str, ...]
    roles: tuple[tuple[str, str], ...]
    negation: str | None
    words: frozenset[str]
    ceased: facts_events.Ceased | None
    condition: tuple[bool, str] | None


# The desk compares each claim with several matches, and a matched claim appears in many claims'
# matches (the conflict-first queue compares them all): each text is read once per publication day.
# A match run relates each claim to its matches as it goes: on the newsroom-day database 4,096 readings
# met 56% of its asks again, 16,384 meet 71%; each holds about 1.9 KB (facts.read keeps the facts under it).
@lru_cache(maxsize=16384)
def _read(text: str, published: date | None) -> _Read:
    found = facts.read(text)
    years = frozenset(d.year for d in found.dates if d.kind == "year" and d.year)
    return _Read(figures.counts(text), years, tuple(_days(found.dates, published)), tuple(facts.places(text)),
                 tuple(facts_events.parties(text)), tuple(sorted(facts_events.roles(text).items())),
                 facts_events.negation(text), frozenset(_content_words(text)), facts_events.ceased(text),
                 facts_events.condition(text))


def _days(mentions: list[facts.DateMention], published: date | None) -> list[_Day]:
    days: list[_Day] = []
    for mention in mentions:
        day = facts_compare.day_of(mention, published)
        weekday = next((w for w in facts.WEEKDAYS if w in mention.text.lower()), None)
        if mention.month_day:
            key = mention.month_day
            shown = key
        elif day is not None:
            key = f"{facts.MONTH_NAMES[day.month - 1].capitalize()} {day.day}"
            shown = f"{mention.text} ({key})"
        elif weekday:
            key, shown = None, mention.text
        else:
            continue  # a year, a month, "last week": no single day to compare
        days.append(_Day(shown, key, weekday))
    return days


_STOP = frozenset("""the a an of in on at to by for from and or but with as that this these those is are was were be
been has have had will would said says say it its their his her they he she we which who after before since""".split())


def _content_words(text: str) -> list[str]:
    """Word stems (first five letters) with function words and negations left out."""
    words = re.findall(r"[a-z]+", text.lower())
    return [w[:5] for w in words if w not in _STOP and w not in ("not", "no", "never", "did", "does", "do")]


def _numbers(ours: Sequence[figures.Count], theirs: Sequence[figures.Count], whole: bool) -> list[Signal]:
    """The numbers signal (figures.py compares). Agreement is reported only when every figure found
    its match and `whole` (nothing else, such as a year, is on one side only): one side adding
    detail is neither agreement nor conflict."""
    outcome = figures.compare_figures(ours, theirs)
    found: list[Signal] = []
    if outcome.differ_ours:
        a, b = ", ".join(outcome.differ_ours), ", ".join(outcome.differ_theirs)
        found.append(Signal("numbers", f"numbers differ: {a} vs {b}", True, a, b))
    elif outcome.same and whole and outcome.complete:
        same = ", ".join(outcome.same)
        found.append(Signal("numbers", f"same numbers: {same}", False, same, same))
    if outcome.counted_apart:
        a, b = outcome.counted_apart
        found.append(Signal("counts", f"same figure, different things counted: {a} vs {b}", False, a, b))
    return found


# --- dates, places, parties, actors, negation ----------------------------------------------------
def _dates(ours: Sequence[_Day], theirs: Sequence[_Day]) -> Signal | None:
    known_a = [d for d in ours if d.key]
    known_b = [d for d in theirs if d.key]
    if known_a and known_b:
        a, b = known_a, known_b
        key = lambda d: d.key  # noqa: E731
    else:
        a = [d for d in ours if d.weekday and not d.key]
        b = [d for d in theirs if d.weekday and not d.key]
        key = lambda d: d.weekday  # noqa: E731
    if not a or not b:
        return None
    keys_a, keys_b = {key(d) for d in a}, {key(d) for d in b}
    if keys_a == keys_b:
        shown = ", ".join(dict.fromkeys(d.shown for d in a))
        return Signal("dates", f"same dates: {shown}", False, shown, ", ".join(dict.fromkeys(d.shown for d in b)))
    only_a = list(dict.fromkeys(d.shown for d in a if key(d) not in keys_b))
    only_b = list(dict.fromkeys(d.shown for d in b if key(d) not in keys_a))
    if not only_a or not only_b:
        return None  # one side only adds a day
    gaps = [_gap(x.key, y.key) for x in a for y in b if x.key and y.key and key(x) not in keys_b]
    return replace(_differ("dates", only_a, only_b), days_apart=min((g for g in gaps if g is not None), default=None))


def _gap(a: str, b: str) -> int | None:
    """Days between two "Month D" days, taken within one year (or across New Year, whichever is nearer)."""
    try:
        first = datetime.strptime(f"{a} 2000", "%B %d %Y").date()
        second = datetime.strptime(f"{b} 2000", "%B %d %Y").date()
    except ValueError:
        return None
    gap = abs((first - second).days)
    return min(gap, 366 - gap)


def _differ(kind: str, ours: Sequence[str], theirs: Sequence[str]) -> Signal:
    a, b = ", ".join(ours), ", ".join(theirs)
    return Signal(kind, f"{kind} differ: {a} vs {b}", True, a, b)


def _same_place(a: str, b: str) -> bool:
    """One place: the same key, or one name inside the other ("Northport" in "Northport Central",
    "Northport International Airport" in "Freedonia's Northport International Airport")."""
    ka, kb = facts_compare.place_key(a), facts_compare.place_key(b)
    return ka == kb or f" {ka} " in f" {kb} " or f" {kb} " in f" {ka} "


def _places(ours: Sequence[str], theirs: Sequence[str]) -> Signal | None:
    if not ours or not theirs:
        return None
    only_a = [p for p in ours if not any(_same_place(p, q) for q in theirs)]
    only_b = [q for q in theirs if not any(_same_place(p, q) for p in ours)]
    if not only_a and not only_b:
        a, b = ", ".join(ours), ", ".join(theirs)
        shown = a if a == b else f"{a} = {b}"  # "Kryvyi Rih = Krivoy Rog": one place, two spellings
        return Signal("places", f"same places: {shown}", False, a, b)
    if not only_a or not only_b:
        return None  # one side only adds detail
    return _differ("places", only_a, only_b)


def _places_by_role(claim: str, other: str, ours: Sequence[str], theirs: Sequence[str]) -> list[Signal]:
    """Where a journey started ("from Bangkok") is compared with where another started, and where
    something happened with where it happened: "from Bangkok" and "in South Jeolla" do not differ."""
    def origin(text: str, place: str) -> bool:
        return re.search(rf"\bfrom\s+(?:the\s+)?{re.escape(place)}", text) is not None

    found = []
    for start in (True, False):
        mine = [p for p in ours if origin(claim, p) == start]
        their = [p for p in theirs if origin(other, p) == start]
        signal = _places(mine, their)
        single = len(mine) == 1 and len(their) == 1
        if signal and signal.conflict and not start and (not single or _features_differ(signal.ours, signal.theirs)) \
                and not same_kind_of_place(signal.ours, signal.theirs):
            # Several places on a side ("near Elm station in Ridge district", "from Oakvale near
            # Northport to Southport"): a region and a town in it, or a route and a site, far more
            # often than two accounts of where one thing happened.
            signal = replace(signal, message=f"places named differ: {signal.ours} vs {signal.theirs}", conflict=False)
        if signal and start:
            # Where a journey started is its own fact: "departed from X" against "from Y".
            signal = replace(signal, kind="origins", message=signal.message.replace("places", "origins", 1))
        if signal:
            found.append(signal)
    return found


_FEATURES = {"sea", "ocean", "river", "gulf", "bay", "strait", "coast", "mountains", "valley", "region", "province",
             "district", "state", "county", "oblast", "island", "islands"}


def _features_differ(ours: str, theirs: str) -> bool:
    """"the Black Sea" and "Saudi Arabia", "Ridge district" and "Elm": a sea or a region and a
    town are rarely two answers to one question."""
    def feature(name: str) -> str | None:
        last = name.split()[-1].lower() if name.split() else ""
        return last if last in _FEATURES else None

    return feature(ours) != feature(theirs)


def same_kind_of_place(ours: str, theirs: str) -> bool:
    """Two places of one kind, by their last word: "Northport International Airport" and "Southport
    International Airport", "Riverside Hospital" and "Hilltop Hospital"."""
    kinds = {"airport", "station", "hospital", "port", "stadium", "prison", "base", "court", "bridge", "dam"}
    last_a = {p.split()[-1].lower() for p in ours.split(", ") if p}
    last_b = {p.split()[-1].lower() for p in theirs.split(", ") if p}
    return bool(last_a & last_b & kinds)


# A capital stands for its country in reports of who agreed with whom ("Moscow and Kyiv agreed").
_PARTY_ALIASES = {"moscow": "russia", "kyiv": "ukraine", "kiev": "ukraine", "washington": "united states",
                  "us": "united states", "u.s.": "united states", "usa": "united states", "america": "united states",
                  "beijing": "china", "london": "britain", "uk": "britain", "united kingdom": "britain",
                  "paris": "france", "berlin": "germany", "tehran": "iran", "jerusalem": "israel"}


def _party_key(name: str) -> str:
    lowered = name.lower()
    return facts_compare.place_key(_PARTY_ALIASES.get(lowered, lowered))


def _parties(ours: Sequence[str], theirs: Sequence[str]) -> Signal | None:
    if not ours or not theirs:
        return None
    if {_party_key(p) for p in ours} == {_party_key(p) for p in theirs}:
        return Signal("parties", f"same parties: {' and '.join(ours)}", False, " and ".join(ours),
                      " and ".join(theirs))
    a, b = " and ".join(ours), " and ".join(theirs)
    return Signal("parties", f"parties differ: {a} vs {b}", True, a, b)


def _actors(ours: Sequence[tuple[str, str]], theirs: Sequence[tuple[str, str]]) -> Signal | None:
    their_roles = dict(theirs)
    for role, who in ours:
        if role in their_roles and their_roles[role] != who:
            return Signal("actors", f"actors differ: {who} vs {their_roles[role]}", True, who, their_roles[role])
    return None


def _negation(ours: _Read, theirs: _Read) -> Signal | None:
    """One side denies or negates what the other states, in sentences about the same thing (half
    the content words of the shorter shared). "Stopped producing" is negative too: against "did not
    produce" it is agreement, not a denial."""
    if bool(ours.negation or ours.ceased) == bool(theirs.negation or theirs.ceased):
        return None
    if not (ours.negation or theirs.negation):
        return None  # "stopped" against an assertion: the ceased signal's call
    shorter = min(len(ours.words), len(theirs.words))
    if shorter < 4 or len(ours.words & theirs.words) < 0.6 * shorter:
        return None
    a = ours.negation or "asserts it"
    b = theirs.negation or "asserts it"
    return Signal("negation", f"one denies or negates it: {a} vs {b}", True, a, b)


def _ceased(claim: str, other: str, ours: _Read, theirs: _Read) -> Signal | None:
    """One side says an activity stopped, the other states it going on: "stopped passing information"
    vs "has been passed", "stopped all humanitarian aid" vs "meant for humanitarian aid"."""
    if ours.ceased and not theirs.ceased:
        going = facts_events.goes_on(other, ours.ceased)
        if going:
            return Signal("ceased", f"one says it stopped: {ours.ceased.text} vs {going}", True, ours.ceased.text,
                          going)
    if theirs.ceased and not ours.ceased:
        going = facts_events.goes_on(claim, theirs.ceased)
        if going:
            return Signal("ceased", f"one says it stopped: {going} vs {theirs.ceased.text}", True, going,
                          theirs.ceased.text)
    return None


def _conditions(ours: _Read, theirs: _Read) -> Signal | None:
    """One side says there is no condition, the other names one: "without any conditions" vs "only if
    some sanctions are lifted"."""
    if ours.condition and theirs.condition and ours.condition[0] != theirs.condition[0]:
        return _differ("conditions", [ours.condition[1]], [theirs.condition[1]])
    return None


def rating_signal(rating: str | None) -> Signal | None:
    """A fact-check's own rating of the matched claim ("False", "Mostly true")."""
    if not rating:
        return None
    lowered = rating.lower()
    conflict = any(word in lowered for word in ("false", "misleading", "wrong", "incorrect", "fake"))
    return Signal("rating", f"fact-check rated it {rating}", conflict=conflict, theirs=rating)


def compare(claim: str, other: str, *, rating: str | None = None, published: str | None = None,
            other_published: str | None = None) -> list[Signal]:
    """Signals comparing a claim's text with a matched claim's text (conflicts first). `published`
    and `other_published` (ISO dates) resolve weekdays and "yesterday" to calendar days."""
    ours = _read(claim, facts_compare.published_day(published))
    theirs = _read(other, facts_compare.published_day(other_published))
    signals = [
        _dates(ours.days, theirs.days),
        *_numbers(ours.quantities, theirs.quantities, ours.years == theirs.years),
        *_places_by_role(claim, other, ours.places, theirs.places),
        _parties(ours.parties, theirs.parties),
        _actors(ours.roles, theirs.roles),
        rating_signal(rating),
        _negation(ours, theirs),
        _ceased(claim, other, ours, theirs),
        _conditions(ours, theirs),
    ]
    found = [s for s in signals if s is not None]
    return sorted(found, key=lambda s: not s.conflict)


def has_conflict(claim: str, other: str, *, rating: str | None = None) -> bool:
    return any(s.conflict for s in compare(claim, other, rating=rating))
