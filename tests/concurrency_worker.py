"""One process of the concurrency tests: runs a `workbench` command in a loop, in-process.

    python tests/concurrency_worker.py DB OUT.json mark REVIEWER N CLAIM_ID...
    python tests/concurrency_worker.py DB OUT.json ingest FOLDER N
    python tests/concurrency_worker.py DB OUT.json export FOLDER N

Each call goes through `workbench.cli.main` exactly as the command line does (a fresh --db open per
call). Failures and tracebacks are counted, never raised, and written with each call's latency to
OUT.json, so the test can report them all.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

import click

from workbench.cli import main

LABELS = ("corroborated", "disputed", "unverified")


def call(args: list[str], report: dict) -> None:
    started = time.perf_counter()
    try:
        main.main(args, standalone_mode=False)
    except click.ClickException as error:
        report["failures"].append(error.format_message())
    except Exception:  # the bug this test exists for: a raw traceback from a write
        report["tracebacks"].append(traceback.format_exc())
    report["latencies"].append(time.perf_counter() - started)


def run(db: str, kind: str, rest: list[str]) -> dict:
    report: dict = {"kind": kind, "calls": 0, "failures": [], "tracebacks": [], "latencies": []}
    if kind == "mark":
        reviewer, count, claims = rest[0], int(rest[1]), rest[2:]
        for i in range(count):
            call(["mark", claims[i % len(claims)], LABELS[i % 3], "--reviewer", reviewer, "--db", db], report)
            report["calls"] += 1
    else:
        folder, count = Path(rest[0]), int(rest[1])
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(count):
            if kind == "ingest":
                article = folder / f"article-{i}.txt"
                article.write_text(f"Loop article {i}. The council spent {i + 1000} euros on roads in {2000 + i}.\n",
                                   encoding="utf-8")
                call(["ingest", str(article), "--source", "Loop Wire", "--no-match", "--db", db], report)
            else:
                call(["export", "--format", "csv", "--out", str(folder / f"export-{i}.csv"), "--db", db], report)
            report["calls"] += 1
    return report


if __name__ == "__main__":
    db_path, out_path, command, *arguments = sys.argv[1:]
    Path(out_path).write_text(json.dumps(run(db_path, command, arguments)), encoding="utf-8")
