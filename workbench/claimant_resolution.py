"""Claimant across an article: titles, pronouns and quotations resolved against the other sentences.

claimant.py reads one sentence ("Ann Roe said", "he said", "the minister warned"); here the article
decides who those are: the person it gives a title ("the minister" -> "Ann Roe"), the nearest earlier
source a pronoun can stand for, the speaker of a whole quotation, and one name per person.
"""

from __future__ import annotations

import re

from .claimant import (NAME, attribution_pronoun, clean_name, find_claimant, is_person_like, normalise_apostrophes,
                       opening_subject, titled_subject)

# "President Volodymyr Zelenskyy" anywhere in the article: "the president" is that person.
# The title may be lower case after a possessive: "Ukraine's defence minister Rustem Umerov".
_TITLED_RE = re.compile(
    r"\b((?i:(?:prime |foreign |defen[cs]e |interior |finance |railway |chief )?"
    r"(?:president|minister|chancellor|mayor|governor|king|queen|secretary|judge|justice)))"
    rf"\s+({NAME})"
)


def titled_names(text: str) -> dict[str, str]:
    """Lower-case title -> the one person the article gives that title ("president" -> name).

    "Foreign Minister Ann Roe" files her under "foreign minister" and "minister", so "the outgoing
    German foreign minister" and "the minister" both find her when she is the only one.
    """
    found: dict[str, set[str]] = {}
    for m in _TITLED_RE.finditer(normalise_apostrophes(text)):
        name = clean_name(m.group(2))
        if name:
            title = m.group(1).lower()
            found.setdefault(title, set()).add(name)
            found.setdefault(title.split()[-1], set()).add(name)
    return {title: names.pop() for title, names in found.items() if len(names) == 1}


def resolve_title(claimant: str, titles: dict[str, str]) -> str:
    """A lower-case role that ends in a title the article gives one person becomes that person."""
    role = claimant.lower()
    if role.startswith("the "):
        role = role[4:]
    for title in sorted(titles, key=len, reverse=True):
        if role == title or role.endswith(" " + title):
            return titles[title]
    return claimant


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


PRONOUN_LOOKBACK = 4  # a pronoun further back than this many sentences is not simple to resolve
MAX_QUOTE_SENTENCES = 8  # an unclosed quote longer than this is a stray mark, not one speech


def _fits(pronoun: str, claimant: str) -> bool:
    """Could this pronoun stand for this claimant? "he" a person, "it" a body, "they" a group."""
    last = claimant.split()[-1]
    plural = last[:1].islower() and last.endswith("s")
    person = is_person_like(claimant) and not plural
    if pronoun in {"he", "she"}:
        return person
    if pronoun == "it":
        return not person and not plural
    return plural or not person


def _quote_open_after(sentence: str, open_before: bool) -> bool:
    """Whether a quotation is still open after this sentence (curly marks, or straight ones toggling)."""
    state = open_before
    for char in sentence:
        if char == "“":
            state = True
        elif char == "”":
            state = False
        elif char == '"':
            state = not state
    return state


def _quote_blocks(sentences: list[str]) -> list[list[int]]:
    """Runs of sentences that belong to one quotation: the first opens it, the others continue it."""
    blocks: list[list[int]] = []
    open_quote = False
    for i, sentence in enumerate(sentences):
        # Still open: the quote goes on, also where a new paragraph of it opens with a mark of its own.
        if open_quote and blocks and len(blocks[-1]) < MAX_QUOTE_SENTENCES:
            blocks[-1].append(i)
        else:
            blocks.append([i])
            open_quote = False
        opens_anew = sentence.lstrip()[:1] in {"“", '"'}
        stripped = sentence.lstrip()
        open_quote = _quote_open_after(stripped[1:], True) if opens_anew else _quote_open_after(sentence, open_quote)
    return blocks


_THE_TITLE_RE = re.compile(r"\bthe ((?:[A-Z]\w+ )*(?:Prime Minister|President|Minister|Chancellor|Mayor|Governor|King|Queen))\b")


def attribute_article(text: str, spans: list[tuple[int, int]]) -> list[str | None]:
    """The claimant of each sentence (`text[start:end]` per span) of an article, resolved against it.

    Titles become the person the article gives that title ("the minister" -> "Ann Roe"); a pronoun
    becomes the nearest earlier source it can stand for ("he" a person, "it" a body, "they" a group);
    the sentences of one quotation share its speaker, whether named at its start or its end; a quotation
    right after an attributed quote continues it; one person keeps one name (`canonical_claimants`).
    """
    titles = titled_names(text)
    sentences = [text[start:end] for start, end in spans]
    claimants: list[str | None] = []
    antecedents: list[str | None] = []  # who a later pronoun may point to, per sentence
    for i, sentence in enumerate(sentences):
        claimant = find_claimant(sentence)
        if claimant is not None and claimant.split()[-1][:1].islower():  # a role: "the foreign minister"
            claimant = resolve_title(claimant, titles)
        elif claimant is None and (pronoun := attribution_pronoun(normalise_apostrophes(sentence))):
            # "After the Prime Minister held his seat, he said": the title in the same sentence first.
            before = normalise_apostrophes(sentence).split(f" {pronoun} ")[0]
            here = [resolve_title(m.group(1), titles) for m in _THE_TITLE_RE.finditer(before)]
            recent = [c for c in antecedents[max(0, i - PRONOUN_LOOKBACK):i] if c and _fits(pronoun, c)]
            candidates = here or recent
            claimant = candidates[-1] if candidates else None
        claimants.append(claimant)
        antecedents.append(claimant or titled_subject(sentence) or opening_subject(sentence))
    _share_quotations(text, spans, sentences, claimants)
    return canonical_claimants(claimants)


def _share_quotations(text: str, spans: list[tuple[int, int]], sentences: list[str],
                      claimants: list[str | None]) -> None:
    """Give every sentence of a quotation its speaker (in place)."""
    for block in _quote_blocks(sentences):
        speakers = [claimants[i] for i in block if claimants[i]]
        first = block[0]
        if not speakers and first > 0 and claimants[first - 1] and sentences[first].lstrip()[:1] in {"“", '"'}:
            if any(mark in sentences[first - 1] for mark in "”\""):
                speakers = [claimants[first - 1]]  # '"...," she said. "We need more."' continues her quote
        for i in block:
            claimants[i] = claimants[i] or (speakers[-1] if speakers else None)
    # A quotation named only at its end, its opening mark lost ("Shocked by the news. ...," the
    # minister said.): the unattributed sentences before it in the same paragraph are the speaker's too.
    for i, sentence in enumerate(sentences):
        if not claimants[i] or "”" not in sentence or "“" in sentence:
            continue
        j = i - 1
        while j >= 0 and claimants[j] is None and not any(m in sentences[j] for m in "“”\""):
            if "\n" in text[spans[j][1]:spans[j + 1][0]]:
                break
            claimants[j] = claimants[i]
            j -= 1
