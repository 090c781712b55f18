"""Candidates and ranking: the dense and lexical candidates of a claim, fused, optionally reranked."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlite_utils import Database

from ..db import query_rows
from ..embedding import embedding_text, load_vectors
from ..lexical import lexical_scores, lexical_search
from .copies import POOL_FACTOR
from .scoring import (CANDIDATES, QUERY_CHUNK, RERANK_DEPTH, TIME_SCALE_DAYS, Candidate, MatchSettings, PoolEntry,
                      day_number, fused_score, staleness)


class Corpus:
    """Every stored claim with its source and vector, loaded once per match run."""

    def __init__(self, db: Database, model: str):
        rows = list(query_rows(db,
            """SELECT c.id, c.source_id, c.text, c.context, a.published
               FROM claims c JOIN articles a ON a.id = c.article_id ORDER BY c.id"""
        ))
        self.ids = np.fromiter((r["id"] for r in rows), dtype=np.int64, count=len(rows))
        self.sources = np.fromiter((r["source_id"] for r in rows), dtype=np.int64, count=len(rows))
        self.position = {int(r["id"]): i for i, r in enumerate(rows)}
        self.texts = {int(r["id"]): (r["text"], r["context"]) for r in rows}
        self.days = np.fromiter((day_number(r["published"]) for r in rows), dtype=np.float64, count=len(rows))
        vec_ids, matrix = load_vectors(db, model)
        if len(vec_ids) != len(self.ids) or not np.array_equal(vec_ids, self.ids):
            # Claims without a vector (a cancelled embedding run) are left out of dense search.
            full = np.zeros((len(self.ids), matrix.shape[1] if matrix.size else 1), dtype=np.float32)
            for i, claim_id in enumerate(vec_ids):
                full[self.position[int(claim_id)]] = matrix[i]
            matrix = full
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)

    def source_of(self, claim_id: int) -> int:
        return int(self.sources[self.position[claim_id]])


def dense_top(corpus: Corpus, claim_ids: Sequence[int], depth: int, time_weight: float = 0.0):
    """For each claim: (positions, cosines) of its `depth` nearest claims of other sources, best first.

    Also returns, per stored claim, the best `cosine - time_weight x staleness` any of `claim_ids` (of
    another source) reached with it: the dense part of the fused score, which bounds from above what a
    new claim can score as a match of each older claim (incremental matching).
    """
    n = len(corpus.ids)
    best_against = np.full(n, -np.inf, dtype=np.float32)
    results: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if n == 0 or not corpus.matrix.size:
        return results, best_against
    for start in range(0, len(claim_ids), QUERY_CHUNK):
        chunk = list(claim_ids[start:start + QUERY_CHUNK])
        rows = np.array([corpus.position[c] for c in chunk], dtype=np.int64)
        sims = corpus.matrix[rows] @ corpus.matrix.T  # chunk x n
        same_source = corpus.sources[rows][:, None] == corpus.sources[None, :]
        sims[same_source] = -np.inf
        # Candidates are chosen by what the fused score will reward: cosine minus staleness.
        select = sims
        if time_weight:
            gaps = np.abs(corpus.days[rows][:, None] - corpus.days[None, :])
            stale = np.nan_to_num(1.0 - np.exp(-gaps / TIME_SCALE_DAYS), nan=0.0)
            select = sims - time_weight * stale.astype(np.float32)
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
            scores = sims[i, idx]
            keep = np.isfinite(scores)
            idx, scores = idx[keep], scores[keep]
            order = np.lexsort((-corpus.ids[idx], -select[i, idx]))
            results[claim_id] = (idx[order], scores[order])
    return results, best_against


def candidate_pool(db: Database, corpus: Corpus, claim_id: int, dense: tuple[np.ndarray, np.ndarray] | None,
                   method: str) -> list[PoolEntry]:
    """The dense and lexical candidates of a claim (other sources only), each with both scores."""
    text, context = corpus.texts[claim_id]
    query = embedding_text(text, context)
    source_id = corpus.source_of(claim_id)
    dense_scores: dict[int, float] = {}
    if dense is not None:
        idx, scores = dense
        dense_scores = {int(corpus.ids[i]): float(s) for i, s in zip(idx, scores)}
    lexical: dict[int, float] = {}
    if method in ("hybrid", "lexical"):
        lexical = dict(lexical_search(db, query, limit=CANDIDATES, exclude_source_id=source_id))
    pool = set(dense_scores) | set(lexical)
    own = 0.0
    if method == "hybrid" and pool:
        missing = [c for c in pool if c not in lexical] + [claim_id]
        lexical.update(lexical_scores(db, query, missing))
        own = lexical.pop(claim_id, 0.0)
        missing_dense = [c for c in pool if c not in dense_scores]
        if missing_dense and corpus.matrix.size:
            qv = corpus.matrix[corpus.position[claim_id]]
            for c in missing_dense:
                dense_scores[c] = float(corpus.matrix[corpus.position[c]] @ qv)
    return [pool_entry(corpus, claim_id, c, dense_scores.get(c), lexical.get(c, 0.0 if method == "hybrid" else None),
                       own) for c in pool]


def pool_entry(corpus: Corpus, claim_id: int, other: int, dense: float | None, lexical: float | None,
               own: float) -> PoolEntry:
    """One candidate with every signal the fused score uses; ranking and incremental checks share it
    so that a spliced match scores exactly as a re-match would score it."""
    share = min(1.0, lexical / own) if own > 0 and lexical else 0.0
    when = staleness(float(corpus.days[corpus.position[claim_id]]), float(corpus.days[corpus.position[other]]))
    return PoolEntry(other, dense, lexical, share, when)


def rank(db: Database, corpus: Corpus, claim_id: int, dense: tuple[np.ndarray, np.ndarray] | None,
         settings: MatchSettings, reranker) -> tuple[list[Candidate], float | None]:
    """The claim's top-k, and its entry bar: the method's score (fused for hybrid, even with a reranker)
    a newcomer must reach to enter the results (None when any newcomer would: fewer candidates than k,
    or than the reranker's depth)."""
    pool = candidate_pool(db, corpus, claim_id, dense, settings.method)
    candidates = [Candidate(e.claim_id, float(fused_score(e, settings.method)), e.dense, e.lexical) for e in pool]
    candidates.sort(key=lambda cand: (-cand.score, -cand.claim_id))
    depth = RERANK_DEPTH if reranker is not None else settings.k
    bar = candidates[depth - 1].score if len(candidates) >= depth else None
    if reranker is not None and candidates:
        query = embedding_text(*corpus.texts[claim_id])
        top = candidates[:RERANK_DEPTH]
        pairs = [(query, embedding_text(*corpus.texts[c.claim_id])) for c in top]
        raw = np.asarray(reranker.predict(pairs), dtype=np.float64).reshape(len(top), -1)[:, -1]
        reranked = [
            Candidate(c.claim_id, float(1 / (1 + np.exp(-r))), c.dense, c.lexical, float(r))
            for c, r in zip(top, raw)
        ]
        reranked.sort(key=lambda cand: (-cand.score, -cand.claim_id))
        candidates = reranked
    # More than k: write_matches folds copies of one story, and the top-k independent sources need them.
    return candidates[: settings.k * POOL_FACTOR], bar
