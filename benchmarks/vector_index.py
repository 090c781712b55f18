"""Top-10 through the workbench's vector index at 1M claims: query latency and recall@10 against exact search.

    python benchmarks/vector_index.py [--size 1000000] [--queries 200] [--json OUT]

The index is the one matching uses (workbench.matching.index.VectorIndex: faiss HNSW, the same
settings, one thread per query). The vectors are those benchmarks/corpus.py gives its claims (real seed
embeddings mixed with a neighbour's and noise, 3% exact copies), generated in memory: no claims.db is
built, because what is measured here is the index alone (matching_scale measures the whole incremental
path through claims.db at 30k and 100k). Queries are held-out seed-like vectors (other variants of the
seeds, not in the index), searched one at a time, as matching searches each new claim. Baseline in the
same run: exact search (one matrix product per query over every vector).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from common import Row, median, p95, peak_rss_mb, report  # noqa: E402
from corpus import load_seeds, synthesize  # noqa: E402


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    from workbench.matching.index import ADD_BATCH, VectorIndex

    seeds = load_seeds(os.environ.get("BENCH_SEEDS") or None)
    _, vectors, _ = synthesize(seeds, args.size + args.queries, np.random.default_rng(11))
    stored, queries = vectors[: args.size], vectors[args.size:]
    started = time.perf_counter()
    index = VectorIndex.empty(vectors.shape[1])
    for start in range(0, args.size, ADD_BATCH):
        index.add(np.arange(start, min(args.size, start + ADD_BATCH), dtype=np.int64), stored[start:start + ADD_BATCH])
    build = time.perf_counter() - started
    found, exact_ms, index_ms = 0, [], []
    for query in queries:
        started = time.perf_counter()
        keys, _ = index.search(query[None, :], 10)
        index_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        truth = np.argpartition(-(stored @ query), 9)[:10]
        exact_ms.append((time.perf_counter() - started) * 1000)
        found += len(set(keys[0].tolist()) & set(truth.tolist()))
    recall = found / (10 * len(queries))
    case = f"{args.size:,} vectors, top-10"
    big = args.size >= 1_000_000
    rows = [
        Row("vector_index", case, "query p95", "ms", p95(index_ms), p95(exact_ms), p95(exact_ms) / p95(index_ms),
            "p95 < 50 ms" if big else None, p95(index_ms) < 50 if big else None, len(index_ms), p95(index_ms),
            f"median {median(index_ms):.2f} ms; baseline: exact search, p95 of one matrix product per query"),
        Row("vector_index", case, "recall@10", "", recall, 1.0, None, ">= 0.98", recall >= 0.98, len(queries)),
        Row("vector_index", case, "index build", "s", build, note=f"peak RSS {peak_rss_mb():.0f} MB"),
    ]
    report(rows, args.json, title="The vector index alone: top-10 latency and recall against exact search")
    return rows


if __name__ == "__main__":
    main()
