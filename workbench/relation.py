"""The relation of a claim to one of its matches: supports, conflicts or related.

A difference is only a conflict between two reports of the same event: the match is shown (its
score reaches the display minimum) and neither the publication dates nor the places rule the event
out. Any other pair with differences is merely related, and its signals carry no conflict flag, so
the desk's conflicts-first order and its flags point at disagreements a fact-checker would look at.

Stored with each match when matches are written (matching/store.py), read back by the desk's queue.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlite_utils import Database

from . import facts, facts_compare, facts_events
from .signals import Signal, compare, same_kind_of_place
from .stories import StoryContext
from .vocab import DEFAULT_MIN_SCORE

RELATIONS = ("supports", "conflicts", "related")
# Reports published further apart than this are about another event (or another stage of it).
SAME_EVENT_DAYS = 10
# A match this close with no differing fact is taken to say the same thing.
SUPPORT_SCORE = 0.6
# Dates further apart than this are two events (an overnight event may be dated on either day,
# a toll reported a day or two later): "Thursday" and "Friday" conflict, "April 3" and "March 25" do not.
SAME_EVENT_DATE_GAP = 3
# Differences that name the event itself: when two sentences differ on place and on another fact,
# they are far more often two events than one event reported two ways.
_EVENT_KINDS = ("places",)


@dataclass(frozen=True)
class Assessment:
    """A match's relation and its signals (conflict flags only when the relation is conflicts)."""

    relation: str
    signals: list[Signal]

    @property
    def conflicts(self) -> list[Signal]:
        return [s for s in self.signals if s.conflict]


def _days_apart(published: str | None, other_published: str | None) -> int | None:
    a, b = facts_compare.published_day(published), facts_compare.published_day(other_published)
    return abs((a - b).days) if a and b else None


def _named_years(text: str) -> frozenset[int]:
    return frozenset(d.year for d in facts.read(text).dates if d.year)


def _other_year(claim: str, other: str, published: str | None, other_published: str | None) -> bool:
    """"the worst storm since the one of 1987" against this year's storm: a sentence naming a year
    that the other neither names nor was published in (or the year before: a January article on
    December's event) is about another event. Two publication dates alone are SAME_EVENT_DAYS' call."""
    named, other_named = _named_years(claim), _named_years(other)
    if not (named or other_named):
        return False

    def around(day: str | None) -> set[int]:
        found = facts_compare.published_day(day)
        return {found.year, found.year - 1} if found else set()

    ours, theirs = named or around(published), other_named or around(other_published)
    return bool(ours and theirs and not ours & theirs)


def relation_of(signals: Sequence[Signal], score: float | None, days_apart: int | None = None,
                other_event: bool = False) -> str:
    """supports / conflicts / related for a pair with these signals. `score` None: the caller vouches
    that the pair is shown (two sentences given by hand); `other_event`: the two name different kinds
    of event (a quake, a flood)."""
    shown = score is None or score >= DEFAULT_MIN_SCORE
    same_event = shown and not other_event and (days_apart is None or days_apart <= SAME_EVENT_DAYS)
    conflicting = {s.kind for s in signals if s.conflict}
    agreeing = any(not s.conflict and s.kind not in ("rating", "counts") for s in signals)
    if any(s.kind == "dates" and s.conflict and (s.days_apart or 0) > SAME_EVENT_DATE_GAP for s in signals):
        same_event = False  # "April 3" and "March 25": two events, not one dated two ways
    if conflicting & set(_EVENT_KINDS):
        # Another place with another figure is another event; another place alone is one only when
        # something ties the two together: an agreeing fact (the same day), or places of one kind
        # (two airports). Without it, "in Kyiv" and "in Berlin" are more often two places of a story.
        one_kind = any(s.kind in _EVENT_KINDS and s.conflict and same_kind_of_place(s.ours, s.theirs)
                       for s in signals)
        if conflicting - set(_EVENT_KINDS) - {"rating"} or not (agreeing or one_kind or score is None):
            same_event = False
    if conflicting == {"rating"} and not (agreeing or (score is not None and score >= SUPPORT_SCORE)):
        # A fact-check's "False" matters when this claim repeats what it rated, not for a neighbour.
        conflicting = set()
    if not same_event:
        return "related"
    if conflicting:
        return "conflicts"
    if agreeing or (score is not None and score >= SUPPORT_SCORE):
        return "supports"
    return "related"


def assess(claim: str, other: str, score: float | None, *, published: str | None = None,
           other_published: str | None = None, rating: str | None = None,
           other_story: bool | Callable[[], bool] = False) -> Assessment:
    """The relation of `other` (a match scoring `score`) to `claim`, with its signals. `other_story`:
    their articles tell another story (StoryCheck), so they cannot be one event; as a function it is
    asked only for a pair that would otherwise be one (reading the articles costs a statement)."""
    signals = compare(claim, other, rating=rating, published=published, other_published=other_published)
    kinds, other_kinds = facts_events.event_kinds(claim), facts_events.event_kinds(other)
    other_event = bool(kinds and other_kinds and not kinds & other_kinds) or _other_year(
        claim, other, published, other_published)
    relation = relation_of(signals, score, _days_apart(published, other_published), other_event)
    if relation != "related" and (other_story() if callable(other_story) else other_story):
        relation = "related"  # what relation_of gives another event
    if relation != "conflicts":
        # A fact-check's rating of a shown match is another desk's verdict and keeps its flag (the
        # desk has always put it first); every other difference is a flag only between reports of one event.
        shown = score is None or score >= DEFAULT_MIN_SCORE
        signals = [replace(s, conflict=False) if s.conflict and not (s.kind == "rating" and shown) else s
                   for s in signals]
    return Assessment(relation, signals)


@dataclass(frozen=True)
class _Side:
    text: str
    published: str | None
    rating: str | None


def _sides(db: Database, claim_ids: Sequence[int]) -> dict[int, _Side]:
    rows = db.query(
        """SELECT c.id, c.text, c.rating, a.published FROM claims c JOIN articles a ON a.id = c.article_id
           WHERE c.id IN (SELECT value FROM json_each(?))""", [json.dumps(list(claim_ids))])
    return {row["id"]: _Side(row["text"], row["published"], row["rating"]) for row in rows}


def _may_be_one_event(score: float | None, published: str | None, other_published: str | None) -> bool:
    """Whether relation_of can say anything but "related": only of a shown pair published within
    SAME_EVENT_DAYS. The signals of any other pair are never read for its relation (writing a batch's
    matches compared 87% of its pairs for nothing: their articles were further apart)."""
    days = _days_apart(published, other_published)
    return (score is None or score >= DEFAULT_MIN_SCORE) and (days is None or days <= SAME_EVENT_DAYS)


def relations_for(db: Database, claim_id: int, scored: Sequence[tuple[int, float]],
                  stories: StoryContext | None = None) -> list[str]:
    """The relation of each (other claim id, score) to `claim_id`, in the order given; what
    write_matches stores with the matches. `stories`: a match run's, whose articles' names are read already."""
    return relations_of(db, {claim_id: scored}, stories)[claim_id]


def relations_of(db: Database, scored: dict[int, Sequence[tuple[int, float]]],
                 stories: StoryContext | None = None) -> dict[int, list[str]]:
    """relations_for of several claims, the texts, dates and ratings of all of them and their matches
    read in one statement (a match run writes a chunk of claims at once)."""
    sides = _sides(db, sorted({*scored, *(other for pairs in scored.values() for other, _ in pairs)}))
    found: dict[int, list[str]] = {}
    for claim_id, pairs in scored.items():
        ours = sides.get(claim_id)
        check = StoryCheck(db, claim_id, [other for other, _ in pairs], stories)
        found[claim_id] = []
        for other, score in pairs:
            theirs = sides.get(other)
            if ours is None or theirs is None or not _may_be_one_event(score, ours.published, theirs.published):
                found[claim_id].append("related")
                continue
            found[claim_id].append(assess(ours.text, theirs.text, score, published=ours.published,
                                          other_published=theirs.published, rating=theirs.rating,
                                          other_story=check.of(other)).relation)
    return found


class StoryCheck:
    """Whether a claim's matches come from articles that tell another story (stories.py: no name
    that one of the two articles repeats is in both), read when assess first asks, for all of
    `others` at once (one statement), and not at all when no pair would be one event."""

    def __init__(self, db: Database, claim_id: int, others: Sequence[int] = (), context: StoryContext | None = None):
        # A match run's own context when given: a batch meets each article many times.
        self.context = context if context is not None else StoryContext(db)
        self.claim_id, self.others = claim_id, list(others)

    def of(self, other: int) -> Callable[[], bool]:
        def apart() -> bool:
            self.context.load([self.claim_id, *self.others, other])
            return bool(self.context.other_story(self.claim_id, other))
        return apart


def claim_published(db: Database, claim_id: int) -> str | None:
    """The publication date of a claim's article (None when unknown)."""
    row = db.execute("SELECT a.published FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.id = ?",
                     [claim_id]).fetchone()
    return row[0] if row else None


def conflicting_match_counts(db: Database, claim_ids: Sequence[int], *, limit: int = 5) -> dict[int, int]:
    """For each claim, how many of its shown matches (score >= the display minimum, an independent
    source: copies folded under another row are not counted) have the stored relation "conflicts",
    among its top `limit` rows. The conflicts-first queue's count, in one query."""
    rows = db.execute(
        """SELECT claim_id, COUNT(*) FROM matches
           WHERE claim_id IN (SELECT value FROM json_each(?)) AND rank <= ? AND score >= ?
                 AND relation = 'conflicts' AND copy_of IS NULL
           GROUP BY claim_id""",
        [json.dumps(list(claim_ids)), limit, DEFAULT_MIN_SCORE],
    ).fetchall()
    return {claim_id: count for claim_id, count in rows}
