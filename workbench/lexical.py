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
import math
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence

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
    # The source is left out here, not by joining claims: a join looks up every matching row (half
    # the query's time at 100k claims); the best rows are asked for again, more of them, until enough
    # are of other sources. Ties go to the lower id, as the join's scan order gave them.
    excluded = _claims_of_source(db, exclude_source_id)
    ask = limit + min(len(excluded), limit)
    while True:
        rows = db.execute(
            f"""SELECT rowid, -bm25(claims_lexical, {weights}) FROM claims_lexical WHERE claims_lexical MATCH ?
                ORDER BY bm25(claims_lexical, {weights}), rowid LIMIT ?""", [query, ask]).fetchall()
        found = [(int(claim_id), float(score)) for claim_id, score in rows if claim_id not in excluded]
        if len(found) >= limit or len(rows) < ask:
            return found[:limit]
        ask *= 4


def _claims_of_source(db: Database, source_id: int | None) -> set[int]:
    if source_id is None:
        return set()
    return {int(row[0]) for row in db.execute("SELECT id FROM claims WHERE source_id = ?", [source_id]).fetchall()}


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
    rows = db.execute("SELECT rowid FROM claims_lexical WHERE claims_lexical MATCH ?", [query]).fetchall()
    return {int(row[0]) for row in rows} - _claims_of_source(db, exclude_source_id)  # no join: see lexical_search


# FTS5's bm25 (fts5_aux.c): k1, b, the idf floor; a row's length is its tokens in all columns.
BM25_K1 = 1.2
BM25_B = 0.75
IDF_FLOOR = 1e-6
DOCS_HELD = 50_000  # rows whose words a Bm25 keeps (a few hundred bytes each)
_AVERAGES_ROWID = 1  # FTS5's %_data record holding the row count and each column's total tokens


class Bm25:
    """`lexical_scores` computed here from the index's own statistics, for many queries against few rows.

    One `lexical_scores` call per query re-reads every query word's whole posting list to count the rows
    holding it (the idf), about 3 ms per claim at 100k claims. Incremental matching asks it for about a
    thousand older claims against the same twenty new ones, so this reads each word's row count once
    (fts5vocab), each row's words once (tokenized by FTS5 itself, in memory: porter unicode61, as the
    schema says) and applies FTS5's formula in the same order of operations, so the floats are equal,
    not close. A query with a word FTS5 does not read as one token (a phrase), or a SQLite whose bm25
    disagrees on the first query checked, goes through `lexical_scores` itself.
    """

    def __init__(self, db: Database):
        self.db = db
        self.rows, self.average = index_totals(db)
        self.words = sqlite3.connect(":memory:")  # FTS5's tokenizer, without writing to claims.db
        self.words.execute("CREATE VIRTUAL TABLE parts USING fts5(text, context, tokenize='porter unicode61')")
        self.words.execute("CREATE VIRTUAL TABLE part_words USING fts5vocab(parts, instance)")
        self.stems: dict[str, tuple[str, ...]] = {}
        self.phrases: dict[str, list[str] | None] = {}  # query text -> its words' stems, in order
        self.idf: dict[str, float] = {}
        self.docs: dict[int, dict[str, float]] = {}  # row -> its words' terms of bm25
        self.checked = False
        self.usable = self.rows > 0

    def prepare(self, texts: Iterable[str], claim_ids: Iterable[int]) -> None:
        """Read in bulk what scoring `texts` against `claim_ids` will need (a few queries, not thousands)."""
        if not self.usable:
            return
        self._read_stems({token for text in texts for token in query_tokens(text)})
        self._read_docs(claim_ids)

    def scores(self, text: str, claim_ids: Sequence[int]) -> dict[int, float]:
        """What `lexical_scores(db, text, claim_ids)` returns, to the last bit."""
        if text not in self.phrases:
            tokens = query_tokens(text)
            self._read_stems(tokens)
            # None: no word, or a word FTS5 reads as a phrase of several (scored by FTS5 itself)
            single = tokens and all(len(self.stems[t]) == 1 for t in tokens)
            self.phrases[text] = [self.stems[t][0] for t in tokens] if single else None
        phrases = self.phrases[text]
        if not self.usable or phrases is None or not claim_ids:
            return lexical_scores(self.db, text, claim_ids)
        if any(int(c) not in self.docs for c in claim_ids):
            self._read_docs(claim_ids)
        found: dict[int, float] = {}
        for claim_id in {int(c) for c in claim_ids}:
            parts = self.docs.get(claim_id, {})
            score, hit = 0.0, False
            for stem in phrases:  # in the query's order, as FTS5 sums them; a word not there adds 0.0
                part = parts.get(stem)
                if part is not None:
                    score += part
                    hit = True
            if hit:
                found[claim_id] = score
        if not self.checked and found:
            self.checked = True
            exact = lexical_scores(self.db, text, claim_ids)
            if exact != found:
                self.usable = False
                return exact
        return found

    def _tokenized(self, rows: list[tuple[int, str, str | None]]) -> Iterator[tuple[str, int, str, int]]:
        """(stem, row, column, offset) of each token of `rows`, as FTS5 indexes them."""
        self.words.executemany("INSERT INTO parts (rowid, text, context) VALUES (?, ?, ?)", rows)
        found = self.words.execute("SELECT term, doc, col, offset FROM part_words ORDER BY doc, col, offset")
        yield from found.fetchall()
        self.words.execute("DELETE FROM parts")

    def _read_stems(self, tokens: Iterable[str]) -> None:
        missing = sorted({t for t in tokens if t not in self.stems})
        if not missing:
            return
        stems: dict[int, list[str]] = {}
        for stem, row, _, _ in self._tokenized([(i, token, None) for i, token in enumerate(missing, start=1)]):
            stems.setdefault(row, []).append(stem)
        self.stems.update({token: tuple(stems.get(i, ())) for i, token in enumerate(missing, start=1)})

    def _read_docs(self, claim_ids: Iterable[int]) -> None:
        wanted = {int(c) for c in claim_ids}
        if len(self.docs) + len(wanted) > DOCS_HELD:  # a run over every claim: forget the rows scored earlier
            self.docs.clear()
        missing = sorted(c for c in wanted if c not in self.docs)
        for start in range(0, len(missing), 5000):
            rows = self.db.execute("SELECT id, text, context FROM claims WHERE id IN (SELECT value FROM json_each(?))",
                                   [json.dumps(missing[start:start + 5000])]).fetchall()
            docs: dict[int, tuple[dict[str, list[int]], list[int]]] = {int(r[0]): ({}, [0]) for r in rows}
            for stem, row, column, _ in self._tokenized([(int(r[0]), r[1], r[2]) for r in rows]):
                counts, length = docs[row]
                counts.setdefault(stem, [0, 0])[0 if column == "text" else 1] += 1
                length[0] += 1
            self._read_idf({stem for counts, _ in docs.values() for stem in counts})
            self.docs.update({row: {stem: self._part(stem, found, length[0]) for stem, found in counts.items()}
                              for row, (counts, length) in docs.items()})

    def _part(self, stem: str, counts: list[int], length: int) -> float:
        """One word's term in a row's bm25, computed as FTS5 computes it (the same operations in the
        same order, so the same float)."""
        frequency = 0.0
        for column, weight in enumerate(COLUMN_WEIGHTS):  # each instance's weight in turn, as FTS5
            for _ in range(counts[column]):
                frequency += weight
        return self.idf[stem] * ((frequency * (BM25_K1 + 1.0)) / (
            frequency + BM25_K1 * (1 - BM25_B + BM25_B * length / self.average)))

    def _read_idf(self, stems: Iterable[str]) -> None:
        missing = sorted({s for s in stems if s not in self.idf})
        if not missing:
            return
        self.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.claims_lexical_rows "
                        "USING fts5vocab(main, 'claims_lexical', 'row')")
        held = dict(self.db.execute("SELECT term, doc FROM temp.claims_lexical_rows "
                                    "WHERE term IN (SELECT value FROM json_each(?))", [json.dumps(missing)]).fetchall())
        for stem in missing:
            self.idf[stem] = idf(self.rows, int(held.get(stem, 0)))


def idf(rows: int, hits: int) -> float:
    """A word's idf as FTS5's bm25 computes it: `hits` of the index's `rows` hold it."""
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else IDF_FLOOR


def index_totals(db: Database) -> tuple[int, float]:
    """(rows, average tokens per row over all columns) as FTS5's bm25 reads them (0, 0.0 when empty)."""
    row = db.execute("SELECT block FROM claims_lexical_data WHERE id = ?", [_AVERAGES_ROWID]).fetchone()
    values = _varints(bytes(row[0])) if row and row[0] else []
    if not values or not values[0]:
        return 0, 0.0
    return values[0], float(sum(values[1:])) / float(values[0])


def _varints(data: bytes) -> list[int]:
    """SQLite's variable-length integers, one after another (FTS5 stores its averages record so)."""
    values, at = [], 0
    while at < len(data):
        value = 0
        for position in range(9):
            byte = data[at]
            at += 1
            if position == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values
