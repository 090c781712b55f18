"""The desk survives its database: while another process holds claims.db locked, a verdict key or a
note shows one line, nothing is lost, q asks before dropping an unsaved draft, and once the lock is
gone the same key records the verdict with the note."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import desk_corpus
from tui_helpers import settle, verdict_rows
from workbench.db import open_database
from workbench.draft_store import load_drafts
from workbench.tui.app import make_app

LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


def lock(path) -> subprocess.Popen:
    """Another process holding claims.db with BEGIN EXCLUSIVE until told to let go."""
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    return locker


def release(locker: subprocess.Popen) -> None:
    locker.communicate("go\n", timeout=10)
    assert locker.returncode == 0


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_locked_database_is_a_notice_and_the_draft_survives(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("1", "n", *"wire agrees", "ctrl+s")  # claim 1: a saved draft
        await settle(pilot, app)
        app.db.execute("PRAGMA busy_timeout = 200")  # the desk waits 10 s for a lock; the test need not
        locker = lock(corpus)
        try:
            await pilot.press("c")
            await settle(pilot, app)
            assert app.screen.id == "review" and app.screen.claim.id == 1
            assert any("database is locked" in n and "kept as a draft" in n for n in notices(app))
            summary = str(app.screen.query_one("#claim-summary").render())
            assert "wire agrees" in summary and "draft" in summary
            # A note changed while locked stays in the desk; q asks before it could be lost.
            await pilot.press("n", *" (two sources)", "ctrl+s")
            await settle(pilot, app)
            assert any("kept in the desk" in n for n in notices(app))
            await pilot.press("q")
            await settle(pilot, app)
            assert app.screen.query_one("#quit-dialog")
            await pilot.press("n")  # stay
            await settle(pilot, app)
            assert app.screen.id == "review" and app.is_running
            await pilot.press("ctrl+q")  # Textual's own quit key asks too
            await settle(pilot, app)
            assert app.screen.query_one("#quit-dialog")
            await pilot.press("n")
            await settle(pilot, app)
            assert app.screen.id == "review" and app.is_running
        finally:
            release(locker)
        await pilot.press("c")
        await settle(pilot, app)
    [row] = verdict_rows(corpus)
    assert (row["claim_id"], row["label"], row["note"]) == (1, "corroborated", "wire agrees (two sources)")
    assert [e["claim_id"] for e in json.loads(row["evidence"])] == [5]
    db = open_database(corpus)
    assert load_drafts(db, "alice") == {}
    db.close()


async def test_q_saves_a_refused_draft_once_the_lock_is_gone(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot, app)
        app.db.execute("PRAGMA busy_timeout = 200")
        locker = lock(corpus)
        try:
            await pilot.press("n", *"typed while locked", "ctrl+s")
            await settle(pilot, app)
        finally:
            release(locker)
        await pilot.press("q")  # saves the draft now, then quits
        await settle(pilot, app)
    assert not app.is_running
    db = open_database(corpus)
    assert load_drafts(db, "alice")[1].note == "typed while locked"
    db.close()


async def test_any_database_error_on_a_key_is_one_line_not_a_crash(corpus):
    app = make_app(corpus, reviewer="alice")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot, app)
        other = open_database(corpus)
        other.execute("DROP VIEW current_editor_decisions")  # every read of the desk's claims now fails
        other.close()
        await pilot.press("right_square_bracket")  # the next article: its claims and editor decisions
        await settle(pilot, app)
        assert app.is_running and app.screen.id == "review"
        assert any("no such table: current_editor_decisions" in n for n in notices(app))
