"""The one verdict path (verdicts.decide), the one sign-off rule (current_editor_decisions) and drafts
kept in claims.db: the desk (Pilot), `workbench mark` and the exports must agree."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import desk_corpus
from test_editor_review import write_csv
from tui_helpers import settle, verdict_rows
from workbench.cli import main
from workbench.db import open_database
from workbench.draft_store import Draft, load_drafts, save_draft
from workbench.editor_review import import_review, latest_decisions
from workbench.errors import WorkbenchError
from workbench.evidence import read_evidence
from workbench.export import render_export
from workbench.export.records import load_export
from workbench.review_queue import get_claim
from workbench.tui.app import make_app
from workbench.verdicts import current_verdicts, decide, record_verdict, undo_last


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


def approve_in_exported_csv(db, tmp_path, claim_id: int) -> None:
    """The editor's round trip: export CSV, write approve on the claim's row, import it back."""
    text, _ = render_export(db, "csv")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows = list(reader)
    for row in rows:
        if row["claim_id"] == str(claim_id):
            row["editor_decision"] = "approve"
    path = tmp_path / "edited.csv"
    write_csv(path, list(reader.fieldnames or []), rows)
    report = import_review(db, path, editor="erin")
    assert [(claim, decision) for _, claim, decision in report.recorded] == [(claim_id, "approve")]


def export_editor(db, claim_id: int) -> dict | None:
    [record] = [r for r in load_export(db).records if r["claim"]["id"] == claim_id]
    return record["editor"]


async def test_approval_of_an_undone_verdict_never_signs_off_the_earlier_one(corpus, tmp_path):
    db = open_database(corpus)
    alice = decide(db, 1, "corroborated", "alice")
    bob = decide(db, 1, "disputed", "bob")
    approve_in_exported_csv(db, tmp_path, 1)
    assert latest_decisions(db)[1].verdict_id == bob.id
    assert get_claim(db, 1).signed_off and export_editor(db, 1)["current"]  # bob's verdict: signed off
    stats = CliRunner().invoke(main, ["stats", "--json", "--db", str(corpus)])
    assert json.loads(stats.stdout)["editor"] == {"signed_off": 1, "returned": 0}
    assert "signed off by the editor" in await desk_summary(corpus, claim_id=1, reviewer="bob")
    undo_last(db, "bob")
    assert current_verdicts(db, [1])[1].id == alice.id
    # The editor approved bob's verdict, never alice's: neither the desk nor the export says signed off.
    assert not get_claim(db, 1).signed_off and not get_claim(db, 1).returned
    assert export_editor(db, 1)["current"] is False
    html, _ = render_export(db, "html")
    assert "signed off by the editor" not in html
    stats = CliRunner().invoke(main, ["stats", "--json", "--db", str(corpus)])
    assert json.loads(stats.stdout)["editor"] == {"signed_off": 0, "returned": 0}
    db.close()
    summary = await desk_summary(corpus, claim_id=1, reviewer="alice")
    assert "corroborated" in summary and "signed off by the editor" not in summary


async def desk_summary(path, *, claim_id: int, reviewer: str) -> str:
    """What the desk's summary says about a claim (the Pilot goes there as a reviewer would)."""
    app = make_app(path, reviewer=reviewer)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await app.screen.go_to_claim(claim_id)
        await settle(pilot, app)
        assert app.screen.claim.id == claim_id
        return str(app.screen.query_one("#claim-summary").render())


def test_a_return_names_one_verdict_and_a_later_verdict_is_not_returned(corpus, tmp_path):
    db = open_database(corpus)
    first = decide(db, 2, "unverified", "alice")
    db.execute("INSERT INTO editor_decisions (claim_id, verdict_id, decision, note, editor, decided_at, row_hash) "
               "VALUES (2, ?, 'return', 'cite it', 'erin', '2025-04-05T00:00:00+00:00', 'h')", [first.id])
    db.conn.commit()
    assert get_claim(db, 2).returned and export_editor(db, 2)["current"] is True
    decide(db, 2, "unverified", "alice", note="cited now")
    assert not get_claim(db, 2).returned and export_editor(db, 2)["current"] is False
    db.close()


def test_desk_and_cli_store_one_evidence_shape(corpus):
    db = open_database(corpus)
    desk = decide(db, 1, "corroborated", "alice", evidence=[5])  # what the desk's drafts pass
    cli = decide(db, 1, "corroborated", "bob", evidence=["5", "#2", "https://example.org/x"])  # `mark`
    assert desk.evidence[0] == cli.evidence[0]
    assert [(e["kind"], e.get("claim_id")) for e in cli.evidence] == [("claim", 5), ("claim", 8), ("url", None)]
    assert set(desk.evidence[0]) == {"kind", "claim_id", "text", "external_id", "article_id", "article_title",
                                     "url", "published", "source", "source_kind"}
    assert cli.evidence[2] == {"kind": "url", "url": "https://example.org/x", "source": "example.org"}
    # A row written by the desk before the one shape (no "kind", url items without "source") reads as new.
    old = [{k: v for k, v in desk.evidence[0].items() if k != "kind"}, {"url": "https://old.example/a"}]
    record_verdict(db, 1, "corroborated", "carol", evidence=old)
    [carol] = [r for r in load_export(db).records[0]["reviews"] if r["reviewer"] == "carol"]
    assert carol["evidence"] == [desk.evidence[0], {"url": "https://old.example/a", "kind": "url",
                                                    "source": "old.example"}]
    assert read_evidence(json.dumps(old)) == carol["evidence"]
    db.close()


@pytest.mark.parametrize("evidence, message", [
    (["javascript:alert(1)"], "'javascript:alert(1)' is neither a claim id, #rank nor an http(s) url"),
    (["data:text/html,<b>x</b>"], "only http:// and https:// links can be cited"),
    ([2], "claim 2 is in the same article as claim 1"),
    ([1], "claim 1 cannot be evidence for itself"),
    (["#4"], "claim 1 has no match of rank 4"),
])
def test_decide_refuses_bad_evidence_and_stores_nothing(corpus, evidence, message):
    db = open_database(corpus)
    save_draft(db, 1, "alice", Draft(note="kept"))
    with pytest.raises(WorkbenchError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decide(db, 1, "disputed", "alice", evidence=evidence)
    assert verdict_rows(corpus) == []
    assert load_drafts(db, "alice")[1].note == "kept"
    db.close()


def test_mark_refuses_a_claim_of_the_same_article_and_a_javascript_url(corpus):
    runner = CliRunner()
    for evidence, words in (("2", "same article"), ("javascript:alert(1)", "http(s) url")):
        result = runner.invoke(main, ["mark", "1", "disputed", "--evidence", evidence, "--reviewer", "a",
                                      "--db", str(corpus)])
        assert result.exit_code != 0 and words in result.output and "Traceback" not in result.output
    assert verdict_rows(corpus) == []


def test_a_verdict_spends_the_reviewers_draft_in_its_own_transaction(corpus):
    db = open_database(corpus)
    save_draft(db, 1, "alice", Draft(note="draft", evidence={5}))
    save_draft(db, 1, "bob", Draft(note="bob's"))
    result = CliRunner().invoke(main, ["mark", "1", "disputed", "--reviewer", "alice", "--db", str(corpus)])
    assert result.exit_code == 0, result.output
    assert 1 not in load_drafts(db, "alice") and load_drafts(db, "bob")[1].note == "bob's"
    # A verdict the database refuses (the history trigger aborts the insert) leaves the draft in place.
    save_draft(db, 1, "alice", Draft(note="again"))
    db.execute("CREATE TRIGGER refuse BEFORE INSERT ON verdicts BEGIN SELECT RAISE(ABORT, 'refused'); END")
    with pytest.raises(Exception, match="refused"):
        decide(db, 1, "corroborated", "alice")
    assert load_drafts(db, "alice")[1].note == "again"
    db.close()


READ_DRAFTS = """
import json, sys
from workbench.db import open_database
from workbench.draft_store import load_drafts
drafts = load_drafts(open_database(sys.argv[1]), "alice")
print(json.dumps({c: [d.note, sorted(d.evidence or [])] for c, d in drafts.items()}))
"""


def exit_messages(app) -> list:
    """What the app prints as it exits (Textual prints it after the terminal is restored)."""
    messages: list = []
    exit_app = app.exit

    def recording_exit(*args, **kwargs) -> None:
        messages.append(kwargs.get("message"))
        exit_app(*args, **kwargs)

    app.exit = recording_exit
    return messages


async def test_drafts_survive_quit_and_restart_and_q_says_so(corpus):
    app = make_app(corpus, reviewer="alice")
    messages = exit_messages(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1", "n", *"wire agrees", "ctrl+s")
        await settle(pilot, app)
        # Committed at once: another process reads the draft while the desk still runs, so a crash
        # (or a kill) from here on loses nothing.
        seen = subprocess.run([sys.executable, "-c", READ_DRAFTS, str(corpus)], capture_output=True,
                              text=True, check=True).stdout
        assert json.loads(seen) == {"1": ["wire agrees", [5]]}
        await pilot.press("q")
        await settle(pilot, app)
    assert app.return_code == 0 and messages == ["1 draft kept in claims.db for next time."]
    assert verdict_rows(corpus) == []
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.screen.claim.id == 1
        summary = str(app.screen.query_one("#claim-summary").render())
        assert "draft — recorded with c/d/u" in summary and "wire agrees" in summary
        await pilot.press("c")
        await settle(pilot, app)
    [row] = verdict_rows(corpus)
    assert (row["note"], [e["claim_id"] for e in json.loads(row["evidence"])]) == ("wire agrees", [5])
    db = open_database(corpus)
    assert load_drafts(db, "alice") == {}
    db.close()


async def test_one_c_press_runs_few_statements_and_never_reads_the_schema(corpus):
    """Measured with the connection's trace callback: 36 statements per c press before decide
    (reviewer_state twice, three sqlite_master look-ups behind db["verdicts"]), 17 after; the hash chain
    reads the last row's hash (1), the connection's first write checks the file (PRAGMA quick_check, 1),
    the next claim's relations need its publication date (1) and the header's counts ask whether another
    process wrote (PRAGMA data_version, 1: when none did and this desk wrote nothing, they are not
    counted again, 90 ms at 100k claims)."""
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        statements: list[str] = []
        app.db.conn.set_trace_callback(statements.append)
        await pilot.press("c")
        await settle(pilot, app)
        app.db.conn.set_trace_callback(None)
    assert verdict_rows(corpus)[0]["claim_id"] == 1
    assert len(statements) <= 21, "\n".join(statements)
    assert not [s for s in statements if "sqlite_master" in s]
    mine = [s for s in statements if "FROM reviewer_verdicts WHERE claim_id = 1 AND reviewer" in s]
    assert len(mine) == 1


async def test_a_desk_verdict_on_a_claim_marked_with_a_url_keeps_the_url(corpus):
    result = CliRunner().invoke(main, ["mark", "1", "corroborated", "--evidence", "https://example.org/a",
                                       "--evidence", "5", "--reviewer", "alice", "--db", str(corpus)])
    assert result.exit_code == 0, result.output
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await app.screen.go_to_claim(1)
        await pilot.press("d")  # re-marked in the desk: the recorded note and evidence stand
        await settle(pilot, app)
    rows = verdict_rows(corpus)
    assert [r["label"] for r in rows] == ["corroborated", "disputed"]
    def items(row) -> list[str]:
        return sorted(json.dumps(e, sort_keys=True) for e in json.loads(row["evidence"]))

    assert items(rows[1]) == items(rows[0]) and len(items(rows[0])) == 2  # the claim and the url
