"""Drafts in claims.db: a reviewer's unrecorded note and evidence per claim (the `drafts` table).

Saved the moment they change, so nothing typed is lost on quit, crash or restart; recording the
verdict deletes the draft in the same transaction (verdicts.decide).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from .db import query_rows, timestamp


@dataclass
class Draft:
    note: str | None = None  # None: the note of the recorded verdict stands
    evidence: set[int] | None = None  # None: the evidence of the recorded verdict stands

    @classmethod
    def from_row(cls, row: dict) -> "Draft":
        evidence = row["evidence"]
        return cls(note=row["note"], evidence=None if evidence is None else {int(c) for c in json.loads(evidence)})


def load_drafts(db: Database, reviewer: str) -> dict[int, Draft]:
    """Every saved draft of one reviewer, by claim id."""
    return {row["claim_id"]: Draft.from_row(row) for row in query_rows(
        db, "SELECT claim_id, note, evidence FROM drafts WHERE reviewer = ?", [reviewer])}


def save_draft(db: Database, claim_id: int, reviewer: str, draft: Draft) -> None:
    evidence = None if draft.evidence is None else json.dumps(sorted(draft.evidence))
    with db.atomic():
        db.execute(
            """INSERT INTO drafts (claim_id, reviewer, note, evidence, updated_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (claim_id, reviewer)
               DO UPDATE SET note = excluded.note, evidence = excluded.evidence, updated_at = excluded.updated_at""",
            [claim_id, reviewer, draft.note, evidence, timestamp()])


def delete_draft(db: Database, claim_id: int, reviewer: str) -> None:
    """Spend a draft, inside the caller's transaction: the one that appends the reviewer's verdict row
    (verdicts._append), so the draft goes exactly when the verdict is stored."""
    db.execute("DELETE FROM drafts WHERE claim_id = ? AND reviewer = ?", [claim_id, reviewer])
