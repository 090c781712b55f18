"""Claimant: who a sentence attributes its claim to ("Zelenskyy revealed that ...").

Pattern-based on purpose: a handful of attribution shapes covers news prose
well and every result can be explained by pointing at the matched words.
"""

from __future__ import annotations

import re

ATTRIBUTION_VERBS = (
    "said|says|say|stated|states|state|revealed|reveals|announced|announces|asserted|asserts"
    "|assert|claimed|claims|claim|told|tells|reported|reports|shared|shares|added|adds|noted"
    "|notes|explained|explains|confirmed|confirms|denied|denies|insisted|insists|warned|warns"
    "|believes|believe|argued|argues|elaborated|emphasi[sz]ed|emphasi[sz]es|underscored"
    "|underscores|highlighted|highlights|stressed|stresses|expressed|expresses|indicated"
    "|indicates|referenced|references|mentioned|mentions|wrote|writes|tweeted|posted|estimated"
    "|estimates|predicted|acknowledged|admitted|alleged|alleges|suggested|suggests|accused"
    "|accuses|promised|promises|vowed|vows"
    # Public positions are statements too: "Russia has opposed the idea of ...".
    "|opposed|opposes|rejected|rejects|condemned|condemns|welcomed|welcomes"
)
# Titles dropped from the front of a name: "Ukrainian President Volodymyr Zelenskyy" -> name.
_TITLES = frozenset(
    """President Prime Minister Foreign Defence Defense Interior Finance Chancellor Secretary
    General Spokesperson Spokesman Spokeswoman Mr. Mrs. Ms. Dr. Prof. Sen. Rep. Gov. Mayor
    Ambassador Commander Chief Deputy Vice Head Outgoing Former King Queen Pope""".split()
)
_NATIONALITY_RE = re.compile(r"^[A-Z][a-z]+(?:ian|ish|ese|an|ch|i)$")  # Ukrainian, German, British, French
# Lower-case sources that are still claimants ("regional officials said").
_ROLE_NOUNS = (
    "officials?|authorities|spokes(?:person|man|woman)|ministry|police|government|military|army"
    "|witnesses|residents|sources|analysts|experts|prosecutors|investigators|officers|diplomats"
)
_SKIP = r"(?:(?:has|have|had|also|again|already|previously|recently|repeatedly|publicly|reportedly|\w+ly)\s+){0,3}"
_NAME = r"[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)*"
_NAMES = rf"{_NAME}(?:\s+and\s+{_NAME})?"

ACCORDING_TO_RE = re.compile(r"\baccording to\s+(?:the\s+)?([^,.;:()\"“”]+)")
PASSIVE_RE = re.compile(rf"\b(?:{ATTRIBUTION_VERBS})\s+by\s+(?:the\s+)?({_NAMES})")
# The name must be the clause subject: sentence start, after an intro phrase's
# comma, or after a conjunction; "talks with Baerbock indicated" is not Baerbock's claim.
ACTIVE_RE = re.compile(
    rf"(?:^\W*|[,;:]\s+|\b(?:that|although|though|while|whereas|but)\s+)"
    rf"({_NAMES})\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b"
)
ROLE_RE = re.compile(rf"\b((?:[a-z]+\s+)?(?:{_ROLE_NOUNS}))\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b")
PRONOUN_RE = re.compile(rf"^\W*(He|She|They)\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b")
_PRONOUNS = frozenset("He She They It We I You His Her Their Its This That".split())
_DETERMINERS = {"the", "a", "an", "some", "several", "many", "its", "their"}
_OPENERS = frozenset(
    "Both Additionally However Meanwhile Also And But So The This That Then Still Yet".split()
)


def _clean_name(name: str) -> str | None:
    """Drop openers, titles and nationality adjectives that precede a name."""
    tokens = name.split()
    while tokens and tokens[0] in _OPENERS:
        tokens = tokens[1:]
    # Strip titles only while a name remains after them ("White House" keeps "House").
    while len(tokens) > 1 and (tokens[0] in _TITLES or _NATIONALITY_RE.match(tokens[0])):
        tokens = tokens[1:]
    cleaned = re.sub(r"[’']s$", "", " ".join(tokens))
    return cleaned or None


def _clean_phrase(phrase: str) -> str | None:
    """Trim an "according to" phrase to the source itself (drop trailing time/place)."""
    phrase = re.split(r"\s+(?:on|in|at|who|which|that|from)\s+", phrase.strip(), maxsplit=1)[0]
    words = phrase.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return _clean_name(" ".join(words)) if words else None


def find_claimant(sentence: str) -> str | None:
    """The named source of a sentence, or None; pronouns are resolved by the caller."""
    for pattern, clean in (
        (ACCORDING_TO_RE, _clean_phrase),
        (PASSIVE_RE, _clean_name),
        (ACTIVE_RE, _clean_name),
        (ROLE_RE, _clean_phrase),
    ):
        m = pattern.search(sentence)
        if m and (name := clean(m.group(1))) and name not in _PRONOUNS:
            return name
    return None


def pronoun_attribution(sentence: str) -> bool:
    """True when the sentence's source is a pronoun subject ("He warned that ...")."""
    return PRONOUN_RE.match(sentence) is not None


def canonical_claimants(claimants: list[str | None]) -> list[str | None]:
    """Map full names to the short form used elsewhere in the same article.

    "Volodymyr Zelenskyy" becomes "Zelenskyy" when "Zelenskyy" is also a
    claimant, so one person has one claimant string within an article.
    """
    names = {c for c in claimants if c}
    result: list[str | None] = []
    for c in claimants:
        short = None
        if c:
            short = min((n for n in names if n != c and c.endswith(" " + n)), key=len, default=None)
        result.append(short or c)
    return result
