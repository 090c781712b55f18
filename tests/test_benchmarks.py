"""The benchmark suite's runner (benchmarks/run.py, `make bench`) and its article generator.

Real processes: run.py is started as `make bench` starts it, with tiny sizes passed after `--`.
Nothing here is timed; the figures belong to the benchmarks themselves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"


def run_suite(*args: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, dict]:
    out = tmp_path / "bench.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(RUN), "--json", str(out), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    return done, json.loads(out.read_text(encoding="utf-8"))


def test_one_benchmark_writes_a_json_table_with_its_rows(tmp_path):
    done, document = run_suite("--only", "startup", "--", "--runs", "1", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert document["machine"]["cores"] >= 1
    assert [b["name"] for b in document["benchmarks"]] == ["startup"]
    assert document["benchmarks"][0]["status"] == "ok"
    (row,) = document["rows"]
    assert row["benchmark"] == "startup" and row["case"] == "workbench --help"
    assert row["value"] > 0 and row["baseline"] > 0 and row["ratio"] == row["baseline"] / row["value"]
    assert "workbench --help" in done.stdout and "total wall time" in done.stdout


def test_a_missing_benchmark_is_listed_as_not_run(tmp_path):
    done, document = run_suite("--only", "no_such_benchmark", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert document["benchmarks"] == [{"name": "no_such_benchmark", "status": "not run", "seconds": 0.0,
                                       "budget_s": 600.0, "detail": "no benchmarks/no_such_benchmark.py"}]
    assert document["rows"] == []
    assert "not run" in done.stdout


def test_a_benchmark_that_fails_is_reported_and_the_run_exits_1(tmp_path):
    done, document = run_suite("--only", "startup", "--", "--no-such-flag", tmp_path=tmp_path)
    assert done.returncode == 1
    assert document["benchmarks"][0]["status"] == "failed"
    assert "--no-such-flag" in done.stderr  # the benchmark's own error is shown, not swallowed


def test_synthetic_articles_are_distinct_deterministic_and_about_twenty_sentences():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from articles import articles, sentences_in

    first = articles(30)
    assert first == articles(30)
    assert len({record["text"] for record in first}) == 30
    assert all(20 <= sentences_in(record["text"]) <= 26 for record in first)
    assert all(record["source"] and record["title"] and record["published"].startswith("2025-") for record in first)
