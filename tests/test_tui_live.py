"""The live desk: two desks and a `workbench mark` process on one claims.db. What one writes, the other
shows within about a second (PRAGMA data_version is polled), and counts agree with the rows."""

import os
import subprocess
import sys
import time

import pytest

import desk_corpus
from tui_helpers import settle
from workbench.tui.app import LIVE_INTERVAL, make_app

# Claims 1-4 are the Kyiv Daily story; both desks open on claim 1.


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


async def wait_for(pilot, condition, seconds: float = 3.0) -> float:
    """Let the app run until `condition()` holds; the seconds it took (fails after `seconds`)."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "the desk did not show the change in time"
        await pilot.pause(LIVE_INTERVAL / 5)
    return time.monotonic() - start


def header(app) -> dict:
    return app.review.query_one("#counts").counts


def tally(app, article_id: int) -> tuple[int, int]:
    summary = app.review.query_one("#articles").rows[article_id]  # the row the list shows
    return summary.reviewed, summary.total


def mark_in_another_process(db_path, claim: int, label: str, note: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "workbench", "mark", str(claim), label, "--note", note,
                           "--reviewer", "carol", "--db", str(db_path)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


async def test_two_desks_and_a_cli_see_each_other(corpus):
    alice, bob = make_app(corpus, reviewer="alice"), make_app(corpus, reviewer="bob")
    async with alice.run_test(size=(80, 24)) as a, bob.run_test(size=(120, 40)) as b:
        await settle(a, alice)
        await settle(b, bob)
        assert header(bob).get("disputed", 0) == 0 and tally(bob, 1) == (0, 4)

        await a.press("d")  # alice disputes claim 1 in her desk
        took = await wait_for(b, lambda: header(bob).get("disputed", 0) == 1)
        assert took < 1.5 and tally(bob, 1) == (1, 4)
        assert bob.review.claim.id == 1 and bob.review.claims[0].status == "disputed"
        assert "alice" in str(bob.review.query_one("#claim-summary").render())  # bob's visible claim shows it

        mark_in_another_process(corpus, 2, "corroborated", "Both sources agree")  # carol, in a terminal
        await wait_for(a, lambda: header(alice).get("corroborated", 0) == 1)
        await wait_for(b, lambda: header(bob).get("corroborated", 0) == 1)
        assert tally(alice, 1) == tally(bob, 1) == (2, 4)
        assert alice.review.claim.id == 2  # alice moved on to claim 2: she sees carol's verdict and note
        assert "Both sources agree" in str(alice.review.query_one("#claim-summary").render())

        await a.press("z")  # alice undoes her dispute: every count on both desks agrees with the rows
        await wait_for(b, lambda: header(bob).get("disputed", 0) == 0)
        for app in (alice, bob):
            assert header(app).get("disputed", 0) == 0 and tally(app, 1) == (1, 4)


async def test_the_queue_follows_other_desks_too(corpus):
    alice, bob = make_app(corpus, reviewer="alice"), make_app(corpus, reviewer="bob")
    async with alice.run_test(size=(80, 24)) as a, bob.run_test(size=(80, 24)) as b:
        await b.press("w")  # bob's pending queue: 6 claims (8 less the imported one and the one under the floor)
        await settle(b, bob)
        assert len(bob.screen.rows) == 6
        await a.press("c")
        await wait_for(b, lambda: len(bob.screen.rows) == 5)
        assert 1 not in [row.id for row in bob.screen.rows]


async def test_own_writes_do_not_trigger_a_reread(corpus, monkeypatch):
    from workbench.tui.screens.review import ReviewScreen

    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        calls = []
        monkeypatch.setattr(ReviewScreen, "show_others_work", lambda self: calls.append(1))
        await pilot.press("n", *"my own note", "ctrl+s", "c")
        await pilot.pause(LIVE_INTERVAL * 3)
        assert calls == []  # the desk's own commits are shown by the key that made them


async def test_an_editor_decision_from_another_process_appears(corpus):
    from workbench.db import open_database
    from workbench.verdicts import record_verdict

    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        other = open_database(corpus)  # the editor's import, on its own connection
        verdict = record_verdict(other, 1, "disputed", "bob")
        other["editor_decisions"].insert({"claim_id": 1, "verdict_id": verdict.id, "decision": "return",
                                          "note": "Name the source", "editor": "ed",
                                          "decided_at": "2025-04-05T00:00:00+00:00", "row_hash": "x"})
        other.close()
        summary = app.review.query_one("#claim-summary")
        await wait_for(pilot, lambda: "returned by the editor" in str(summary.render()))
        assert "Name the source" in str(summary.render()) and app.review.claim.id == 1
