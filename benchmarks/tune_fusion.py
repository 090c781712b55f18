"""How the fusion weights in workbench/matching.py were chosen: fit on TRAIN qrels, report DEV.

    .venv/bin/python benchmarks/tune_fusion.py ../shared/data/checkthat2022-2a ../shared/data/checkthat2022-2b

Each folder holds vclaims.tsv, queries-train-dev.tsv, qrels-train.tsv, qrels-dev.tsv (CheckThat! 2022
Task 2). Candidate pools are built once with the product's own code (matching.candidate_pool); the
weights are then searched offline on the train queries only, summed over the folders given, and the
chosen weights are printed with their dev scores. Nothing here looks at held-out data.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.embedding import load_embedder  # noqa: E402
from workbench.evaluation.cache import default_cache_path  # noqa: E402
from workbench.evaluation.tuning import build_pools, score_pools  # noqa: E402
from workbench.matching import staleness  # noqa: E402


def main(folders: list[str], context_window: int = 2) -> None:
    embedder = load_embedder()
    sets = []
    for folder in map(Path, folders):
        started = time.perf_counter()
        pools, meta, query_claims, (train, dev) = build_pools(
            folder / "vclaims.tsv", folder / "queries-train-dev.tsv",
            [folder / "qrels-train.tsv", folder / "qrels-dev.tsv"], embedder=embedder, cache=default_cache_path(),
            context_window=context_window)
        print(f"{folder.name}: pools for {len(pools)} queries in {time.perf_counter() - started:.0f} s", flush=True)
        sets.append((folder.name, pools, meta, query_claims, train, dev))

    def scorer(meta, query_claims, w_lex, w_time, scale=None):
        def score(query_id, entry):
            stale = staleness(meta[query_claims[query_id]][1], meta[entry.claim_id][1], scale) if w_time else 0.0
            return ((entry.dense or 0.0) + w_lex * entry.lexical_share - w_time * stale) / (1.0 + w_lex)
        return score

    grid = list(itertools.product([0.0, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0], [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7],
                                  [90.0, 365.0, 1000.0]))
    results = []
    for w_lex, w_time, scale in grid:
        if w_time == 0 and scale != 365.0:
            continue
        row = {}
        for name, pools, meta, query_claims, train, dev in sets:
            score = scorer(meta, query_claims, w_lex, w_time, scale)
            row[name] = (score_pools(pools, meta, train, score)["MAP@5"], score_pools(pools, meta, dev, score)["MAP@5"])
        results.append(((w_lex, w_time, scale), row))
    results.sort(key=lambda item: -sum(train for train, _ in item[1].values()))
    print("w_lex w_time  days  " + "  ".join(f"{name} train / dev" for name, *_ in sets))
    for (w_lex, w_time, scale), row in results[:15]:
        print(f"{w_lex:5.2f} {w_time:6.2f} {scale:5.0f}  " + "  ".join(f"{t:.4f} / {d:.4f}" for t, d in row.values()))
    for label, wanted in (("dense only", (0.0, 0.0)), ("dense + lexical", (0.3, 0.0))):
        for (w, t, scale), row in results:
            if (w, t) == wanted:
                print(f"{label} ({w}, {t}):", "  ".join(f"{a:.4f} / {b:.4f}" for a, b in row.values()))
    (w_lex, w_time, scale), _ = results[0]
    min_score(sets, lambda m, q, w, t: scorer(m, q, w, t, scale), w_lex, w_time)


def min_score(sets, scorer, w_lex, w_time, keep=0.95) -> None:
    """The default minimum score: the highest threshold that still shows `keep` of the true matches
    found in the top 5 of the TRAIN queries (both sets), and how many wrong matches it hides."""
    right, wrong = [], []
    for name, pools, meta, query_claims, train, dev in sets:
        score = scorer(meta, query_claims, w_lex, w_time)
        for query_id, relevant in train.items():
            ranked = sorted(pools.get(query_id, []), key=lambda e: -score(query_id, e))[:5]
            for entry in ranked:
                (right if meta[entry.claim_id][0] in relevant else wrong).append(score(query_id, entry))
    right.sort()
    threshold = right[int(len(right) * (1 - keep))]
    hidden = sum(1 for s in wrong if s < threshold) / len(wrong)
    print(f"min score keeping {keep:.0%} of true top-5 matches (train): {threshold:.3f}; "
          f"hides {hidden:.0%} of the {len(wrong)} wrong ones")


if __name__ == "__main__":
    window = int(sys.argv[1].split("=")[1]) if sys.argv[1].startswith("--context-window=") else 3
    main([a for a in sys.argv[1:] if not a.startswith("--")], window)
