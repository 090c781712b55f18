"""Tamper evidence for the record: a hash chain over verdicts and editor decisions, and `verify`.

Each row's chain_hash is the SHA-256 of the previous row's chain_hash and the row's own content
(the columns below, in this order). Editing, deleting or reordering a row by hand breaks the chain
at that row or the next; verify names the first broken row. Anyone can recompute the hashes (there
is no secret key), so the chain reveals tampering inside the history, not a consistently rewritten
tail: keep backups (`workbench backup`) for that.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # db imports this module for its migration; sqlite-utils is only needed for types
    from sqlite_utils import Database

# The content a row's hash covers. Columns added later are not covered (old hashes stay valid).
CHAINED_COLUMNS: dict[str, tuple[str, ...]] = {
    "verdicts": ("claim_id", "label", "action", "reviewer", "decided_at", "note", "evidence", "settings",
                 "undoes"),
    "editor_decisions": ("claim_id", "verdict_id", "decision", "note", "editor", "decided_at", "origin",
                         "row_hash"),
}
CHAINED_TABLES = tuple(CHAINED_COLUMNS)
GENESIS = ""


def chain_hash(previous: str, table: str, row: Mapping[str, Any]) -> str:
    """The hash of one row given the previous row's; values are compared as SQLite stores them.

    Every value is hashed as text (or null): a claim id passed as "7" is stored as 7 by the column's
    affinity, and both must give the same hash.
    """
    content = [None if row[column] is None else str(row[column]) for column in CHAINED_COLUMNS[table]]
    payload = json.dumps([previous, table, content], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def next_chain_hash(db: Database, table: str, row: Mapping[str, Any]) -> str:
    """The chain_hash for a row about to be appended; call it inside the inserting `write` block."""
    last = db.execute(f"SELECT chain_hash FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
    return chain_hash(last[0] or GENESIS if last else GENESIS, table, row)


def backfill(db: Database, table: str) -> None:
    """Give every existing row its chain_hash, in id order (migration m009)."""
    previous = GENESIS
    columns = ", ".join(CHAINED_COLUMNS[table])
    rows = db.execute(f"SELECT id, {columns} FROM {table} ORDER BY id").fetchall()
    for row in rows:
        previous = chain_hash(previous, table, dict(zip(("id", *CHAINED_COLUMNS[table]), row)))
        db.execute(f"UPDATE {table} SET chain_hash = ? WHERE id = ?", [previous, row[0]])


@dataclass(frozen=True)
class BrokenRow:
    table: str
    row_id: int
    reason: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row_id}: {self.reason}"


def first_broken_row(db: Database, table: str) -> BrokenRow | None:
    """Walk the chain of one table; the first row whose hash does not follow, or None."""
    columns = ("id", "chain_hash", *CHAINED_COLUMNS[table])
    previous = GENESIS
    cursor = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
    for values in cursor:
        row = dict(zip(columns, values))
        if row["chain_hash"] is None:
            return BrokenRow(table, row["id"], "has no chain hash (written outside the workbench)")
        if row["chain_hash"] != chain_hash(previous, table, row):
            return BrokenRow(table, row["id"], "changed, or a row before it was deleted, since it was recorded")
        previous = row["chain_hash"]
    return None


def broken_chains(db: Database) -> list[BrokenRow]:
    """The first broken row of each chained table (empty while the history is intact)."""
    return [broken for table in CHAINED_TABLES if (broken := first_broken_row(db, table)) is not None]


def chain_warning(db: Database) -> str | None:
    """One line for the desk and the exports while the history is broken, else None."""
    broken = broken_chains(db)
    if not broken:
        return None
    return (f"WARNING: the verdict history was altered outside the workbench ({broken[0]}); "
            "run `workbench verify` and restore a backup")


@dataclass
class Verification:
    broken_rows: list[BrokenRow] = field(default_factory=list)
    missing_triggers: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)  # PRAGMA integrity_check lines other than "ok"
    chained: dict[str, int] = field(default_factory=dict)  # rows per chained table

    @property
    def ok(self) -> bool:
        return not (self.broken_rows or self.missing_triggers or self.integrity)

    def problems(self) -> list[str]:
        return ([str(b) for b in self.broken_rows]
                + [f"trigger {name} is missing: the history was open to edits" for name in self.missing_triggers]
                + [f"integrity_check: {line}" for line in self.integrity])


def verify(db: Database, expected_triggers: list[str]) -> Verification:
    """Check the file (integrity_check), the append-only triggers and the hash chains."""
    result = Verification()
    try:
        result.integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
    except sqlite3.DatabaseError as error:  # some damage stops the check itself
        result.integrity = [str(error)]
        return result
    present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    result.missing_triggers = [name for name in expected_triggers if name not in present]
    if not result.integrity:
        result.broken_rows = broken_chains(db)
        result.chained = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                          for table in CHAINED_TABLES}
    return result
