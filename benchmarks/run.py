"""`make bench`: run every benchmark script there is and print their rows as one table.

    python benchmarks/run.py [--full] [--only NAME ...] [--seeds FILE] [--json OUT] [--list]
    python benchmarks/run.py --only NAME -- ARGS...   # one benchmark with its own arguments

Each benchmark is a module in benchmarks/ with `main(argv: list[str] | None = None) -> list[Row]`
(common.Row). Each runs in its own process (`run.py --child NAME`), so one that crashes or runs
past its budget is reported and the rest still run, and each one's peak RSS is its own. A module
that does not exist is listed as "not run". The rows of all of them go into one table (target beside
baseline, "met"/"MISSED") and, with the machine and each benchmark's wall time, into
reports/bench-<UTC time>.json (or --json). Exit status 1 if a benchmark failed (crashed), else 0:
one not written yet or over its budget is reported, not an error.

Corpora are built first ("corpora": the cached matched 30k and 100k claims.db files, 1M with --full)
so that building them from scratch on a clean clone is timed and budgeted like everything else.
Seeds: --seeds FILE or $BENCH_SEEDS (a CheckThat! vclaims.tsv); default the demo claims. The seeds
reach each benchmark as $BENCH_SEEDS and, where SUITE names one, as its own flag.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from common import Row, machine, report, write_json  # noqa: E402


@dataclass(frozen=True)
class Bench:
    name: str  # the module benchmarks/<name>.py
    budget_s: float  # wall seconds before it is stopped (default run); see SUITE for the sum
    args: tuple[str, ...] = ()  # argv in the default run
    full_args: tuple[str, ...] = ()  # argv with --full (replaces args)
    seeds_flag: str | None = None  # the flag that takes the seeds file, if the script has one
    full_only: bool = False
    full_budget_s: float | None = None


# Order: cheap and independent first, then what needs the corpora built by "build_corpora". The budgets
# sum to 15 minutes with the corpora cached; building them from scratch takes ~1 min on an idle
# 2-core machine and up to 15 on a loaded one, so that one budget is generous: stopping it wastes it.
SUITE = [
    Bench("startup", 30),
    Bench("splitting", 90, args=("--mb", "0.2", "--runs", "1")),
    Bench("embedding", 120, args=("--count", "500", "--rounds", "3"), seeds_flag="--texts"),
    Bench("build_corpora", 900, full_args=("--full",), seeds_flag="--seeds", full_budget_s=3600),
    Bench("end_to_end", 420, args=("--articles", "10", "--articles-100k", "5", "--timeout", "60"),
          full_args=("--articles", "100", "--articles-100k", "20", "--runs", "3"), seeds_flag="--seeds",
          full_budget_s=1800),
    Bench("matching_scale", 300, args=("--articles", "3"), full_args=("--full", "--articles", "5"), full_budget_s=3600),
    Bench("vector_index", 60, args=("--size", "100000", "--queries", "100"), full_args=("--size", "1000000"),
          full_budget_s=1800),
    Bench("desk", 300, args=("--runs", "2", "--presses", "3", "--verdicts", "5000")),
    Bench("newsroom_day", 0, full_args=("--articles", "500", "--also", "250"), full_only=True, full_budget_s=7200),
]
STATUS_WIDTH = 16


@dataclass
class Outcome:
    name: str
    status: str  # ok | not run | failed | over budget | no rows
    seconds: float = 0.0
    budget_s: float = 0.0
    detail: str = ""
    rows: list[Row] = field(default_factory=list)


def argv_for(bench: Bench, full: bool, seeds: str | None) -> list[str]:
    argv = list(bench.full_args if full and (bench.full_args or bench.full_only) else bench.args)
    if seeds and bench.seeds_flag:
        argv += [bench.seeds_flag, seeds]
    return argv


def run_one(bench: Bench, argv: list[str], budget_s: float, scratch: Path) -> Outcome:
    """Run one benchmark in a child process within its budget and collect its rows."""
    if not (HERE / f"{bench.name}.py").exists():
        return Outcome(bench.name, "not run", budget_s=budget_s, detail=f"no benchmarks/{bench.name}.py")
    rows_file = scratch / f"{bench.name}.json"
    print(f"\n== {bench.name} {' '.join(argv)} (budget {budget_s:.0f} s)", flush=True)
    started = time.perf_counter()
    # Its own process group, so that stopping it also stops what it started (end_to_end's ingest child).
    process = subprocess.Popen([sys.executable, str(HERE / "run.py"), "--child", bench.name,
                                "--rows", str(rows_file), "--", *argv], cwd=ROOT, start_new_session=True)
    try:
        returncode = process.wait(timeout=budget_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return Outcome(bench.name, "over budget", time.perf_counter() - started, budget_s,
                       f"stopped after {budget_s:.0f} s; its rows are lost")
    except KeyboardInterrupt:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    seconds = time.perf_counter() - started
    if returncode != 0:
        return Outcome(bench.name, "failed", seconds, budget_s, f"exit status {returncode} (its output is above)")
    rows = [Row(**row) for row in json.loads(rows_file.read_text(encoding="utf-8"))]
    if not rows:
        return Outcome(bench.name, "no rows", seconds, budget_s, "main() returned no rows (it must return list[Row])")
    return Outcome(bench.name, "ok", seconds, budget_s, rows=rows)


def child(name: str, rows_file: Path, argv: list[str]) -> None:
    """In the child process: import benchmarks/<name>.py, call main(argv), write its rows as JSON."""
    module = importlib.import_module(name)
    rows = module.main(argv)
    if not isinstance(rows, list) or not all(isinstance(row, Row) or hasattr(row, "benchmark") for row in rows):
        print(f"run.py: {name}.main() returned {type(rows).__name__}, not list[Row]", file=sys.stderr)
        rows = []
    rows_file.write_text(json.dumps([asdict(row) for row in rows]), encoding="utf-8")


def summary(outcomes: list[Outcome], wall_s: float) -> None:
    print("\nbenchmarks")
    for outcome in outcomes:
        budget = f"{outcome.seconds:6.0f} s of {outcome.budget_s:.0f} s" if outcome.status != "not run" else ""
        print(f"  {outcome.name:<16} {outcome.status:<{STATUS_WIDTH}} {budget:<20} {outcome.detail}")
    print(f"  total wall time {wall_s / 60:.1f} min")
    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, load average "
          f"{info.get('load', '?')}, {info['platform']}")


def main(argv: list[str] | None = None) -> list[Outcome]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="add the 1M and day-of-a-newsroom cases")
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)")
    parser.add_argument("--seeds", default=os.environ.get("BENCH_SEEDS") or None,
                        help="corpus seeds: a CheckThat! vclaims.tsv (default: the demo claims)")
    parser.add_argument("--json", help="write the JSON here (default: reports/bench-<UTC time>.json)")
    parser.add_argument("--budget-scale", type=float, default=1.0, help="multiply every budget (a slower machine)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their budgets")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--rows", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, Path(args.rows), args.rest)
        return []
    if args.seeds:
        if not Path(args.seeds).exists():
            raise SystemExit(f"run.py: --seeds {args.seeds}: no such file; leave it out to use the demo claims")
        os.environ["BENCH_SEEDS"] = str(Path(args.seeds).resolve())
    chosen = [b for b in SUITE if (args.only and b.name in args.only) or (not args.only and (args.full or not b.full_only))]
    unknown = set(args.only or []) - {b.name for b in SUITE}
    chosen += [Bench(name, 600) for name in sorted(unknown)]  # a benchmark not in SUITE yet: defaults
    if args.rest and len(chosen) != 1:
        raise SystemExit("run.py: arguments after -- go to one benchmark; name it with a single --only")
    if args.list:
        for bench in chosen:
            print(f"{bench.name:<16} budget {bench.budget_s:.0f} s (--full {bench.full_budget_s or bench.budget_s:.0f} s)"
                  f"  args: {' '.join(bench.args)}  --full: {' '.join(bench.full_args)}")
        return []
    started = time.perf_counter()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="bench-run-") as scratch:
        for bench in chosen:
            budget = (bench.full_budget_s or bench.budget_s) if args.full else bench.budget_s
            argv = args.rest or argv_for(bench, args.full, args.seeds)
            outcomes.append(run_one(bench, argv, budget * args.budget_scale, Path(scratch)))
    wall_s = time.perf_counter() - started
    rows = [row for outcome in outcomes for row in outcome.rows]
    print()
    report(rows, title=f"make bench{' --full' if args.full else ''}: {len(rows)} rows "
                       f"(value = median; ratio = how many times better than the baseline)")
    summary(outcomes, wall_s)
    path = args.json or str(ROOT / "reports" / f"bench-{stamp}.json")
    write_json(path, rows, started=stamp, full=args.full, seeds=args.seeds, wall_s=round(wall_s, 1),
               benchmarks=[{k: v for k, v in asdict(o).items() if k != "rows"} for o in outcomes])
    print(f"JSON: {path}")
    return outcomes


if __name__ == "__main__":
    sys.exit(1 if any(outcome.status == "failed" for outcome in main()) else 0)
