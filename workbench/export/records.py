"""The per-claim verdict records every export format is built from, read from claims.db once.

A record is a plain dict in the shape of the JSONL schema (`workbench.verdict/1`, documented in
docs/exports.md), so the JSONL export writes it as it is and the other formats read the same fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlite_utils import Database

from ..db import query_rows
from ..editor_review import latest_decisions
from ..errors import WorkbenchError
from ..evidence import host_of, read_evidence
from ..verdicts import FOR_REVIEW_SQL, UNJUDGED_STATUS_SQL
from ..vocab import STATUSES

SCHEMA = "workbench.verdict/1"


@dataclass
class ExportData:
    """What one export holds: the records (article order, then claim order) and their articles."""

    records: list[dict]
    articles: dict[int, dict] = field(default_factory=dict)  # id -> article with its text and source
    filters: dict = field(default_factory=dict)

    def by_article(self) -> list[tuple[dict, list[dict]]]:
        """(article, its records) in article order; only articles that have a record."""
        grouped: dict[int, list[dict]] = {}
        for record in self.records:
            grouped.setdefault(record["article"]["id"], []).append(record)
        return [(self.articles[article_id], records) for article_id, records in grouped.items()]

    def title_of(self, article_id: int) -> str:
        return self.articles[article_id]["display_title"]


def parse_since(value: str | None) -> datetime | None:
    """A --since value as an aware UTC datetime: a date (YYYY-MM-DD, that day from 00:00 UTC) or an
    ISO date-time, with "T" or a space, with an offset or "Z" (without one it is read as UTC)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise WorkbenchError(
            f"--since {value!r} is not a date; write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def decided_at_utc(stamp: str) -> datetime:
    """A stored decided_at (ISO with +00:00) as an aware datetime, for comparing with --since."""
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def load_export(
    db: Database,
    *,
    article_id: int | None = None,
    source: str | None = None,
    verdict: str | Iterable[str] | None = None,
    since: str | None = None,
) -> ExportData:
    """Read the claims that pass the filters with their current verdict, history and editor decision.

    verdict filters on the current status (a label, "pending": review work without a verdict,
    "evidence": an imported claim, or "not for review"); since keeps claims whose current verdict was
    decided on or after that date (so it drops undecided claims).
    """
    wanted = _check_filters(db, article_id, source, verdict)
    since_text = since.strip() if since is not None else None
    since_moment = parse_since(since)
    where, params = _scope(article_id, source)
    rows = list(query_rows(
        db,
        f"""SELECT c.id, c.article_id, c.position, c.span_start, c.span_end, c.text, c.claimant,
                   c.worthiness, c.external_id, c.rating, {FOR_REVIEW_SQL} AS for_review,
                   {UNJUDGED_STATUS_SQL} AS unjudged,
                   a.title, a.url, a.published, s.id AS source_id, s.name AS source_name,
                   s.kind AS source_kind, s.url AS source_url
            FROM claims c JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = a.source_id
            {where}
            ORDER BY c.article_id, c.position, c.id""",
        params,
    ))
    claim_ids = [row["id"] for row in rows]
    histories = _histories(db, claim_ids)
    current = _chosen_ids(db, "current_verdicts", claim_ids)
    latest_by_reviewer = _chosen_ids(db, "reviewer_verdicts", claim_ids)
    decisions = latest_decisions(db, claim_ids)
    records = []
    for row in rows:
        record = _record(row, histories.get(row["id"], []), decisions.get(row["id"]), current,
                         latest_by_reviewer)
        if wanted is not None and record["status"] not in wanted:
            continue
        if since_moment is not None and (record["verdict"] is None
                                         or decided_at_utc(record["verdict"]["decided_at"]) < since_moment):
            continue
        records.append(record)
    articles = _articles(db, {r["article"]["id"] for r in records})
    filters = {"article": article_id, "source": source, "verdict": sorted(wanted) if wanted else None,
               "since": since_text}
    return ExportData(records, articles, {k: v for k, v in filters.items() if v is not None})


def _scope(article_id: int | None, source: str | None) -> tuple[str, list[object]]:
    """The WHERE clause (over claims c, sources s) of an article and a source filter, and its parameters."""
    where: list[str] = []
    params: list[object] = []
    if article_id is not None:
        where.append("c.article_id = ?")
        params.append(article_id)
    if source is not None:
        where.append("lower(s.name) = lower(?)")
        params.append(source)
    return ("WHERE " + " AND ".join(where) if where else ""), params


def count_by_status(db: Database, *, article_id: int | None = None, source: str | None = None) -> dict[str, int]:
    """How many claims of this scope have each status, in one query (the desk's export dialog asks on
    every change): the current label, else pending, evidence or not for review (UNJUDGED_STATUS_SQL)."""
    where, params = _scope(article_id, source)
    counts = {status: 0 for status in STATUSES}
    for row in query_rows(
        db,
        f"""SELECT COALESCE(v.label, {UNJUDGED_STATUS_SQL}) AS status, COUNT(*) AS claims
            FROM claims c JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = a.source_id
            LEFT JOIN current_verdicts v ON v.claim_id = c.id
            {where} GROUP BY 1""",
        params,
    ):
        counts[row["status"]] = row["claims"]
    return counts


def _check_filters(db, article_id, source, verdict) -> set[str] | None:
    if article_id is not None and not db.execute(
            "SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone():
        raise WorkbenchError(f"there is no article {article_id}; `workbench articles` lists them")
    if source is not None and not db.execute(
            "SELECT 1 FROM sources WHERE lower(name) = lower(?)", [source]).fetchone():
        names = ", ".join(r[0] for r in db.execute("SELECT name FROM sources ORDER BY name"))
        raise WorkbenchError(f"there is no source named {source!r}; known sources: {names or 'none'}")
    if verdict is None:
        return None
    wanted = {verdict} if isinstance(verdict, str) else set(verdict)
    if not wanted:
        return None
    unknown = wanted - set(STATUSES)
    if unknown:
        raise WorkbenchError(
            f"unknown verdict {sorted(unknown)[0]!r}; use one of {', '.join(STATUSES)}")
    return wanted


def _histories(db: Database, claim_ids: list[int]) -> dict[int, list[dict]]:
    """Every verdict row of the wanted claims, oldest first (one query)."""
    histories: dict[int, list[dict]] = {}
    for row in query_rows(db, "SELECT * FROM verdicts WHERE claim_id IN (SELECT value FROM json_each(?)) "
                        "ORDER BY claim_id, id", [json.dumps(claim_ids)]):
        histories.setdefault(row["claim_id"], []).append(row)
    return histories


def _chosen_ids(db: Database, view: str, claim_ids: list[int]) -> set[int]:
    """The verdict ids a view picks for the wanted claims: the database defines "current" once."""
    return {row[0] for row in db.execute(
        f"SELECT id FROM {view} WHERE claim_id IN (SELECT value FROM json_each(?))", [json.dumps(claim_ids)])}


def _verdict(row: dict) -> dict:
    return {
        "id": row["id"], "label": row["label"], "action": row["action"], "reviewer": row["reviewer"],
        "decided_at": row["decided_at"], "note": row["note"] or "",
        "evidence": read_evidence(row["evidence"]),
        "settings": json.loads(row["settings"] or "{}"),
    }


def _record(row: dict, history: list[dict], decision, current: set[int], latest_by_reviewer: set[int]) -> dict:
    # Each reviewer's latest row and the claim's current verdict come from the database's views
    # (reviewer_verdicts, current_verdicts): one reviewer's clear or undo never hides another's verdict.
    reviewers = {h["reviewer"]: h for h in history if h["id"] in latest_by_reviewer}
    chosen = next((h for h in history if h["id"] in current and h["label"] is not None), None)
    verdict = _verdict(chosen) if chosen is not None else None
    editor = None
    if decision is not None:
        editor = {
            "decision": decision.decision, "note": decision.note, "editor": decision.editor,
            "decided_at": decision.decided_at, "verdict_id": decision.verdict_id,
            # The database's one rule (current_editor_decisions): False when the decision names another
            # verdict than the current one (re-marked since, or the decided verdict was undone).
            "current": decision.on_current_verdict,
        }
    return {
        "schema": SCHEMA,
        "claim": {
            "id": row["id"], "text": row["text"], "claimant": row["claimant"],
            "position": row["position"], "span_start": row["span_start"], "span_end": row["span_end"],
            "worthiness": row["worthiness"], "external_id": row["external_id"], "rating": row["rating"],
            # Review work (verdicts.FOR_REVIEW_SQL): False for imported evidence and claims under the floor.
            "for_review": bool(row["for_review"]),
        },
        "article": {"id": row["article_id"], "title": row["title"], "url": row["url"],
                    "published": row["published"]},
        "source": {"id": row["source_id"], "name": row["source_name"], "kind": row["source_kind"],
                   "url": row["source_url"]},
        "status": verdict["label"] if verdict else row["unjudged"],
        "verdict": verdict,
        # Each reviewer's own latest verdict, so a second opinion is never hidden by the latest one.
        "reviews": [
            {"reviewer": h["reviewer"], "label": h["label"], "verdict_id": h["id"],
             "decided_at": h["decided_at"], "note": h["note"] or "",
             "evidence": read_evidence(h["evidence"])}
            for h in sorted(reviewers.values(), key=lambda h: h["id"])
        ],
        "history": [
            {"id": h["id"], "action": h["action"], "label": h["label"], "reviewer": h["reviewer"],
             "decided_at": h["decided_at"], "note": h["note"] or "", "undoes": h["undoes"]}
            for h in history
        ],
        "editor": editor,
    }


def _articles(db: Database, article_ids: set[int]) -> dict[int, dict]:
    articles = {}
    for row in query_rows(db,
        """SELECT a.id, a.title, a.url, a.published, a.text, s.name AS source, s.kind AS source_kind
           FROM articles a JOIN sources s ON s.id = a.source_id ORDER BY a.id"""
    ):
        if row["id"] in article_ids:
            articles[row["id"]] = {**row, "display_title": display_title(row["title"], row["text"])}
    return articles


def display_title(title: str | None, text: str, limit: int = 80) -> str:
    """The title, or for an untitled article (a fact-check row, say) its opening words."""
    if title and title.strip():
        return title.strip()
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0] + "\u2026"


def evidence_sources(record: dict) -> list[str]:
    """The distinct sources of a record's evidence, in the order cited."""
    seen: list[str] = []
    for item in (record["verdict"] or {}).get("evidence", []):
        name = item.get("source") or host_of(item.get("url"))
        if name and name not in seen:
            seen.append(name)
    return seen


def evidence_urls(record: dict) -> list[str]:
    seen: list[str] = []
    for item in (record["verdict"] or {}).get("evidence", []):
        url = item.get("url")
        if url and url not in seen:
            seen.append(url)
    return seen


def has_verdicts(records: list[dict], data: "ExportData | None" = None) -> bool:
    """Whether a report should give these records (one article's) a full section: any has a verdict,
    or the export holds no verdict at all (say, --verdict pending), so there is nothing else to show."""
    if any(r["verdict"] for r in records):
        return True
    return data is not None and not any(r["verdict"] for r in data.records)


def other_reviews(record: dict) -> list[dict]:
    """The reviews of reviewers other than the one whose verdict is current."""
    current = record["verdict"]["reviewer"] if record["verdict"] else None
    return [r for r in record["reviews"] if r["reviewer"] != current]


def status_counts(records: Iterable[dict]) -> dict[str, int]:
    counts = {status: 0 for status in STATUSES}
    for record in records:
        counts[record["status"]] += 1
    return counts


def editor_counts(records: Iterable[dict]) -> dict[str, int]:
    """How many current verdicts the editor signed off or returned (the current_editor_decisions rule)."""
    counts = {"signed_off": 0, "returned": 0}
    for record in records:
        editor = record["editor"]
        if editor is not None and editor["current"]:
            counts["signed_off" if editor["decision"] == "approve" else "returned"] += 1
    return counts


def segments(text: str, records: list[dict]) -> list[tuple[str, dict | None]]:
    """Cut an article's text into plain pieces and claim pieces, from the claims' exact spans.

    A claim whose span does not hold its text, or overlaps an earlier one, is left unhighlighted
    (it is still listed with its verdict).
    """
    pieces: list[tuple[str, dict | None]] = []
    cursor = 0
    for record in sorted(records, key=lambda r: (r["claim"]["span_start"], r["claim"]["span_end"])):
        start, end = record["claim"]["span_start"], record["claim"]["span_end"]
        if start < cursor or end > len(text) or text[start:end] != record["claim"]["text"]:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], record))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], None))
    return pieces
