"""Whether two claims can be about one story: the names their articles share, the things their figures count.

A sentence read alone says little about which story it belongs to: "Over 400 people were hurt" is as
close to another storm's injured as to this one's. Its article says more: the towns, the people and
the bodies it keeps naming. So, for a claim and a candidate match:

- other_story: their articles share no name that one of them repeats (in its title or claims). Two reports of one flood both
  keep naming the river town and the dam operator; two floods a month apart share at most a country
  mentioned once, or an agency. Unknown (0) when an article has too few claims to tell (a fact-check,
  a collection of single claims), so such collections rank exactly as before.
- other_fact: the claim gives figures for known things (facts_compare.counted: "dead", "injured",
  "seat") and the candidate gives none for any of them, nor any figure of the same value: another
  report of the same fact gives a figure for it, whatever the value.

Both are 0 or 1. Matching subtracts them (scoring.fused_score) and never adds, so an upper bound of
the fused score without them (matching/incremental.py) stays one; relation.py takes another story for
another event, so a difference between the two is no conflict.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable

from sqlite_utils import Database

from . import facts, figures
from .facts_compare import PLACE_ALIASES

# An article with fewer claims than this says too little about its story to compare names.
MIN_CLAIMS = 3
# The claims read for its names: a story's names are in its lead, and reading every claim of every
# candidate's article would cost a new article into a large collection seconds (0.2 ms a claim).
LEAD_CLAIMS = 8
# Words of titles, institutions, directions and news agencies: every story has a "National" something,
# a "Mayor", a "Red Cross" or a wire agency, so sharing one says nothing about sharing the story.
GENERIC = frozenset("""
    national international united new minister ministry president prime secretary chief department agency
    organisation organization office council committee service services centre center hospital university
    police army force forces government court red cross crescent world health north south east west central
    northern southern eastern western republic state states city province district region county general
    mayor governor senator judge justice spokesman spokeswoman
    reuters afp associated press the and for
    """.split())


@functools.lru_cache(maxsize=65536)  # a claim's text is read once per run, whichever article asks
def claim_names(text: str) -> frozenset[str]:
    """The words of the names in one claim ("Mayor Ana Ruiz" gives ana and ruiz, so "Ruiz" elsewhere
    meets it), lower case, spellings of one place folded, without GENERIC words; a single capitalised
    word opening the sentence is left out, as "More than ..." or "People ..." name no one."""
    keys = set()
    for name in facts.read(text).names:
        if " " not in name and text.lstrip(" \"'“‘").startswith(name):
            continue
        for word in re.findall(r"[^\W\d_]+", name.lower()):
            word = PLACE_ALIASES.get(word, word)
            if len(word) > 2 and word not in GENERIC:
                keys.add(word)
    return frozenset(keys)


def title_case(title: str) -> bool:
    """Whether a title capitalises its words ("Storm Kills Four In Coastal Town"): three quarters of
    its longer words after the first (at least three of them) begin with a capital."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", title)[1:] if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


@functools.lru_cache(maxsize=65536)
def stated_figures(text: str) -> tuple[frozenset[str], frozenset[float]]:
    """What the figures of a claim count, where known ("dead", "injured", "seat"), and their values."""
    found = figures.counts(text)
    return frozenset(c.key for c in found if c.key), frozenset(c.quantity.value for c in found)


def other_fact(text: str, other: str) -> float:
    """1.0 when `text` gives figures for known things and `other` gives no figure for any of them and
    none of the same value ("12 jurors" meets "12 people"), else 0.0."""
    keys, values = stated_figures(text)
    if not keys:
        return 0.0
    their_keys, their_values = stated_figures(other)
    return 0.0 if keys & their_keys or values & their_values else 1.0


class StoryContext:
    """The names of each article a run compares, read when first needed and kept: one statement for
    a batch of claims (their articles' titles and lead claims)."""

    def __init__(self, db: Database):
        self.db = db
        self.article_of: dict[int, int] = {}
        self.names: dict[int, Counter[str] | None] = {}
        self.apart: dict[tuple[int, int], float] = {}  # by pair of articles: a run asks for each many times

    def load(self, claim_ids: Iterable[int]) -> None:
        """Read the articles of these claims and their names, unless already read: one statement
        (the desk counts its statements per key press)."""
        missing = sorted({int(c) for c in claim_ids if int(c) not in self.article_of})
        for start in range(0, len(missing), 5_000):
            self._read(missing[start:start + 5_000])

    def _read(self, claim_ids: list[int]) -> None:
        # Every claim of these claims' articles, in order: the first LEAD_CLAIMS of an article not read
        # yet give its names, and all are known as its own, so a claim not known yet is of an article
        # not read yet (a batch meets its articles again and again: each is read once a run). The
        # articles' rows are looked up per claim: joining the lead to the articles (as before) scanned
        # every lead row once per article, quadratic in a batch.
        lead: dict[int, list[str]] = {}
        titles: dict[int, str] = {}
        for claim_id, article_id, title, text, n in self.db.execute(
                """WITH wanted AS (SELECT DISTINCT article_id FROM claims
                                   WHERE id IN (SELECT value FROM json_each(?)))
                   SELECT c.id, c.article_id, a.title, c.text, c.n FROM (
                       SELECT id, article_id, text, ROW_NUMBER() OVER (PARTITION BY article_id ORDER BY position) AS n
                       FROM claims WHERE article_id IN (SELECT article_id FROM wanted)) c
                   JOIN articles a ON a.id = c.article_id ORDER BY c.article_id, c.n""", [json.dumps(claim_ids)]):
            self.article_of[int(claim_id)] = int(article_id)
            if article_id in self.names:
                continue
            titles[article_id] = title or ""
            if n <= LEAD_CLAIMS:
                lead.setdefault(article_id, []).append(text)
        for article_id, title in titles.items():
            self.names[article_id] = self._names(title, lead.get(article_id, []))

    @staticmethod
    def _names(title: str, lead: list[str]) -> Counter[str] | None:
        if title_case(title):
            title = ""  # "Storm Batters Coast" capitalises every word: its capitals name nothing
        return Counter(word for text in [*lead, title] for word in claim_names(text)) if len(lead) >= MIN_CLAIMS else None

    def article_names(self, article_id: int) -> Counter[str] | None:
        """The name words of an article's title and first LEAD_CLAIMS claims, each with the number of
        them naming it; None when it has fewer than MIN_CLAIMS claims."""
        if article_id not in self.names:
            lead = [r[0] for r in self.db.execute(
                "SELECT text FROM claims WHERE article_id = ? ORDER BY position LIMIT ?", [article_id, LEAD_CLAIMS])]
            row = self.db.execute("SELECT title FROM articles WHERE id = ?", [article_id]).fetchone()
            self.names[article_id] = self._names((row[0] if row else None) or "", lead)
        return self.names[article_id]

    def other_story(self, claim_id: int, other: int) -> float:
        """1.0 when the two claims' articles share no name word that one of them repeats (a story's
        own names recur; a country named once in passing does not make two storms one), else 0.0;
        0.0 when it cannot be told (an article too short, a claim not stored)."""
        self.load([claim_id, other])
        a, b = self.article_of.get(claim_id), self.article_of.get(other)
        if a is None or b is None or a == b:
            return 0.0
        pair = (a, b) if a < b else (b, a)
        if pair not in self.apart:
            ours, theirs = self.article_names(a), self.article_names(b)
            recurring = ours is None or theirs is None or any(
                ours[word] >= 2 or theirs[word] >= 2 for word in ours.keys() & theirs.keys())
            self.apart[pair] = 0.0 if recurring else 1.0
        return self.apart[pair]
