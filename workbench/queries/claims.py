"""Claims as stored, with their spans, check-worthiness and claimant."""

from __future__ import annotations

import json

from sqlite_utils import Database

from ..db import query_rows
from ..domain import Claim, from_row


def list_claims(db: Database, article_id: int | None = None) -> list[Claim]:
    """The claims of one article (or all), article by article in reading order."""
    where, params = ("WHERE c.article_id = ?", [article_id]) if article_id is not None else ("", [])
    rows = query_rows(db,
        f"""SELECT c.id, c.article_id, s.name AS source, c.span_start, c.span_end, c.text, c.claimant,
                   c.worthiness, c.features, c.external_id, c.rating
            FROM claims c JOIN sources s ON s.id = c.source_id {where}
            ORDER BY c.article_id, c.position""",
        params,
    )
    return [from_row(Claim, {**row, "features": json.loads(row["features"])}) for row in rows]


def claim_text(db: Database, claim_id: int) -> str | None:
    """The text of a claim; None when there is no such claim."""
    row = db.execute("SELECT text FROM claims WHERE id = ?", [claim_id]).fetchone()
    return row[0] if row else None
