"""What every benchmark shares: timing, medians, the row format of the table and of the JSON.

A benchmark script measures its cases against a baseline in the same run (alternated, several
repeats) and returns rows; `report` prints them as a table and, with a path, writes them as JSON.
benchmarks/run.py (`make bench`) collects every script's rows into one table.

Row fields: benchmark, case, metric, unit, value (the median), baseline (the baseline's median, or
None), ratio (value / baseline, or its inverse for times: always "how many times better", or None),
target (text such as "< 2 s" or ">= 2.5x", or None), met (True/False/None), runs, p95 (or None), note.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Row:
    benchmark: str
    case: str
    metric: str
    unit: str
    value: float
    baseline: float | None = None
    ratio: float | None = None
    target: str | None = None
    met: bool | None = None
    runs: int = 1
    p95: float | None = None
    note: str = ""


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def p95(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))])


def timed(call: Callable[[], object]) -> float:
    """Seconds one call takes (wall clock, perf_counter)."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def alternate(calls: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Time each call `repeats` times, alternating A B A B so a noisy machine hurts both alike."""
    seconds: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            seconds[name].append(timed(call))
    return seconds


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux ru_maxrss is in KB)."""
    import resource  # POSIX only; the benchmarks run on Linux

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    import os

    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load": load}


def write_json(path: str, rows: list[Row], **extra: object) -> None:
    """The rows, the machine and anything else the caller adds (run.py: wall time, budgets)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    document = {"machine": machine(), **extra, "rows": [asdict(r) for r in rows]}
    Path(path).write_text(json.dumps(document, indent=2), encoding="utf-8")


def report(rows: list[Row], json_path: str | None = None, *, title: str = "") -> None:
    """Print the rows as a table (stdout) and write them with the machine to `json_path`."""
    if title:
        print(title)
    print(f"  {'case':<44} {'metric':<22} {'value':>12} {'baseline':>12} {'ratio':>7}  target")
    grouped = len({row.benchmark for row in rows}) > 1
    for index, row in enumerate(rows):
        if grouped and (index == 0 or rows[index - 1].benchmark != row.benchmark):
            print(f"  [{row.benchmark}]")
        base = f"{row.baseline:12.4g}" if row.baseline is not None else " " * 12
        ratio = f"{row.ratio:6.2f}x" if row.ratio is not None else " " * 7
        verdict = "" if row.met is None else (" met" if row.met else " MISSED")
        print(f"  {row.case[:44]:<44} {(row.metric + ' (' + row.unit + ')')[:22]:<22} {row.value:12.4g} {base} "
              f"{ratio}  {row.target or ''}{verdict}")
    sys.stdout.flush()
    if json_path:
        write_json(json_path, rows)
