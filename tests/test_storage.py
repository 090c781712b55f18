"""claims.db itself: migrations, connection settings, append-only verdicts, refusing foreign files."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.db import open_database
from workbench.schema import migrations
from workbench.errors import DatabaseError
from workbench.ingest import ingest_text
from workbench.verdicts import (
    clear_verdict, current_verdicts, history, label_counts, record_verdict, undo_last, verdicts_by_reviewer,
)

ARTICLE = ("The council said on Monday that 1,200 households will get new water meters by May 5. "
           "The mayor announced that the project costs 3 million euros.")


def test_open_applies_migrations_and_sets_wal_and_foreign_keys(tmp_path):
    db = open_database(tmp_path / "claims.db")
    assert migrations.pending(db) == []
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert {"sources", "articles", "claims", "embeddings", "matches", "verdicts"} <= set(db.table_names())
    db.close()
    again = open_database(tmp_path / "claims.db")  # reopening applies nothing twice
    assert len(migrations.applied(again)) == len(migrations._migrations)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "claims.db"
    path.write_bytes(b"PK\x03\x04 a zip file")
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        open_database(path)
    assert path.read_bytes() == b"PK\x03\x04 a zip file"


def test_verdict_history_is_append_only_in_the_database(db):
    claim = ingest_text(db, ARTICLE, source="Town Hall").claim_ids[0]
    record_verdict(db, claim, "corroborated", "ana", note="matches the council minutes")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE verdicts SET label = 'disputed'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM verdicts")


def test_mark_change_clear_and_undo_keep_every_row(db):
    first, second = ingest_text(db, ARTICLE, source="Town Hall").claim_ids[:2]
    record_verdict(db, first, "corroborated", "ana")
    record_verdict(db, first, "disputed", "ana", note="the minutes say 1,100")
    assert current_verdicts(db)[first].label == "disputed"
    undone = undo_last(db, "ana")
    assert undone.action == "undo" and undone.label == "corroborated"
    assert current_verdicts(db)[first].label == "corroborated"
    undo_last(db, "ana")
    assert current_verdicts(db)[first].label is None  # back to pending
    assert undo_last(db, "ana") is None  # nothing left to undo
    record_verdict(db, second, "unverified", "ana")
    clear_verdict(db, second, "ana")
    assert current_verdicts(db)[second].label is None
    assert [v.action for v in history(db, first)] == ["mark", "mark", "undo", "undo"]
    counts = label_counts(db)
    assert counts["pending"] == db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]


def test_two_reviewers_are_both_visible(db):
    claim = ingest_text(db, ARTICLE, source="Town Hall").claim_ids[0]
    record_verdict(db, claim, "corroborated", "ana")
    record_verdict(db, claim, "disputed", "ben", note="different number in the minutes")
    by_reviewer = {v.reviewer: v.label for v in verdicts_by_reviewer(db, claim)}
    assert by_reviewer == {"ana": "corroborated", "ben": "disputed"}
    assert current_verdicts(db)[claim].reviewer == "ben"


def test_unknown_label_and_unknown_claim_are_refused(db):
    from workbench.errors import WorkbenchError

    claim = ingest_text(db, ARTICLE, source="Town Hall").claim_ids[0]
    with pytest.raises(WorkbenchError, match="unknown verdict"):
        record_verdict(db, claim, "true", "ana")
    with pytest.raises(WorkbenchError, match="no claim 999"):
        record_verdict(db, 999, "disputed", "ana")
    assert history(db, claim) == []


def test_one_reviewers_undo_or_clear_never_hides_anothers_verdict(db):
    from workbench.errors import WorkbenchError

    claim = ingest_text(db, ARTICLE, source="Town Hall").claim_ids[0]
    record_verdict(db, claim, "corroborated", "ana")
    record_verdict(db, claim, "disputed", "ben")
    undone = undo_last(db, "ana")  # ana withdraws her mark; ben's verdict stands
    assert undone.reviewer == "ana" and undone.label is None
    assert current_verdicts(db)[claim].label == "disputed"
    assert current_verdicts(db)[claim].reviewer == "ben"
    with pytest.raises(WorkbenchError, match="cara has no verdict"):
        clear_verdict(db, claim, "cara")
    clear_verdict(db, claim, "ben")
    assert current_verdicts(db)[claim].label is None
    assert label_counts(db)["disputed"] == 0
    record_verdict(db, claim, "unverified", "ana")
    record_verdict(db, claim, "corroborated", "ben")
    undo_last(db, "ben")  # ben goes back to his own earlier state (cleared), not to ana's label
    assert {v.reviewer: v.label for v in verdicts_by_reviewer(db, claim)} == {"ana": "unverified", "ben": None}
    assert current_verdicts(db)[claim].label == "unverified"


def test_every_write_transaction_begins_immediate(db):
    """Seen 2 (issue 9): a deferred BEGIN that reads first fails at once when another process commits."""
    from workbench.matching.store import save_settings
    from workbench.matching.scoring import MatchSettings

    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    claim_ids = ingest_text(db, ARTICLE, source="Council").claim_ids
    record_verdict(db, claim_ids[0], "disputed", "alice")
    clear_verdict(db, claim_ids[0], "alice")
    save_settings(db, MatchSettings())
    db["sources"].insert({"name": "Bare insert", "kind": "other"})  # sqlite-utils outside any block
    db.execute("INSERT INTO sources (name) VALUES ('Bare execute')")  # the driver's implicit BEGIN
    db.conn.set_trace_callback(None)
    begins = [s.strip().upper() for s in statements if s.strip().upper().startswith("BEGIN")]
    assert len(begins) == 6 and set(begins) == {"BEGIN IMMEDIATE"}, begins


def test_a_write_waits_for_another_connections_lock_instead_of_failing(db, isolated_database):
    import threading
    import time

    claim_id = ingest_text(db, ARTICLE, source="Council").claim_ids[0]
    other = sqlite3.connect(str(isolated_database), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    releaser.start()
    started = time.perf_counter()
    record_verdict(db, claim_id, "disputed", "alice")
    assert time.perf_counter() - started >= 0.9
    releaser.join()
    other.close()
    assert [v.label for v in history(db, claim_id)] == ["disputed"]


def test_one_connection_per_thread(db):
    import threading

    errors: list[Exception] = []

    def use() -> None:
        try:
            db.execute("SELECT 1").fetchone()
        except sqlite3.ProgrammingError as error:
            errors.append(error)

    thread = threading.Thread(target=use)
    thread.start()
    thread.join()
    assert errors and "thread" in str(errors[0])


def test_a_migration_committed_by_another_process_while_this_one_waits_is_not_applied_again(tmp_path):
    """Two processes opening one older claims.db at once. One holds the write lock and applies m016
    while the other opens the file and waits for the lock: the waiting one must read what is pending
    under the lock, find m016 recorded and apply nothing. (It read the pending list before the lock
    and failed with "index ... already exists", seen once in four full runs of the suite.)"""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from sqlite_utils import Database

    from workbench.schema import m016_match_entry_bar_index_covers_claim as m016

    path = tmp_path / "claims.db"
    db = open_database(path)
    ingest_text(db, ARTICLE, source="Council", title="Meters")
    db.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("DROP INDEX match_runs_model_entry_claim")  # the file as m015 left it
    holder.execute("CREATE INDEX match_runs_model_entry ON match_runs (model, entry_score)")
    holder.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [m016.__name__])
    holder.execute("BEGIN IMMEDIATE")  # the first process: its migration under way
    root = Path(__file__).resolve().parent.parent
    opener = subprocess.Popen(
        [sys.executable, "-c", "import sys; from workbench.db import open_database; open_database(sys.argv[1]).close()",
         str(path)], env={**os.environ, "PYTHONPATH": str(root)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("claims.db.bak-*")) and opener.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the second process copies the file just before it migrates
    assert list(tmp_path.glob("claims.db.bak-*")), "the second process never reached its migrations"
    time.sleep(1.0)  # ... and then waits for the lock the first holds
    m016(Database(holder))
    holder.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('workbench', ?, ?)",
                   [m016.__name__, "2026-12-01 00:00:00+00:00"])
    holder.execute("COMMIT")
    holder.close()
    _, err = opener.communicate(timeout=120)
    assert opener.returncode == 0, err
    db = open_database(path)
    assert migrations.pending(db) == []
    assert db.execute("SELECT COUNT(*) FROM _sqlite_migrations WHERE name = ?", [m016.__name__]).fetchone()[0] == 1
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'match_runs' "
                                     "AND sql IS NOT NULL")] == ["match_runs_model_entry_claim"]
    assert db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 2
