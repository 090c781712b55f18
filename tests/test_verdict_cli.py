"""`workbench mark`, `history`, `import-review` and `stats` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from test_editor_review import write_csv
from test_export_corpus import build_corpus, judge_corpus
from workbench.cli import main
from workbench.editor_review import latest_decisions
from workbench.verdicts import current_verdicts, history


@pytest.fixture
def corpus(db):
    return db, build_corpus(db)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_mark_with_claim_rank_and_url_evidence(corpus):
    db, ids = corpus
    claim, other = ids["claim:4"], ids["claim:6"]
    db["matches"].insert({"claim_id": claim, "other_claim_id": ids["claim:5"], "rank": 2, "score": 0.7,
                          "method": "hybrid", "model": "all-MiniLM-L6-v2", "matched_at": "2025-04-04"})
    result = run("mark", claim, "Disputed", "--note", "150, not 130", "--evidence", other,
                 "--evidence", "#2", "--evidence", "https://example.org/letter", "--reviewer", "alice")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"claim {claim}: disputed (verdict ")
    verdict = current_verdicts(db)[claim]
    assert (verdict.label, verdict.reviewer, verdict.note) == ("disputed", "alice", "150, not 130")
    assert [e["kind"] for e in verdict.evidence] == ["claim", "claim", "url"]
    assert [e.get("claim_id") for e in verdict.evidence[:2]] == [other, ids["claim:5"]]
    assert verdict.evidence[0]["source"] == "Continental Press Wire"
    assert verdict.evidence[0]["text"] == "Germany pledged 150 million euros."
    assert verdict.evidence[2] == {"kind": "url", "url": "https://example.org/letter", "source": "example.org"}
    # the settings in force: the method and model of the matches the reviewer saw
    assert verdict.settings["model"] == "all-MiniLM-L6-v2" and verdict.settings["method"] == "hybrid"


def test_mark_defaults_reviewer_from_the_environment(corpus):
    db, ids = corpus
    assert run("mark", ids["claim:1"], "unverified").exit_code == 0
    verdict = current_verdicts(db)[ids["claim:1"]]
    assert verdict.reviewer == "tester" and verdict.evidence == [] and verdict.settings["model"]


@pytest.mark.parametrize("args, message", [
    (("mark", 999, "disputed"), "there is no claim 999"),
    (("mark", "{c1}", "disputed", "--evidence", "#3"), "has no match of rank 3"),
    (("mark", "{c1}", "disputed", "--evidence", "ftp://x"), "neither a claim id, #rank nor an http(s) url"),
    (("mark", "{c1}", "disputed", "--evidence", "{c1}"), "cannot be evidence for itself"),
    (("mark", "{c1}", "disputed", "--evidence", 999), "no claim 999 to cite as evidence"),
    (("history", 999), "there is no claim 999"),
])
def test_errors_are_one_line(corpus, args, message):
    db, ids = corpus
    args = [str(a).replace("{c1}", str(ids["claim:1"])) for a in args]
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert history(db, ids["claim:1"]) == []


def test_mark_refuses_an_unknown_label(corpus):
    db, ids = corpus
    result = run("mark", ids["claim:1"], "true")
    assert result.exit_code == 2 and "corroborated" in result.stderr


def test_history(corpus):
    db, ids = corpus
    judge_corpus(db, ids)
    result = run("history", ids["claim:6"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"claim {ids['claim:6']} (Continental Press Wire, Drone strikes and a meeting)")
    assert "alice  disputed" in result.stdout and "bob  unverified" in result.stdout
    assert "note: The ministry says 130 million." in result.stdout
    assert f"evidence: claim {ids['claim:4']} (Kyiv Ledger)" in result.stdout
    data = json.loads(run("history", ids["claim:6"], "--json").stdout)
    assert [v["label"] for v in data["verdicts"]] == ["disputed", "unverified"]
    assert data["editor_decisions"] == []


def test_import_review_command(corpus, tmp_path):
    db, ids = corpus
    judge_corpus(db, ids)
    exported = tmp_path / "verdicts.csv"
    assert run("export", "--format", "csv", "--out", exported).exit_code == 0
    text = exported.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    rows[0]["editor_decision"] = "return"
    rows[0]["editor_note"] = "Needs the wire copy."
    write_csv(exported, reader.fieldnames, rows)
    result = run("import-review", exported, "--editor", "erin")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("recorded 1 editor decisions (0 approved, 1 returned); 0 already imported")
    again = run("import-review", exported, "--editor", "erin")
    assert again.exit_code == 0 and "recorded 0 editor decisions" in again.stdout and "1 already imported" in again.stdout
    assert latest_decisions(db)[int(rows[0]["claim_id"])].editor == "erin"
    assert "editor returned by erin" in run("history", rows[0]["claim_id"]).stdout

    rows[1]["claim_id"] = "4242"
    rows[1]["editor_decision"] = "approve"
    write_csv(exported, reader.fieldnames, rows)
    bad = run("import-review", exported)
    assert bad.exit_code == 1
    assert f"{exported}:3: there is no claim 4242" in bad.stderr
    assert "1 rows not recorded" in bad.stderr


def test_stats(corpus):
    db, ids = corpus
    judge_corpus(db, ids)
    data = json.loads(run("stats", "--json").stdout)
    # "pending" is review work, as in the desk; nothing here is imported or under the review floor
    assert data["verdicts"] == {"corroborated": 1, "disputed": 2, "unverified": 2, "pending": 2, "evidence": 0, "not for review": 0}
    sources = {s["source"]: s for s in data["sources"]}
    assert sources["Kyiv Ledger"]["claims"] == 4 and sources["Kyiv Ledger"]["disputed"] == 2
    assert sources["Ministry of Energy"]["pending"] == 1
    articles = {a["article_id"]: a for a in data["articles"]}
    assert articles[ids["article:wire"]]["unverified"] == 1
    assert articles[ids["article:ministry"]]["title"] == "-5 degrees were recorded in Kyiv overnight."
    assert "reviewers" not in data

    data = json.loads(run("stats", "--reviewers", "--json").stdout)
    assert data["reviewers"]["alice"]["total"] == 5 and data["reviewers"]["bob"]["total"] == 2
    (pair,) = data["agreement"]
    # alice & bob share claims 1 (C, C) and 6 (D, U): p_o 1/2, p_e (1*1 + 0 + 0) / 4 = 1/4
    assert pair == {"reviewers": ["alice", "bob"], "claims": 2, "agreed": 1, "kappa": round((0.5 - 0.25) / 0.75, 4)}

    table = run("stats", "--reviewers")
    assert table.exit_code == 0
    assert "Cohen's kappa" in table.stdout and "alice & bob" in table.stdout and "0.33" in table.stdout
