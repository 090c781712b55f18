"""Tamper evidence (issue 9, seen 9): the hash chain, `workbench verify`, triggers, newer and damaged files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.db import open_database
from workbench.schema import APPEND_ONLY_TRIGGERS, migrations
from workbench.editor_review import import_review
from workbench.errors import DatabaseError
from workbench.export import write_export
from workbench.integrity import broken_chains
from workbench.verdicts import clear_verdict, record_verdict, undo_last

from test_concurrency import environment, seed

WORKER = Path(__file__).resolve().parent / "concurrency_worker.py"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection as a user with the sqlite3 shell has one: no workbench code in the way."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def marked(tmp_path):
    path = tmp_path / "claims.db"
    ids = seed(path)
    db = open_database(path)
    for claim_id in ids[:5]:
        record_verdict(db, claim_id, "disputed", "alice", note="two sources disagree")
    clear_verdict(db, ids[0], "alice")
    undo_last(db, "alice")
    db.close()
    return path, ids


def test_every_way_of_writing_a_verdict_extends_the_chain_and_verify_says_ok(marked):
    path, ids = marked
    db = open_database(path)
    hashes = [row[0] for row in db.execute("SELECT chain_hash FROM verdicts ORDER BY id")]
    assert len(hashes) == 7 and all(len(h) == 64 for h in hashes) and len(set(hashes)) == 7
    assert broken_chains(db) == []
    result = run("verify", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert "ok (7 verdicts, 0 editor decisions chained" in result.output


def test_a_hand_edit_after_dropping_the_trigger_is_named_by_verify_and_flagged_by_exports(marked, tmp_path):
    path, ids = marked
    with raw(path) as conn:
        conn.execute("DROP TRIGGER verdicts_no_update")
        conn.execute("UPDATE verdicts SET label = 'corroborated' WHERE id = 3")
    result = run("verify", "--db", str(path))
    assert result.exit_code == 1
    assert "verdicts row 3: changed" in result.stderr
    assert "trigger verdicts_no_update is missing" in result.stderr
    out = tmp_path / "report.md"
    exported = run("export", "--format", "markdown", "--out", str(out), "--db", str(path))
    assert exported.exit_code == 0
    assert "verdict history was altered outside the workbench (verdicts row 3" in exported.stderr
    assert out.read_text(encoding="utf-8").startswith("> WARNING: the verdict history was altered")
    jsonl = run("export", "--format", "jsonl", "--db", str(path))
    assert "altered outside the workbench" in jsonl.stderr and "WARNING" not in jsonl.stdout


def test_a_deleted_row_breaks_the_chain_at_the_next_one(marked):
    path, _ = marked
    with raw(path) as conn:
        conn.execute("DROP TRIGGER verdicts_no_delete")
        conn.execute("DELETE FROM verdicts WHERE id = 4")
    db = open_database(path)
    assert [str(b) for b in broken_chains(db)] == [
        "verdicts row 5: changed, or a row before it was deleted, since it was recorded"]


def test_a_row_inserted_by_hand_has_no_hash_and_is_named(marked):
    path, ids = marked
    with raw(path) as conn:
        conn.execute("INSERT INTO verdicts (claim_id, label, reviewer, decided_at) VALUES (?, 'disputed', 'x', 'now')",
                     [ids[9]])
    result = run("verify", "--db", str(path))
    assert result.exit_code == 1 and "verdicts row 8: has no chain hash" in result.stderr


def test_dropped_triggers_are_recreated_on_open(marked):
    path, _ = marked
    with raw(path) as conn:
        for name in APPEND_ONLY_TRIGGERS:
            conn.execute(f"DROP TRIGGER {name}")
    open_database(path).close()
    with raw(path) as conn:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(APPEND_ONLY_TRIGGERS) <= present
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE verdicts SET note = 'rewritten' WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM verdicts WHERE id = 2")
    assert run("verify", "--db", str(path)).exit_code == 0


def test_editor_decisions_are_chained_too(marked, tmp_path):
    path, ids = marked
    db = open_database(path)
    sheet = tmp_path / "review.csv"
    write_export(db, "csv", sheet)
    lines = sheet.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("editor_decision")
    rows = [line.split(",") for line in lines[1:]]
    assert rows, "the export holds the marked claims"
    # Approve the first decided claim; fields are plain (no quotes) in this seeded corpus.
    first = next(r for r in rows if r[header.index("verdict")] == "disputed")
    first[column] = "approve"
    sheet.write_text("\n".join([lines[0], ",".join(first)]) + "\n", encoding="utf-8")
    report = import_review(db, sheet, editor="ed")
    assert len(report.recorded) == 1
    assert len(db.execute("SELECT chain_hash FROM editor_decisions").fetchone()[0]) == 64
    db.close()
    with raw(path) as conn:
        conn.execute("DROP TRIGGER editor_decisions_no_update")
        conn.execute("UPDATE editor_decisions SET decision = 'return'")
    result = run("verify", "--db", str(path))
    assert result.exit_code == 1 and "editor_decisions row 1: changed" in result.stderr


def test_a_database_from_a_newer_workbench_is_refused_and_not_written(marked):
    path, _ = marked
    with raw(path) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('workbench', 'm999_from_the_future', '2030-01-01')")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer workbench .*m999_from_the_future"):
        open_database(path)
    result = run("mark", "1", "disputed", "--db", str(path))
    assert result.exit_code == 1 and "newer workbench" in result.stderr
    assert path.read_bytes() == before


def test_a_migration_first_backs_the_database_up_beside_it(tmp_path):
    path = tmp_path / "claims.db"
    old = open_database(path, migrate=False)
    migrations.apply(old, stop_before="m009_history_chain")  # a claims.db from before the chain
    # Rows as that version wrote them (today's ingest writes columns later migrations add).
    text = "The river rose 3 metres in 1990."
    with old.conn:
        old.conn.execute("INSERT INTO sources (id, name) VALUES (1, 'Old')")
        old.conn.execute("INSERT INTO articles (id, source_id, text, content_hash, ingested_at) VALUES (1, 1, ?, 'h', 't')",
                         [text])
        old.conn.execute("INSERT INTO claims (id, article_id, source_id, position, span_start, span_end, text) "
                         "VALUES (1, 1, 1, 0, 0, ?, ?)", [len(text), text])
        old.conn.execute("INSERT INTO verdicts (claim_id, label, reviewer, decided_at) VALUES (1, 'disputed', 'a', 't')")
    old.close()
    result = run("stats", "--db", str(path))
    assert result.exit_code == 0, result.output
    backups = list(tmp_path.glob("claims.db.bak-*"))
    assert len(backups) == 1
    assert f"backed up {path} to {backups[0]} before upgrading it" in result.stderr
    db = open_database(path)
    with raw(backups[0]) as copy:
        assert copy.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == 1
        assert "chain_hash" not in [r[1] for r in copy.execute("PRAGMA table_info(verdicts)")]
    assert len(db.execute("SELECT chain_hash FROM verdicts").fetchone()[0]) == 64
    assert broken_chains(db) == []
    db.close()
    open_database(path).close()  # nothing pending: no second backup
    assert len(list(tmp_path.glob("claims.db.bak-*"))) == 1


def test_backup_while_another_process_writes_is_a_consistent_copy(tmp_path):
    path = tmp_path / "claims.db"
    ids = [str(c) for c in seed(path, claims=30)]
    writer = subprocess.Popen([sys.executable, str(WORKER), str(path), str(tmp_path / "w.json"), "mark", "bob",
                               "300", *ids], env=environment(), stdout=subprocess.DEVNULL)
    copies = []
    try:
        # The copies start once the writer has written (on a loaded machine its start-up can outlast
        # five backups, and copies of a file nobody writes yet would prove nothing).
        deadline = time.monotonic() + 120
        while _verdict_count(path) == 0 and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        deadline = time.monotonic() + 60
        while len(copies) < 5 and time.monotonic() < deadline:
            target = tmp_path / f"copy-{len(copies)}.db"
            result = run("backup", str(target), "--db", str(path))
            assert result.exit_code == 0, result.output
            copies.append(target)
            time.sleep(0.2)
    finally:
        writer.wait(timeout=300)
    assert writer.returncode == 0
    counts = []
    for copy in copies:
        with raw(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts.append(conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0])
        assert run("verify", "--db", str(copy)).exit_code == 0
    assert counts == sorted(counts) and counts[-1] > 0
    assert "already exists" in run("backup", str(copies[0]), "--db", str(path)).stderr


def _verdict_count(path) -> int:
    with raw(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]


def test_random_bytes_in_a_page_fail_verify_and_mark_refuses_to_append(marked):
    path, ids = marked
    rows_before = len(open_database(path).execute("SELECT id FROM verdicts").fetchall())
    pages = path.stat().st_size // 4096
    with path.open("r+b") as handle:  # the attacker's write; the workbench itself never opens the file
        handle.seek((pages - 2) * 4096)
        handle.write(os.urandom(4096))
    result = run("verify", "--db", str(path))
    assert result.exit_code == 1 and ("integrity_check" in result.stderr or "damaged" in result.stderr)
    marked_again = run("mark", str(ids[10]), "corroborated", "--db", str(path))
    assert marked_again.exit_code == 1 and "`workbench verify`" in marked_again.stderr
    with raw(path) as conn:
        try:
            rows_after = len(conn.execute("SELECT id FROM verdicts").fetchall())
        except sqlite3.DatabaseError:
            rows_after = rows_before  # the damage hides the table; the point is nothing was appended
    assert rows_after == rows_before


def test_damage_in_a_page_mark_never_reads_still_stops_the_append(marked):
    """SQLite writes around pages it does not read; a quick_check before the first write stops that."""
    path, ids = marked
    with raw(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()[0]
        rows_before = conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((page - 1) * 4096)
        handle.write(os.urandom(4096))
    result = run("mark", str(ids[10]), "corroborated", "--db", str(path))
    assert result.exit_code == 1
    assert "is damaged" in result.stderr and "nothing was written" in result.stderr
    with raw(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] == rows_before


async def test_the_desk_warns_at_start_while_the_chain_is_broken(marked):
    from workbench.tui.app import make_app

    path, _ = marked
    with raw(path) as conn:
        conn.execute("DROP TRIGGER verdicts_no_update")
        conn.execute("UPDATE verdicts SET note = 'nothing to see' WHERE id = 2")
    app = make_app(path, reviewer="alice")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the chain is walked in a worker after the first paint
        await pilot.pause()
        warnings = [n for n in app._notifications if "altered outside the workbench" in n.message]
        assert warnings and warnings[0].severity == "error" and "verdicts row 2" in warnings[0].message


def test_a_writer_killed_mid_loop_leaves_a_sound_file_and_an_intact_chain(tmp_path):
    import signal

    path = tmp_path / "claims.db"
    ids = [str(c) for c in seed(path, claims=30)]
    for attempt in range(3):
        writer = subprocess.Popen([sys.executable, str(WORKER), str(path), str(tmp_path / "w.json"), "mark",
                                   f"killed-{attempt}", "1000", *ids], env=environment(), stdout=subprocess.DEVNULL)
        time.sleep(1.5 + attempt * 0.37)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
        result = run("verify", "--db", str(path))
        assert result.exit_code == 0, result.output
    with raw(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0] > 0
