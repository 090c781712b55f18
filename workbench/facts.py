"""Facts in a sentence: quantities, dates and times, places, and named people and organisations.

The one home of this extraction: check-worthiness (worthiness.py) counts what is found here, and the
difference signals (signals.py) compare it between a claim and its match, so the two never disagree
on what a number is. Regular expressions plus a small gazetteer, no model: every finding is a span of
the text that can be shown to a reviewer. facts_compare.py puts these findings on one footing across
reports (the day a date names, one key per place, what a count counts); facts_events.py reads who did
what and which kind of event.

Not counts: clock times ("6 a.m.", "2:09"), ordinals ("her 11th visit"), years ("in 2024", a date),
model designations ("F-16", "Su-34", "S-300") and the pronoun "one" ("no one", "one of").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Quantity:
    """A number stated in the text, e.g. "130 million euros" -> value 130000000.0, unit "EUR"."""

    value: float
    text: str  # the span it came from: the number with its scale and unit, never the hedge before it
    start: int
    end: int
    unit: str | None  # "%", a currency code, or what it counts as written ("days", "people", "km")
    approximate: bool = False  # "about", "nearly", "some" ... before it
    vague: bool = False  # "dozens", "hundreds", "thousands": an order of magnitude, not a figure
    # "above" ("more than", "over": the figure itself excluded), "least" ("at least": included) or
    # "most" ("up to", "fewer than", "as many as"); None for a plain figure.
    bound: str | None = None


@dataclass(frozen=True)
class DateMention:
    """A date, time or time anchor: "on the night of April 1", "Friday", "2:09 a.m.", "yesterday"."""

    text: str
    start: int
    end: int
    kind: str  # date (a month and day), month, weekday, year, time, relative
    month: int | None = None
    day: int | None = None
    year: int | None = None

    @property
    def month_day(self) -> str | None:
        """"April 4" for any date naming a month and a day (the year left out), else None."""
        if self.month is None or self.day is None:
            return None
        return f"{MONTH_NAMES[self.month - 1].capitalize()} {self.day}"


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# --- dates and times ----------------------------------------------------------------------------
# Month names are matched capitalised: "may" and "march" are also a verb. "May" alone is a modal verb,
# so it only counts next to a day or a year.
_LONE_MONTH = "January|February|March|April|June|July|August|September|October|November|December"
_MONTH_WORD = rf"(?:{_LONE_MONTH}|May|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_MONTH = rf"(?P<month>{_MONTH_WORD})"
_MONTH2 = rf"(?P<month2>{_MONTH_WORD})"
_WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_YEAR = r"(?:1[89]|20)\d{2}"
DATE_RE = re.compile(
    rf"(?P<date>(?:\b[Oo]n the (?:night|morning|evening|afternoon) of\s+)?\b(?:(?:{_WEEKDAY}),?\s+)?"
    rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>{_YEAR}))?(?![\d:])"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH2}(?:,?\s+(?P<year2>{_YEAR}))?)"
    rf"|(?P<month_year>\b{_MONTH_WORD}\s+(?P<year3>{_YEAR})\b)"
    rf"|(?P<month_alone>\b(?:{_LONE_MONTH})(?![\w.]))"
    rf"|(?P<weekday>\b(?:{_WEEKDAY})\b)"
    rf"|(?P<year_alone>\b{_YEAR}\b(?![.,]?\d))"
    r"|(?P<time>\b\d{1,2}(?:[:.]\d{2})?\s?(?:[AaPp]\.[Mm]\.|[AaPp][Mm]\b)|\b\d{1,2}:\d{2}\b)"
    r"|(?P<relative>\b(?:yesterday|today|tonight|tomorrow)\b"
    r"|\b(?:last|next|this|earlier this|later this)\s+(?:week|month|year|night|weekend|morning|evening)\b"
    r"|\b(?:immediately|overnight|at once)\b)"
)


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return next(n for n, name in enumerate(MONTH_NAMES, 1) if name.startswith(word[:3]))


def dates(text: str) -> list[DateMention]:
    """Dates, months, weekdays, years, clock times and relative anchors, in text order."""
    found: list[DateMention] = []
    for m in DATE_RE.finditer(text):
        start, end = m.span()
        if m.group("date"):
            month = _month_number(m.group("month") or m.group("month2"))
            day = int(m.group("day") or m.group("day2"))
            year = m.group("year") or m.group("year2")
            if 1 <= day <= 31:
                found.append(DateMention(m.group(), start, end, "date", month, day, int(year) if year else None))
            continue
        kind = next(k for k in ("month_year", "month_alone", "weekday", "year_alone", "time", "relative")
                    if m.group(k))
        if kind == "month_year":
            found.append(DateMention(m.group(), start, end, "month", _month_number(m.group().split()[0]),
                                     year=int(m.group("year3"))))
        elif kind == "month_alone":
            found.append(DateMention(m.group(), start, end, "month", _month_number(m.group())))
        elif kind == "year_alone":
            found.append(DateMention(m.group(), start, end, "year", year=int(m.group())))
        else:
            found.append(DateMention(m.group(), start, end, kind))
    return found


# --- quantities ---------------------------------------------------------------------------------
_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ROUND = {"dozen": 12, "hundred": 100, "thousand": 1000}
_VAGUE = {"dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 10**6, "billions": 10**9}
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9,
          "trillion": 10**12}
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "dollar": "USD", "usd": "USD", "euro": "EUR",
              "eur": "EUR", "pound": "GBP", "gbp": "GBP", "hryvnia": "UAH", "rouble": "RUB", "ruble": "RUB",
              "yuan": "CNY", "yen": "JPY"}
NUMBER_WORDS = frozenset([*_ONES, *_TEENS, *_TENS, *_ROUND, *_VAGUE])
# Checked longest first: "no more than" is a ceiling although it ends in "more than".
BOUNDS = {**dict.fromkeys(("no more than", "not more than", "up to", "fewer than", "less than", "under",
                            "as many as", "at most"), "most"),
          **dict.fromkeys(("more than", "over", "upwards of", "in excess of", "above", "exceeding"), "above"),
          **dict.fromkeys(("at least", "no fewer than", "no less than", "not less than"), "least")}
HEDGES = ("about", "around", "roughly", "nearly", "almost", "approximately", "some", "an estimated")

# Number words in any case ("Five people"); "forty-two" and "forty two" are one number.
_SPELLED = (rf"(?i:\b(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{'|'.join(_ONES)}))?|{'|'.join(_TEENS)}|{'|'.join(_ONES)}"
            rf"|{'|'.join(_ROUND)}|{'|'.join(_VAGUE)})\b)")
_DIGITS = r"(?<![\w.,/])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|(?<![\w.,/])\d+(?:\.\d+)?(?![\d.,]?\d)"
_CURRENCY_WORD = r"(?:(?:US |U\.S\. )?dollars?|USD|EUR|GBP|euros?|pounds?|hryvnias?|roubles?|rubles?|yuan|yen)\b"
# A word after a number that says nothing about what it counts ("14 after": the number alone).
NOT_UNITS = frozenset(
    """of another and or as in on at to by for from the a an with that which who whom whose more less than
    after before since until during per was were is are be been being had has have will would could can
    may might must should this these those it its their his her our your""".split()
)
_NOT_NOUN = f"(?:{'|'.join(sorted(NOT_UNITS | NUMBER_WORDS))})"
# A word before the noun that only describes it: "two industrial buildings", "one confirmed death".
_ADJECTIVE_RE = re.compile(r"(?:al|ic|ian|ese|ish|ive|ous|ary|ed)$")
QUANTITY_RE = re.compile(
    rf"(?P<currency>[$€£¥])?\s?(?:(?P<digits>{_DIGITS})|(?P<spelled>{_SPELLED}))"
    rf"(?:(?P<scale_attached>m|bn)\b|\s?(?P<scale>(?i:million|billion|trillion|thousand|hundred|bn)\b))?"
    rf"(?:\s?(?P<percent>%|per\s?cent\b|percent\b)"
    rf"|\s(?P<money>{_CURRENCY_WORD})"
    rf"|(?P<glued>km|kg|mph)\b"
    rf"|[\s-](?!{_NOT_NOUN}\b)(?P<noun>[a-z][a-z]+)\b(?:(?=\s(?P<noun2>[a-z][a-z]+)\b)|))?"
)
# Spans that hold digits but are not quantities: model designations and codes ("7C2216"), ordinals.
_NOT_QUANTITY_RE = re.compile(r"\b[A-Z][A-Za-z]{0,7}-\d+[A-Za-z]*\b|\b\d+[A-Za-z]+\d\w*|\b\d+(?:st|nd|rd|th)\b")
# "one" as a pronoun: "no one", "one of them", "one another", "the one who" ("that one person" counts).
_PRONOUN_ONE_RE = re.compile(
    r"(?i:\b(?:no|any|every|each)\s+one\b"
    r"|\bone\s+(?:of|another|by|or|can|could|would|should|must|may|might|will|who|that)\b)"
)


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _spelled_value(words: str) -> tuple[float, bool]:
    words = words.lower()
    if words in _VAGUE:
        return float(_VAGUE[words]), True
    words_value = {**_ONES, **_TEENS, **_TENS, **_ROUND}
    return float(sum(words_value[part] for part in re.split(r"[-\s]+", words))), False


def quantities(text: str, found_dates: list[DateMention] | None = None) -> list[Quantity]:
    """Numbers in digits or words, with scale words ("130 million"), percentages, currencies and what
    they count ("15 strikes"); dates, times, years, ordinals, model designations and "no one" left out.
    `found_dates`: dates(text), when the caller has it already."""
    if found_dates is None:
        found_dates = dates(text)
    masked = _blank_spans(text, [(d.start, d.end) for d in found_dates])
    masked = _blank(_blank(masked, _NOT_QUANTITY_RE), _PRONOUN_ONE_RE)
    found: list[Quantity] = []
    for m in QUANTITY_RE.finditer(masked):
        if m.group("digits"):
            value, vague = float(m.group("digits").replace(",", "")), False
        else:
            value, vague = _spelled_value(m.group("spelled"))
        scale = (m.group("scale") or m.group("scale_attached") or "").lower()
        value *= SCALES.get(scale, 1)
        unit, end = _unit(m), m.end()
        if _counts_second_word(m):
            unit, end = m.group("noun2"), m.end("noun2")
        start = m.start("currency") if m.group("currency") else m.start("digits" if m.group("digits") else "spelled")
        before = masked[:start].rstrip().lower()
        approximate = any(_ends_with_word(before, hedge) for hedge in HEDGES)
        found.append(Quantity(value, text[start:end], start, end, unit, approximate, vague, _bound(before)))
    return found


def _ends_with_word(before: str, phrase: str) -> bool:
    return before == phrase or before.endswith(" " + phrase) or before.endswith("(" + phrase)


def _bound(before: str) -> str | None:
    if re.search(r"\b(?:gone|go|goes|going|went|risen|rose|rise|rises|rising|climbed|climbs|jumped|soared|increased)"
                 r" up to$", before):
        return None  # "the toll has gone up to 1,742": a figure reached, not a ceiling
    for phrase in sorted(BOUNDS, key=len, reverse=True):
        if _ends_with_word(before, phrase):
            return BOUNDS[phrase]
    return None


def _unit(m: re.Match[str]) -> str | None:
    if m.group("currency"):
        return CURRENCIES[m.group("currency")]
    if m.group("percent"):
        return "%"
    if m.group("money"):
        word = m.group("money").split()[-1].lower()
        return CURRENCIES.get(word.rstrip("s"), CURRENCIES.get(word, word))
    return m.group("glued") or m.group("noun")


def _counts_second_word(m: re.Match[str]) -> bool:
    """"two industrial buildings" counts buildings, "one confirmed death" a death."""
    noun, noun2 = m.group("noun"), m.group("noun2")
    return bool(noun and noun2 and _ADJECTIVE_RE.search(noun) and noun2 not in NOT_UNITS
                and noun2 not in NUMBER_WORDS)


# --- places and names ---------------------------------------------------------------------------
# A place is a capitalised name after a preposition of place: "in Kherson", "near Mykolaiv".
_PLACE = re.compile(r"\b(?:in|at|near|outside|from|over|around|across)\s+(?:the\s+)?"
                    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)*)")
# "the southern Ukrainian city of Kherson": the name follows "city of", not a preposition of place.
_PLACE_OF = re.compile(r"\b(?:city|town|village|region|port|province|district|oblast)\s+of\s+"
                       r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)*)")
# A single word that describes ("Baltic", "Ukrainian", "Japanese") before a common noun of place.
_DESCRIBES_RE = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|ic)$")
_PLACE_NOUN_RE = re.compile(r"\s+(?:city|town|village|coast|region|port|capital|province|state|island|nation|"
                            r"country|border|side|sea|waters)\b")
_NOT_PLACES = set(MONTH_NAMES) | set(WEEKDAYS) | {"the", "a", "an", "his", "her", "their", "its", "this",
                                                  "that", "kyiv's"}


def places(text: str) -> list[str]:
    """Capitalised names after a preposition of place ("in Kherson"), months and weekdays left out."""
    found: list[str] = []
    matches = sorted([*_PLACE.finditer(text), *_PLACE_OF.finditer(text)], key=lambda m: m.start(1))
    for match in matches:
        if _DESCRIBES_RE.match(match.group(1)) and _PLACE_NOUN_RE.match(text, match.end(1)):
            continue  # "in the Baltic city", "near the Ukrainian coast": no name, a description
        # A run of capitals can run on into a date or "Today": "Northport International Airport Sunday".
        words = match.group(1).split()
        cut = next((i for i, w in enumerate(words) if w.lower() in _NOT_PLACES or w in ("Today", "Yesterday")),
                   len(words))
        name = " ".join(words[:cut]).strip("'’")
        if not name:
            continue
        if name.lower() in _NOT_PLACES or name.split()[0].lower() in _NOT_PLACES:
            continue
        if name not in found:
            found.append(name)
    return found


# Places/organisations that often open a sentence, where capitalisation says nothing.
GAZETTEER = frozenset(
    """Ukraine Russia France Britain Germany Poland China India Iran Israel Gaza Turkey Japan
    US U.S. USA UK U.K. EU UN NATO Europe America Kyiv Kiev Moscow Washington London Paris Berlin
    Brussels Beijing Warsaw Kharkiv Kherson Odesa Odessa Zaporizhzhia Zaporizhzhya Donetsk Luhansk
    Crimea Kremlin Pentagon Congress Senate Parliament Zelenskyy Zelensky Putin Trump Biden""".split()
)
# Capitalised words that open sentences or titles and are not names.
NOT_NAMES = frozenset(
    """A An The This That These Those It Its He She They We I You His Her Their Our My Your In On At
    By For From With Without During After Before Since Until As If When While Although Though But And
    Or So Yet However Meanwhile Additionally Also Both Either Neither Each Every All Some Many Most
    Several Only Even Still Then There Here What Which Who Why How Today Yesterday Tomorrow
    According Under Over Among Between Despite Following Amid Earlier Later Now Such Other""".split()
)
_DATE_WORDS = frozenset(name.capitalize() for name in (*MONTH_NAMES, *WEEKDAYS)) | frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
_CAP_TOKEN = r"(?:[A-Z][\w’'.-]*[\w]|[A-Z]\.?)"
# A run of capitalised tokens, optionally joined by "of"/"for" ("Ministry of Defence").
CAP_RUN_RE = re.compile(rf"{_CAP_TOKEN}(?:\s+(?:of\s+|for\s+|de\s+)?{_CAP_TOKEN})*")


def _within(short: str, long: str) -> bool:
    return f" {short} " in f" {long} "


def names(text: str) -> list[str]:
    """Named people, places and organisations, by capitalisation plus a gazetteer.

    The first word of a sentence is capitalised anyway, so it only counts when the gazetteer knows
    it or it is not a common sentence opener. Dates and quantities ("Friday", "Five people",
    "40 USD") are not names.
    """
    found_dates = dates(text)
    return _names(text, found_dates, quantities(text, found_dates))


def _names(text: str, found_dates: list[DateMention], found_quantities: list[Quantity]) -> list[str]:
    spans = [(d.start, d.end) for d in found_dates] + [(q.start, q.end) for q in found_quantities]
    sentence = _blank_spans(text, spans)
    entities: list[str] = []
    first = re.search(r"[A-Za-z]", sentence)
    first_pos = first.start() if first else -1
    for m in CAP_RUN_RE.finditer(sentence):
        tokens = m.group().split()
        if m.start() == first_pos and tokens[0] not in GAZETTEER:
            if tokens[0] in NOT_NAMES or tokens[0].endswith("ly"):
                tokens = tokens[1:]
        while tokens and tokens[0] in NOT_NAMES:
            tokens = tokens[1:]
        tokens = [t for t in tokens if t.rstrip(".") not in _DATE_WORDS]
        name = re.sub(r"[’']s$", "", " ".join(tokens)).rstrip(".")
        # Keep the longest form: "Ukrainian" inside "Ukrainian President ..." is one entity.
        if name and not any(_within(name, e) for e in entities):
            entities = [e for e in entities if not _within(e, name)] + [name]
    return entities


@dataclass(frozen=True)
class Facts:
    """Everything above for one sentence, each part found once."""

    quantities: list[Quantity]
    dates: list[DateMention]
    names: list[str]


# The one cache of what texts say: signals, relations, stories and copies all read a text here, and a
# match run meets each candidate text through all four, again for every claim it is a candidate of.
# Sized for the texts a run has in hand (about 530 bytes each: 35 MB), not for a whole day's 300k.
READ_CACHE = 65536


def read(text: str) -> Facts:
    """The quantities, dates and names of a sentence (what check-worthiness counts), found once per
    text while it is among the READ_CACHE most recently read (the lists are the caller's own)."""
    found_quantities, found_dates, found_names = _found(text)
    return Facts(list(found_quantities), list(found_dates), list(found_names))


@functools.lru_cache(maxsize=READ_CACHE)
def _found(text: str) -> tuple[tuple[Quantity, ...], tuple[DateMention, ...], tuple[str, ...]]:
    found_dates = dates(text)
    found_quantities = quantities(text, found_dates)
    return tuple(found_quantities), tuple(found_dates), tuple(_names(text, found_dates, found_quantities))
