"""Check-worthiness: how much a sentence states checkable who/what/when/where/how-much.

The score is a clipped sum of weighted, explainable features so a reviewer can
see *why* a claim ranks where it does. No models: the numbers, dates and names come
from facts.py (regexes plus a small gazetteer), the cues below are regexes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import facts

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


def find_dates(sentence: str) -> list[str]:
    """Dates, weekdays, months, times and relative time anchors, in order."""
    return [mention.text for mention in facts.dates(sentence)]


def find_numbers(sentence: str) -> list[str]:
    """Money, percentages, counts (in digits or words), each with what it counts; not dates, times,
    ordinals, model designations or "no one"."""
    return [quantity.text for quantity in facts.quantities(sentence)]


def assess(sentence: str, attribution: str | None = None) -> Worthiness:
    """Score one claim sentence; `attribution` is the claimant, if any."""
    found = facts.read(sentence)
    numbers = [quantity.text for quantity in found.quantities]
    dates = [mention.text for mention in found.dates]
    entities = found.names
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
