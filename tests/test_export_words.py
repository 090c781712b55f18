"""Exports an editor reads without a glossary: "pending" means what the desk means, the matching
settings are said once in a footnote (JSONL keeps them whole), and an export with nothing decided
says what to do."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import desk_corpus
from test_export_corpus import build_corpus, judge_corpus
from test_export_formats import parse_html
from workbench.cli import main
from workbench.db import open_database
from workbench.export import export_count, render_export
from workbench.export.records import count_by_status
from workbench.verdicts import label_counts, record_verdict
from workbench.vocab import EVIDENCE, EXPORT_FORMATS, NOT_FOR_REVIEW, PENDING

HYBRID = {"k": 5, "method": "hybrid", "model": "all-MiniLM-L6-v2", "reranker": None,
          "fusion": {"dense": 1.0, "lexical": 0.4, "time": 0.2}, "matched": True}
DENSE = {**HYBRID, "method": "dense", "fusion": None}


@pytest.fixture
def judged_db(db):
    ids = build_corpus(db)
    judge_corpus(db, ids)
    return db, ids


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_pending_means_review_work_in_exports_stats_and_the_desk(isolated_database):
    """The desk corpus holds an imported fact-check and a line under the review floor: the desk's
    header, `workbench stats`, the dialog's counts and every export's status agree on what is pending."""
    desk_corpus.build(isolated_database)
    db = open_database(isolated_database)
    record_verdict(db, 1, "disputed", "alice")
    desk = label_counts(db)[PENDING]
    records = [json.loads(line) for line in render_export(db, "jsonl")[0].splitlines()]
    statuses = [r["status"] for r in records]
    stats = json.loads(run("stats", "--json").stdout)["verdicts"]
    assert desk == statuses.count(PENDING) == stats[PENDING] == count_by_status(db)[PENDING] == 5
    # the imported fact-check and the markup line: kept, counted, and named for what they are, in the
    # desk's words (its claim list says "evidence" and "not for review", test_tui_review)
    assert statuses.count(EVIDENCE) == stats[EVIDENCE] == count_by_status(db)[EVIDENCE] == 1
    assert statuses.count(NOT_FOR_REVIEW) == stats[NOT_FOR_REVIEW] == count_by_status(db)[NOT_FOR_REVIEW] == 1
    assert [r["claim"]["text"][:6] for r in records if r["status"] == EVIDENCE] == ["The st"]
    assert [r["claim"]["text"][:6] for r in records if r["status"] == NOT_FOR_REVIEW] == ["Markup"]
    assert all(r["claim"]["for_review"] == (r["status"] == PENDING) for r in records if not r["verdict"])
    assert sum(stats.values()) == len(records)
    text = " ".join(parse_html(render_export(db, "html")[0]).text)
    assert "Not for review" in text and "Evidence" in text and "waiting for a reviewer's verdict" in text


def test_the_dialog_count_is_what_each_export_holds(judged_db):
    db, ids = judged_db
    for fmt in EXPORT_FORMATS:
        for include_pending in (False, True):
            for verdict in (None, "disputed", PENDING):
                expected = render_export(db, fmt, include_pending=include_pending, verdict=verdict,
                                         publisher="X")[1]
                assert export_count(db, fmt, include_pending=include_pending, verdict=verdict) == expected, \
                    (fmt, include_pending, verdict)
    assert export_count(db, "csv", article_id=ids["article:wire"], include_pending=True) == 2


def test_settings_are_said_once_in_plain_words_and_kept_whole_in_jsonl(judged_db):
    db, ids = judged_db
    record_verdict(db, ids["claim:3"], "unverified", "alice", settings=DENSE)  # other settings: a marker
    for number in (2, 4):
        record_verdict(db, ids[f"claim:{number}"], "disputed", "alice", settings=HYBRID)
    html = render_export(db, "html")[0]
    page = parse_html(html)
    text = " ".join(page.text)
    for jargon in ("Settings in force", "fusion", "lexical", "dense", "matched True"):
        assert jargon not in text, jargon
    assert text.count("Matches found by meaning and by shared words") == 1  # once, in note 1
    assert "Matches found by meaning, with the all-MiniLM-L6-v2 language model, up to 5 per claim" \
           f" \u2014 applies to claim {ids['claim:3']}." in text
    # only the claim matched with other settings points at its note
    assert html.count('href="#note-2"') == 1 and 'href="#note-1"' not in html
    card = html[html.index(f'id="claim-{ids["claim:3"]}"'):]
    assert card.index('href="#note-2"') < card.index('class="claim', 10)
    markdown = render_export(db, "markdown")[0]
    assert "Settings in force" not in markdown and "fusion" not in markdown
    assert markdown.count("matches found differently: note 2") == 1
    assert "\n2. Matches found by meaning, with" in markdown and "\n1. Matches found by meaning and by" in markdown
    records = {json.loads(line)["claim"]["id"]: json.loads(line) for line in render_export(db, "jsonl")[0].splitlines()}
    assert records[ids["claim:3"]]["verdict"]["settings"] == DENSE
    assert records[ids["claim:2"]]["verdict"]["settings"]["fusion"] == {"dense": 1.0, "lexical": 0.4, "time": 0.2}


def test_nothing_decided_says_what_to_do_and_writes_a_valid_empty_file(db, tmp_path):
    build_corpus(db)
    out = tmp_path / "editors.csv"
    result = run("export", "--format", "csv", "--out", out)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "no decided claims to export; mark claims in the desk (`workbench review`) or pass --include-pending")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows == []
    result = run("export", "--format", "claimreview")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert result.stderr.strip() == "no decided claims to export; mark claims in the desk (`workbench review`)"
    # asked for the pending claims: they are there, and nothing needs saying
    result = run("export", "--format", "csv", "--include-pending")
    assert result.exit_code == 0 and result.stderr == ""
    assert len(list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))) == 7
