"""Exports for editors and other tools, all built from the same per-claim records (records.py).

Formats: csv (spreadsheets and the editor round trip), jsonl (workbench.verdict/1 records),
markdown and html (reports), claimreview (schema.org JSON-LD). The schema and the ClaimReview scale
are documented in docs/exports.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path

from sqlite_utils import Database

from ..errors import WorkbenchError
from ..integrity import chain_warning
from ..vocab import EXPORT_FORMATS, PENDING, STATUSES, VERDICT_LABELS
from . import claimreview, csv_export, html_report, jsonl_export, markdown_report
from .records import count_by_status, load_export

EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "markdown": ".md", "html": ".html", "claimreview": ".json"}
# Formats that hold decided claims only unless asked: the editors' CSV (its rows are for signing off;
# include_pending adds the claims waiting for review) and ClaimReview (nothing to publish without a
# verdict). The reports show every claim of an article in its text, and JSONL is complete for programs.
DECIDED_ONLY = ("csv", "claimreview")


def wanted_statuses(fmt: str, verdict: str | Iterable[str] | None = None,
                    include_pending: bool = False) -> set[str] | None:
    """The statuses an export of this format holds: the --verdict choice when given, else decided claims
    for DECIDED_ONLY formats, else every claim (None); include_pending adds "pending" (review work)."""
    chosen = {verdict} if isinstance(verdict, str) else set(verdict or ())
    if not chosen and fmt in DECIDED_ONLY:
        chosen = set(VERDICT_LABELS)
    if chosen and include_pending:
        chosen.add(PENDING)
    return chosen or None


def held_count(counts: dict[str, int], fmt: str, verdict: str | Iterable[str] | None = None,
               include_pending: bool = False) -> int:
    """How many claims (ClaimReview: reviews) an export of this format holds, from its scope's claims
    per status (records.count_by_status): the desk's export dialog shows it on its button."""
    wanted = wanted_statuses(fmt, verdict, include_pending) or set(STATUSES)
    if fmt == "claimreview":
        wanted &= set(VERDICT_LABELS)
    return sum(counts[status] for status in wanted)


def export_count(db: Database, fmt: str, *, article_id: int | None = None, source: str | None = None,
                 verdict: str | Iterable[str] | None = None, include_pending: bool = False) -> int:
    """held_count for a scope read from the database in one query."""
    return held_count(count_by_status(db, article_id=article_id, source=source), fmt, verdict, include_pending)


def nothing_decided(fmt: str, count: int, verdict: str | Iterable[str] | None = None,
                    include_pending: bool = False, since: str | None = None) -> bool:
    """Whether an export came out empty because no claim in its scope is decided (so the user is told
    what to do): a DECIDED_ONLY format with no --verdict, --include-pending or --since of the user's."""
    return count == 0 and fmt in DECIDED_ONLY and not verdict and not include_pending and since is None


def render_export(
    db: Database,
    fmt: str,
    *,
    article_id: int | None = None,
    source: str | None = None,
    verdict: str | Iterable[str] | None = None,
    since: str | None = None,
    publisher: str | None = None,
    publisher_url: str | None = None,
    review_url: str | None = None,
    warn: Callable[[str], None] | None = None,
    include_pending: bool = False,
) -> tuple[str, int]:
    """The export as text, and how many claims (ClaimReview: reviews) it holds (wanted_statuses says
    which claims a format holds)."""
    if fmt not in EXPORT_FORMATS:
        raise WorkbenchError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    data = load_export(db, article_id=article_id, source=source,
                       verdict=wanted_statuses(fmt, verdict, include_pending), since=since)
    if fmt == "claimreview":
        chosen = claimreview.Publisher(publisher, publisher_url, review_url)
        return claimreview.render(data, chosen, warn), len(claimreview.reviews(data, chosen))
    render = {"csv": csv_export.render, "jsonl": jsonl_export.render, "markdown": markdown_report.render,
              "html": html_report.render}[fmt]
    return render(data), len(data.records)


def flag_altered_history(db: Database, fmt: str, text: str) -> str:
    """While the verdict history's hash chain is broken, say so on stderr and atop a report."""
    warning = chain_warning(db)
    if warning is None:
        return text
    sys.stderr.write(warning + "\n")
    if fmt == "markdown":
        return f"> {warning}\n\n{text}"
    if fmt == "html":
        return text.replace("<body>", f"<body>\n<p><strong>{escape(warning)}</strong></p>", 1)
    return text  # csv, jsonl and claimreview are read by programs: the stderr line must do


def write_export(
    db: Database,
    fmt: str,
    out_path: str | Path | None,
    *,
    article_id: int | None = None,
    source: str | None = None,
    verdict: str | Iterable[str] | None = None,
    since: str | None = None,
    publisher: str | None = None,
    publisher_url: str | None = None,
    review_url: str | None = None,
    warn: Callable[[str], None] | None = None,
    include_pending: bool = False,
) -> int:
    """Write an export to out_path (stdout when None); returns the number of claims written.

    ClaimReview's pre-flight advice goes to warn(line): a summary line per kind of problem.
    """
    text, count = render_export(
        db, fmt, article_id=article_id, source=source, verdict=verdict, since=since,
        publisher=publisher, publisher_url=publisher_url, review_url=review_url, warn=warn,
        include_pending=include_pending,
    )
    text = flag_altered_history(db, fmt, text)
    if out_path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return count
    path = Path(out_path)
    if path.is_dir():
        raise WorkbenchError("is a folder; give a file name for the export", path=str(path))
    try:
        # newline="" keeps the CSV's \r\n row ends as the csv module wrote them.
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise WorkbenchError(f"cannot write the export ({error.strerror})", path=str(path)) from error
    return count
