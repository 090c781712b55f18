"""Opening and writing claims.db: refuse what is not ours, apply migrations, one way to write.

The schema lives in the migrations of schema.py; every table is described where it is created.

Several processes share claims.db (the desk, `workbench mark` in another shell, an export). Two rules
keep every write: nothing but SQLite ever opens the file (closing any other handle on it drops this
process's POSIX locks, and another process may then delete the WAL under us), and every write
transaction starts with BEGIN IMMEDIATE, so it waits for the busy timeout instead of failing at once
when another process committed between its first read and its first write.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from .errors import DatabaseError
from .schema import APPEND_ONLY_TRIGGERS, known_migrations, migrations

def timestamp() -> str:
    """Now, in UTC, as every table stores it (ISO 8601 to the second)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


BUSY_TIMEOUT_S = 10
BEGIN_ATTEMPTS = 5  # each waits up to BUSY_TIMEOUT_S; the retry is the last resort, not the wait


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def begin_immediate(conn: sqlite3.Connection) -> None:
    """Take the write lock now (waiting up to the busy timeout), retrying a few times if still busy."""
    for attempt in range(1, BEGIN_ATTEMPTS + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or attempt == BEGIN_ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """One write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error.

    Inside another transaction it is a savepoint of that one. Read what the write depends on inside
    the block: from BEGIN IMMEDIATE on, no other process can commit until this one does.
    """
    if db.conn.in_transaction:
        with Database.atomic(db):
            yield db
        return
    if isinstance(db, WorkbenchDatabase) and not db.checked:
        refuse_damaged(db)
        db.checked = True
    begin_immediate(db.conn)
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


DAMAGED = "is damaged ({}); nothing was written: `workbench verify` shows where, restore a backup"


def damage(db: Database) -> str | None:
    """What `PRAGMA quick_check` finds wrong with the file, or None when it is sound."""
    try:
        problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall() if row[0] != "ok"]
    except sqlite3.DatabaseError as error:
        return str(error)
    return " ".join("; ".join(problems[:3]).split()) or None


def database_file(db: Database) -> Path | None:
    """The file a connection has open; None for an in-memory database."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def refuse_damaged(db: Database) -> None:
    """Never append to a damaged file: SQLite writes happily around pages it does not read."""
    found = damage(db)
    if found:
        raise DatabaseError(DAMAGED.format(found), path=str(database_file(db) or ""))


class WorkbenchDatabase(Database):
    """sqlite-utils' Database whose transactions all begin IMMEDIATE.

    sqlite-utils writes (insert, upsert_all, migrations) open `atomic()`, a deferred BEGIN that reads
    the schema before it writes; routing it through `write` makes those wait for the lock too.
    """

    checked = False  # quick_check passed on this connection (done before its first write)
    migration_backup: Path | None = None  # the copy written before this open migrated the file

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        with write(self):
            yield self


def _connect(target: str) -> sqlite3.Connection:
    # check_same_thread stays on: one connection per thread (each desk worker opens its own).
    # isolation_level IMMEDIATE: a bare INSERT outside `write` also takes the lock before it reads.
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level="IMMEDIATE")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_is_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    """Read the header through SQLite itself; a file that is not SQLite is refused, never written."""
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        conn.close()
        if "not a database" in str(error) or "encrypted" in str(error):
            raise DatabaseError(
                "is not a SQLite database; refusing to touch it (choose another path with --db)",
                path=str(path)) from error
        raise DatabaseError(f"cannot read the database ({error}); `workbench verify` checks it",
                            path=str(path)) from error


def _refuse_unknown_migrations(db: Database, path: Path) -> None:
    """A database migrated by a newer workbench is left exactly as it is."""
    known = known_migrations()
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        db.conn.close()
        raise DatabaseError(
            f"was written by a newer workbench (migration {unknown[0]} is unknown here); refusing to "
            "open it: upgrade the workbench, or work on a copy", path=str(path))


def backup_database(db: Database, target: str | Path) -> Path:
    """A consistent copy of the open database (SQLite's backup API), safe while others write."""
    target = Path(target)
    if target.exists():
        raise DatabaseError("already exists; choose a new name for the backup", path=str(target))
    copy = sqlite3.connect(str(target))
    try:
        db.conn.backup(copy)
        # One self-contained file, whatever the journal mode of the original.
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
    return target


def _backup_before_migrating(db: Database, path: Path) -> Path | None:
    """Before a pending migration touches a database that holds anything, copy it beside itself."""
    if not migrations.pending(db) or not db.table_names():
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return backup_database(db, path.with_name(f"{path.name}.bak-{stamp}"))


def _migrate(db: Database) -> None:
    """Apply the pending migrations, all under one write lock, reading which are pending under it.
    Two processes opening one older file at once then apply each migration once: the second waits,
    finds them recorded and applies nothing. (Read before the lock, as `Migrations.apply` alone does,
    the second ran a migration the first had just committed and failed: "index ... already exists".)
    A migration that fails rolls back every one of this open: the file is left as it was."""
    if migrations.pending(db):  # an up-to-date file takes no lock
        with write(db):
            migrations.apply(db)


def restore_triggers(db: Database) -> list[str]:
    """Recreate any append-only trigger that was dropped; returns the names restored."""
    present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [name for name in APPEND_ONLY_TRIGGERS if name not in present]
    if missing:
        with write(db):
            for name in missing:
                db.execute(APPEND_ONLY_TRIGGERS[name])
    return missing


def open_database(path: str | Path, *, migrate: bool = True, repair: bool = True) -> WorkbenchDatabase:
    """Open (creating if needed) claims.db with WAL, foreign keys and a busy timeout.

    Refuses, without writing a byte, a file that is not SQLite and a database from a newer
    workbench. Backs the file up before migrating it (`claims.db.bak-<UTC time>`), and recreates
    dropped append-only triggers unless `repair` is False (`workbench verify` looks without mending).
    """
    path = Path(path)
    if path.is_dir():
        raise DatabaseError("is a directory, not a database; pass a file path with --db", path=str(path))
    if not path.exists() and not path.parent.exists():
        raise DatabaseError("its folder does not exist; create it or choose another --db", path=str(path))
    try:
        conn = _connect(str(path))
        _check_is_sqlite(conn, path)
        db = WorkbenchDatabase(conn)
        _refuse_unknown_migrations(db, path)
        if db.journal_mode != "wal":
            db.enable_wal()
        if migrate:
            db.migration_backup = _backup_before_migrating(db, path)
            _migrate(db)
            if repair:
                restore_triggers(db)
    except sqlite3.DatabaseError as error:
        if "malformed" in str(error):
            raise DatabaseError(DAMAGED.format(error), path=str(path)) from error
        raise DatabaseError(f"cannot open the database ({error}); check the path and its permissions",
                            path=str(path)) from error
    return db


def memory_database() -> WorkbenchDatabase:
    """A migrated in-memory database, for evaluation runs and fast tests."""
    db = WorkbenchDatabase(_connect(":memory:"))
    migrations.apply(db)
    return db


def query_rows(db: Database, sql: str, params: Sequence[object] | dict[str, object] = ()) -> list[dict]:
    """Rows as dicts keyed by column name, in one statement (db.query wraps each read in a savepoint)."""
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
