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
from ..vocab import EXPORT_FORMATS
from . import claimreview, csv_export, html_report, jsonl_export, markdown_report
from .records import load_export

EXTENSIONS = {"csv": ".csv", "jsonl": ".jsonl", "markdown": ".md", "html": ".html", "claimreview": ".json"}


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
) -> tuple[str, int]:
    """The export as text, and how many claims (ClaimReview: reviews) it holds."""
    if fmt not in EXPORT_FORMATS:
        raise WorkbenchError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    data = load_export(db, article_id=article_id, source=source, verdict=verdict, since=since)
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
) -> int:
    """Write an export to out_path (stdout when None); returns the number of claims written.

    ClaimReview's pre-flight problems go to warn(line), one per rejected record.
    """
    text, count = render_export(
        db, fmt, article_id=article_id, source=source, verdict=verdict, since=since,
        publisher=publisher, publisher_url=publisher_url, review_url=review_url, warn=warn,
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
