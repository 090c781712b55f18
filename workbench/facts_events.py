"""What a sentence says happened: the parties of a joint act, people named by their role, a denial,
and the kinds of event it names (earthquake, flood, election ...). Regular expressions over the text,
like facts.py; signals.py and relation.py compare the results between a claim and its match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


# --- an activity said to have ended, a condition said to be absent -------------------------------
# "has stopped passing information", "stopped all humanitarian aid", "no longer reports": the sentence
# says something ended. Only the finite verb: "agreed to stop attacking" is a promise, not an end.
CEASED_RE = re.compile(
    r"(?i:\b(?:stopped|halted|ceased|suspended|ended|quit)\s+(?:all\s+|any\s+|its\s+|their\s+|the\s+)?"
    r"(?P<what>[a-z]+(?:\s+[a-z]+)?)|\bno\s+longer\s+(?P<verb>[a-z]+))"
)
# Verbs of handing something over, one family: "stopped passing information" against "had given a record".
HANDING_OVER = ("pass", "giv", "gave", "hand", "send", "sent", "shar", "provid", "report", "suppl", "deliver")
# Function words that end the description of what stopped ("stopped all aid to Kyiv": "aid").
_NOT_ACTIVITY = NOT_UNITS | {"after", "when", "because", "following"}


@dataclass(frozen=True)
class Ceased:
    """What a sentence says ended: the words as written ("stopped passing information") and the
    stems another report would use for the same activity ("pass", or "humanitarian", "aid")."""

    text: str
    stems: tuple[str, ...]


def _stem(word: str) -> str:
    """"passing" -> "pass", "making" -> "mak": the part "passed" and "make" share."""
    word = word.lower()
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    return word[:6]


def _starts(word: str, stem: str) -> bool:
    """"stopped" starts the stem "stopp" of "stopping" too: a doubled last letter may be single."""
    return word.startswith(stem) or (len(stem) > 3 and stem[-1] == stem[-2] and word.startswith(stem[:-1]))


def ceased(text: str) -> Ceased | None:
    """The activity a sentence says stopped, or None ("no longer reports", "has stopped all aid")."""
    m = CEASED_RE.search(text)
    if not m:
        return None
    words = (m.group("what") or m.group("verb")).split()
    words = words[:next((i for i, w in enumerate(words) if w.lower() in _NOT_ACTIVITY), len(words))]
    if not words:
        return None
    if words[0].lower().endswith("ing") or m.group("verb"):
        stems: tuple[str, ...] = (_stem(words[0]),)  # an action: "passing", "no longer reports"
    else:
        stems = tuple(_stem(w) for w in words)  # a thing: "humanitarian aid"
    group = "what" if m.group("what") else "verb"
    return Ceased(f"{text[m.start():m.start(group)]}{' '.join(words)}", stems)


def goes_on(text: str, stopped: Ceased) -> str | None:
    """Where `text` states the activity that `stopped` names as happening (not negated, not ended
    itself): the words that say so ("has been passed", "for humanitarian aid"), else None."""
    if ceased(text) or negation(text):
        return None
    words = re.findall(r"[A-Za-z]+", text)
    lowered = [w.lower() for w in words]
    family = len(stopped.stems) == 1 and stopped.stems[0].startswith(HANDING_OVER)
    span = len(stopped.stems)
    for i, word in enumerate(lowered):
        same = i + span <= len(lowered) and all(_starts(lowered[i + j], stem) for j, stem in enumerate(stopped.stems))
        if same or (family and word.startswith(HANDING_OVER)):
            first = max(0, i - 2)
            return " ".join(words[first:i + span])
    return None


# "without any conditions", "unconditionally" against "only if", "would depend on": a condition denied
# on one side and named on the other.
UNCONDITIONAL_RE = re.compile(r"(?i:\b(?:without\s+(?:any\s+)?(?:pre-?)?conditions?|unconditional(?:ly)?"
                              r"|with\s+no\s+(?:pre-?)?conditions?|no\s+strings\s+attached)\b)")
CONDITION_RE = re.compile(r"(?i:\b(?:only\s+(?:[a-z]+\s+){0,3}(?:if|when)|on\s+(?:the\s+)?condition\s+that|provided\s+that"
                          r"|depend(?:s|ed|ent|ing)?\s+on|conditional\s+on|contingent\s+on|in\s+exchange\s+for"
                          r"|linked\s+(?:[a-z]+\s+){0,3}to|tied\s+(?:its|their|his|her)\s+(?:[a-z]+\s+){0,2}to)\b)")


def condition(text: str) -> tuple[bool, str] | None:
    """(False, "without any conditions") when a sentence denies a condition, (True, "only if some
    sanctions are …") when it names one, None when it says neither."""
    m = UNCONDITIONAL_RE.search(text)
    if m:
        return False, m.group()
    m = CONDITION_RE.search(text)
    if m:
        rest = text[m.end():].split()
        return True, " ".join([m.group(), *rest[:5]]).rstrip(".,;")
    return None
