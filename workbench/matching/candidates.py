"""Candidates and ranking: the dense and lexical candidates of a claim, fused, optionally reranked."""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlite_utils import Database

from ..db import query_rows
from ..embedding import embedding_text, load_vectors
from ..lexical import Bm25, lexical_search
from ..stories import StoryContext, other_fact
from .copies import POOL_FACTOR
from .index import VectorIndex, nearest
from .lexicon import Lexicon
from .scoring import (CANDIDATES, QUERY_CHUNK, RERANK_DEPTH, TIME_SCALE_DAYS, Candidate, MatchSettings, PoolEntry,
                      day_number, fused_score, staleness)

# Neighbours asked of the index per claim: its dense candidates and, for incremental matching, the
# older claims it may enter (everything further has a cosine at most the last one's, see incremental.py).
INDEX_DEPTH = 200


@dataclass
class ClaimInfo:
    source_id: int
    day: float
    text: str
    context: str | None


class Corpus:
    """What a match run reads of the stored claims: each claim it touches (source, date, text, vector),
    read on demand, and dense search over every vector: a matrix product up to EXACT_LIMIT vectors
    (loaded once per run, without texts), the vector index beyond (index.py)."""

    def __init__(self, db: Database, model: str, index: VectorIndex | None = None):
        self.db, self.model = db, model
        self.stories = StoryContext(db)  # the names of each article a pair's penalty reads (stories.py)
        self.info: dict[int, ClaimInfo] = {}
        self.vectors: dict[int, np.ndarray] = {}
        self.index = index
        self.bm25 = Bm25(db)  # the lexical scores of candidates and of older claims, one run's statistics
        self.lexicon: Lexicon | None = None  # bm25 from numpy for a batch (lexicon.py); None: ask FTS5
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        if self.index is None:
            rows = query_rows(db, """SELECT c.id, c.source_id, a.published FROM claims c
                                     JOIN articles a ON a.id = c.article_id
                                     JOIN embeddings e ON e.claim_id = c.id AND e.model = ? ORDER BY c.id""",
                              [model])
            ids, matrix = load_vectors(db, model)
            self.ids = np.fromiter((r["id"] for r in rows), dtype=np.int64, count=len(rows))
            if not np.array_equal(ids, self.ids):  # a claim deleted under a vector: keep the claims' rows
                keep = np.isin(ids, self.ids)
                matrix = matrix[keep]
            self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
            self.sources = np.fromiter((r["source_id"] for r in rows), dtype=np.int64, count=len(rows))
            self.days = np.fromiter((day_number(r["published"]) for r in rows), dtype=np.float64, count=len(rows))
            self.row = {int(c): i for i, c in enumerate(self.ids)}

    @property
    def exact(self) -> bool:
        return self.index is None

    def load(self, claim_ids: Iterable[int]) -> list[int]:
        """Read the claims not read yet (one query); returns those of `claim_ids` that exist."""
        ids = [int(c) for c in claim_ids]
        missing = sorted({c for c in ids if c not in self.info})
        for start in range(0, len(missing), 20_000):
            for r in query_rows(self.db,
                    """SELECT c.id, c.source_id, c.text, c.context, a.published
                       FROM claims c JOIN articles a ON a.id = c.article_id
                       WHERE c.id IN (SELECT value FROM json_each(?))""",
                    [json.dumps(missing[start:start + 20_000])]):
                self.info[int(r["id"])] = ClaimInfo(int(r["source_id"]), day_number(r["published"]), r["text"],
                                                    r["context"])
        return [c for c in ids if c in self.info]

    def all_claim_ids(self) -> list[int]:
        return [int(r["id"]) for r in query_rows(self.db, "SELECT id FROM claims ORDER BY id")]

    def source_of(self, claim_id: int) -> int:
        return self.info[claim_id].source_id

    def day_of(self, claim_id: int) -> float:
        return self.info[claim_id].day

    def text_of(self, claim_id: int) -> str:
        info = self.info[claim_id]
        return embedding_text(info.text, info.context)

    def vectors_of(self, claim_ids: Sequence[int]) -> np.ndarray:
        """The claims' vectors, one row each (zeros for a claim without one: cosine 0, as before)."""
        width = self.matrix.shape[1] if self.exact else 0
        if self.exact:
            rows = [self.matrix[self.row[c]] if c in self.row else None for c in claim_ids]
        else:
            missing = [c for c in claim_ids if c not in self.vectors]
            if missing:
                ids, matrix = load_vectors(self.db, self.model, missing)
                self.vectors.update({int(c): matrix[i] for i, c in enumerate(ids)})
            rows = [self.vectors.get(c) for c in claim_ids]
            width = next((len(v) for v in rows if v is not None), self.index.inner.d if self.index else 1)
        if not width:
            return np.zeros((len(claim_ids), 1), dtype=np.float32)
        zero = np.zeros(width, dtype=np.float32)
        return np.vstack([v if v is not None else zero for v in rows]) if rows else np.zeros((0, width), np.float32)


@dataclass
class Reach:
    """What a batch of claims can give, densely, to the other stored claims (incremental.py): for the
    claims in `ids`, the best `cosine - time weight x staleness` one of the batch (of another source)
    reached with them; every claim not in `ids` has a cosine of at most `floor` with each of the batch."""

    ids: np.ndarray
    best: np.ndarray
    floor: float

    @classmethod
    def combine(cls, reaches: Sequence["Reach"]) -> "Reach":
        """What the batches together can give: the best per claim, the highest floor."""
        if not reaches:
            return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), -np.inf)
        ids = np.concatenate([r.ids for r in reaches])
        best = np.concatenate([r.best for r in reaches])
        unique, where = np.unique(ids, return_inverse=True)
        merged = np.full(len(unique), -np.inf, dtype=np.float32)
        np.maximum.at(merged, where, best)
        return cls(unique, merged, max(r.floor for r in reaches))


def dense_top(corpus: Corpus, claim_ids: Sequence[int], depth: int, time_weight: float = 0.0):
    """For each claim: (claim ids, cosines) of its `depth` nearest claims of other sources, best first,
    and the batch's Reach (what it can give to the other claims, for incremental matching)."""
    corpus.load(claim_ids)
    if corpus.exact:
        return _dense_exact(corpus, claim_ids, depth, time_weight)
    return _dense_index(corpus, claim_ids, depth, time_weight)


def _stale(days: np.ndarray, other: np.ndarray) -> np.ndarray:
    gaps = np.abs(days[:, None] - other[None, :]) if other.ndim == 1 else np.abs(days[:, None] - other)
    return np.nan_to_num(1.0 - np.exp(-gaps / TIME_SCALE_DAYS), nan=0.0).astype(np.float32)


def _dense_exact(corpus: Corpus, claim_ids: Sequence[int], depth: int, time_weight: float):
    n = len(corpus.ids)
    best_against = np.full(n, -np.inf, dtype=np.float32)
    results: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if n == 0 or not corpus.matrix.size:
        return results, Reach(corpus.ids, best_against, -np.inf)
    for start in range(0, len(claim_ids), QUERY_CHUNK):
        chunk = list(claim_ids[start:start + QUERY_CHUNK])
        sims = corpus.vectors_of(chunk) @ corpus.matrix.T  # chunk x n
        sources = np.array([corpus.source_of(c) for c in chunk], dtype=np.int64)
        sims[sources[:, None] == corpus.sources[None, :]] = -np.inf
        # Candidates are chosen by what the fused score will reward: cosine minus staleness.
        select: np.ndarray = sims
        if time_weight:
            days = np.array([corpus.day_of(c) for c in chunk], dtype=np.float64)
            select = sims - time_weight * _stale(days, corpus.days)
        np.maximum(best_against, select.max(axis=0), out=best_against)
        take = min(depth, n)
        if take <= 0:
            continue
        if take < n:
            part = np.argpartition(-select, take - 1, axis=1)[:, :take]
        else:
            part = np.tile(np.arange(n), (len(chunk), 1))
        for i, claim_id in enumerate(chunk):
            idx = part[i]
            keep = np.isfinite(sims[i, idx])
            idx = idx[keep]
            order = np.lexsort((-corpus.ids[idx], -select[i, idx]))
            results[claim_id] = (corpus.ids[idx[order]], sims[i, idx[order]])
    return results, Reach(corpus.ids, best_against, -np.inf)


def _dense_index(corpus: Corpus, claim_ids: Sequence[int], depth: int, time_weight: float):
    """Through the index: the INDEX_DEPTH nearest by cosine, then chosen by cosine minus staleness like
    the exact path (a claim further than the INDEX_DEPTH-th by cosine is out of reach: approximate)."""
    assert corpus.index is not None
    results: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    best: dict[int, float] = {}
    floor = -np.inf
    count = max(INDEX_DEPTH, depth)
    for start in range(0, len(claim_ids), QUERY_CHUNK):
        chunk = list(claim_ids[start:start + QUERY_CHUNK])
        found = nearest(corpus.index, corpus.vectors_of(chunk), count + 1)
        corpus.load({int(c) for ids, _ in found for c in ids})
        for claim_id, (ids, cosines) in zip(chunk, found):
            if len(ids) >= count + 1:
                floor = max(floor, float(cosines[-1]))
            source, day = corpus.source_of(claim_id), corpus.day_of(claim_id)
            keep = np.array([int(c) in corpus.info and corpus.source_of(int(c)) != source for c in ids], dtype=bool)
            ids, cosines = ids[keep] if len(ids) else ids, cosines[keep] if len(ids) else cosines
            select: np.ndarray = cosines
            if time_weight and len(ids):
                other_days = np.array([corpus.day_of(int(c)) for c in ids], dtype=np.float64)
                select = cosines - time_weight * _stale(np.array([day]), other_days)[0]
            for c, s in zip(ids, select):
                best[int(c)] = max(best.get(int(c), -np.inf), float(s))
            order = np.lexsort((-ids, -select))[:depth] if depth else np.zeros(0, dtype=np.int64)
            results[claim_id] = (ids[order], cosines[order])
    ids = np.fromiter(best, dtype=np.int64, count=len(best))
    return results, Reach(ids, np.fromiter(best.values(), dtype=np.float32, count=len(best)), floor)


def candidate_pool(db: Database, corpus: Corpus, claim_id: int, dense: tuple[np.ndarray, np.ndarray] | None,
                   method: str, *, context: bool = True) -> list[PoolEntry]:
    """The dense and lexical candidates of a claim (other sources only), each with both scores;
    without `context`, with none of the story terms (an upper bound of each fused score: rank())."""
    query = corpus.text_of(claim_id)
    source_id = corpus.source_of(claim_id)
    dense_scores: dict[int, float] = {}
    if dense is not None:
        ids, scores = dense
        dense_scores = {int(c): float(s) for c, s in zip(ids, scores)}
    lexical: dict[int, float] = {}
    # hybrid through a batch's lexicon: bm25 of the dense candidates and the claim itself, same pass;
    # None: they are scored below (corpus.bm25) once the pool is known.
    scored: dict[int, float] | None = None
    found = None
    if method == "hybrid" and corpus.lexicon is not None:
        found = corpus.lexicon.candidates(query, [*dense_scores, claim_id], limit=CANDIDATES,
                                          exclude_source_id=source_id)
    if found is not None:
        top, scored = found
        lexical = dict(top)
    elif method in ("hybrid", "lexical"):
        lexical = dict(lexical_search(db, query, limit=CANDIDATES, exclude_source_id=source_id))
    pool = set(dense_scores) | set(lexical)
    corpus.load(pool)
    context = context and method == "hybrid"  # only the hybrid score reads the story terms
    if context:
        corpus.stories.load([claim_id, *pool])  # one statement for every candidate's article names
    own = 0.0
    if method == "hybrid" and pool:
        missing = [c for c in pool if c not in lexical] + [claim_id]
        lexical.update({c: scored[c] for c in missing if c in scored} if scored is not None
                       else corpus.bm25.scores(query, missing))
        own = lexical.pop(claim_id, 0.0)
        missing_dense = [c for c in pool if c not in dense_scores]
        if missing_dense:
            cosines = corpus.vectors_of(missing_dense) @ corpus.vectors_of([claim_id])[0]
            dense_scores.update({c: float(s) for c, s in zip(missing_dense, cosines)})
    return [pool_entry(corpus, claim_id, c, dense_scores.get(c), lexical.get(c, 0.0 if method == "hybrid" else None),
                       own, context=context) for c in pool]


def pool_entry(corpus: Corpus, claim_id: int, other: int, dense: float | None, lexical: float | None,
               own: float, *, context: bool = True) -> PoolEntry:
    """One candidate with every signal the fused score uses; ranking and incremental checks share it
    so that a spliced match scores exactly as a re-match would score it. Without `context` the story
    terms are left at 0: they only subtract, so its fused score bounds the true one from above."""
    share = min(1.0, lexical / own) if own > 0 and lexical else 0.0
    when = staleness(corpus.day_of(claim_id), corpus.day_of(other))
    entry = PoolEntry(other, dense, lexical, share, when)
    return in_context(corpus, claim_id, entry) if context else entry


def in_context(corpus: Corpus, claim_id: int, entry: PoolEntry) -> PoolEntry:
    """The entry with its story terms (stories.py): reading an article's names costs about a
    millisecond, so rank() and incremental.py ask only for candidates that can still make a top."""
    other = entry.claim_id
    return replace(entry, other_story=corpus.stories.other_story(claim_id, other),
                   other_fact=other_fact(corpus.info[claim_id].text, corpus.info[other].text))


def rank(db: Database, corpus: Corpus, claim_id: int, dense: tuple[np.ndarray, np.ndarray] | None,
         settings: MatchSettings, reranker) -> tuple[list[Candidate], float | None]:
    """The claim's top-k, and its entry bar: the method's score (fused for hybrid, even with a reranker)
    a newcomer must reach to enter the results (None when any newcomer would: fewer candidates than k,
    or than the reranker's depth)."""
    depth = RERANK_DEPTH if reranker is not None else settings.k
    pool = candidate_pool(db, corpus, claim_id, dense, settings.method, context=False)
    candidates = [Candidate(e.claim_id, float(fused_score(e, settings.method)), e.dense, e.lexical) for e in pool]
    if settings.method == "hybrid":
        candidates = _with_context(corpus, claim_id, pool, max(depth, settings.k * POOL_FACTOR))
    candidates.sort(key=lambda cand: (-cand.score, -cand.claim_id))
    bar = candidates[depth - 1].score if len(candidates) >= depth else None
    if reranker is not None and candidates:
        query = corpus.text_of(claim_id)
        top = candidates[:RERANK_DEPTH]
        pairs = [(query, corpus.text_of(c.claim_id)) for c in top]
        raw = np.asarray(reranker.predict(pairs), dtype=np.float64).reshape(len(top), -1)[:, -1]
        reranked = [
            Candidate(c.claim_id, float(1 / (1 + np.exp(-r))), c.dense, c.lexical, float(r))
            for c, r in zip(top, raw)
        ]
        reranked.sort(key=lambda cand: (-cand.score, -cand.claim_id))
        candidates = reranked
    # More than k: write_matches folds copies of one story, and the top-k independent sources need them.
    return candidates[: settings.k * POOL_FACTOR], bar


def _with_context(corpus: Corpus, claim_id: int, pool: list[PoolEntry], keep: int) -> list[Candidate]:
    """The pool's best `keep` candidates by their true fused score, story terms read for as few as it
    takes: in order of the score without them (an upper bound), until the next bound is below the
    `keep`-th true score found (every candidate left then scores less, so none of them is in the top)."""
    bounded = sorted(((float(fused_score(e, "hybrid")), e) for e in pool), key=lambda b: (-b[0], -b[1].claim_id))
    corpus.stories.load([claim_id, *(e.claim_id for _, e in bounded[:2 * keep])])  # one statement, most asked
    found: list[Candidate] = []
    best: list[float] = []  # a min-heap of the `keep` best true scores so far
    for bound, entry in bounded:
        if len(best) >= keep and bound < best[0]:
            break
        entry = in_context(corpus, claim_id, entry)
        score = float(fused_score(entry, "hybrid"))
        found.append(Candidate(entry.claim_id, score, entry.dense, entry.lexical))
        if len(best) < keep:
            heapq.heappush(best, score)
        elif score > best[0]:
            heapq.heapreplace(best, score)
    return found

