"""Embedding throughput, claims/s: the workbench's path against plain sentence-transformers, same run.

    python benchmarks/embedding.py [--texts FILE] [--count N] [--rounds R] [--threads T] [--json OUT]

Three cases on the same real claims, each round running all three in a rotated order (the machine is
shared, so only ratios measured side by side mean anything):

- plain fp32: `SentenceTransformer(packaged all-MiniLM-L6-v2).encode(texts, batch_size=64)`, the baseline;
- workbench fp32: `ensure_embeddings` with `--model all-MiniLM-L6-v2` into a real SQLite file (what
  ingest does: find the claims without a vector, embed, write);
- workbench default: the same with the default model, all-MiniLM-L6-v2-int8 (built first if needed).

Texts: the demo corpus's claims (as the workbench splits them, and its fact-checks), repeated to
--count; or --texts FILE, one text per line, or a CheckThat! TSV (a collection with a `vclaim` column,
or `query_id<TAB>text` queries). Prints a table of medians and ratios; --json writes every figure.
Also reports the cosine of the default model's vectors to plain fp32's on these texts. --threads T
gives torch and OpenVINO T threads each (default: theirs, one per core); on a machine loaded by
others, --threads 1 compares the arithmetic without the thread-synchronisation costs that load adds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from common import Row  # noqa: E402
from workbench.config import DEFAULT_MODEL, FP32_MODEL, INT8_MODEL  # noqa: E402
from workbench.db import open_database, write  # noqa: E402
from workbench.embedding import (Int8Embedder, SentenceTransformerEmbedder, demo_claim_texts,  # noqa: E402
                                 ensure_embeddings, load_embedder, packaged_model_path)
from workbench.ingest import ingest_claims  # noqa: E402
from workbench.reading import ClaimInput  # noqa: E402


def read_texts(path: str | None, count: int) -> tuple[str, list[str]]:
    """(what the texts are, the texts): the demo claims repeated to `count`, or the file's first `count`."""
    if path is None:
        demo = demo_claim_texts()
        return (f"demo corpus claims ({len(demo)}) repeated to {count}",
                [demo[i % len(demo)] for i in range(count)])
    from workbench.evaluation.readers import clean_text, read_collection, read_queries

    first = Path(path).read_text(encoding="utf-8").split("\n", 1)[0]
    if path.endswith(".tsv") and "vclaim" in first.split("\t"):
        texts = [doc.text for doc in read_collection(path)]
    elif path.endswith(".tsv"):
        texts = [clean_text(query.text) for query in read_queries(path)]
    else:
        texts = [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return f"{path} (first {min(count, len(texts))} of {len(texts)})", texts[:count]


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def workbench_case(db_path: Path, texts: list[str], embedder) -> Callable[[], float]:
    """A run: the claims stored without vectors (untimed), then ensure_embeddings timed."""
    db = open_database(db_path)
    ingest_claims(db, [ClaimInput(text=text, origin=f"bench:{i + 1}", external_id=str(i), source="Bench")
                       for i, text in enumerate(texts)])

    def run() -> float:
        with write(db):
            db.execute("DELETE FROM embeddings")
        started = time.perf_counter()
        done = ensure_embeddings(db, embedder)
        elapsed = time.perf_counter() - started
        assert done == len(texts), (done, len(texts))
        return elapsed

    return run


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", help="one text per line, or a CheckThat! TSV (default: the demo claims)")
    parser.add_argument("--count", type=int, default=500, help="texts per run (default 500)")
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds (default 3)")
    parser.add_argument("--threads", type=int, help="threads for torch and OpenVINO (default: theirs)")
    parser.add_argument("--json", dest="json_out", help="write every figure here")
    args = parser.parse_args(argv)
    described, texts = read_texts(args.texts, args.count)
    load_before = os.getloadavg()

    import torch
    from sentence_transformers import SentenceTransformer

    if args.threads:
        torch.set_num_threads(args.threads)
    plain_model = SentenceTransformer(str(packaged_model_path()), device="cpu")
    started = time.perf_counter()
    # The default model as ingest loads it; built on first use (reported on stderr).
    default = Int8Embedder(threads=args.threads) if DEFAULT_MODEL == INT8_MODEL else load_embedder()
    load_seconds = time.perf_counter() - started
    fp32 = SentenceTransformerEmbedder(FP32_MODEL, device="cpu")

    def plain() -> float:
        started = time.perf_counter()
        plain_model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="embedding-bench-") as scratch:
        cases: dict[str, Callable[[], float]] = {
            "plain fp32 encode": plain,
            f"workbench {FP32_MODEL}": workbench_case(Path(scratch) / "fp32.db", texts, fp32),
            f"workbench {default.name}": workbench_case(Path(scratch) / "default.db", texts, default),
        }
        names = list(cases)
        for name in names:  # warm-up: first calls allocate and pick kernels
            cases[name]()
        runs: dict[str, list[float]] = {name: [] for name in names}
        for round_ in range(args.rounds):
            for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                runs[name].append(len(texts) / cases[name]())
                print(f"round {round_ + 1}: {name:<34} {runs[name][-1]:8.1f} claims/s", file=sys.stderr)

    reference = plain_model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    cosines = (default.embed_batch(texts) * reference).sum(axis=1)
    baseline = statistics.median(runs[names[0]])
    rows = [{"case": name, "claims_per_s_median": round(statistics.median(values), 1),
             "ratio_to_plain_fp32": round(statistics.median(values) / baseline, 2),
             "runs": [round(v, 1) for v in values]} for name, values in runs.items()]
    threads = f"{args.threads} thread(s) each" if args.threads else "default threads"
    print(f"\n{len(texts)} texts: {described}; {args.rounds} alternated rounds, medians; {threads}\n")
    print(f"{'case':<36}{'claims/s':>10}{'x plain':>9}")
    for row in rows:
        print(f"{row['case']:<36}{row['claims_per_s_median']:>10.1f}{row['ratio_to_plain_fp32']:>9.2f}")
    print(f"\n{default.name} vs plain fp32 vectors: cosine min {cosines.min():.4f}, mean {cosines.mean():.4f}")
    result = {
        "benchmark": "embedding throughput", "texts": described, "count": len(texts), "rounds": args.rounds,
        "threads": args.threads,
        "default_model": DEFAULT_MODEL, "default_load_seconds": round(load_seconds, 2), "cases": rows,
        "cosine_to_plain_fp32": {"min": round(float(cosines.min()), 4), "mean": round(float(cosines.mean()), 4)},
        "machine": {"cpu": cpu_name(), "cores": os.cpu_count(),
                    "torch_threads": torch.get_num_threads(), "load_average_before": load_before,
                    "load_average_after": os.getloadavg()},
    }
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    # The suite's rows (benchmarks/run.py): claims/s of each path against plain fp32 encode.
    return [Row("embedding", f"{name} ({len(texts)} claims)", "throughput", "claims/s",
                statistics.median(values), baseline if name != names[0] else None,
                statistics.median(values) / baseline if name != names[0] else None,
                ">= 2.5x" if name.endswith(default.name) and default.name != FP32_MODEL else None,
                statistics.median(values) / baseline >= 2.5 if name.endswith(default.name) and default.name != FP32_MODEL
                else None, len(values), None,
                f"cosine to fp32 min {cosines.min():.3f}" if name.endswith(default.name) else "")
            for name, values in runs.items()]


if __name__ == "__main__":
    main()
