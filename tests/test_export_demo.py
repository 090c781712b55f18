"""End to end on the demo corpus with the real model: load it, judge with real matches as evidence,
export every format and read each back."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from test_export_formats import parse_html
from workbench.cli import main
from workbench.config import DEFAULT_MODEL
from workbench.verdicts import current_verdicts

pytestmark = pytest.mark.model


def test_demo_corpus_exports_hold_every_verdict(db, isolated_database):
    runner = CliRunner()
    loaded = runner.invoke(main, ["demo", "--db", str(isolated_database)])
    assert loaded.exit_code == 0, loaded.output
    kharkiv = db.execute("SELECT id FROM claims WHERE text LIKE 'Five people were injured%'").fetchone()[0]
    top = db.execute("SELECT other_claim_id FROM matches WHERE claim_id = ? AND rank = 1", [kharkiv]).fetchone()[0]
    top_text = db.execute("SELECT text FROM claims WHERE id = ?", [top]).fetchone()[0]
    assert "four people" in top_text  # the real model finds the wire's Kharkiv sentence
    marked = runner.invoke(main, ["mark", str(kharkiv), "disputed", "--evidence", "#1",
                                  "--note", "The wire says four.", "--reviewer", "Olena"])
    assert marked.exit_code == 0, marked.output
    blackout = db.execute("SELECT id FROM claims WHERE external_id = 'vd-2025-048'").fetchone()[0]
    assert runner.invoke(main, ["mark", str(blackout), "disputed", "--evidence", "#1"]).exit_code == 0
    total = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    current = current_verdicts(db)

    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["export", "--format", "csv"]).stdout.lstrip("\ufeff"))))
    assert len(rows) == total
    judged = {int(r["claim_id"]): r for r in rows if r["verdict"] != "pending"}
    assert set(judged) == set(current)
    assert judged[kharkiv]["evidence_quotes"] == f"Continental Press Wire: \u201c{top_text}\u201d"

    records = [json.loads(line) for line in runner.invoke(main, ["export", "--format", "jsonl"]).stdout.splitlines()]
    assert {r["claim"]["id"] for r in records if r["verdict"]} == set(current)
    assert all(r["verdict"]["settings"]["model"] == DEFAULT_MODEL for r in records if r["verdict"])

    page = parse_html(runner.invoke(main, ["export", "--format", "html"]).stdout)
    text = "".join(page.text)
    assert "The wire says four." in text and top_text in text
    assert {a["id"] for t, a in page.tags if t == "div" and a.get("id", "").startswith("claim-")} == {
        f"claim-{c}" for c in current}

    result = runner.invoke(main, ["export", "--format", "claimreview", "--publisher", "Example Checks"])
    reviews = json.loads(result.stdout)
    assert len(reviews) == 2
    assert result.stderr.count("claimreview: claim ") == 2
