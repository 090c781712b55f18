"""What a sentence says happened: the parties of a joint act, people named by their role, a denial,
and the kinds of event it names (earthquake, flood, election ...). Regular expressions over the text,
like facts.py; signals.py and relation.py compare the results between a claim and its match.
"""

from __future__ import annotations

import re

from .facts import NOT_NAMES, NOT_UNITS


# --- who did what: parties, roles, denial ---------------------------------------------------------
_PARTY = r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*"
# "The United States and Ukraine have agreed", "Israel and Hamas signed": the parties of an act.
PARTIES_RE = re.compile(rf"(?P<a>{_PARTY})\s+and\s+(?P<b>{_PARTY})\s+(?:have\s+|has\s+|had\s+|will\s+|would\s+)?"
                        r"(?:jointly\s+|also\s+)?(?P<verb>agreed|signed|reached|struck|announced|met|held|"
                        r"launched|accepted|approved|exchanged|concluded)\b")
# "a bus driver", "the co-pilot": a person named by what they do, with the word that sets them apart.
ROLE_NOUNS = ("driver", "pilot", "captain", "officer", "soldier", "worker", "passenger", "nurse", "doctor",
              "teacher", "student", "guard", "engineer", "conductor", "operator", "minister", "official",
              "spokesperson", "spokesman", "spokeswoman", "commander", "firefighter", "rescuer", "judge")
ROLE_RE = re.compile(rf"\b(?:a|an|the|one|two|three|his|her|their)\s+(?P<kind>[a-z][a-z-]+)\s+"
                     rf"(?P<role>{'|'.join(ROLE_NOUNS)})s?\b")
# A denial or a negated statement. Not "no one"/"nobody" (a count of zero) nor "not only".
NEGATION_RE = re.compile(
    r"(?i:\b(?:denied|denies|deny|denying|refuted|dismissed claims|no evidence|not true|false(?:ly)?|fake|"
    r"debunked|never|(?:did|does|do|has|have|had|was|were|is|are|will|would|could)\s+not(?!\s+only)|"
    r"(?:did|does|do|has|have|had|was|were|is|are|wo|would|could)n[’']t)\b)"
)


def parties(text: str) -> list[str]:
    """The parties of a joint act ("X and Y agreed"), without a leading "the", in text order."""
    found: list[str] = []
    for m in PARTIES_RE.finditer(text):
        for group in ("a", "b"):
            name = re.sub(r"^the\s+", "", m.group(group), flags=re.I)
            if name not in NOT_NAMES and name not in found:
                found.append(name)
    return found


def roles(text: str) -> dict[str, str]:
    """People named by role: {"driver": "bus driver"} for "a bus driver"."""
    return {m.group("role"): f"{m.group('kind')} {m.group('role')}" for m in ROLE_RE.finditer(text)
            if m.group("kind") not in NOT_UNITS}


def negation(text: str) -> str | None:
    """The words that deny or negate the statement ("denied", "did not", "no evidence"), or None."""
    m = NEGATION_RE.search(text)
    return m.group() if m else None


# --- what kind of event a sentence is about -------------------------------------------------------
# Two reports naming different kinds of event ("the quake" and "the floods") are about two events,
# whatever their figures. A short list of the kinds news reports on; a sentence may name none.
EVENT_KINDS = {
    "earthquake": ("earthquake", "earthquakes", "quake", "quakes", "tremor", "aftershock", "aftershocks", "seismic"),
    "flood": ("flood", "floods", "flooding", "dam", "dams", "storm", "cyclone", "hurricane", "typhoon"),
    "landslide": ("landslide", "landslides", "mudslide"),
    "air crash": ("plane", "aircraft", "flight", "airliner", "runway", "jet"),
    "rail crash": ("train", "trains", "derailed", "derailment", "railway", "coaches", "bogies"),
    "election": ("election", "seats", "vote", "voters", "majority", "polls"),
    "trial": ("trial", "jury", "verdict", "guilty", "felony", "sentencing", "convicted"),
    "interest rates": ("rate", "rates", "inflation", "fed", "basis"),
}
_EVENT_OF = {word: kind for kind, words in EVENT_KINDS.items() for word in words}


def event_kinds(text: str) -> frozenset[str]:
    """The kinds of event a sentence names ("earthquake", "flood", ...), from EVENT_KINDS."""
    return frozenset(_EVENT_OF[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _EVENT_OF)
