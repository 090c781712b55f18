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
from workbench.verdicts import current_verdicts, label_counts

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

    # the editors' CSV: the decided claims; with --include-pending also the review work, never the evidence
    rows = list(csv.DictReader(io.StringIO(runner.invoke(main, ["export", "--format", "csv"]).stdout.lstrip("\ufeff"))))
    judged = {int(r["claim_id"]): r for r in rows}
    assert set(judged) == set(current)
    everything = runner.invoke(main, ["export", "--format", "csv", "--include-pending"]).stdout.lstrip("\ufeff")
    pending = [r for r in csv.DictReader(io.StringIO(everything)) if r["verdict"] == "pending"]
    assert len(pending) == label_counts(db)["pending"] < total - len(current)
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
    # the missing review url is one line for both reviews, not a line each
    assert result.stderr.count("no url for the review") == 1
    # a country speaks for its government; a lone surname is the person the article names in full
    for claimant, kind in (("Russia", "Organization"), ("Zelenskyy", "Person")):
        claim = db.execute("SELECT id FROM claims WHERE claimant = ? LIMIT 1", [claimant]).fetchone()[0]
        assert runner.invoke(main, ["mark", str(claim), "unverified"]).exit_code == 0
        result = runner.invoke(main, ["export", "--format", "claimreview", "--publisher", "Example Checks"])
        (review,) = [r for r in json.loads(result.stdout) if r["claimReviewed"] == db.execute(
            "SELECT text FROM claims WHERE id = ?", [claim]).fetchone()[0]]
        assert review["itemReviewed"]["author"] == {"@type": kind, "name": claimant}
