"""`workbench --help` wall time: what every command pays before it starts working.

    python benchmarks/startup.py [--runs N] [--json OUT]

Each run is a fresh process (`python -m workbench --help`), alternated with the baseline, a bare
`python -c pass` of the same interpreter, so the ratio shows what the workbench's imports add on top
of Python's own start-up. Medians of --runs (default 7) after one warm-up each (the page cache).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from common import Row, alternate, median, p95, report  # noqa: E402


def command(*args: str) -> object:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return lambda: subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", help="write the rows here")
    args = parser.parse_args(argv)
    calls = {"help": command("-m", "workbench", "--help"), "pass": command("-c", "pass")}
    alternate(calls, 1)  # type: ignore[arg-type]
    seconds = alternate(calls, args.runs)  # type: ignore[arg-type]
    took, base = median(seconds["help"]), median(seconds["pass"])
    rows = [Row("startup", "workbench --help", "wall time", "s", took, baseline=base, ratio=base / took,
                runs=args.runs, p95=p95(seconds["help"]),
                note="baseline: python -c pass; --help must never import torch")]
    report(rows, args.json, title="start-up")
    return rows


if __name__ == "__main__":
    main()
