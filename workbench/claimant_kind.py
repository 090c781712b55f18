"""What kind of claimant a name is: a person, an organisation, or not known.

ClaimReview types a claim's author as schema.org Person or Organization; a wrong type ("Russia" as a
Person) is worse than none, so a name is only typed when the words say so. Read from the claimant
module's own knowledge (ORG_HEADS, is_person_like) plus the places that speak for a government.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .claimant import ORG_HEADS, is_person_like

PERSON, ORGANISATION = "person", "organisation"

# Countries, capitals and seats of power: when they "say" something, a government speaks
# ("Russia said", "Washington warned", "the Kremlin denied").
GOVERNMENT_PLACES = frozenset(
    """Ukraine Russia France Britain Germany Poland China India Iran Israel Turkey Japan Italy Spain
    Canada Mexico Brazil Belarus Moldova Georgia Hungary Romania Slovakia Lithuania Latvia Estonia
    Finland Sweden Norway Denmark Netherlands Belgium Austria Switzerland Greece Serbia Egypt Syria
    Qatar Europe America US U.S. USA UK U.K. EU UN NATO Kyiv Kiev Moscow Washington London Paris Berlin
    Brussels Beijing Warsaw Ankara Tehran Minsk Kremlin Pentagon Downing Whitehall Congress Senate
    Parliament""".split()
)
_GOVERNMENT_PHRASES = frozenset({"united states", "united kingdom", "european union", "united nations",
                                 "white house", "downing street"})
# Lower-case heads of a body ("regional authorities", "the city's water utility", "state TV").
_BODY_WORDS = frozenset(
    """officials authorities authority ministry police government military army administration office
    operator service company union council utility agency agencies post department commission committee
    court tv television radio media newspaper outlet broadcaster network channel station daily paper
    parliament senate congress embassy bank university institute association group groups organisation
    organization party prosecutors investigators forces terminals port airport railway wire press""".split()
)
# Lower-case roles that are one person ("the minister said"), named or not.
_PERSON_ROLES = frozenset(
    """spokesperson spokesman spokeswoman president minister chancellor mayor governor king queen
    politician lawmaker mp senator secretary director chairman chairwoman chief head judge foreperson
    ambassador commander""".split()
)
_TITLE_WORDS = frozenset(
    """President Minister Chancellor Mayor Governor Senator Secretary Ambassador General Colonel Captain
    Judge Mr Mrs Ms Dr Prof Sir Dame Lord Lady King Queen Pope""".split()
)
_WORD_RE = re.compile(r"[\w'.-]+")


def _words(name: str) -> list[str]:
    return _WORD_RE.findall(name.replace("\u2019", "'"))


def _is_government(name: str) -> bool:
    """A country, capital or seat of power, alone or in a list ("France and Britain")."""
    parts = [p.strip() for p in re.split(r",|\band\b|&", name.removeprefix("the ").strip())]
    return all(p in GOVERNMENT_PLACES or p.lower() in _GOVERNMENT_PHRASES for p in parts if p)


def claimant_kind(name: str, people: Iterable[str] = ()) -> str | None:
    """PERSON, ORGANISATION or None (the words do not say).

    Organisations: outlets' and institutions' names (ORG_HEADS, body words), acronyms, countries and
    capitals speaking for a government. People: a title before a name, a lower-case role that is one
    person, or two or more name words that are neither (a named individual). A lone surname
    ("Zelenskyy") is a person when `people` (other claimants of the same export) holds a full name
    ending in it; else it stays unknown, as do groups of people ("witnesses").
    """
    name = name.strip()
    words = _words(name)
    if not words:
        return None
    if _is_government(name) or name.replace(".", "").isupper() and len(name) <= 8:
        return ORGANISATION
    lowered = [w.lower().strip("'.") for w in words]
    if any(w in _BODY_WORDS for w in lowered) or any(w in ORG_HEADS for w in words) or "'s" in name and \
            _is_government(name.split("'s")[0]):
        return ORGANISATION
    if not name[:1].isupper():
        return PERSON if lowered[-1] in _PERSON_ROLES else None
    if words[0].rstrip(".") in _TITLE_WORDS:
        return PERSON
    if not is_person_like(name):
        return None
    if len(words) >= 2:
        return PERSON
    return PERSON if any(other != name and other.split()[-1:] == [name] for other in people) else None
