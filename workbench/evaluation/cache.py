"""A persistent cache of vectors keyed by (model, hash of the embedded text), shared by evaluation runs.

Evaluation works in a fresh temporary database each time; without this cache the 14k-claim
CheckThat! 2A collection would be embedded again on every run (minutes on a laptop CPU).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from ..embedding import claims_needing_embeddings


def default_cache_path() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "workbench" / "embeddings.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30)
    conn.execute(
        """CREATE TABLE IF NOT EXISTS vectors (
               model TEXT NOT NULL, content_hash TEXT NOT NULL, dimensions INTEGER NOT NULL,
               vector BLOB NOT NULL, PRIMARY KEY (model, content_hash))"""
    )
    return conn


def prefill(db: Database, model: str, path: Path) -> int:
    """Copy cached vectors into `db` for claims that need one; returns how many were found."""
    if not path.exists():
        return 0
    todo = claims_needing_embeddings(db, model)
    if not todo:
        return 0
    conn = _connect(path)
    try:
        found = []
        hashes = [digest for _, _, digest in todo]
        cached: dict[str, tuple[int, bytes]] = {}
        for start in range(0, len(hashes), 500):
            part = hashes[start:start + 500]
            marks = ",".join("?" * len(part))
            for digest, dims, blob in conn.execute(
                f"SELECT content_hash, dimensions, vector FROM vectors WHERE model = ? AND content_hash IN ({marks})",
                [model, *part],
            ):
                cached[digest] = (dims, blob)
        for claim_id, _, digest in todo:
            if digest in cached:
                dims, blob = cached[digest]
                found.append((claim_id, model, digest, dims, blob))
    finally:
        conn.close()
    with db.atomic():
        db.conn.executemany(
            """INSERT OR REPLACE INTO embeddings (claim_id, model, content_hash, dimensions, vector)
               VALUES (?, ?, ?, ?, ?)""",
            found,
        )
    return len(found)


def store(db: Database, model: str, path: Path) -> None:
    """Remember every vector of `db` for `model` in the cache."""
    rows = db.execute(
        "SELECT model, content_hash, dimensions, vector FROM embeddings WHERE model = ?", [model]
    ).fetchall()
    conn = _connect(path)
    try:
        with conn:
            conn.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?, ?)", rows)
    finally:
        conn.close()
