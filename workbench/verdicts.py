"""Verdicts: append-only history of what reviewers decided about each claim, and why.

Nothing here updates or deletes a row (the database refuses it too). Clearing and undoing append a
row that changes only the acting reviewer's own state. A claim's current verdict is the most recent
labelled state among its reviewers (the `current_verdicts` view), and every reviewer's latest row
stays visible (`reviewer_verdicts`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from .db import timestamp, write
from .errors import WorkbenchError
from .integrity import next_chain_hash
from .vocab import PENDING, VERDICT_LABELS



@dataclass(frozen=True)
class Verdict:
    id: int
    claim_id: int
    label: str | None  # None: cleared, the claim is pending again
    action: str
    reviewer: str
    decided_at: str
    note: str = ""
    evidence: list[dict] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    undoes: int | None = None

    @property
    def status(self) -> str:
        return self.label or PENDING

    @classmethod
    def from_row(cls, row: dict) -> "Verdict":
        return cls(
            id=row["id"], claim_id=row["claim_id"], label=row["label"], action=row["action"],
            reviewer=row["reviewer"], decided_at=row["decided_at"], note=row["note"] or "",
            evidence=json.loads(row["evidence"] or "[]"), settings=json.loads(row["settings"] or "{}"),
            undoes=row["undoes"],
        )


now = timestamp  # kept for callers that think of verdict times


def _check_claim(db: Database, claim_id: int) -> None:
    if not db.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone():
        raise WorkbenchError(f"there is no claim {claim_id}; `workbench claims` lists them")


def evidence_from_claims(db: Database, claim_ids: Iterable[int]) -> list[dict]:
    """Freeze what the reviewer saw: each evidence claim with its source, article and url."""
    wanted = [int(c) for c in claim_ids]
    found = {row[0]: row for row in db.execute(
        """SELECT c.id, c.text, c.external_id, a.id, a.title, a.url, a.published, s.name, s.kind
           FROM claims c JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = c.source_id
           WHERE c.id IN (SELECT value FROM json_each(?))""",
        [json.dumps(wanted)],
    )}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise WorkbenchError(f"there is no claim {missing[0]} to cite as evidence")
    return [
        {"claim_id": row[0], "text": row[1], "external_id": row[2], "article_id": row[3],
         "article_title": row[4], "url": row[5], "published": row[6], "source": row[7], "source_kind": row[8]}
        for row in (found[c] for c in wanted)
    ]


def record_verdict(
    db: Database,
    claim_id: int,
    label: str,
    reviewer: str,
    *,
    note: str = "",
    evidence: Sequence[dict] = (),
    settings: dict | None = None,
) -> Verdict:
    """Append a verdict for a claim; it becomes the claim's current verdict."""
    if label not in VERDICT_LABELS:
        raise WorkbenchError(f"unknown verdict {label!r}; use one of {', '.join(VERDICT_LABELS)}")
    _check_claim(db, claim_id)
    return _append(db, claim_id, label, "mark", reviewer, note, list(evidence), settings or {}, None)


def clear_verdict(db: Database, claim_id: int, reviewer: str, *, note: str = "") -> Verdict:
    """Withdraw this reviewer's verdict: their state becomes pending (earlier rows stay in the history).

    Another reviewer's verdict on the claim is untouched, so the claim stays decided if they judged it.
    """
    _check_claim(db, claim_id)
    mine = reviewer_state(db, claim_id, reviewer)
    if mine is None or mine.label is None:
        raise WorkbenchError(f"{reviewer} has no verdict on claim {claim_id} to clear")
    return _append(db, claim_id, None, "clear", reviewer, note, [], {}, None)


def reviewer_state(db: Database, claim_id: int, reviewer: str) -> Verdict | None:
    """The reviewer's latest row on a claim (label None once cleared), or None if they never judged it."""
    rows = list(db.query(
        "SELECT * FROM reviewer_verdicts WHERE claim_id = ? AND reviewer = ?", [claim_id, reviewer]))
    return Verdict.from_row(rows[0]) if rows else None


def undo_last(db: Database, reviewer: str, claim_id: int | None = None) -> Verdict | None:
    """Undo the reviewer's latest not-yet-undone mark or clear (on one claim, or on any).

    The undo row restores what this reviewer had decided before (their previous row on that claim,
    or nothing); other reviewers' verdicts are never touched. Returns None when there is nothing left
    to undo.
    """
    params: list = [reviewer]
    where = ""
    if claim_id is not None:
        where = "AND v.claim_id = ?"
        params.append(claim_id)
    target = db.execute(
        f"""SELECT v.id, v.claim_id FROM verdicts v
            WHERE v.reviewer = ? {where} AND v.action IN ('mark', 'clear')
              AND NOT EXISTS (SELECT 1 FROM verdicts u WHERE u.undoes = v.id)
            ORDER BY v.id DESC LIMIT 1""",
        params,
    ).fetchone()
    if target is None:
        return None
    target_id, target_claim = target
    before = list(db.query(
        "SELECT * FROM verdicts WHERE claim_id = ? AND reviewer = ? AND id < ? ORDER BY id DESC LIMIT 1",
        [target_claim, reviewer, target_id],
    ))
    if before:
        previous = Verdict.from_row(before[0])
        return _append(db, target_claim, previous.label, "undo", reviewer, previous.note,
                       previous.evidence, previous.settings, target_id)
    return _append(db, target_claim, None, "undo", reviewer, "", [], {}, target_id)


def _append(db, claim_id, label, action, reviewer, note, evidence, settings, undoes) -> Verdict:
    if not reviewer:
        raise WorkbenchError("a verdict needs a reviewer name; pass --reviewer")
    row = {
        "claim_id": claim_id, "label": label, "action": action, "reviewer": reviewer,
        "decided_at": now(), "note": note or "", "evidence": json.dumps(evidence, ensure_ascii=False),
        "settings": json.dumps(settings, ensure_ascii=False, sort_keys=True), "undoes": undoes,
    }
    with write(db):
        row["chain_hash"] = next_chain_hash(db, "verdicts", row)
        verdict_id = db["verdicts"].insert(row).last_pk
    return Verdict.from_row({**row, "id": verdict_id})


def history(db: Database, claim_id: int) -> list[Verdict]:
    """Every row for a claim, oldest first."""
    return [Verdict.from_row(r) for r in db.query(
        "SELECT * FROM verdicts WHERE claim_id = ? ORDER BY id", [claim_id])]


def current_verdicts(db: Database, claim_ids: Iterable[int] | None = None) -> dict[int, Verdict]:
    """Each judged claim's current verdict: the most recent labelled state among its reviewers.

    A claim whose reviewers have all cleared or undone maps to a Verdict with label None (pending).
    """
    if claim_ids is None:
        rows = db.query("SELECT * FROM current_verdicts")
    else:
        # Filtered in SQL: the desk asks for one article's claims on every keypress.
        rows = db.query("SELECT * FROM current_verdicts WHERE claim_id IN (SELECT value FROM json_each(?))",
                        [json.dumps(sorted({int(c) for c in claim_ids}))])
    return {r["claim_id"]: Verdict.from_row(r) for r in rows}


def verdicts_by_reviewer(db: Database, claim_id: int) -> list[Verdict]:
    """Each reviewer's latest row for a claim, so two reviewers' verdicts are both visible."""
    return [Verdict.from_row(r) for r in db.query(
        "SELECT * FROM reviewer_verdicts WHERE claim_id = ? ORDER BY id", [claim_id])]


def label_counts(db: Database) -> dict[str, int]:
    """How many claims are corroborated / disputed / unverified / pending right now."""
    counts = {label: 0 for label in (*VERDICT_LABELS, PENDING)}
    total = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    for label, count in db.execute(
        "SELECT label, COUNT(*) FROM current_verdicts WHERE label IS NOT NULL GROUP BY label"
    ).fetchall():
        counts[label] = count
    counts[PENDING] = total - sum(counts[label] for label in VERDICT_LABELS)
    return counts
