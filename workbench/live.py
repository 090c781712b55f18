"""Seeing other people's work: has another process committed to claims.db since we last looked?

SQLite's `PRAGMA data_version` changes on a connection whenever another connection (another desk, a
`workbench mark` in a terminal, an ingest worker) commits, and never for the connection's own writes. One
integer read is cheap enough to poll twice a second, so the desk can refresh just what it shows instead
of reloading everything.
"""

from __future__ import annotations

from sqlite_utils import Database


class ChangeWatch:
    """Polled by the desk: `changed()` is True once after each batch of other connections' commits."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.version = self.read()

    def read(self) -> int:
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        version = self.read()
        if version == self.version:
            return False
        self.version = version
        return True
