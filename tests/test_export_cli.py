"""`workbench export` through click's CliRunner: stdout or --out, filters, ClaimReview pre-flight."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from test_export_corpus import build_corpus, judge_corpus
from workbench.cli import main


@pytest.fixture
def judged(db):
    ids = build_corpus(db)
    judge_corpus(db, ids)
    return db, ids


def run(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_export_to_stdout_and_file(judged, tmp_path):
    db, ids = judged
    result = run("export", "--format", "jsonl", "--verdict", "disputed")
    assert result.exit_code == 0
    assert {json.loads(line)["claim"]["id"] for line in result.stdout.splitlines()} == {ids["claim:2"], ids["claim:4"]}
    out = tmp_path / "report.html"
    result = run("export", "--format", "html", "--out", out, "--source", "Kyiv Ledger")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.strip() == f"wrote 4 claims to {out}"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_claimreview_preflight_goes_to_stderr(judged, tmp_path):
    db, ids = judged
    out = tmp_path / "reviews.json"
    result = run("export", "--format", "claimreview", "--out", out,
                 env={"WORKBENCH_PUBLISHER": "Example Checks", "WORKBENCH_PUBLISHER_URL": "https://checks.example"})
    assert result.exit_code == 0
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert len(reviews) == 5 and reviews[0]["author"]["name"] == "Example Checks"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("claimreview: ")]
    # length is advice, said once with a short form per long claim; nothing else is wrong here
    assert warnings[-2].startswith("claimreview: advice: 1 of 5 claims are longer than the 75 characters")
    assert warnings[-1] == (f"claimreview:   claim {ids['claim:4']} (160 characters): "
                           "'Zoë Müller said Germany pledged 130 million euros, a sum the finance\u2026'")
    # the three claims without a claimant: one line for all, not one each
    assert warnings[:-2] == [f"claimreview: no claimant (itemReviewed.author): 3 of 5 reviews "
                             f"(claims {ids['claim:2']}\u2013{ids['claim:3']}, {ids['claim:6']})"]
    assert result.stderr.strip().endswith(f"wrote 5 reviews to {out}")


@pytest.mark.parametrize("args, message", [
    (("--format", "csv", "--since", "yesterday"), "is not a date"),
    (("--format", "csv", "--article", 99), "there is no article 99"),
    (("--format", "csv", "--source", "Nobody"), "there is no source named 'Nobody'"),
])
def test_export_errors(judged, args, message):
    result = run("export", *args)
    assert result.exit_code == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_export_into_a_missing_folder(judged, tmp_path):
    result = run("export", "--format", "csv", "--out", tmp_path / "no" / "such.csv")
    assert result.exit_code == 1 and "cannot write the export" in result.stderr


def test_cli_starts_without_sqlite_utils():
    """The CLI's choices come from workbench.vocab at start-up: they must not bring the database layer."""
    import subprocess
    import sys

    code = "import sys, workbench.cli; print('sqlite_utils' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
