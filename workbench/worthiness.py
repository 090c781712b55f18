"""Check-worthiness: how much a sentence states checkable who/what/when/where/how-much.

The score is a clipped sum of weighted, explainable features so a reviewer can
see *why* a claim ranks where it does. No models: regexes plus a small gazetteer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --- weights (why each one) -------------------------------------------------
# Every declarative sentence asserts *something*; rhetoric must be able to sink
# below 0.5 on cue penalties alone, so the base stays well under the threshold.
BASE = 0.15
# Quantities and money are the single most checkable element of a claim.
W_NUMBER = 0.25
W_EXTRA_NUMBER = 0.05  # more figures = more to verify, but with fast-diminishing value
MAX_EXTRA_NUMBERS = 2
# A date/time anchors the statement to a record that can be looked up.
W_DATE = 0.2
# Named people/places/organisations say who and where; capped so a list of
# names alone cannot make a sentence check-worthy.
W_ENTITY = 0.1
MAX_ENTITIES = 3
# A named source lets a checker verify at least that the source said it, and a
# sourced position ("Moscow has stated ...") is what fact-checkers are asked about.
W_ATTRIBUTION = 0.15
# A concrete event verb (struck, pledged, signed...) is a "what happened".
W_EVENT = 0.15
# Opinion, belief, hedging, speculation and closing rhetoric are not verifiable;
# each cue costs more than an entity adds so rhetoric naming a country stays low.
W_OPINION = -0.15
# Intensifiers ("vehemently", "massive") colour a fact without removing it: small cost.
W_EMPHASIS = -0.05
MAX_CUES = 3  # per kind; beyond three the sentence is already at the floor

MONTHS = (
    "January|February|March|April|June|July|August|September|October|November|December"
    "|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\."
)
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_MONTH_ANY = rf"(?:{MONTHS}|May)"  # "May" only counts next to a day or year (modal verb otherwise)

DATE_RE = re.compile(
    rf"(?:\bon the (?:night|morning|evening) of\s+)?\b(?:(?:{WEEKDAYS}),?\s+)?{_MONTH_ANY}\s+{_DAY}(?:,?\s+\d{{4}})?(?!\d)"
    rf"|\b{_DAY}\s+{_MONTH_ANY}(?:,?\s+\d{{4}})?"
    rf"|\b{_MONTH_ANY}\s+\d{{4}}\b"
    rf"|\b(?:{MONTHS})(?![\w.])"
    rf"|\b(?:{WEEKDAYS})\b"
    r"|\b(?:1[89]|20)\d{2}\b(?![.,]?\d)"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)"
    r"|\b(?:yesterday|today|tonight|tomorrow)\b"
    r"|\b(?:last|next|this|earlier this|later this)\s+(?:week|month|year|night|weekend|morning|evening)\b"
    r"|\b(?:immediately|overnight|at once)\b"
)

_NUM = r"\d[\d,]*(?:\.\d+)?"
_SCALE = r"(?:\s?(?:million|billion|trillion|thousand|bn|m)\b)?"
_CURRENCY_WORD = r"(?:euros?|dollars?|USD|EUR|GBP|pounds?|hryvnias?|roubles?|rubles?|yuan|yen)\b"
NUMBER_RE = re.compile(
    rf"[$€£¥]\s?{_NUM}{_SCALE}"                      # $1.5 billion
    rf"|\b{_NUM}{_SCALE}\s?(?:%|per ?cent\b|percent\b|{_CURRENCY_WORD})"  # 130 million euros, 3.2%
    rf"|\b{_NUM}(?:\s(?:million|billion|trillion|thousand|hundred)\b)?(?:\s[a-z]+)?"  # 40 people
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    "|hundred|hundreds|thousand|thousands|dozen|dozens|millions|billions"
)
# Words after a number word that make it not a count ("one of", "one another").
_NUM_STOP = "of|another|and|or|as|in|on|at|to|by|for|the|a|an|with|that|which|who|more|less|than"
SPELLED_NUMBER_RE = re.compile(
    rf"\b(?:{_NUMBER_WORDS})(?:\s(?!(?:{_NUM_STOP})\b)[a-z-]+){{1,2}}", re.IGNORECASE
)

# Places/organisations that often open a sentence, where capitalisation says nothing.
GAZETTEER = frozenset(
    """Ukraine Russia France Britain Germany Poland China India Iran Israel Gaza Turkey Japan
    US U.S. USA UK U.K. EU UN NATO Europe America Kyiv Kiev Moscow Washington London Paris Berlin
    Brussels Beijing Warsaw Kharkiv Kherson Odesa Odessa Zaporizhzhia Zaporizhzhya Donetsk Luhansk
    Crimea Kremlin Pentagon Congress Senate Parliament Zelenskyy Zelensky Putin Trump Biden""".split()
)
# Capitalised words that open sentences or titles and are not names.
_NOT_NAMES = frozenset(
    """A An The This That These Those It Its He She They We I You His Her Their Our My Your In On At
    By For From With Without During After Before Since Until As If When While Although Though But And
    Or So Yet However Meanwhile Additionally Also Both Either Neither Each Every All Some Many Most
    Several Only Even Still Then There Here What Which Who Why How Today Yesterday Tomorrow
    According Under Over Among Between Despite Following Amid Earlier Later Now Such Other""".split()
)
_DATE_WORDS = frozenset(
    (MONTHS.replace("\\.", "").replace(".", "") + "|May|" + WEEKDAYS).split("|")
)
_CAP_TOKEN = r"(?:[A-Z][\w’'.-]*[\w]|[A-Z]\.?)"
# A run of capitalised tokens, optionally joined by "of"/"for" ("Ministry of Defence").
CAP_RUN_RE = re.compile(rf"{_CAP_TOKEN}(?:\s+(?:of\s+|for\s+|de\s+)?{_CAP_TOKEN})*")

EVENT_VERBS = re.compile(
    r"\b(?:kill(?:ed|s)?|injur(?:ed|ing|es)|wound(?:ed|ing)|struck|strikes?|targeted|attack(?:ed|s|ing)"
    r"|shell(?:ed|ing)|bomb(?:ed|ing)|executed|launched|damag(?:ed|ing)|destroy(?:ed|ing)"
    r"|pledg(?:ed|es)|provid(?:ed|es)|signed|agreed|approv(?:ed|es)|voted|passed|ban(?:ned|s)"
    r"|prohibits?|sanctioned|deploy(?:ed|s)?|send(?:s|ing)?|sent|arrest(?:ed|s)|resign(?:ed|s)|elected"
    r"|met|meeting will take place|convene|visit(?:ed|s)|opposed|rejected|fell|rose|increased"
    r"|decreased|cut|raised|spent|paid|announced|referenced|confirmed|offer(?:ed|s)|open(?:ed|s)"
    r"|restor(?:ed|es)|caus(?:ed|es)|lift(?:ed|s|ing)|talks with"
    # Whether an agreement holds is a "what happened" too.
    r"|took effect|takes? effect|(?:came|comes|is|are|remains?) (?:already )?in force|observ(?:ed|es)"
    r"|compl(?:ied|ies)|honou?r(?:ed|s)|violat(?:ed|es)|breach(?:ed|es))\b",
    re.IGNORECASE,
)
# Cues of opinion, belief, hedging, speculation and closing rhetoric.
OPINION_RE = re.compile(
    r"\b(?:believes?|thinks?|feels?|hopes?|fears?|expressed gratitude|importance|necessity|critical"
    r"|crucial|vital|potential(?:ly)?|possibly|perhaps|might|could|would|counting on"
    # Obligation is a position, not a fact: "the army must remain the foundation".
    r"|must|should|ought to|ha(?:s|ve) to|consider(?:s|ing)?"
    r"|continues? to call|calls? for|urg(?:es|ed)|as the situation unfolds"
    r"|remains? (?:tense|uncertain|unclear|to be seen)|unity|resolve|time will tell)\b",
    re.IGNORECASE,
)
EMPHASIS_RE = re.compile(
    r"\b(?:significant(?:ly)?|notabl[ey]|vehemently|precisely|robust|consistent|remarkabl[ey]"
    r"|historic|unprecedented|dramatic(?:ally)?|massive|strongly|deeply)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Worthiness:
    """A score in [0, 1] and the features that explain it."""

    score: float
    features: dict = field(default_factory=dict)


def _blank(m: re.Match) -> str:
    return " " * len(m.group())


def _within(short: str, long: str) -> bool:
    return f" {short} " in f" {long} "


def find_dates(sentence: str) -> list[str]:
    """Dates, weekdays, months, times and relative time anchors, in order."""
    return [m.group().strip() for m in DATE_RE.finditer(sentence)]


def find_numbers(sentence: str) -> list[str]:
    """Money, percentages, counts; digits inside dates are not counted twice."""
    masked = DATE_RE.sub(_blank, sentence)
    found = [m.group().strip() for m in NUMBER_RE.finditer(masked)]
    found += [m.group().strip() for m in SPELLED_NUMBER_RE.finditer(masked)]
    return found


def find_entities(sentence: str) -> list[str]:
    """Named people/places/organisations via capitalisation plus a gazetteer.

    The first word of a sentence is capitalised anyway, so it only counts when
    the gazetteer knows it or it is not a common sentence opener.
    """
    entities: list[str] = []
    # Currency codes and month names are numbers/dates, not names.
    sentence = NUMBER_RE.sub(_blank, DATE_RE.sub(_blank, sentence))
    first = re.search(r"[A-Za-z]", sentence)
    first_pos = first.start() if first else -1
    for m in CAP_RUN_RE.finditer(sentence):
        tokens = m.group().split()
        if m.start() == first_pos and tokens[0] not in GAZETTEER:
            if tokens[0] in _NOT_NAMES or tokens[0].endswith("ly"):
                tokens = tokens[1:]
        while tokens and tokens[0] in _NOT_NAMES:
            tokens = tokens[1:]
        tokens = [t for t in tokens if t.rstrip(".") not in _DATE_WORDS]
        name = re.sub(r"[’']s$", "", " ".join(tokens)).rstrip(".")
        # Keep the longest form: "Ukrainian" inside "Ukrainian President ..." is one entity.
        if name and not any(_within(name, e) for e in entities):
            entities = [e for e in entities if not _within(e, name)] + [name]
    return entities


def assess(sentence: str, attribution: str | None = None) -> Worthiness:
    """Score one claim sentence; `attribution` is the claimant, if any."""
    numbers = find_numbers(sentence)
    dates = find_dates(sentence)
    entities = find_entities(sentence)
    events = sorted({m.group().lower() for m in EVENT_VERBS.finditer(sentence)})
    opinions = sorted({m.group().lower() for m in OPINION_RE.finditer(sentence)})
    emphasis = sorted({m.group().lower() for m in EMPHASIS_RE.finditer(sentence)})
    if attribution:
        # In reported speech "would" is the back-shifted "will" ("Moscow has
        # stated that compliance would depend on ..."), not a hedge.
        opinions = [o for o in opinions if o != "would"]

    score = BASE
    if numbers:
        score += W_NUMBER + W_EXTRA_NUMBER * min(len(numbers) - 1, MAX_EXTRA_NUMBERS)
    if dates:
        score += W_DATE
    score += W_ENTITY * min(len(entities), MAX_ENTITIES)
    if attribution:
        score += W_ATTRIBUTION
    if events:
        score += W_EVENT
    score += W_OPINION * min(len(opinions), MAX_CUES)
    score += W_EMPHASIS * min(len(emphasis), MAX_CUES)
    score = round(min(1.0, max(0.0, score)), 4)

    features = {
        "numbers": numbers,
        "dates": dates,
        "entities": entities,
        "attribution": attribution,
        "events": events,
        "rhetoric": opinions,
        "emphasis": emphasis,
    }
    return Worthiness(score=score, features=features)
