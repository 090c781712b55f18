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

from .db import query_rows, timestamp, write
from .draft_store import delete_draft
from .errors import WorkbenchError
from .evidence import Reference, read_evidence, resolve
from .integrity import next_chain_hash
from .vocab import EVIDENCE, NOT_FOR_REVIEW, PENDING, REVIEW_FLOOR, VERDICT_LABELS



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
            evidence=read_evidence(row["evidence"]), settings=json.loads(row["settings"] or "{}"),
            undoes=row["undoes"],
        )


@dataclass(frozen=True)
class ClaimHeading:
    """What a verdict's history is headed with: the claim, its source and article."""

    id: int
    text: str
    source: str
    article_title: str | None


def claim_heading(db: Database, claim_id: int) -> ClaimHeading:
    rows = query_rows(
        db, """SELECT c.id, c.text, s.name AS source, a.title AS article_title
               FROM claims c JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = c.source_id
               WHERE c.id = ?""", [claim_id])
    if not rows:
        raise WorkbenchError(f"there is no claim {claim_id}; `workbench claims` lists them")
    return ClaimHeading(**rows[0])


def _check_label(label: str) -> None:
    if label not in VERDICT_LABELS:
        raise WorkbenchError(f"unknown verdict {label!r}; use one of {', '.join(VERDICT_LABELS)}")


def _article_of(db: Database, claim_id: int) -> int:
    row = db.execute("SELECT article_id FROM claims WHERE id = ?", [claim_id]).fetchone()
    if row is None:
        raise WorkbenchError(f"there is no claim {claim_id}; `workbench claims` lists them")
    return int(row[0])


def decide(
    db: Database,
    claim_id: int,
    label: str,
    reviewer: str,
    *,
    note: str = "",
    evidence: Iterable[Reference] = (),
    model: str | None = None,
) -> Verdict:
    """Record a verdict: the one path of the desk's verdict keys and of `workbench mark`.

    evidence: claim ids, "#N" (this claim's match of rank N) or http(s) urls, frozen into the one
    evidence shape (workbench.evidence); the model and matching settings in force for the claim are
    stored with it, and the reviewer's draft on the claim is spent in the same transaction.
    """
    _check_label(label)
    items = resolve(db, claim_id, _article_of(db, claim_id), evidence)
    # Start-up speed: matching and embedding (~90 ms) load only to record a verdict, not for `history`.
    from .matching import settings_in_force

    return _append(db, claim_id, label, "mark", reviewer, note, items, settings_in_force(db, claim_id, model), None)


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
    """Append a verdict whose evidence is already frozen (records as workbench.evidence makes them);
    it becomes the claim's current verdict. The desk and `workbench mark` go through `decide`."""
    _check_label(label)
    _article_of(db, claim_id)
    return _append(db, claim_id, label, "mark", reviewer, note, list(evidence), settings or {}, None)


def clear_verdict(db: Database, claim_id: int, reviewer: str, *, note: str = "") -> Verdict:
    """Withdraw this reviewer's verdict: their state becomes pending (earlier rows stay in the history).

    Another reviewer's verdict on the claim is untouched, so the claim stays decided if they judged it.
    """
    _article_of(db, claim_id)
    mine = reviewer_state(db, claim_id, reviewer)
    if mine is None or mine.label is None:
        raise WorkbenchError(f"{reviewer} has no verdict on claim {claim_id} to clear")
    return _append(db, claim_id, None, "clear", reviewer, note, [], {}, None)


def reviewer_state(db: Database, claim_id: int, reviewer: str) -> Verdict | None:
    """The reviewer's latest row on a claim (label None once cleared), or None if they never judged it."""
    rows = query_rows(
        db, "SELECT * FROM reviewer_verdicts WHERE claim_id = ? AND reviewer = ?", [claim_id, reviewer])
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
    before = query_rows(
        db,
        "SELECT * FROM verdicts WHERE claim_id = ? AND reviewer = ? AND id < ? ORDER BY id DESC LIMIT 1",
        [target_claim, reviewer, target_id],
    )
    if before:
        previous = Verdict.from_row(before[0])
        return _append(db, target_claim, previous.label, "undo", reviewer, previous.note,
                       previous.evidence, previous.settings, target_id)
    return _append(db, target_claim, None, "undo", reviewer, "", [], {}, target_id)


def _append(db: Database, claim_id: int, label: str | None, action: str, reviewer: str, note: str,
            evidence: list[dict], settings: dict, undoes: int | None) -> Verdict:
    """Append one row; the reviewer's draft on the claim is spent in the same transaction."""
    if not reviewer:
        raise WorkbenchError("a verdict needs a reviewer name; pass --reviewer")
    row = {
        "claim_id": claim_id, "label": label, "action": action, "reviewer": reviewer,
        "decided_at": timestamp(), "note": note or "", "evidence": json.dumps(evidence, ensure_ascii=False),
        "settings": json.dumps(settings, ensure_ascii=False, sort_keys=True), "undoes": undoes,
    }
    with write(db):
        row["chain_hash"] = next_chain_hash(db, "verdicts", row)
        verdict_id = _insert(db, row)
        delete_draft(db, claim_id, reviewer)
    return Verdict.from_row({**row, "id": verdict_id})


def _insert(db: Database, row: dict) -> int:
    """The one INSERT into the history (plain SQL: sqlite-utils' table insert reads the schema first)."""
    cursor = db.execute(
        """INSERT INTO verdicts (claim_id, label, action, reviewer, decided_at, note, evidence, settings, undoes,
                                 chain_hash)
           VALUES (:claim_id, :label, :action, :reviewer, :decided_at, :note, :evidence, :settings, :undoes,
                   :chain_hash)""",
        row)
    return int(cursor.lastrowid or 0)


def history(db: Database, claim_id: int) -> list[Verdict]:
    """Every row for a claim, oldest first."""
    return [Verdict.from_row(r) for r in query_rows(
        db, "SELECT * FROM verdicts WHERE claim_id = ? ORDER BY id", [claim_id])]


def current_verdicts(db: Database, claim_ids: Iterable[int] | None = None) -> dict[int, Verdict]:
    """Each judged claim's current verdict: the most recent labelled state among its reviewers.

    A claim whose reviewers have all cleared or undone maps to a Verdict with label None (pending).
    """
    if claim_ids is None:
        rows = query_rows(db, "SELECT * FROM current_verdicts")
    else:
        # Filtered in SQL: the desk asks for one article's claims on every keypress.
        rows = query_rows(db, "SELECT * FROM current_verdicts WHERE claim_id IN (SELECT value FROM json_each(?))",
                          [json.dumps(sorted({int(c) for c in claim_ids}))])
    return {r["claim_id"]: Verdict.from_row(r) for r in rows}


def verdicts_by_reviewer(db: Database, claim_id: int) -> list[Verdict]:
    """Each reviewer's latest row for a claim, so two reviewers' verdicts are both visible."""
    return [Verdict.from_row(r) for r in query_rows(
        db, "SELECT * FROM reviewer_verdicts WHERE claim_id = ? ORDER BY id", [claim_id])]


# A claim imported from a fact-check file (features say imported, or it has an external id): evidence for
# other claims, never review work. The one rule; the unary + keeps SQLite off the claims_external index
# (which holds every claim under NULL: walking it was the desk's slowest query at 100k claims), and
# features that are not JSON (a hand-edited row) read as not imported instead of failing the query.
IMPORTED_CLAIM_SQL = ("(+c.external_id IS NOT NULL"
                      " OR CASE WHEN json_valid(c.features) THEN json_extract(c.features, '$.imported') END IS 1)")
# The one rule of what is review work, over `claims c`: not imported evidence, and at least as
# check-worthy as the floor. The queue (review_queue.ClaimRow.for_review) and the counts read it.
FOR_REVIEW_SQL = f"(NOT {IMPORTED_CLAIM_SQL} AND c.worthiness >= {REVIEW_FLOOR})"
# What a claim without a current verdict is, as the desk words it (review_queue.ClaimRow.status):
# pending review work, imported evidence, or not for review (under the floor).
UNJUDGED_STATUS_SQL = (f"CASE WHEN {FOR_REVIEW_SQL} THEN '{PENDING}' WHEN {IMPORTED_CLAIM_SQL} THEN '{EVIDENCE}'"
                       f" ELSE '{NOT_FOR_REVIEW}' END")


def review_work(db: Database) -> int:
    """How many claims are review work (FOR_REVIEW_SQL), judged or not. It reads every claim: a caller
    that asks often (the desk) keeps it until the claims may have changed (an ingest, another process)."""
    return int(db.execute(f"SELECT COUNT(*) FROM claims c WHERE {FOR_REVIEW_SQL}").fetchone()[0])


def label_counts(db: Database, *, work: int | None = None) -> dict[str, int]:
    """How many claims are corroborated / disputed / unverified right now, and how many are pending:
    the rows of the queue's "pending" list (review_queue.ClaimRow.needs_review), that is review work
    without a verdict (FOR_REVIEW_SQL) and every claim whose current verdict an editor returned.
    work: review_work(db), when the caller knows it (otherwise it is read here)."""
    counts = {label: 0 for label in (*VERDICT_LABELS, PENDING)}
    judged_work = returned = 0
    # One pass over the current verdicts (CROSS JOIN: never over every claim) and one over the editor's
    # decisions. Pending = work - judged work + returned: a returned claim has a label, so it is never
    # counted twice.
    for label, is_work, count in db.execute(
        f"""SELECT v.label, {FOR_REVIEW_SQL}, COUNT(*) FROM current_verdicts v CROSS JOIN claims c ON c.id = v.claim_id
            WHERE v.label IS NOT NULL GROUP BY 1, 2
            UNION ALL SELECT NULL, 0, COUNT(*) FROM current_editor_decisions
                      WHERE decision = 'return' AND on_current_verdict"""
    ).fetchall():
        if label is None:
            returned = count
        else:
            counts[label] += count
            judged_work += count if is_work else 0
    work = review_work(db) if work is None else work
    counts[PENDING] = work - judged_work + returned
    return counts
