"""Claims grouped by who said them, across articles and sources (claims.claimant_key)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from ..domain import Claim, from_row


@dataclass(frozen=True)
class ClaimantGroup:
    """One claimant key: how often and where it speaks, and the names it was written as."""

    claimant_key: str
    claims: int
    articles: int
    sources: int
    names: list[str]


def claimant_groups(db: Database, min_claims: int = 1) -> list[ClaimantGroup]:
    """Every claimant key with its counts, most claims first (ties by key)."""
    rows = db.query(
        """SELECT c.claimant_key, COUNT(*) AS claims, COUNT(DISTINCT c.article_id) AS articles,
                  COUNT(DISTINCT c.source_id) AS sources, json_group_array(DISTINCT c.claimant) AS names
           FROM claims c WHERE c.claimant_key IS NOT NULL
           GROUP BY c.claimant_key HAVING COUNT(*) >= ?
           ORDER BY claims DESC, c.claimant_key""",
        [min_claims],
    )
    return [from_row(ClaimantGroup, {**row, "names": sorted(json.loads(row["names"]))}) for row in rows]


def claims_by_claimant(db: Database, claimant_key: str) -> list[Claim]:
    """The claims attributed to one claimant key, in every article, article by article in reading order."""
    rows = db.query(
        """SELECT c.id, c.article_id, s.name AS source, c.span_start, c.span_end, c.text, c.claimant,
                  c.worthiness, c.features, c.external_id, c.rating
           FROM claims c JOIN sources s ON s.id = c.source_id
           WHERE c.claimant_key = ?
           ORDER BY c.article_id, c.position""",
        [claimant_key],
    )
    return [from_row(Claim, {**row, "features": json.loads(row["features"])}) for row in rows]
