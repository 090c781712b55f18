"""Claims grouped by who said them, across articles and sources (claims.claimant_key)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from ..db import query_rows
from ..domain import Claim, from_row


@dataclass(frozen=True)
class ClaimantGroup:
    """One claimant key: how often and where it speaks, the names it was written as, and the one the
    desk shows (the most common spelling; the longest of equally common ones, the fullest name)."""

    claimant_key: str
    claims: int
    articles: int
    sources: int
    names: list[str]
    name: str


def claimant_groups(db: Database, min_claims: int = 1) -> list[ClaimantGroup]:
    """Every claimant key with its counts, most claims first (ties by key)."""
    rows = query_rows(
        db,
        """WITH spellings AS (
               SELECT claimant_key, claimant, ROW_NUMBER() OVER (
                   PARTITION BY claimant_key ORDER BY COUNT(*) DESC, LENGTH(claimant) DESC, claimant) AS rank
               FROM claims WHERE claimant_key IS NOT NULL GROUP BY claimant_key, claimant)
           SELECT c.claimant_key, COUNT(*) AS claims, COUNT(DISTINCT c.article_id) AS articles,
                  COUNT(DISTINCT c.source_id) AS sources, json_group_array(DISTINCT c.claimant) AS names,
                  sp.claimant AS name
           FROM claims c JOIN spellings sp ON sp.claimant_key = c.claimant_key AND sp.rank = 1
           GROUP BY c.claimant_key HAVING COUNT(*) >= ?
           ORDER BY claims DESC, c.claimant_key""",
        [min_claims],
    )
    return [from_row(ClaimantGroup, {**row, "names": sorted(json.loads(row["names"]))}) for row in rows]


def claims_by_claimant(db: Database, claimant_key: str) -> list[Claim]:
    """The claims attributed to one claimant key, in every article, article by article in reading order."""
    rows = query_rows(
        db,
        """SELECT c.id, c.article_id, s.name AS source, c.span_start, c.span_end, c.text, c.claimant,
                  c.worthiness, c.features, c.external_id, c.rating
           FROM claims c JOIN sources s ON s.id = c.source_id
           WHERE c.claimant_key = ?
           ORDER BY c.article_id, c.position""",
        [claimant_key],
    )
    return [from_row(Claim, {**row, "features": json.loads(row["features"])}) for row in rows]
