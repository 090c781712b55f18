"""Fitting the fusion weights: candidate pools with every signal, scored offline on train qrels.

`workbench eval retrieval` measures the product with the weights in matching.FUSION_WEIGHTS; this
module is how those weights were chosen (benchmarks/tune_fusion.py): fit on train, check on dev.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlite_utils import Database

from ..db import memory_database
from ..embedding import Embedder, ensure_embeddings
from ..matching import CANDIDATES, FUSION_WEIGHTS, Corpus, PoolEntry, candidate_pool, dense_top
from . import cache as vector_cache
from .harness import ingest_collection, ingest_queries, transcript_contexts
from .metrics import evaluate
from .readers import read_collection, read_qrels, read_queries


def build_pools(collection: str | Path, queries: str | Path, qrels: Sequence[str | Path], *, embedder: Embedder,
                cache: Path | None, context_window: int = 3, db: Database | None = None):
    """(pools by query id, external id by claim id, published by claim id, qrels by file)."""
    judged = [read_qrels(path) for path in qrels]
    wanted_ids = set().union(*(set(j) for j in judged))
    all_queries = read_queries(queries)
    db = db if db is not None else memory_database()
    docs = read_collection(collection)
    ingest_collection(db, docs)
    query_claims = ingest_queries(db, [q for q in all_queries if q.id in wanted_ids],
                                  transcript_contexts(all_queries, context_window))
    if cache is not None:
        vector_cache.prefill(db, embedder.name, cache)
    ensure_embeddings(db, embedder)
    if cache is not None:
        vector_cache.store(db, embedder.name, cache)
    corpus = Corpus(db, embedder.name)
    ids = list(query_claims.values())
    dense, _ = dense_top(corpus, ids, CANDIDATES, FUSION_WEIGHTS["time"] / FUSION_WEIGHTS["dense"])
    pools = {query_id: candidate_pool(db, corpus, claim_id, dense.get(claim_id), "hybrid")
             for query_id, claim_id in query_claims.items()}
    meta = {row[0]: (row[1], row[2]) for row in db.execute(
        "SELECT c.id, c.external_id, a.published FROM claims c JOIN articles a ON a.id = c.article_id")}
    return pools, meta, query_claims, judged


def score_pools(pools: dict[str, list[PoolEntry]], meta: dict, qrels: dict[str, set[str]],
                score: Callable[[str, PoolEntry], float], k: int = 10) -> dict[str, float]:
    run = {}
    for query_id in qrels:
        entries = pools.get(query_id, [])
        ranked = sorted(entries, key=lambda e: (-score(query_id, e), -e.claim_id))[:k]
        run[query_id] = [(meta[e.claim_id][0], score(query_id, e)) for e in ranked]
    return evaluate(run, qrels)
