"""Sources as the desk's filters list them."""

from __future__ import annotations

from sqlite_utils import Database

from ..db import query_rows


def source_counts(db: Database) -> dict[str, int]:
    """Every source by name, with its number of claims (0 included), in name order."""
    rows = query_rows(db, """SELECT s.name, COUNT(c.id) AS claims
                             FROM sources s LEFT JOIN claims c ON c.source_id = s.id
                             GROUP BY s.id ORDER BY s.name""", [])
    return {row["name"]: row["claims"] for row in rows}


def has_claims(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM claims)").fetchone()[0] == 1


def sources_with_claims(db: Database) -> int:
    """How many sources have at least one claim: with fewer than two, there is nothing to match against."""
    return int(db.execute("SELECT COUNT(DISTINCT source_id) FROM claims").fetchone()[0])
