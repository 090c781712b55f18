"""Claimant: who a sentence attributes its claim to, as newsrooms write it.

Pattern-based on purpose: a handful of attribution shapes covers news prose well and every
result can be explained by pointing at the matched words. The shapes, in the order tried:

- quote (or statement) then attribution: '"...," Mayor Ann Roe said.' / '..., said Ann Roe of X.';
- "according to X"; a passive "was announced by X";
- a subject with an apposition: "Ann Roe, the head of the agency, said ...";
- a subject right before the verb: "Zelenskyy revealed that ...", "Ukraine's defence minister
  Rustem Umerov said ...", "Officials in the region announced ...";
- a lower-case role anywhere before the verb: "regional officials said".

This module reads one sentence. Pronouns ("He said", "it added"), titles ("the minister") and
sentences inside a quotation are resolved against the rest of the article by
claimant_resolution.attribute_article, from what is found here: the pronoun of an attribution, a
titled person or a source-like subject opening a sentence.
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
    # Newsroom reporting verbs: "the spokesman cautioned that ...", "the secretary has informed".
    "|cautioned|cautions|informed|described|describes|fears?|rated"
    # "feared dead" describes victims; it names no source.
    "|feared(?! dead| killed| missing| trapped| lost)"
    # Wire copy's ways of giving a figure: "the UN put the death toll at ...".
    "|puts? the (?:death )?toll|gave (?:a |an |the )?(?:preliminary |initial |provisional )?(?:figure|toll|estimate)"
)
# Verbs that end a quote-then-attribution sentence: '"...," the mayor said on Sunday.'
_SPEECH_VERBS = (
    "said|says|say|told|tells|reported|reports|added|adds|noted|notes|announced|announces|confirmed"
    "|confirms|warned|warns|stated|states|wrote|writes|tweeted|posted|explained|explains|insisted"
    "|insists|cautioned|cautions|declared|declares|estimated|estimates|claimed|claims|argued|argues"
)
# Titles dropped from the front of a name: "Ukrainian President Volodymyr Zelenskyy" -> name.
_TITLES = frozenset(
    """President Prime Minister Foreign Defence Defense Interior Finance Chancellor Secretary
    General Spokesperson Spokesman Spokeswoman Mr. Mrs. Ms. Dr. Prof. Sen. Rep. Gov. Mayor
    Ambassador Commander Chief Deputy Vice Head Outgoing Former King Queen Pope Mr Mrs Ms Dr
    Prof Sir Dame Lord Lady Justice Judge Attorney District Director Chairman Chairwoman Chair
    Governor Senator MP Colonel Captain Commissioner Mullah Sheikh Rev. Rev""".split()
)
# A name ending in one of these is an organisation: "Foreign Office" keeps "Foreign".
ORG_HEADS = frozenset(
    """Office Ministry Department Service Services House Council Government Administration Agency
    Committee Commission Union Company Authority Bureau Party Reserve Crescent Cross Survey Institute
    Centre Center Organisation Organization Fund Bank Nations Court Police Army Forces Media TV News
    Times Post Group Association Chamber Corporation Air Airlines Airways Network""".split()
)
_NATIONALITY_RE = re.compile(r"^[A-Z][a-z]+(?:ian|ish|ese|an|ch|i)$")  # Ukrainian, German, British, French
# Lower-case sources that are still claimants ("regional officials said").
_ROLE_NOUNS = (
    "officials?|authorities|spokes(?:person|man|woman)|ministry|police|government|military|army"
    "|witnesses|residents|sources|analysts|experts|prosecutors|investigators|officers|diplomats"
    "|administration|office|operator|service|company|union|council|utility|agency|post"
    "|president|prime minister|minister|chancellor|mayor|governor"
)
# Heads of a lower-case noun phrase that can be a source ("state TV reported", "a politician has said").
_SOURCE_HEADS = frozenset(
    """official officials authorities authority spokesperson spokesman spokeswoman ministry police
    government military army witnesses witness residents resident sources source analysts analyst
    experts expert prosecutors prosecutor investigators officers diplomats administration office
    operator service services company union council utility agency agencies president minister
    chancellor mayor governor king queen politician lawmaker mp senator secretary director chairman
    chief head tv television radio media newspaper outlet reporters reporter journalists journalist
    groups group organisation organization institute survey department commission committee court
    judge foreperson jury statement doctors doctor rescuers survivors survivor team teams station channel
    broadcaster network paper daily""".split()
)
_SKIP = (r"(?:(?:has|have|had|also|both|again|already|previously|recently|repeatedly|publicly|reportedly|later"
         r"|earlier|then|further|\w+ly)\s+){0,3}")
NAME = r"[A-Z][\w'.-]*(?:\s+(?:of\s+)?[A-Z][\w'.-]*)*"
_NAMES = rf"{NAME}(?:\s+and\s+{NAME})?"
_QUOTE_END = r"[,.!?…]?[\"”]"

ACCORDING_TO_RE = re.compile(r"\b[Aa]ccording to\s+(?:the\s+)?([^,.;:()\"“”]+)")
# "according to reports" names nobody: the outlet states it itself.
_UNNAMED_SOURCE_RE = re.compile(
    r"^(?:(?:initial|early|preliminary|latest|some|several|unconfirmed|official)\s+)*"
    r"(?:reports?|investigations?|estimates?|accounts?|sources|data|figures)$"
)
# "notices from the regional distribution company" -> the company is the source.
_DOCUMENT_RE = re.compile(
    r"^(?:(?:a|an|the)\s+)?(?:statements?|notices?|reports?|figures|data|documents?|records?|posts?)"
    r"\s+(?:(?:released|issued|published|posted)\s+)?(?:by|from)\s+"
)
# A passive needs its auxiliary: "was announced by the White House" names the source,
# "an agreement announced by the White House" (a reduced relative) does not.
PASSIVE_RE = re.compile(
    rf"\b(?:is|are|was|were|be|been|being|as)\s+(?:\w+ly\s+)?(?:{ATTRIBUTION_VERBS})\s+by\s+(?:the\s+)?({_NAMES})"
)
# '"...," Mayor Ann Roe said on Sunday.' / '..., the Coast Guard said.' The source phrase has no
# comma or quote, and what follows the verb is a short tail, not a reported clause of its own.
TRAILING_RE = re.compile(
    rf"(?:,|{_QUOTE_END})\s+(?P<np>[^,;:\"“”()]{{1,90}}?)\s+(?:(?:has|have|had)\s+)?(?:also\s+)?"
    rf"(?P<verb>{_SPEECH_VERBS})\b(?P<tail>[^\"“”]*)$"
)
# '"...," said Ann Roe of the port authority.'
# ("told Reuters" names whom it was told, so "told" is not inverted.)
INVERTED_RE = re.compile(rf"(?:,|{_QUOTE_END})\s+(?!told|tells)(?:{_SPEECH_VERBS})\s+(?P<np>[^,;:\"“”()]{{1,90}})")
# "Ann Roe, the head of the agency, said ..." — the subject opens the sentence, the apposition
# (which may hold commas of its own: "who spoke from the capital, Valdor,") sits before the verb.
APPOSITION_RE = re.compile(
    rf"^\W*(?P<np>[^,;:\"“”]{{1,60}}?),\s+(?P<app>[^\"“”]{{1,160}}?),\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b"
)
# The subject noun phrase opening the sentence: "Officials in the region announced ...".
INITIAL_RE = re.compile(rf"^\W*(?P<np>[^,;:\"“”]{{1,90}}?)\s+{_SKIP}(?P<verb>{ATTRIBUTION_VERBS})\b")
# Verbs that are also plural nouns: "Governments in the Baltic states have not said" has no "states".
_NOUN_LIKE_VERBS = frozenset("states reports claims notes estimates posts shares links points signals regards".split())
_INTRO_RE = re.compile(r"^\W*[^,;:\"“”]{1,40}[,:]\s+")
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
    rf"(?<![\w'])((?:{_NOT_MODIFIER}[A-Za-z]+(?:'s)?\s+){{0,2}}(?:{_ROLE_NOUNS}))\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b"
)
# A pronoun as the subject of an attribution verb: "He warned ...", '"...," she said.', "it added".
PRONOUN_RE = re.compile(
    rf"(?:^\W*|[,;:]\s+|{_QUOTE_END}\s+)(?P<p>[Hh]e|[Ss]he|[Ii]t|[Tt]hey)\s+{_SKIP}(?:{ATTRIBUTION_VERBS})\b"
    rf"|^\W*In (?P<q>his|her|their) (?:view|opinion|words|tweet|statement|post)\b"
)
_PRONOUNS = frozenset("He She They It We I You His Her Their Its This That".split())
_DETERMINERS = {"the", "a", "an", "some", "several", "many", "its", "their"}
_OPENERS = frozenset(
    "Both Additionally However Meanwhile Also And But So The This That Then Still Yet".split()
)
# Capitalised only because they open the sentence: never a claimant on their own.
_NOT_SOURCES = frozenset(
    """A An The This That These Those From In On At By For With After Before Since As If When While
    But And Or So Yet However Meanwhile Additionally Also Both Some Many Most Several Only Even Still
    Then There Here What Which Who Why How Today Yesterday Reporting Reports Early Latest People News
    Preliminary Initial According Earlier Later Now Such Other Sadly Unfortunately Videos Photos Images
    Footage""".split()
)
_NAME_TOKEN_RE = re.compile(r"^(?:[A-Z][\w'.-]*|(?:al|el|bin|ibn|van|von|de|der|da|di|du|le|la)(?:-[A-Z][\w'.-]*)?)$")
_CARRIER_RE = re.compile(
    r"^(?:(?:[Aa]n?|[Tt]he)\s+)?(?:article|report|statement|story|video|post)s?\s+"
    r"(?:(?:published|posted|issued|released|aired)\s+)?(?:in|by|from|on)\s+"
)
# After a closing attribution only adjuncts follow ("said on Sunday", "said, citing ..."); an object
# ("reported it as well") means the verb belongs to a clause of its own.
_TAIL_RE = re.compile(
    r"^\s*(?:$|[,.;:!?…—–-]|(?:on|in|at|to|today|tonight|yesterday|late|early|earlier|later|this|last|by|from"
    r"|during|after|before|adding|citing|as|when|while|via|of|through|without|in|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday)\b)"
)
_FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|will|would|can|could|may|might|did|do|does|rose|fell|hit|killed|not|never)\b"
)


def normalise_apostrophes(text: str) -> str:
    """Curly apostrophes read as straight ones: "Ukraine’s" is "Ukraine's"."""
    return text.replace("’", "'").replace("‘", "'")


def clean_name(name: str) -> str | None:
    """Drop openers, titles and nationality adjectives that precede a name."""
    tokens = name.split()
    while tokens and tokens[0] in _OPENERS:
        tokens = tokens[1:]
    # Strip titles only while a name remains after them ("White House" keeps "House").
    # Organisations keep their full name ("Foreign Office"), and a nationality before a
    # lower-case role stays ("Ukrainian officials").
    if tokens and tokens[-1] in ORG_HEADS:
        return re.sub(r"'s$", "", " ".join(tokens)) or None
    while len(tokens) > 1 and (tokens[0] in _TITLES or _NATIONALITY_RE.match(tokens[0])) and tokens[1][0].isupper():
        tokens = tokens[1:]
    cleaned = re.sub(r"'s$", "", " ".join(tokens))
    return cleaned or None


def _clean_phrase(phrase: str) -> str | None:
    """Trim an "according to" phrase to the source itself (drop trailing time/place)."""
    phrase = _DOCUMENT_RE.sub("", phrase.strip())
    phrase = re.split(r"\s+(?:on|in|at|who|which|that|from)\s+", phrase, maxsplit=1)[0]
    words = phrase.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    if not words or _UNNAMED_SOURCE_RE.match(" ".join(words).lower()):
        return None
    return clean_name(" ".join(words))


def source_phrase(phrase: str) -> str | None:
    """The source named by a subject noun phrase, or None when the phrase is no source.

    A trailing proper name wins over the words before it ("CARE county director Jo Bell" -> "Jo Bell",
    "Ukraine's defence minister Rustem Umerov" -> "Rustem Umerov"); otherwise a lower-case phrase
    whose head is a source noun ("state TV"; "Officials in the region" -> "officials in the region").
    """
    phrase = re.sub(r"^(?:and|but|while|as|so|then|though|although)\s+", "", phrase.strip().rstrip(".!?…"))
    if re.match(r"(?i)according to\b", phrase):
        return None  # "according to regional press reports": ACCORDING_TO_RE reads it whole
    if _FINITE_RE.search(phrase):
        return None
    phrase = re.sub(r"\s+\([^)]*\)", "", phrase)  # "(HPA)": the full name is enough
    # "An article in the news outlet Valley Times", "a report published in Harbour Post": the outlet is
    # the source.
    phrase = _CARRIER_RE.sub("", phrase)
    # "Ann Roe of the port authority in Northport" / "officials in Freedonia": the head comes first.
    head = re.split(r"\s+(?:of the|in|at|on|from|for|who|which|with|late|early|[a-z]+ing)\s+", phrase, maxsplit=1)[0]
    words = head.split()
    if words and words[0].lower() in _SOURCE_HEADS | _DETERMINERS and words[-1].lower() in _SOURCE_HEADS:
        # A role capitalised only by the sentence start keeps where it sits: "officials in the region".
        role = re.split(r"\s+(?:who|which|that|late|early|on|[a-z]+ing)\s+", phrase, maxsplit=1)[0].split()
        while role and role[0].lower() in _DETERMINERS:
            role = role[1:]
        return " ".join([role[0].lower(), *role[1:]]) if role and len(role) <= 9 else None
    if not words or len(words) > 9 or _FINITE_RE.search(head) or re.search(r"\d", head):
        return None
    if len(words) == 1 and words[0] in _NOT_SOURCES:
        return None
    run: list[str] = []
    for word in reversed(words):
        if not _NAME_TOKEN_RE.match(word):
            break
        run.insert(0, word)
    rest = [w.lower() for w in words[:len(words) - len(run)]]
    # What precedes the name must introduce it: a title ("county director Jo Bell") or an article
    # ("the White House"); "The attack came after the White House" is not the White House's claim.
    introduced = not rest or rest[-1] in _SOURCE_HEADS or (len(rest) == 1 and rest[0] in _DETERMINERS)
    if run and introduced and not (len(run) == 1 and run[0] in _NOT_SOURCES):
        name = clean_name(" ".join(run))
        return name if name and name not in _PRONOUNS and name not in _NOT_SOURCES else None
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return " ".join(words) if words and words[-1].lower() in _SOURCE_HEADS else None


def attribution_pronoun(sentence: str) -> str | None:
    """The pronoun that is the attribution's subject ("he", "she", "it", "they"), if any."""
    m = PRONOUN_RE.search(sentence)
    if not m:
        return None
    word = (m.group("p") or m.group("q") or "").lower()
    return {"his": "he", "her": "she", "their": "they"}.get(word, word)


def _apposition(m: re.Match[str]) -> str | None:
    """'The operator, Eastmere Terminals, said': a proper-name apposition beats a lower-case role."""
    subject, aside = source_phrase(m.group("np")), m.group("app")
    if subject and subject[0].isupper():
        return subject
    aside_name = aside if re.fullmatch(NAME, aside) else None
    return clean_name(aside_name) if aside_name else subject


def find_claimant(sentence: str) -> str | None:
    """The named source of a sentence, or None; pronouns are resolved by claimant_resolution."""
    sentence = normalise_apostrophes(sentence)
    m = TRAILING_RE.search(sentence)
    # "told" takes whom it was told: '"...," the mayor told reporters.'
    if m and (_TAIL_RE.match(m.group("tail")) or m.group("verb") in {"told", "tells"}) and len(
            m.group("tail").split()) <= 30:
        if name := source_phrase(m.group("np")):
            return name
    m = INVERTED_RE.search(sentence)
    if m and (name := source_phrase(m.group("np"))):
        return name
    for pattern, clean in ((ACCORDING_TO_RE, _clean_phrase), (PASSIVE_RE, clean_name)):
        m = pattern.search(sentence)
        if m and (name := clean(m.group(1))) and name not in _PRONOUNS:
            return name
    m = APPOSITION_RE.match(sentence)
    if m and (name := _apposition(m)):
        return name
    m = ACTIVE_RE.search(sentence)
    if m and (name := clean_name(m.group(1))) and name not in _PRONOUNS and name not in _NOT_SOURCES:
        return name
    m = ROLE_RE.search(sentence)
    if m and (name := _clean_phrase(m.group(1))) and name not in _PRONOUNS:
        return name
    # "Sadly, officials in the district have reported ...": the subject may follow an intro phrase.
    for subject_first in (sentence, _INTRO_RE.sub("", sentence, count=1)):
        m = INITIAL_RE.match(subject_first)
        if m and m.group("verb") in _NOUN_LIKE_VERBS and re.search(r"\s(?:in|of|at|on|from)\s", m.group("np")):
            continue
        if m and (name := source_phrase(m.group("np"))):
            return name
    return None


def titled_subject(sentence: str) -> str | None:
    """A titled person opening the sentence ("President Volodymyr Zelenskyy thanked ...").

    Not a claimant (thanking is an act, not a claim), but the person a following
    "He said ..." most likely refers to.
    """
    m = re.match(rf"^\W*({NAME}),?\s+[a-z]", normalise_apostrophes(sentence))
    if not m:
        return None
    tokens = m.group(1).split()
    titled = tokens[0] in _TITLES or (len(tokens) > 1 and _NATIONALITY_RE.match(tokens[0]) and tokens[1] in _TITLES)
    name = clean_name(m.group(1)) if titled else None
    return name if name and name.split()[0] not in _TITLES else None


def is_person_like(claimant: str) -> bool:
    """Could "he"/"she" refer to this claimant? Not a lower-case role or an organisation."""
    # An acronym ("UN", "U.S.") is a body, not a person.
    return claimant[:1].isupper() and claimant.split()[-1] not in ORG_HEADS and not claimant.replace(".", "").isupper()


_SUBJECT_RE = re.compile(r"^\W*(?P<np>[A-Z][^,;:\"“”]{0,60}?)(?:,[^,]{1,80},)?\s+(?:are|is|were|was|have|has|had|will|\w+ed)\b")


def opening_subject(sentence: str) -> str | None:
    """A source-like subject opening the sentence, whatever it does: "Military officials have opened
    a field hospital." is no claim of theirs, but a following "They say ..." is."""
    m = _SUBJECT_RE.match(normalise_apostrophes(sentence))
    group = source_phrase(m.group("np")) if m else None
    return group if group and group.split()[-1] in _SOURCE_HEADS else None
