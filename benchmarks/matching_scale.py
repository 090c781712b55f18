"""One new 20-claim article matched into 30k and 100k stored claims (1M with --full): the vector index
against exact search, in the same run.

    WORKBENCH_BENCH_CACHE=... python benchmarks/matching_scale.py [--full] [--articles 5] [--json OUT]
        [--before /path/to/other/checkout]

For each size a cached corpus (benchmarks/corpus.py: real seed sentences and their real vectors,
seeds from $BENCH_SEEDS, CheckThat! 2022 2A verified claims under make bench; 30k and 100k `--matched`, 1M bare) is copied twice, once
per path; each copy is matched by a worker process of its own (so peak RSS is the path's own):
- exact: WORKBENCH_INDEX=never (the matrix product over every vector);
- index: WORKBENCH_INDEX=always (the faiss HNSW index; its first build is timed separately).
Each worker ingests `--articles` new articles of 20 seed sentences (a different sample each, one new
source, today's date) and matches each with `match_claims(new claim ids)`: its own top-k ("own"), then
the older claims that gain it ("older"); medians and p95 over the articles. The index worker then
measures top-10 queries (200 other seed vectors, one at a time) and recall@10 against exact search.
`--before ROOT` runs the index worker once more with another checkout's code first on the path (the
code before this change), on its own fresh copy: the path the 100k target is measured on.
`--fresh N` (with --before) then measures what a reviewer meets at `workbench ingest` of one article:
N more articles, each matched by a new process (the index file read, nothing warm), alternating
between the two checkouts (each on its own copy, growing by one article a process), so that both meet
the same load; medians, p95 and the ratio of the "first article of a process" times.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

# The workbench measured: this checkout's, or the one `--before` names (passed to its worker).
CODE = os.environ.get("MATCHING_SCALE_CODE") or str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, CODE)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, median, p95, peak_rss_mb, report  # noqa: E402

# The seeds of the large corpora: $BENCH_SEEDS (make bench passes CheckThat! vclaims when it has them),
# else the demo claims (benchmarks/corpus.py).
SEEDS = os.environ.get("BENCH_SEEDS") or None
WORK = Path(os.environ.get("MATCHING_SCALE_WORK") or "/tmp/matching-scale")  # the working copies


def add_article(db, texts: list[str], number: int) -> list[int]:
    """One new article of a new source, one claim per sentence (spans into the article text)."""
    from workbench.db import timestamp, write

    with write(db):
        source_id = db.execute("SELECT id FROM sources WHERE name = 'Benchmark desk'").fetchone()
        source_id = source_id[0] if source_id else db.conn.execute(
            "INSERT INTO sources (name, kind) VALUES ('Benchmark desk', 'outlet')").lastrowid
        body = " ".join(texts)
        article_id = db.conn.execute(
            """INSERT INTO articles (source_id, title, published, text, content_hash, ingested_at)
               VALUES (?, ?, '2026-11-30', ?, ?, ?)""",
            [source_id, texts[0][:60], body, hashlib.sha256(f"bench{number}{body}".encode()).hexdigest(),
             timestamp()]).lastrowid
        ids, start = [], 0
        for position, text in enumerate(texts):
            ids.append(db.conn.execute(
                """INSERT INTO claims (article_id, source_id, position, span_start, span_end, text)
                   VALUES (?, ?, ?, ?, ?, ?)""", [article_id, source_id, position, start, start + len(text), text]
            ).lastrowid)
            start += len(text) + 1
    return ids


def worker(args) -> None:
    os.environ["WORKBENCH_INDEX"] = "always" if args.mode == "index" else "never"
    from corpus import load_seeds

    sys.path.insert(0, CODE)  # corpus.py puts its own checkout first: the code measured goes before it
    import workbench
    from workbench.db import open_database
    from workbench.embedding import load_embedder, load_vectors
    from workbench.matching import match_claims

    seeds = load_seeds(SEEDS)
    db = open_database(args.db)
    # The copy, and the backup a migration just wrote beside it (370 MB at 100k), are flushed before
    # anything is timed: their write-back would otherwise land in the first article of one side only.
    os.sync()
    embedder = load_embedder()
    out: dict = {"mode": args.mode, "own": [], "older": [], "total": [], "updated": [],
                 "code": str(Path(workbench.__file__).resolve().parent.parent)}
    if args.mode == "index" and not args.start:  # a --fresh process reads the index inside its match, as ingest does
        from workbench.matching.index import index_file, sync

        started = time.perf_counter()
        sync(db, embedder.name)
        out["build_s"] = time.perf_counter() - started
        out["file_mb"] = index_file(db, embedder.name).stat().st_size / 2**20
    rng = np.random.default_rng(11)
    for number in range(args.start + args.articles):
        texts = [seeds.texts[i] for i in rng.choice(len(seeds.texts), 20, replace=False)]
        if number < args.start:
            continue  # drawn by an earlier process on this copy
        ids = add_article(db, texts, number)
        result = match_claims(db, embedder, ids)
        out["own"].append(result.new_seconds)
        out["older"].append(result.seconds - result.new_seconds)
        out["total"].append(result.seconds)
        out["updated"].append(result.updated_older)
    out["rss_mb"] = peak_rss_mb()
    if args.start:  # a --fresh process: its one article is all it measures
        print("RESULT " + json.dumps(out))
        return
    queries = seeds.vectors[np.random.default_rng(5).choice(len(seeds.vectors), 200, replace=False)]
    ids, matrix = load_vectors(db, embedder.name)
    latency, hits = [], 0
    if args.mode == "index":
        from workbench.matching.index import open_index

        index = open_index(db, embedder.name, [])
        for query in queries:
            started = time.perf_counter()
            keys, _ = index.search(query[None, :], 10)
            latency.append(time.perf_counter() - started)
            truth = ids[np.argpartition(-(matrix @ query), 10)[:10]]
            hits += len(set(keys[0].tolist()) & set(truth.tolist()))
        out["recall10"] = hits / (10 * len(queries))
    else:
        for query in queries:
            started = time.perf_counter()
            np.argpartition(-(matrix @ query), 10)[:10]
            latency.append(time.perf_counter() - started)
    out["query_p95_ms"] = p95(latency) * 1000
    out["query_p50_ms"] = median(latency) * 1000
    print("RESULT " + json.dumps(out))


def run_worker(db: Path, mode: str, articles: int, code: str | None = None, start: int = 0) -> dict:
    root = code or str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root, "MATCHING_SCALE_CODE": root}
    done = subprocess.run([sys.executable, __file__, "--worker", "--mode", mode, "--db", str(db),
                           "--articles", str(articles), "--start", str(start)], env=env, capture_output=True, text=True)
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"worker {mode} on {db} failed:\n{done.stderr[-3000:]}")
    result = json.loads(line[len("RESULT "):])
    if Path(result["code"]) != Path(root).resolve():
        raise SystemExit(f"worker {mode} measured the workbench in {result['code']}, not {root}")
    return result


def remove(copy: Path) -> None:
    """The working copy and what opening it left (WAL, the pre-migration backup, the vector index)."""
    import shutil

    for path in copy.parent.glob(copy.name + "*"):
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def fresh_processes(source: Path, size: int, case: str, before: str, count: int) -> list[Row]:
    """One article per new process, alternating between this checkout and `before`, each on its own copy."""
    from corpus import working_copy

    copies = {side: working_copy(source, WORK / f"{size}-fresh-{side}.db") for side in ("this", "before")}
    times: dict[str, list[float]] = {"this": [], "before": []}
    for number in range(1, count + 1):
        for side in ("this", "before") if number % 2 else ("before", "this"):
            found = run_worker(copies[side], "index", 1, code=before if side == "before" else None, start=number)
            times[side] += found["total"]
    for copy in copies.values():
        remove(copy)
    this, then = median(times["this"]), median(times["before"])
    return [Row("matching_scale", case, "total, first article of a process (index)", "s", this, then,
                then / this if this else None, "< 2 s" if size == 100_000 else None,
                p95(times["this"]) < 2 if size == 100_000 else None, count, p95(times["this"]),
                f"baseline: --before {before}, alternated process by process; its p95 {p95(times['before']):.2f} s, "
                f"p95 ratio {p95(times['before']) / p95(times['this']):.2f}")]


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="also 1M claims (a bare corpus: takes long to build)")
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--sizes", default=None, help="comma-separated sizes (default 30000,100000)")
    parser.add_argument("--before", default=None, help="another checkout whose index path is measured too")
    parser.add_argument("--fresh", type=int, default=0,
                        help="with --before: this many more articles, one new process each, the two alternating")
    parser.add_argument("--json", default=None)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="exact", help=argparse.SUPPRESS)
    parser.add_argument("--db", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return []
    from corpus import cached_corpus, load_seeds, working_copy

    seeds = load_seeds(SEEDS)
    sizes = ([int(s) for s in args.sizes.split(",")] if args.sizes
             else [30_000, 100_000] + ([1_000_000] if args.full else []))
    rows: list[Row] = []
    for size in sizes:
        source = cached_corpus(size, seeds, matched=size <= 100_000)
        case = f"{size:,} claims, new 20-claim article"
        results = {}
        for mode in ("exact", "index"):
            copy = working_copy(source, WORK / f"{size}-{mode}.db")
            results[mode] = run_worker(copy, mode, args.articles)
            remove(copy)
        if args.before:
            copy = working_copy(source, WORK / f"{size}-before.db")
            results["before"] = run_worker(copy, "index", args.articles, code=args.before)
            remove(copy)
        if args.before and args.fresh:
            rows += fresh_processes(source, size, case, args.before, args.fresh)
        exact, index = results["exact"], results["index"]
        for phase, target in (("own", None), ("older", None), ("total", "< 2 s" if size == 100_000 else None)):
            value = median(index[phase])
            base = median(exact[phase])
            updated = median(index["updated"])
            rows.append(Row("matching_scale", case, f"{phase} (index)", "s", value, base,
                            base / value if value else None, target, value < 2 if target else None,
                            len(index[phase]), p95(index[phase]),
                            f"baseline: exact search in this checkout; older claims updated: median {updated:.0f}"))
            if "before" in results:
                before = median(results["before"][phase])
                faster = f"; this checkout {before / value:.1f}x faster" if value else ""
                rows.append(Row("matching_scale", case, f"{phase} (index, before)", "s", before, None, None, None,
                                None, len(results["before"][phase]), p95(results["before"][phase]),
                                f"--before {args.before}{faster}"))
        rows.append(Row("matching_scale", case, "peak RSS (index)", "MB", index["rss_mb"], exact["rss_mb"],
                        None, None, None, 1))
        rows.append(Row("matching_scale", case, "top-10 query (index)", "ms", index["query_p50_ms"],
                        exact["query_p50_ms"], exact["query_p50_ms"] / index["query_p50_ms"],
                        "p95 < 50 ms" if size == 1_000_000 else None,
                        index["query_p95_ms"] < 50 if size == 1_000_000 else None, 200, index["query_p95_ms"],
                        f"exact p95 {exact['query_p95_ms']:.1f} ms"))
        rows.append(Row("matching_scale", case, "recall@10 (index)", "", index["recall10"], 1.0, None, ">= 0.98",
                        index["recall10"] >= 0.98, 200))
        rows.append(Row("matching_scale", case, "index build", "s", index["build_s"], None, None, None, None, 1,
                        note=f"file {index['file_mb']:.0f} MB"))
    report(rows, args.json, title="One new article into a large collection: vector index vs exact search")
    return rows


if __name__ == "__main__":
    main()
