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
    "|declared|declares|signall?ed|signals|regards|regarded|linked|links|made clear|makes clear"
    "|pointed to|points to"
)
# Titles dropped from the front of a name: "Ukrainian President Volodymyr Zelenskyy" -> name.
_TITLES = frozenset(
    """President Prime Minister Foreign Defence Defense Interior Finance Chancellor Secretary
    General Spokesperson Spokesman Spokeswoman Mr. Mrs. Ms. Dr. Prof. Sen. Rep. Gov. Mayor
    Ambassador Commander Chief Deputy Vice Head Outgoing Former King Queen Pope""".split()
)
# A name ending in one of these is an organisation: "Foreign Office" keeps "Foreign".
_ORG_HEADS = frozenset(
    """Office Ministry Department Service House Council Government Administration Agency Committee
    Commission Union Company Authority Bureau Party""".split()
)
_NATIONALITY_RE = re.compile(r"^[A-Z][a-z]+(?:ian|ish|ese|an|ch|i)$")  # Ukrainian, German, British, French
# Lower-case sources that are still claimants ("regional officials said").
_ROLE_NOUNS = (
    "officials?|authorities|spokes(?:person|man|woman)|ministry|police|government|military|army"
    "|witnesses|residents|sources|analysts|experts|prosecutors|investigators|officers|diplomats"
    "|administration|office|operator|service|company|union|council|utility|agency|post"
    "|president|prime minister|minister|chancellor|mayor|governor"
)
_SKIP = r"(?:(?:has|have|had|also|both|again|already|previously|recently|repeatedly|publicly|reportedly|\w+ly)\s+){0,3}"
_NAME = r"[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)*"
_NAMES = rf"{_NAME}(?:\s+and\s+{_NAME})?"

ACCORDING_TO_RE = re.compile(r"\b[Aa]ccording to\s+(?:the\s+)?([^,.;:()\"“”]+)")
# "notices from the regional distribution company" -> the company is the source.
_DOCUMENT_RE = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:statements?|notices?|reports?|figures|data|documents?|records?|posts?)"
    r"\s+(?:(?:released|issued|published|posted)\s+)?(?:by|from)\s+"
)
# A passive needs its auxiliary: "was announced by the White House" names the source,
# "an agreement announced by the White House" (a reduced relative) does not.
PASSIVE_RE = re.compile(
    rf"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?:{ATTRIBUTION_VERBS})\s+by\s+(?:the\s+)?({_NAMES})"
)
# The name must be the clause subject: sentence start, after an intro phrase's
# comma, or after a conjunction; "talks with Baerbock indicated" is not Baerbock's claim.
ACTIVE_RE = re.compile(
    rf"(?:^\W*|[,;:]\s+|\b(?:that|although|though|while|whereas|but|after|before|when)\s+)"
    # An appositive or aside may sit between subject and verb: "the operator, Eastmere
    # Terminals, said"; "The Kremlin, however, has linked".
    rf"({_NAMES})(?:,\s+(?:however|though|too|also|meanwhile|in turn),|,)?\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b"
)
# Up to two modifiers: "Ukrainian regional officials", "the regional grid operator".
_NOT_MODIFIER = r"(?!(?:later|earlier|then|now|ago|days?|weeks?|months?|years?|and|or|but|when|as)\b)"
ROLE_RE = re.compile(
    rf"\b((?:{_NOT_MODIFIER}[A-Za-z]+\s+){{0,2}}(?:{_ROLE_NOUNS}))\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b"
)
PRONOUN_RE = re.compile(
    rf"^\W*(?:(He|She|They)\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b|In (his|her|their) (?:view|opinion|words)\b)"
)
# "President Volodymyr Zelenskyy" anywhere in the article: "the president" is that person.
_TITLED_RE = re.compile(
    rf"\b((?:Prime |Foreign |Defen[cs]e )?(?:President|Minister|Chancellor|Mayor|Governor))\s+({_NAME})"
)
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
    # Organisations keep their full name ("Foreign Office"), and a nationality before a
    # lower-case role stays ("Ukrainian officials").
    if tokens and tokens[-1] in _ORG_HEADS:
        return re.sub(r"[’']s$", "", " ".join(tokens)) or None
    while len(tokens) > 1 and (tokens[0] in _TITLES or _NATIONALITY_RE.match(tokens[0])) and tokens[1][0].isupper():
        tokens = tokens[1:]
    cleaned = re.sub(r"[’']s$", "", " ".join(tokens))
    return cleaned or None


def _clean_phrase(phrase: str) -> str | None:
    """Trim an "according to" phrase to the source itself (drop trailing time/place)."""
    phrase = _DOCUMENT_RE.sub("", phrase.strip())
    phrase = re.split(r"\s+(?:on|in|at|who|which|that|from)\s+", phrase, maxsplit=1)[0]
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


def personal_pronoun(sentence: str) -> bool:
    """The attributing pronoun points to a person (he/she/his/her), not a group."""
    m = PRONOUN_RE.match(sentence)
    return bool(m) and (m.group(1) or m.group(2) or "").lower() in {"he", "she", "his", "her"}


def titled_subject(sentence: str) -> str | None:
    """A titled person opening the sentence ("President Volodymyr Zelenskyy thanked ...").

    Not a claimant (thanking is an act, not a claim), but the person a following
    "He said ..." most likely refers to.
    """
    m = re.match(rf"^\W*({_NAME})\s+[a-z]", sentence)
    if not m:
        return None
    tokens = m.group(1).split()
    titled = tokens[0] in _TITLES or (len(tokens) > 1 and _NATIONALITY_RE.match(tokens[0]) and tokens[1] in _TITLES)
    name = _clean_name(m.group(1)) if titled else None
    return name if name and name.split()[0] not in _TITLES else None


def is_person_like(claimant: str) -> bool:
    """Could "he"/"she" refer to this claimant? Not a lower-case role or an organisation."""
    return claimant[:1].isupper() and claimant.split()[-1] not in _ORG_HEADS


def titled_names(text: str) -> dict[str, str]:
    """Lower-case title -> the one person the article gives that title ("president" -> name)."""
    found: dict[str, set[str]] = {}
    for m in _TITLED_RE.finditer(text):
        name = _clean_name(m.group(2))
        if name:
            found.setdefault(m.group(1).lower(), set()).add(name)
    return {title: names.pop() for title, names in found.items() if len(names) == 1}


def canonical_claimants(claimants: list[str | None]) -> list[str | None]:
    """Map full names to the short form used elsewhere in the same article.

    "Volodymyr Zelenskyy" becomes "Zelenskyy" when "Zelenskyy" is also a
    claimant, so one person has one claimant string within an article.
    A lower-case role goes the other way: "the authorities said" after "according to
    regional authorities" becomes "regional authorities", the fuller description.
    """
    names = {c for c in claimants if c}
    result: list[str | None] = []
    for c in claimants:
        other = None
        if c and c[0].islower():
            other = min((n for n in names if n != c and n.lower().endswith(" " + c.lower())), key=len, default=None)
        elif c:
            other = min(
                (n for n in names if n != c and n[0].isupper() and c.endswith(" " + n)), key=len, default=None
            )
        result.append(other or c)
    return result
