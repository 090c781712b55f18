"""What the review desk shows, as plain queries over claims.db (no Textual here).

Articles with reviewed/total counts, the claims of an article with their current verdicts, the queue of
pending claims across articles (most check-worthy or most conflicting first), full-text search, filters
by verdict, source and claimant, the matches of a claim with their signals, and the editor's decisions.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from .db import query_rows
from .domain import Match, from_row
from .editor_review import LatestDecision, latest_decisions
from .matching import is_matched, matches_for
from .queries import get_article, list_articles
from .relation import StoryCheck, assess, claim_published
from .signals import Signal
from .verdicts import FOR_REVIEW_SQL, IMPORTED_CLAIM_SQL, Verdict, current_verdicts, label_counts
from .vocab import DEFAULT_MIN_SCORE, EVIDENCE, NOT_FOR_REVIEW, PENDING, VERDICT_LABELS

STATUSES = (PENDING, *VERDICT_LABELS)
# What the desk calls an open claim that is not review work (ClaimRow.state): the queue and the review
# screen say the same words.
# The verdict filter that also takes what is not review work: imported evidence, claims below the floor.
ALL_PENDING = "all pending"


@dataclass
class ClaimRow:
    id: int
    article_id: int
    position: int
    span_start: int
    span_end: int
    text: str
    claimant: str | None
    worthiness: float
    source: str
    article_title: str
    verdict: Verdict | None = None
    editor: LatestDecision | None = None  # the editor's latest decision on the claim
    conflicts: int = 0
    for_review: bool = True  # review work (verdicts.FOR_REVIEW_SQL), not imported evidence or below the floor
    imported: bool = False  # from a fact-check file (features say imported, or an external id)

    @property
    def status(self) -> str:
        return self.verdict.label if self.verdict and self.verdict.label else PENDING

    @property
    def state(self) -> str:
        """The verdict, or what an unjudged claim is: pending work, EVIDENCE or NOT_FOR_REVIEW."""
        if self.status == PENDING and not self.for_review:
            return EVIDENCE if self.imported else NOT_FOR_REVIEW
        return self.status

    @property
    def returned(self) -> bool:
        """The editor sent the current verdict back: the claim needs the reviewer again."""
        return self.editor is not None and self.editor.returns

    @property
    def signed_off(self) -> bool:
        """The editor approved this very verdict (current_editor_decisions: the one rule)."""
        return self.editor is not None and self.editor.signs_off

    @property
    def is_open(self) -> bool:
        """Nobody has judged it, or the editor sent it back."""
        return self.status == PENDING or self.returned

    @property
    def needs_review(self) -> bool:
        """Open review work: what "pending" means in the queue, the header and `p` on the desk. A claim
        the editor sent back is work whatever it is: someone judged it, and the editor asked again."""
        return self.returned or (self.status == PENDING and self.for_review)


@dataclass(frozen=True)
class MatchRow(Match):
    """A stored match (domain.Match, the one source of match rows) with what the evidence panel
    adds: the sentences around the matched claim, and the signals."""

    before: str = ""
    after: str = ""
    signals: list[Signal] = field(default_factory=list)

    @property
    def conflict(self) -> bool:
        return any(s.conflict for s in self.signals)


_CLAIM_COLUMNS = """
    SELECT c.id, c.article_id, c.position, c.span_start, c.span_end, c.text, c.claimant, c.worthiness,
           s.name AS source, COALESCE(a.title, '') AS article_title, """ + FOR_REVIEW_SQL + """ AS for_review,
           """ + IMPORTED_CLAIM_SQL + """ AS imported
"""
_CLAIM_FROM = " FROM claims c JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = c.source_id "
_CLAIM_SELECT = _CLAIM_COLUMNS + _CLAIM_FROM


def _claim_rows(db: Database, sql: str, params: list) -> list[ClaimRow]:
    rows = [from_row(ClaimRow, {**row, "for_review": bool(row["for_review"]), "imported": bool(row["imported"])})
            for row in query_rows(db, sql, params)]
    ids = [row.id for row in rows]
    verdicts = current_verdicts(db, ids) if ids else {}
    decisions = latest_decisions(db, ids) if ids else {}
    for row in rows:
        row.verdict = verdicts.get(row.id)
        row.editor = decisions.get(row.id)
    return rows


def sources(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sources ORDER BY name").fetchall()]


def article_claims(db: Database, article_id: int) -> list[ClaimRow]:
    """The claims of one article in reading order, with current verdicts and editor decisions."""
    return _claim_rows(db, _CLAIM_SELECT + " WHERE c.article_id = ? ORDER BY c.position, c.span_start",
                       [article_id])


def claims_by_article(db: Database, article_ids: list[int]) -> dict[int, list[ClaimRow]]:
    """The claims of these articles (each in reading order, as article_claims gives them), built in
    one pass: one query for the claims, one for their verdicts, one for the editor's decisions."""
    rows = _claim_rows(db, _CLAIM_SELECT + " WHERE c.article_id IN (SELECT value FROM json_each(?))"
                       " ORDER BY c.article_id, c.position, c.span_start", [json.dumps(article_ids)])
    grouped: dict[int, list[ClaimRow]] = {}
    for row in rows:
        grouped.setdefault(row.article_id, []).append(row)
    return grouped


def first_needing_review(db: Database, article_ids: list[int], *, skip: int | None = None) -> tuple[int, int] | None:
    """(article id, claim id) of the first claim needing review, walking the articles in the given
    order (each in reading order), `skip` left out; None when every claim has a verdict."""
    grouped = claims_by_article(db, article_ids)
    for article_id in article_ids:
        for claim in grouped.get(article_id, ()):
            if claim.needs_review and claim.id != skip:
                return article_id, claim.id
    return None


def get_claim(db: Database, claim_id: int) -> ClaimRow | None:
    rows = _claim_rows(db, _CLAIM_SELECT + " WHERE c.id = ?", [claim_id])
    return rows[0] if rows else None


# Claims with a current verdict, and claims whose current verdict an editor returned: each is read once
# per query (not per claim) and probed by id.
_LABELLED = "SELECT claim_id FROM current_verdicts WHERE label IS NOT NULL"
_RETURNED = "SELECT claim_id FROM current_editor_decisions WHERE decision = 'return' AND on_current_verdict"
# The rows of each verdict filter, the rule of ClaimRow.needs_review / is_open / status in SQL.
_VERDICT_SQL = {
    PENDING: f"(c.id IN ({_RETURNED}) OR ({FOR_REVIEW_SQL} AND c.id NOT IN ({_LABELLED})))",
    ALL_PENDING: f"(c.id NOT IN ({_LABELLED}) OR c.id IN ({_RETURNED}))",
    **{label: f"c.id IN (SELECT claim_id FROM current_verdicts WHERE label = '{label}')" for label in VERDICT_LABELS},
}


def _filtered(verdict: str | None, source: str | None, query: str | None,
              claimant_key: str | None) -> tuple[str, list] | None:
    """The FROM and WHERE of filter_claims and count_claims; None when the search has no words."""
    where, params = [], []
    sql = _CLAIM_FROM
    if query:
        fts = search_query(query)
        if not fts:
            return None
        sql += " JOIN claims_fts f ON f.rowid = c.id"
        where.append("claims_fts MATCH ?")
        params.append(fts)
    if source:
        where.append("s.name = ?")
        params.append(source)
    if claimant_key:
        where.append("c.claimant_key = ?")
        params.append(claimant_key)
    if verdict:
        where.append(_VERDICT_SQL[verdict])
    return sql + (" WHERE " + " AND ".join(where) if where else ""), params


def filter_claims(db: Database, *, verdict: str | None = None, source: str | None = None,
                  query: str | None = None, conflict_first: bool = False, claimant_key: str | None = None,
                  limit: int | None = None, offset: int = 0) -> list[ClaimRow]:
    """Claims across articles, most check-worthy first (a search keeps that order: the desk names it).

    verdict: one of STATUSES ('pending': review work, ClaimRow.needs_review, which also takes claims an
    editor returned), ALL_PENDING (open claims, imported evidence and low worth too), or None for all;
    source: a source name; query: full-text search (claims_fts); conflict_first: claims whose matches
    disagree with them (dates, numbers, places, a fact-check rating) come first; claimant_key: one
    claimant in every article and source (claimant_keys.claimant_key). limit / offset: one page, read
    along the claims_by_worth index (m014) without sorting every claim; conflicts-first reads every
    filtered claim to count its conflicts.
    """
    filtered = _filtered(verdict, source, query, claimant_key)
    if filtered is None:
        return []
    sql, params = filtered
    select = _CLAIM_COLUMNS
    order = " ORDER BY c.worthiness DESC, c.article_id, c.position"
    if not conflict_first:
        page = " LIMIT ? OFFSET ?" if limit else ""
        return _claim_rows(db, select + sql + order + page, [*params, limit, offset] if limit else params)
    rows = _claim_rows(db, select + sql + order, params)
    counts = conflict_counts(db, rows)
    for row in rows:
        row.conflicts = counts.get(row.id, 0)
    rows.sort(key=lambda r: -r.conflicts)  # stable: worthiness order within equal counts
    return rows[offset:offset + limit] if limit else rows[offset:]


def count_claims(db: Database, *, verdict: str | None = None, source: str | None = None,
                 query: str | None = None, claimant_key: str | None = None,
                 counts: dict[str, int] | None = None) -> int:
    """How many claims filter_claims would list with these filters. Without a source, search or
    claimant, from the header's counts (verdicts.label_counts, or `counts` when the caller has them),
    so all claims are never walked."""
    if not (source or query or claimant_key):
        counts = counts or label_counts(db)
        if verdict in counts:
            return counts[verdict]
        total = int(db.execute("SELECT COUNT(*) FROM claims").fetchone()[0])
        if verdict is None:
            return total
        returned = int(db.execute(f"SELECT COUNT(*) FROM ({_RETURNED})").fetchone()[0])
        return total - sum(counts[label] for label in VERDICT_LABELS) + returned
    filtered = _filtered(verdict, source, query, claimant_key)
    if filtered is None:
        return 0
    sql, params = filtered
    return int(db.execute("SELECT COUNT(*) " + sql, params).fetchone()[0])


def search_query(text: str) -> str:
    """A safe FTS5 query from what the reviewer typed into the search box: every word must appear
    (prefix match). Matching's own query (lexical.fts_query) takes any word instead."""
    words = re.findall(r"\w+", text)
    return " ".join(f'"{word}"*' for word in words)


def _neighbours(text: str, start: int, end: int, width: int = 160) -> tuple[str, str]:
    """The sentence before and after a span, cut at sentence ends, at most `width` characters each."""
    before = text[max(0, start - width):start]
    cut = max(before.rfind(". ", 0, len(before) - 2), before.rfind("\n", 0, len(before) - 1))
    before = before[cut + 1:] if cut >= 0 else ("…" + before.lstrip() if start > width else before)
    after = text[end:end + width]
    stop = after.find(". ", 1)
    stop_nl = after.find("\n", 1)
    stops = [s for s in (stop, stop_nl) if s >= 0]
    after = after[:min(stops) + 1] if stops else (after + "…" if end + width < len(text) else after)
    return before.strip(), after.strip()


def matches(db: Database, claim_id: int, text: str, *, min_score: float | None = None,
            limit: int = 10) -> list[MatchRow]:
    """The stored matches of a claim whose text is `text` (score >= min_score), best first, with
    neighbours and signals."""
    views = matches_for(db, claim_id, min_score=min_score)[:limit]
    if not views:
        return []
    article_ids = sorted({v.article_id for v in views})
    texts = dict(db.execute(
        f"SELECT id, text FROM articles WHERE id IN ({', '.join('?' * len(article_ids))})", article_ids
    ).fetchall())
    found = []
    published = claim_published(db, claim_id)
    stories = StoryCheck(db, claim_id, [view.other_claim_id for view in views])
    for view in views:
        before, after = _neighbours(texts.get(view.article_id, ""), view.span_start, view.span_end)
        assessed = assess(text, view.text, view.score, published=published, other_published=view.published,
                          rating=view.rating,  # a conflict only between shown reports of one event
                          other_story=stories.of(view.other_claim_id))
        found.append(MatchRow(**{**vars(view), "relation": assessed.relation}, before=before, after=after,
                              signals=assessed.signals))
    return found


def conflict_counts(db: Database, claims: list[ClaimRow], *, limit: int = 5) -> dict[int, int]:
    """For each claim, how many of its shown top `limit` matches conflict with it (one query for all).

    Shown: scoring at least the display minimum, and not a copy folded under another source's row.
    The relation is the one stored with the match; a match stored before relations were (NULL) is
    assessed now, the same way, so an older claims.db keeps its conflicts-first order.
    """
    if not claims:
        return {}
    texts = {claim.id: claim.text for claim in claims}
    rows = query_rows(
        db,
        """SELECT m.claim_id, m.score, m.relation, c.text, c.rating, a.published AS other_published,
                  own.published
           FROM matches m
           JOIN claims c ON c.id = m.other_claim_id JOIN articles a ON a.id = c.article_id
           JOIN claims mine ON mine.id = m.claim_id JOIN articles own ON own.id = mine.article_id
           WHERE m.claim_id IN (SELECT value FROM json_each(?)) AND m.rank <= ? AND m.score >= ?
                 AND m.copy_of IS NULL""",
        [json.dumps(list(texts)), limit, DEFAULT_MIN_SCORE],
    )
    counts: dict[int, int] = {}
    for row in rows:
        relation = row["relation"] or assess(
            texts[row["claim_id"]], row["text"], row["score"], published=row["published"],
            other_published=row["other_published"], rating=row["rating"]).relation
        if relation == "conflicts":
            counts[row["claim_id"]] = counts.get(row["claim_id"], 0) + 1
    return counts
