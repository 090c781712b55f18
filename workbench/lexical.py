"""Lexical retrieval: SQLite FTS5 bm25 over claims, with queries built so any text is safe to MATCH.

A claim's own words become an OR query of quoted tokens: quoting turns FTS5 operators (`NEAR`, `AND`,
`*`, `-`, `^`, column filters) into plain words, and stopwords are dropped so that "the" and "of" do
not pull in half the collection. FTS5's bm25() is negative (lower is better); scores here are negated
so that, like cosine, higher is better.

The index is `claims_lexical` (claim text and its context, from migration m006), so a fact-check's
headline stored as context is searchable too; the text column weighs more than the context column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from sqlite_utils import Database

# Short English stopword list: function words that carry no claim content.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own s same
    she should so some such t than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves rt via amp http https www com pic twitter""".split()
)

# unicode61 splits on anything that is not a letter or a digit; \w is the closest regex to that.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_TOKENS = 48

# bm25 column weights: (text, context).
COLUMN_WEIGHTS = (1.0, 0.6)


def query_tokens(text: str, limit: int | None = MAX_QUERY_TOKENS) -> list[str]:
    """The distinct content words of `text`, in order, lowercased (the first `limit`; None: all)."""
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text.lower()):
        if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            continue
        seen.setdefault(token, None)
        if limit is not None and len(seen) >= limit:
            break
    return list(seen)


def fts_query(text: str, limit: int | None = MAX_QUERY_TOKENS) -> str | None:
    """An FTS5 MATCH expression that ORs the quoted content words of `text`; None if there are none."""
    tokens = query_tokens(text, limit)
    if not tokens:
        return None
    return " OR ".join('"' + token.replace('"', '""') + '"' for token in tokens)


def lexical_search(
    db: Database,
    text: str,
    *,
    limit: int = 50,
    exclude_source_id: int | None = None,
) -> list[tuple[int, float]]:
    """(claim id, bm25 score, higher is better) of the best lexical matches for `text`."""
    query = fts_query(text)
    if query is None:
        return []
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    rows = db.execute(
        f"""SELECT c.id, -bm25(claims_lexical, {weights}) AS score
            FROM claims_lexical JOIN claims c ON c.id = claims_lexical.rowid
            WHERE claims_lexical MATCH ? AND c.source_id IS NOT ?
            ORDER BY bm25(claims_lexical, {weights}) LIMIT ?""",
        [query, exclude_source_id, limit],
    ).fetchall()
    return [(int(claim_id), float(score)) for claim_id, score in rows]


# `rowid IN (...)` costs one look-up per id per token; one MATCH over the whole index, filtered here,
# costs about the same whatever the ids, in proportion to the collection. Measured on 100k claims
# (docs/matching.md): 20 ids 127 ms vs 443 ms, 50 ids 430 vs 339 ms, 1,000 ids 5.5 s vs 0.31 s; so the
# scan is used above one id per SCAN_PER_ID claims (and never for fewer than SCAN_MIN ids).
SCAN_PER_ID = 2500
SCAN_MIN = 40
# A run of at least RUN_MIN ids, none more than RUN_GAP from the next, is one `rowid BETWEEN` range:
# 20 consecutive ids and one more score in 9.8 ms that way against 56.7 ms as `IN (...)` (100k claims).
RUN_MIN = 4
RUN_GAP = 3


def lexical_scores(db: Database, text: str, claim_ids: Sequence[int]) -> dict[int, float]:
    """bm25 scores of `text` against the given claims only (0 for claims sharing no word).

    bm25 depends on the collection's statistics only, so restricting the rows changes no score: many
    ids are scored by one MATCH over the whole index, filtered here; a run of near-consecutive ids (one
    article's claims) by one `rowid BETWEEN` range, which FTS5 seeks to; the rest one look-up each.
    """
    query = fts_query(text)
    if query is None or not claim_ids:
        return {}
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    select = f"SELECT rowid, -bm25(claims_lexical, {weights}) FROM claims_lexical WHERE claims_lexical MATCH ?"
    wanted = sorted({int(c) for c in claim_ids})
    if len(wanted) > SCAN_MIN and len(wanted) * SCAN_PER_ID > _collection_size(db):
        rows = db.execute(select, [query]).fetchall()
    else:
        rows, single = [], []
        for run in _runs(wanted):
            if len(run) >= RUN_MIN:
                rows += db.execute(f"{select} AND rowid BETWEEN ? AND ?", [query, run[0], run[-1]]).fetchall()
            else:
                single += run
        if single:
            marks = ", ".join("?" for _ in single)
            rows += db.execute(f"{select} AND rowid IN ({marks})", [query, *single]).fetchall()
    keep = set(wanted)
    return {int(claim_id): float(score) for claim_id, score in rows if claim_id in keep}


def _runs(ids: list[int]) -> list[list[int]]:
    """Sorted ids cut where two neighbours are more than RUN_GAP apart."""
    runs: list[list[int]] = []
    for claim_id in ids:
        if runs and claim_id - runs[-1][-1] <= RUN_GAP:
            runs[-1].append(claim_id)
        else:
            runs.append([claim_id])
    return runs


def _collection_size(db: Database) -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM claims").fetchone()[0])


def claims_sharing_words(db: Database, text: str, *, exclude_source_id: int | None = None) -> set[int]:
    """Every claim (of another source) whose text or context shares a content word (stem) with `text`.

    All of the words are used, not only the first MAX_QUERY_TOKENS, so a claim left out shares no
    word with `text` and scores 0 against it in either direction: the bm25 of a claim's query against
    `text` is 0 unless that claim is in this set.
    """
    query = fts_query(text, limit=None)
    if query is None:
        return set()
    rows = db.execute(
        """SELECT c.id FROM claims_lexical JOIN claims c ON c.id = claims_lexical.rowid
           WHERE claims_lexical MATCH ? AND c.source_id IS NOT ?""",
        [query, exclude_source_id],
    ).fetchall()
    return {int(row[0]) for row in rows}


def lexical_candidates(db: Database, text: str, claim_ids: Sequence[int], *, limit: int = 50,
                       exclude_source_id: int | None = None) -> tuple[list[tuple[int, float]], dict[int, float]]:
    """`lexical_search(text, limit, exclude_source_id)` and `lexical_scores(text, claim_ids)` from ONE
    scan of the index: the scan that both need is most of the cost (on 100k claims 20 ms for both
    together against 57 ms apart; 3.1 against 5.4 ms on 4k). The same bm25 values, and the same top:
    ties in rowid order, as SQLite's sorter gives them to lexical_search.
    """
    query = fts_query(text)
    if query is None:
        return [], {}
    weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
    scan = (f"SELECT rowid AS id, -bm25(claims_lexical, {weights}) AS score FROM claims_lexical "
            "WHERE claims_lexical MATCH ?")
    wanted = json.dumps(sorted({int(c) for c in claim_ids}))
    # The claims join (for the source) only for the best rows; a claim's own source can crowd them
    # out, so when it does the whole scan is ranked.
    for reach in (2 * limit, -1):
        rows = db.execute(
            f"""WITH found AS MATERIALIZED ({scan})
                SELECT best.id, best.score, c.source_id, c.id IS NOT NULL FROM (SELECT id, score FROM found
                    ORDER BY score DESC, id LIMIT ?) best LEFT JOIN claims c ON c.id = best.id
                UNION ALL SELECT id, score, NULL, NULL FROM found WHERE id IN (SELECT value FROM json_each(?))""",
            [query, reach, wanted]).fetchall()
        ranked = sorted(((int(r[0]), float(r[1]), r[2], r[3]) for r in rows if r[3] is not None),
                        key=lambda r: (-r[1], r[0]))
        # A row whose claim is gone (r[3] == 0) is left out, as lexical_search's join leaves it out.
        top = [(claim_id, score) for claim_id, score, source, stored in ranked
               if stored and source != exclude_source_id]
        if len(top) >= limit or len(ranked) < reach or reach < 0:
            break
    return top[:limit], {int(r[0]): float(r[1]) for r in rows if r[3] is None}
