"""The editor's side of the round trip: decisions typed into an exported CSV, read back into claims.db.

An editor fills the `editor_decision` (approve / return) and `editor_note` columns of a CSV made by
`workbench export --format csv`. Each decided row becomes an editor_decisions row tied to the claim
and to the verdict the editor saw. A row is "already imported" when it says what the claim's latest
editor decision says (same verdict, decision and note): importing the same file again changes
nothing, while approve, return and approve again (three files, the same note) record three decisions
and the claim ends approved. (Two such files can be byte for byte alike, so the file itself cannot
tell them apart; importing an older file after a newer one applies its decisions again, with a
warning.) A row that does not point at a claim (or whose claim text no longer matches) is
reported with its line number and never guessed at.

The file comes back from a real spreadsheet: comma, semicolon or tab separated (Excel and
LibreOffice in much of Europe save with ';'), headers in any case with stray spaces, formula-escaped
cells, and a decision column filled down over pending claims (counted once, not an error). Two rows
that decide one claim differently are both refused, with their line numbers; the rest is imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from .db import query_rows, timestamp, write
from .errors import InputError
from .integrity import next_chain_hash
from .safe_text import unneutralise

DECISIONS = {"approve": "approve", "approved": "approve", "return": "return", "returned": "return"}
REQUIRED_COLUMNS = ("claim_id", "editor_decision")
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class EditorDecision:
    id: int
    claim_id: int
    verdict_id: int | None  # the verdict the editor saw when deciding
    decision: str  # "approve" or "return"
    note: str
    editor: str | None
    decided_at: str
    origin: str | None = None

    @property
    def approved(self) -> bool:
        return self.decision == "approve"

    @classmethod
    def from_row(cls, row: dict) -> "EditorDecision":
        return cls(id=row["id"], claim_id=row["claim_id"], verdict_id=row["verdict_id"],
                   decision=row["decision"], note=row["note"] or "", editor=row["editor"],
                   decided_at=row["decided_at"], origin=row["origin"])


@dataclass
class ImportReport:
    """What an import did, line by line (line numbers are the CSV's own, header = line 1)."""

    recorded: list[tuple[int, int, str]] = field(default_factory=list)  # (line, claim_id, decision)
    already: list[tuple[int, int]] = field(default_factory=list)  # (line, claim_id): seen before
    undecided: int = 0  # rows with an empty editor_decision
    problems: list[tuple[int, str]] = field(default_factory=list)  # rows not recorded, and why
    pending: list[int] = field(default_factory=list)  # lines deciding a claim that had no verdict yet
    warnings: list[tuple[int, str]] = field(default_factory=list)  # recorded, but worth a look

    @property
    def changed(self) -> bool:
        return bool(self.recorded)


@dataclass(frozen=True)
class LatestDecision(EditorDecision):
    """A claim's latest editor decision (the `current_editor_decisions` view), with the one rule for
    whether it stands: it names the claim's current verdict exactly."""

    on_current_verdict: bool = False

    @property
    def signs_off(self) -> bool:
        return self.approved and self.on_current_verdict

    @property
    def returns(self) -> bool:
        return self.decision == "return" and self.on_current_verdict

    @classmethod
    def from_row(cls, row: dict) -> "LatestDecision":
        return cls(**vars(EditorDecision.from_row(row)), on_current_verdict=bool(row["on_current_verdict"]))


def latest_decisions(db: Database, claim_ids: Iterable[int] | None = None) -> dict[int, LatestDecision]:
    """Each claim's latest editor decision, and whether it names the claim's current verdict (a decision
    about another verdict, earlier or later, signs nothing off)."""
    sql, params = "SELECT * FROM current_editor_decisions", []
    if claim_ids is not None:
        # Filtered in SQL: the desk asks for one article's claims on every keypress.
        sql += " WHERE claim_id IN (SELECT value FROM json_each(?))"
        params = [json.dumps(sorted({int(c) for c in claim_ids}))]
    return {r["claim_id"]: LatestDecision.from_row(r) for r in query_rows(db, sql, params)}


def decisions_for(db: Database, claim_id: int) -> list[EditorDecision]:
    """Every editor decision on a claim, oldest first."""
    return [EditorDecision.from_row(r) for r in query_rows(db,
        "SELECT * FROM editor_decisions WHERE claim_id = ? ORDER BY id", [claim_id])]


def _cell(value: str | None) -> str:
    """A cell as the editor meant it: without the apostrophe the export put before formula starts."""
    return unneutralise((value or "").strip())


def column_name(name: str | None) -> str:
    """'Editor Decision ' and 'EDITOR_DECISION' both mean editor_decision."""
    return re.sub(r"\s+", "_", (name or "").strip().lower())


def read_review_rows(path: Path) -> list[tuple[int, dict]]:
    """(line, row) for each row of an editor's CSV, with the columns named as we exported them."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", path=str(path)) from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not a UTF-8 CSV file (byte {error.start}); save it as 'CSV UTF-8'",
                         path=str(path)) from error
    delimiter = _delimiter(text, path)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        reader.fieldnames = [column_name(name) for name in reader.fieldnames or []]
        rows = []
        line = reader.line_num + 1
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"cannot read this row ({error})", path=str(path), line=line) from error
    return rows


def _delimiter(text: str, path: Path) -> str:
    """The separator whose header row holds the columns we need: sniffed from the header, not guessed."""
    first = text.split("\n", 1)[0]
    for delimiter in DELIMITERS:
        header = {column_name(name) for name in next(csv.reader([first], delimiter=delimiter), [])}
        if all(column in header for column in REQUIRED_COLUMNS):
            return delimiter
    found = [column_name(name) for name in next(csv.reader([first]), [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    raise InputError(
        f"no {', '.join(missing)} column in the header (read as comma-, semicolon- and tab-separated); "
        "import a CSV made by `workbench export --format csv`", path=str(path), line=1)


def refuse_conflicts(rows: list[tuple[int, dict]], report: ImportReport) -> list[tuple[int, dict]]:
    """Rows that decide one claim differently (approve on one line, return on another) cannot both be
    meant: each is refused with the other's line number; the rest of the file goes on."""
    decided: dict[str, list[tuple[int, tuple[str, str]]]] = {}
    for line, row in rows:
        decision = DECISIONS.get(_cell(row.get("editor_decision")).lower())
        if decision is not None:
            decided.setdefault(_cell(row.get("claim_id")), []).append(
                (line, (decision, _cell(row.get("editor_note")))))
    refused: set[int] = set()
    for claim, entries in decided.items():
        if len({meaning for _, meaning in entries}) > 1:
            lines = [line for line, _ in entries]
            for line, (decision, _) in entries:
                others = ", ".join(str(other) for other in lines if other != line)
                report.problems.append((line, f"claim {claim} is decided differently on line {others} "
                                              f"({decision} here); neither was recorded, keep one row"))
                refused.add(line)
    return [(line, row) for line, row in rows if line not in refused]


def _same_text(a: str, b: str) -> bool:
    return re.sub(r"\s+", " ", a).strip() == re.sub(r"\s+", " ", b).strip()


def row_hash(claim_id: int, verdict_id: int | None, decision: str, note: str, supersedes: int | None) -> str:
    """A decision and the editor decision it follows (None for a claim's first): one row per change.

    Keyed on what it supersedes, not only on what it says, so approve -> return -> approve records the
    second approval instead of colliding with the first.
    """
    payload = json.dumps([claim_id, verdict_id, decision, note, supersedes], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def import_review(db: Database, csv_path: str | Path, *, editor: str | None = None) -> ImportReport:
    """Record the editor decisions of an exported CSV; see the module docstring."""
    path = Path(csv_path)
    report = ImportReport()
    rows = refuse_conflicts(read_review_rows(path), report)
    with write(db):
        for line, row in rows:
            _import_row(db, line, row, editor, path.name, report)
    return report


def _import_row(db: Database, line: int, row: dict, editor: str | None, origin: str,
                report: ImportReport) -> None:
    raw_decision = _cell(row.get("editor_decision")).lower()
    note = _cell(row.get("editor_note"))
    if not raw_decision:
        if note:
            report.problems.append((line, "an editor_note without an editor_decision (approve or return)"))
        else:
            report.undecided += 1
        return
    decision = DECISIONS.get(raw_decision)
    if decision is None:
        report.problems.append((line, f"editor_decision {raw_decision!r} is neither approve nor return"))
        return
    claim_cell = _cell(row.get("claim_id"))
    if not claim_cell.isdigit():
        report.problems.append((line, f"claim_id {claim_cell!r} is not a claim id; row not matched"))
        return
    claim_id = int(claim_cell)
    claim = db.execute("SELECT text FROM claims WHERE id = ?", [claim_id]).fetchone()
    if claim is None:
        report.problems.append((line, f"there is no claim {claim_id} in this database; row not matched"))
        return
    if row.get("claim") and not _same_text(_cell(row["claim"]), claim[0]):
        report.problems.append(
            (line, f"claim {claim_id} in this database has other text than this row; row not matched"))
        return
    verdict_cell = _cell(row.get("verdict_id"))
    if not verdict_cell:
        report.pending.append(line)  # a decision filled down the column: said once, not an error
        return
    if not verdict_cell.isdigit():
        report.problems.append((line, f"verdict_id {verdict_cell!r} is not a verdict id"))
        return
    verdict_id = int(verdict_cell)
    owner = db.execute("SELECT claim_id FROM verdicts WHERE id = ?", [verdict_id]).fetchone()
    if owner is None or owner[0] != claim_id:
        report.problems.append((line, f"verdict {verdict_id} is not a verdict of claim {claim_id}"))
        return
    previous = db.execute(
        "SELECT id, verdict_id, decision, note FROM current_editor_decisions WHERE claim_id = ?",
        [claim_id]).fetchone()
    if previous is not None and (previous[1], previous[2], previous[3] or "") == (verdict_id, decision, note):
        report.already.append((line, claim_id))  # the claim's latest decision says just this
        return
    digest = row_hash(claim_id, verdict_id, decision, note, previous[0] if previous else None)
    earlier = db.execute(
        """SELECT origin FROM editor_decisions WHERE claim_id = ? AND verdict_id = ? AND decision = ?
           AND coalesce(note, '') = ? AND origin = ? LIMIT 1""",
        [claim_id, verdict_id, decision, note, origin]).fetchone()
    if earlier is not None:
        report.warnings.append(
            (line, f"claim {claim_id}: this decision was imported from {origin} before and changed since; "
                   f"recorded again as the latest"))
    latest = db.execute("SELECT id FROM current_verdicts WHERE claim_id = ?", [claim_id]).fetchone()
    latest = latest[0] if latest else None
    if latest != verdict_id:
        report.warnings.append(
            (line, f"claim {claim_id} was re-marked after this export; the decision is kept for "
                   f"verdict {verdict_id}, which is no longer current"))
    decision_row = {
        "claim_id": claim_id, "verdict_id": verdict_id, "decision": decision, "note": note,
        "editor": editor, "decided_at": timestamp(), "origin": origin, "row_hash": digest,
    }
    decision_row["chain_hash"] = next_chain_hash(db, "editor_decisions", decision_row)
    db.table("editor_decisions").insert(decision_row)
    report.recorded.append((line, claim_id, decision))
