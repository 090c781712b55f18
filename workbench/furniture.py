"""Page furniture: the lines and sentences of a stored news page that are not the article's statements.

Headlines and decks, captions and photo credits, bylines and author bios, datelines, "3 min read",
ad markers, related links, "Read more" / newsletter / donation prompts, agency tags such as
"(With AP inputs)" and lines repeated within the page. They stay in the article (shown dimmed on the
desk), never become claims. The rules look at a line's shape (no finite verb, few words, Title Case,
a credit at its end, a date and nothing else), not at any one publisher's wording.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

# Kinds, as stored and shown.
HEADLINE = "headline"  # the title again, a deck, a subhead, a section label
CAPTION = "caption"  # a photo caption or credit
BYLINE = "byline"  # who wrote it, an author bio
DATELINE = "dateline"  # a date or time and nothing else, "3 min read"
PROMPT = "prompt"  # read more, newsletter, donation, share, ads, links to elsewhere
TAG = "tag"  # an agency or source tag: "(With AP inputs)", "(dpa/NAN)"
REPEAT = "repeat"  # a line printed earlier in the same page
CUT = "cut"  # the page's last words, cut off mid-sentence by whoever stored it

SENTENCE_WORDS = 6  # fewer words than this, with no full stop, is a label, not a statement
CUT_WORDS = 12  # a cut-off last sentence this short is dropped; a longer one is still a claim
APPEAL_WORDS = 30  # a paragraph under a furniture heading, this short, that addresses the reader


@dataclass(frozen=True)
class Furniture:
    """One piece of page furniture: article_text[start:end], and what it is."""

    start: int
    end: int
    kind: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "kind": self.kind}


def furniture_from_json(value: str | None) -> tuple[Furniture, ...]:
    """The furniture stored with an article (articles.furniture); none for older articles."""
    if not value:
        return ()
    return tuple(Furniture(int(p["start"]), int(p["end"]), str(p["kind"])) for p in json.loads(value))


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
TERMINAL_RE = re.compile(r"[.!?…][\"'”’)\]]*$")
WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
BULLET_RE = re.compile(r"(?:[•·▪◦‣*–-]|\d{1,2}[.)])\s+")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
# Words that make a clause finite. Crude on purpose, and generous: a plural noun ("houses") counts,
# so a real sentence is kept rather than filed as a caption.
_FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|am|be|been|being|has|have|had|will|would|shall|should|can|could|may|might|must"
    r"|do|does|did|says?|said|told|took|made|came|went|gave|left|rose|fell|began|led|won|lost|met|held"
    r"|brought|sent|became|saw|knew|thought|spoke|shook|broke|stood|ran|hit|struck|kept|paid|built|found"
    r"|got|put|set|cut|let|chose|drove|flew|grew|sank|swept|tore|wrote|[a-z]{3,}ed|[a-z]{2,}[^s\W]s)\b"
    # A subject pronoun and the word after it: "I think ...", "We deserve ...", "They want ...".
    r"|\b(?:I|[Ww]e|[Yy]ou|[Tt]hey|[Hh]e|[Ss]he)\s+(?!and\b|or\b)[a-z]{2,}\b"
)
_BYLINE_RE = re.compile(
    r"^\W*(?:by\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}\s*(?:[,|]|$)|(?:additional\s+)?reporting\s+by\b"
    r"|writing\s+by\b|edit(?:ed|ing)\s+by\b|compiled\s+by\b|written\s+by\b"
    r"|(?:about\s+the\s+)?authors?\s*:?$)",
    re.IGNORECASE,
)
_BIO_RE = re.compile(
    r"^(?:[A-Z][\w’'-]+\s+){1,3}(?:is|was|has\s+been)\s+(?:a|an|the)?\s*(?:[\w-]+\s+){0,3}"
    r"(?:reporter|journalist|correspondent|editor|writer|columnist|contributor|producer|author|analyst)\b"
    r"|^(?:[A-Z][\w’'-]+\s+){1,3}has\s+been\s+(?:writing|reporting)\s+(?:about|on)\b"
    r"|^(?:he|she|they)\s+(?:is|are)\s+the\s+authors?\s+of\b",
    re.IGNORECASE,
)
_PROMPT_RE = re.compile(
    r"^\W*(?:related(?:\s+\w+)?\s*:|sources?\s*:|read\s+(?:more|also|next)\b|also\s+read\b|see\s+also\b"
    r"|more\s+on\s+this\b|you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy)\b|recommended\b|most\s+read\b"
    r"|don[’']?t\s+miss\b|share\s+(?:this|on)\b|follow\s+us\b|subscribe\b|sign\s+up\b|join\s+(?:us|our)\b"
    r"|support\s+(?:us|our)\b|donate\b|become\s+a\s+(?:patron|member|supporter|subscriber)\b|click\s+here\b"
    r"|download\s+(?:our|the)\s+app\b|watch\s*:|listen\s*:|advertisement|sponsored\b|story\s+continues\b"
    r"|copyright\b|©|all\s+rights\s+reserved\b|corrections?\s*:"
    # A note about the publication itself: "This digest is compiled by volunteers ..."
    r"|(?:this|the|our)\s+(?:digest|newsletter|article|story|briefing|round-?up|page|blog|site)\s+"
    r"(?:is|was|has\s+been|are)\s+(?:compiled|written|produced|prepared|edited|updated|curated)\b)",
    re.IGNORECASE,
)
# Reader-facing appeals anywhere in a short sentence: "Get our newsletter", "back us on Patreon".
_APPEAL_RE = re.compile(r"\b(?:newsletter|patreon|donat(?:e|ion)s?|subscri(?:be|ption)|sign\s+up)\b", re.IGNORECASE)
_AD_RE = re.compile(r"advertisement|remove\s+ad\b", re.IGNORECASE)
# "A copy of the page can be found here.", "Read the full report here."
_HERE_LINK_RE = re.compile(
    r"(?:\b(?:can|may)\s+be\s+\w+\s+here\b|\b(?:read|click|see|watch|listen|download|guide)\b.*\bhere\b[.!)]*$)",
    re.IGNORECASE,
)
_READ_TIME_RE = re.compile(r"^\d+\s*(?:min(?:ute)?s?|hrs?|hours?)\s+(?:read|listen|watch)\b", re.IGNORECASE)
_CAPTION_START_RE = re.compile(
    r"^\W*(?:(?:file\s+photo|photo|image|picture|pictured|caption|illustration|ilustrasi|video|graphic)\b\s*[:.|-]"
    r"|photo(?:graph)?s?\s+by\b)",
    re.IGNORECASE,
)
_AGENCIES = (
    r"AP|AFP|Reuters|REUTERS|Getty(?:\s+Images)?|Alamy|EPA(?:-EFE)?|PA(?:\s+Wire)?|Shutterstock|Bloomberg|Xinhua"
    r"|ANI|PTI|IANS|dpa|DPA|Anadolu|Sipa|NurPhoto|iStock|AAP|Yonhap|Kyodo|UPI|Facebook|X|Twitter|Instagram"
)
# A credit closing a caption: "(Photo by X/Getty Images)", "Jane Doe/AFP", "REUTERS/Jane Doe", "(Alamy)".
_CREDIT_END_RE = re.compile(
    r"(?:\((?:photo|image|picture|credit|source|courtesy|file)s?\b[^()]*\)"
    r"|(?:^|\s|/)(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*\s*/\s*(?:[A-Z][\w.’'-]*\s*){1,3}"
    r"|(?:^|\s)/?courtesy\s+of\s+[\w .’'-]+"
    rf"|\((?:{_AGENCIES})(?:\s*/\s*[\w .’'-]+)?\))\s*$",
    re.IGNORECASE,
)
_BARE_CREDIT_RE = re.compile(rf"\((?:{_AGENCIES})(?:\s*/\s*[\w .’'-]+)?\)\s*$")
# A line wholly in brackets: "(dpa/NAN)", "(With AP inputs)", "(Source: X)", "(September 18, 2024)".
_BRACKETED_RE = re.compile(r"^[(\[][^()\[\]]*(?:\([^()]*\)[^()\[\]]*)*[)\]]\.?$")
_WITH_INPUTS_RE = re.compile(r"\(\s*with\s+(?:inputs?\s+from\s+)?[\w ./&,-]+?(?:\s+inputs?)?\s*\)\s*$", re.IGNORECASE)
_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
           r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATE_RE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})\b|(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}:\d{{2}}"
    r"|(?:updated|published|posted|last\s+modified)\b)",
    re.IGNORECASE,
)
_LINK_LIST_RE = re.compile(r"^(?:\[[^\[\]]*\]\s*)+(?:\[[^\[\]]*)?$")
_CANNOT_END = {"the", "a", "an", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but",
               "that", "which", "who", "whose", "as", "than", "its", "their", "his", "her", "our", "this", "these"}
_SECOND_PERSON_RE = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
_QUOTES = "\"“”«»"


def line_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line without its line break; handles CRLF and CR."""
    for m in _LINE_RE.finditer(text):
        if m.start() == len(text) and m.start() > 0:
            break
        line = m.group().rstrip("\r\n")
        yield m.start(), m.start() + len(line)


def ends_sentence(text: str) -> bool:
    return TERMINAL_RE.search(text.rstrip()) is not None


def is_title_case(line: str) -> bool:
    """Most longer words capitalised: a headline, not a sentence."""
    words = [w for w in WORD_RE.findall(line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) >= 0.7


def has_finite_verb(text: str) -> bool:
    return _FINITE_RE.search(text) is not None


def is_statement(line: str) -> bool:
    """A sentence even without its full stop: a finite verb, enough words, not a Title Case headline."""
    return (len(WORD_RE.findall(line)) >= SENTENCE_WORDS and has_finite_verb(line)
            and not is_title_case(line))


def several_sentences(line: str) -> bool:
    """A full stop inside the line followed by a new sentence: running text, not a headline."""
    return re.search(r"[a-z0-9%)\]”’\"][.!?][\"”’]?\s+[\"“‘]?[A-Z0-9]", line) is not None


def skip_bullet(text: str, start: int, end: int) -> int:
    """Where a list item's own words begin: after "• ", "- ", "* " or "1. "."""
    m = BULLET_RE.match(text, start, end)
    return m.end() if m and m.end() < end else start


def _norm(line: str) -> str:
    return " ".join(re.findall(r"\w+", line.replace("’", "'").lower()))


def _same_as_title(line: str, title: str | None) -> bool:
    if not title:
        return False
    a, b = _norm(line), _norm(title)
    if not a or not b:
        return False
    return a == b or (abs(len(a) - len(b)) < 40 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)


def is_cut_off(sentence: str) -> bool:
    """A page's last sentence that stops in mid-word or after a word that cannot end one ("... in the")."""
    words = WORD_RE.findall(sentence)
    if not words or ends_sentence(sentence):
        return False
    last = words[-1].lower()
    # A long fragment still states something a checker can use; a short one carries nothing.
    return len(words) <= CUT_WORDS and (len(last) <= 2 or last in _CANNOT_END)


def sentence_kind(sentence: str, *, at_end: bool = False) -> str | None:
    """Furniture that can sit inside a paragraph, as a sentence of its own: prompts, tags, credits.

    at_end: the sentence is the last words of the text, which a stored copy may have cut off.
    """
    s = BULLET_RE.sub("", sentence.strip(), count=1) if BULLET_RE.match(sentence.strip()) else sentence.strip()
    if not s:
        return None
    words = len(WORD_RE.findall(s))
    if _PROMPT_RE.match(s) or _AD_RE.search(s) and words <= 4 or _LINK_LIST_RE.match(s):
        return PROMPT
    if _READ_TIME_RE.match(s):
        return DATELINE
    if _WITH_INPUTS_RE.fullmatch(s):
        return TAG
    if _BRACKETED_RE.match(s):
        inner = s.strip("()[]. ")
        kind = sentence_kind(inner)  # "(Read the full ruling here.)"
        if kind is None and not (is_statement(inner) or several_sentences(inner)):
            kind = TAG  # "(dpa/NAN)", "(Source: X)", "(September 18, 2024)"
        return kind  # a statement in brackets is a claim
    if _BYLINE_RE.match(s) and not (ends_sentence(s) and has_finite_verb(s)):
        return BYLINE  # "By Jane Doe, Reuters", but not "By Sunday, five bodies had been recovered."
    if _BIO_RE.match(s):
        return BYLINE
    if _CAPTION_START_RE.match(s):
        return CAPTION
    quoted = any(q in s for q in _QUOTES)
    if not quoted and words <= 25 and _HERE_LINK_RE.search(s):
        return PROMPT
    if not quoted and words <= 25 and _APPEAL_RE.search(s) and _SECOND_PERSON_RE.search(s) or (
            not quoted and words <= 8 and _SECOND_PERSON_RE.search(s) and not s.rstrip().endswith("?")):
        return PROMPT
    if at_end and is_cut_off(s):
        return CUT
    return None


def _appeal(line: str) -> bool:
    """A short paragraph of short sentences, one of them addressed to the reader: a donation or
    newsletter box ("... You deserve better.")."""
    if len(WORD_RE.findall(line)) > APPEAL_WORDS or any(q in line for q in _QUOTES):
        return False
    return any(sentence_kind(piece) == PROMPT for piece in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line))


def line_kind(line: str, title: str | None = None) -> str | None:
    """What a whole line is, when it is furniture whatever surrounds it; None for a possible statement."""
    s = line.strip()
    if not s:
        return None
    kind = sentence_kind(s)
    if kind:
        return kind
    body = BULLET_RE.sub("", s, count=1)
    if _same_as_title(body, title):
        return HEADLINE
    if _URL_RE.search(s) and len(WORD_RE.findall(_URL_RE.sub("", s))) < 6:
        return PROMPT  # a link list entry
    if s.endswith(("—", "–", " -")):
        return PROMPT  # the lead-in to an embedded post or video
    if _CREDIT_END_RE.search(s) and not (_BARE_CREDIT_RE.search(s) and ends_sentence(s[:s.rfind("(")])):
        return CAPTION  # a caption with its credit; "... said. (Reuters)" is a sentence and its tag
    words = len(WORD_RE.findall(body))
    if _DATE_RE.search(s) and words <= 10 and not has_finite_verb(s):
        return DATELINE
    if ends_sentence(s):
        # A short line with no verb ("Harbour Media Group, Inc.", "The aftermath of the attack on Kharkiv.").
        if words <= 15 and not has_finite_verb(body) and not any(q in s for q in _QUOTES):
            return CAPTION if words > 4 else HEADLINE
        return None
    if several_sentences(s) or is_statement(body):
        return None
    return HEADLINE


def find_furniture(text: str, title: str | None = None) -> list[Furniture]:
    """The whole lines of an article that are furniture, in order.

    Beyond each line's own shape: everything above the first paragraph of running text that is not
    itself running text is the headline and its deck; a line printed twice is furniture the second time;
    a hard-wrapped line (the next one goes on in lower case) is never cut off from its sentence.
    """
    lines = list(line_spans(text))
    found: list[Furniture] = []
    furniture_lines: set[int] = set()
    seen: set[str] = set()
    in_body = False
    previous = -1  # the last non-blank line
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        stripped = line.strip()
        if not stripped:
            continue
        nxt = text[lines[i + 1][0]:lines[i + 1][1]].lstrip() if i + 1 < len(lines) else ""
        prev = text[lines[i - 1][0]:lines[i - 1][1]].strip() if i > 0 else ""
        # Hard-wrapped prose: the next line goes on in lower case, or this one goes on from a line
        # of prose that did not end its sentence.
        wrapped = nxt[:1].islower() or bool(prev) and not ends_sentence(prev) and i - 1 not in furniture_lines
        key = _norm(stripped)
        kind = line_kind(line, title)
        if kind is None and key in seen and len(key.split()) >= 3:
            kind = REPEAT
        if kind is None and previous in furniture_lines and _appeal(stripped):
            kind = PROMPT
        if kind == HEADLINE and wrapped and is_statement(stripped) and not _same_as_title(stripped, title):
            kind = None
        if kind is None and not in_body and not ends_sentence(stripped) and not several_sentences(stripped) \
                and not wrapped:
            kind = HEADLINE  # a deck: a sentence-like line above the first paragraph
        if kind is None and (several_sentences(stripped) or ends_sentence(stripped)
                             and len(WORD_RE.findall(stripped)) >= SENTENCE_WORDS):
            in_body = True
        seen.add(key)
        previous = i
        if kind is not None:
            furniture_lines.add(i)
            ls, le = s + (len(line) - len(line.lstrip())), e - (len(line) - len(line.rstrip()))
            found.append(Furniture(ls, le, kind))
    return found
