"""Build (or find cached) the claims.db corpora the scale benchmarks read, and time it.

    python benchmarks/build_corpora.py [--full] [--seeds FILE] [--json OUT]

Default: the matched 30k and 100k corpora (corpus.cached_corpus(n, seeds, matched=True)); --full adds
1M. run.py runs this first, so that on a clean clone the time spent building them counts in the
suite's wall time instead of hiding inside the first benchmark that needs one. A corpus already
cached is reported with 0 s to build ("cached").
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import Row, report  # noqa: E402
from corpus import CACHE, cached_corpus, load_seeds  # noqa: E402


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="also the 1M-claim corpus")
    parser.add_argument("--sizes", type=lambda text: [int(n) for n in text.split(",")], default=[30_000, 100_000],
                        help="comma-separated claim counts (default 30000,100000)")
    parser.add_argument("--seeds", default=os.environ.get("BENCH_SEEDS") or None)
    parser.add_argument("--json", help="write the rows here")
    args = parser.parse_args(argv)
    sizes = args.sizes + ([1_000_000] if args.full else [])
    started = time.perf_counter()
    seeds = load_seeds(args.seeds)
    rows = [Row("corpora", f"seeds ({len(seeds.texts):,} sentences)", "load or embed", "s",
                time.perf_counter() - started, note=args.seeds or "the demo claims")]
    for size in sizes:
        started = time.perf_counter()
        path = cached_corpus(size, seeds, matched=True)
        seconds = time.perf_counter() - started
        rows.append(Row("corpora", f"{size:,} claims, matched", "build", "s", seconds,
                        note=f"{'cached' if seconds < 1 else 'built'}: {path.relative_to(CACHE.parent) if CACHE.parent in path.parents else path}"))
    report(rows, args.json, title="corpora")
    return rows


if __name__ == "__main__":
    main()
