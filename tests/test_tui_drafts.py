"""Evidence and notes are drafts until c / d / u: no keypress but a verdict key adds a history row."""

import json

import pytest

import desk_corpus
from tui_helpers import settle, verdict_rows
from workbench.db import open_database
from workbench.tui.app import make_app
from workbench.verdicts import current_verdicts, record_verdict


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


def current(path, claim_id):
    db = open_database(path)
    try:
        return current_verdicts(db, [claim_id]).get(claim_id)
    finally:
        db.close()


async def test_evidence_and_note_on_a_marked_claim_never_record_nor_take_over(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d", "k")  # alice: claim 1 disputed, back on it
        await settle(pilot, app)
    db = open_database(corpus)
    record_verdict(db, 1, "corroborated", "bob")  # bob's is newer: it is the claim's verdict
    db.close()
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "left_square_bracket")  # claim 1 again
        await settle(pilot, app)
        assert app.screen.claim.id == 1
        await pilot.press("1", "2", "space", "n", *"two sources", "ctrl+s")
        await settle(pilot, app)
        assert len(verdict_rows(corpus)) == 2  # nothing recorded by evidence or note
        assert current(corpus, 1).reviewer == "bob"
        summary = str(app.screen.query_one("#claim-summary").render())
        assert "note/evidence changed — press c/d/u to record" in summary
        await pilot.press("z")  # undo takes back alice's mark, not a toggle
        await settle(pilot, app)
    rows = verdict_rows(corpus)
    assert [(r["reviewer"], r["label"], r["action"]) for r in rows] == [
        ("alice", "disputed", "mark"), ("bob", "corroborated", "mark"), ("alice", None, "undo")]
    assert current(corpus, 1).reviewer == "bob"


async def test_verdict_key_records_draft_note_and_evidence_then_summary_is_calm(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "n", *"wire agrees", "ctrl+s")
        await settle(pilot, app)
        summary = str(app.screen.query_one("#claim-summary").render())
        assert "draft — recorded with c/d/u" in summary and "wire agrees" in summary
        await pilot.press("c", "k")
        await settle(pilot, app)
        summary = str(app.screen.query_one("#claim-summary").render())
        assert "draft" not in summary and "changed" not in summary
        await pilot.press("1", "1")  # chosen, dropped again: back to what is recorded
        await settle(pilot, app)
        assert "changed" not in str(app.screen.query_one("#claim-summary").render())
    [row] = verdict_rows(corpus)
    assert (row["label"], row["note"]) == ("corroborated", "wire agrees")
    assert [e["claim_id"] for e in json.loads(row["evidence"])] == [5]
    assert json.loads(row["settings"])["model"] == "test-hashing"


async def test_clear_of_another_reviewers_verdict_is_a_calm_message(corpus):
    db = open_database(corpus)
    record_verdict(db, 1, "disputed", "bob")
    db.close()
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("left_square_bracket", "home")
        await app.screen.go_to_claim(1)
        await settle(pilot, app)
        assert app.screen.claim.id == 1
        await pilot.press("x")
        await settle(pilot, app)
        assert app.screen.id == "review"
        assert any("no verdict on this claim to clear" in n.message for n in app._notifications)
    assert [(r["reviewer"], r["action"]) for r in verdict_rows(corpus)] == [("bob", "mark")]


async def test_queue_records_like_the_desk_with_the_draft_note(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n", *"rated False", "ctrl+s")  # claim 1: draft evidence and note
        await pilot.press("w")  # the queue, claim 1 first (most check-worthy)
        await settle(pilot, app)
        assert app.screen.rows[0].id == 1
        await pilot.press("d")
        await settle(pilot, app)
    [row] = verdict_rows(corpus)
    assert (row["claim_id"], row["label"], row["note"]) == (1, "disputed", "rated False")
    assert [e["claim_id"] for e in json.loads(row["evidence"])] == [8]
    settings = json.loads(row["settings"])
    assert settings["model"] == "test-hashing" and len(settings) > 1  # the settings in force, not the model alone
