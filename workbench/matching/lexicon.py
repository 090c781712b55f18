"""bm25 for a batch: the scores FTS5 gives, computed with numpy from the index's own postings.

A match run over a batch (a day of articles, `workbench match --all`) asks the lexical index once per
claim, and each ask scores every row sharing a word with the claim: on the 4k, 20k and 100k benchmark
collections that is 7-30 ms a claim and grows with the collection. `Lexicon` reads the postings once
(FTS5's own tokens, through fts5vocab) and then scores a claim by adding one posting list per query
word: 0.3-1.1 ms a claim on those collections, 10-40x faster than FTS5's scan (docs/performance.md).

The scores are FTS5's to the bit, not an approximation: the same formula (fts5_aux.c, fts5Bm25Function)
with the same operations in the same order: a phrase's frequency sums its column weights instance by
instance, text before context; idf = log((N - hits + 0.5) / (hits + 0.5)), at least 1e-6; each row's
score adds idf x f(k1 + 1) / (f + k1(1 - b + b D / avgdl)) phrase by phrase, in query order. The query's
words are stemmed by FTS5's own tokenizer (an in-memory table). A query word the tokenizer splits in
two (a phrase) is left to FTS5: `candidates` returns None and the caller asks the index.
tests/test_lexicon.py checks every score against FTS5's.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Sequence

import numpy as np
from sqlite_utils import Database

from ..lexical import BM25_B, BM25_K1, COLUMN_WEIGHTS, idf, index_totals, query_tokens

# Built when a run matches at least one claim per LEXICON_PER_CLAIM stored claims: reading the postings
# costs about 30 us a stored claim (3 s at 100k), asking FTS5 instead 10-30 ms a matched claim.
LEXICON_PER_CLAIM = 300
NO_CLAIM = np.iinfo(np.int64).min  # an index row with no claim row under it (lexical_search's join drops it)


def worth_building(db: Database, claims_to_match: int) -> bool:
    stored = int(db.execute("SELECT COUNT(*) FROM claims").fetchone()[0])
    return claims_to_match > 0 and claims_to_match * LEXICON_PER_CLAIM >= stored


class Lexicon:
    """The collection's postings with each row's bm25 term factor, read once for a match run."""

    def __init__(self, db: Database):
        conn = db.conn
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.lexicon_instances "
                     "USING fts5vocab(main, claims_lexical, instance)")
        try:
            # Streamed into flat arrays: a day's collection has millions of instances.
            terms: dict[str, int] = {}
            term_ids, docs, in_texts = array("q"), array("q"), array("b")
            for term_text, row_id, column in conn.execute("SELECT term, doc, col FROM temp.lexicon_instances"):
                term_ids.append(terms.setdefault(term_text, len(terms)))
                docs.append(row_id)
                in_texts.append(column == "text")
        finally:
            conn.execute("DROP TABLE temp.lexicon_instances")
        term = np.frombuffer(term_ids, dtype=np.int64) if term_ids else np.zeros(0, np.int64)
        doc = np.frombuffer(docs, dtype=np.int64) if docs else np.zeros(0, np.int64)
        in_text = np.frombuffer(in_texts, dtype=np.int8).astype(bool) if in_texts else np.zeros(0, bool)
        self.terms = terms
        size = int(doc.max()) + 1 if len(doc) else 1
        lengths = np.bincount(doc, minlength=size).astype(np.float64)  # every token is indexed: D
        # N and the average length as FTS5 reads them: its averages record (a row with no token counts).
        rows_count, avgdl = index_totals(db)
        avgdl = avgdl or 1.0
        # Instances of one (term, row), text ones first: the order FTS5 adds their weights in.
        order = np.lexsort((~in_text, doc, term))
        term, doc, in_text = term[order], doc[order], in_text[order]
        start = np.flatnonzero(np.r_[True, (term[1:] != term[:-1]) | (doc[1:] != doc[:-1])])
        texts = np.add.reduceat(in_text.astype(np.int64), start) if len(start) else np.zeros(0, np.int64)
        contexts = np.diff(np.r_[start, len(term)]) - texts
        self.post_term, self.post_doc = term[start], doc[start]
        freq = _weighted_frequency(texts, contexts)
        length = lengths[self.post_doc]
        self.post_factor = (freq * (BM25_K1 + 1.0)) / (freq + BM25_K1 * (1 - BM25_B + BM25_B * length / avgdl))
        bounds = np.searchsorted(self.post_term, np.arange(len(terms) + 1))
        self.bounds = bounds
        hits = np.diff(bounds)
        self.idf = [idf(rows_count, int(h)) for h in hits]
        self.sources = np.full(size, NO_CLAIM, dtype=np.int64)
        for claim_id, source_id in conn.execute("SELECT id, source_id FROM claims WHERE id < ?", [size]):
            self.sources[claim_id] = -1 if source_id is None else source_id
        self.scores = np.zeros(size)
        self.stamp = np.zeros(size, dtype=np.int64)
        self.asked = 0
        self.stems: dict[str, list[str]] = {}
        self.tokenizer = sqlite3.connect(":memory:")
        self.tokenizer.execute("CREATE VIRTUAL TABLE words USING fts5(word, tokenize='porter unicode61')")
        self.tokenizer.execute("CREATE VIRTUAL TABLE word_tokens USING fts5vocab(words, instance)")

    def _stem(self, words: Sequence[str]) -> None:
        new = [w for w in dict.fromkeys(words) if w not in self.stems]
        if not new:
            return
        self.tokenizer.executemany("INSERT INTO words(rowid, word) VALUES (?, ?)", list(enumerate(new, 1)))
        found: dict[int, list[str]] = {}
        for term, doc in self.tokenizer.execute("SELECT term, doc FROM word_tokens ORDER BY doc, offset"):
            found.setdefault(int(doc), []).append(term)
        self.tokenizer.execute("DELETE FROM words")
        for number, word in enumerate(new, 1):
            self.stems[word] = found.get(number, [])

    def candidates(self, text: str, claim_ids: Sequence[int], *, limit: int = 50,
                   exclude_source_id: int | None = None) -> tuple[list[tuple[int, float]], dict[int, float]] | None:
        """`lexical_search(text, limit, exclude_source_id)` and `lexical_scores(text, claim_ids)`, computed
        here in one pass; None when FTS5 must answer (a query word its tokenizer splits into a phrase)."""
        words = query_tokens(text)
        self._stem(words)
        if any(len(self.stems[w]) > 1 for w in words):
            return None
        phrases = [self.stems[w][0] for w in words if self.stems[w]]
        if not phrases:
            return [], {}
        self.asked += 1
        touched = []
        for stem in phrases:
            term = self.terms.get(stem)
            if term is None:
                continue
            low, high = self.bounds[term], self.bounds[term + 1]
            rows = self.post_doc[low:high]
            fresh = rows[self.stamp[rows] != self.asked]
            self.scores[fresh] = 0.0
            self.stamp[fresh] = self.asked
            touched.append(fresh)
            # One phrase at a time, as FTS5 adds them: the same sum to the bit.
            self.scores[rows] += self.idf[term] * self.post_factor[low:high]
        if not touched:
            return [], {}
        matched = np.concatenate(touched)
        wanted = np.asarray(sorted({int(c) for c in claim_ids if 0 <= int(c) < len(self.stamp)}), dtype=np.int64)
        wanted = wanted[self.stamp[wanted] == self.asked] if len(wanted) else wanted
        scored = {int(c): float(s) for c, s in zip(wanted, self.scores[wanted])}
        sources = self.sources[matched]
        keep = sources != NO_CLAIM
        if exclude_source_id is not None:
            keep &= sources != exclude_source_id
        else:
            keep &= sources != -1  # `source_id IS NOT NULL`
        matched = matched[keep]
        values = self.scores[matched]
        if len(matched) > limit:
            bar = np.partition(values, len(values) - limit)[len(values) - limit]
            matched, values = matched[values >= bar], values[values >= bar]
        order = np.lexsort((matched, -values))[:limit]
        return [(int(matched[i]), float(values[i])) for i in order], scored


def _weighted_frequency(texts: np.ndarray, contexts: np.ndarray) -> np.ndarray:
    """A phrase's frequency in a row: its column weights added instance by instance, text first."""
    text_weight, context_weight = COLUMN_WEIGHTS
    freq = np.zeros(len(texts))
    for _ in range(int(texts.max()) if len(texts) else 0):
        freq = np.where(texts > 0, freq + text_weight, freq)
        texts = texts - 1
    for _ in range(int(contexts.max()) if len(contexts) else 0):
        freq = np.where(contexts > 0, freq + context_weight, freq)
        contexts = contexts - 1
    return freq

