"""Slow work for the desk, run inside thread workers: ingest, embed, match, export.

These functions call core modules only; they report through the `report` callback (which posts a
message) and never touch a widget. Each opens its own connection to claims.db.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..pipeline import IngestRequest, PipelineResult
from .screens.export import ExportRequest

Report = Callable[[str, int, "int | None"], object]


def run_pipeline(db_path: Path, request: IngestRequest, model: str | None, report: Report,
                 cancel: threading.Event) -> PipelineResult:
    """The core pipeline on its own connection: ingest, then embed and match, reporting progress."""
    # Cheap and no cycle (pipeline is imported at the top already, db by the app): belong at the top.
    from .. import pipeline
    from ..db import open_database

    db = open_database(db_path)
    try:
        return pipeline.run_pipeline(db, request, model=model, progress=report, cancel=cancel.is_set)
    finally:
        db.conn.close()


def run_export(db_path: Path, request: ExportRequest, warnings: list[str] | None = None) -> int:
    """Write an export file with `write_export`; returns how many claims it holds.

    ClaimReview's pre-flight problems are appended to `warnings`."""
    # Cheap and no cycle (db is loaded by the app, export by this module's export screen): belong at the top.
    from ..db import open_database
    from ..export import write_export

    out_path = request.path

    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    db = open_database(db_path)
    try:
        return write_export(db, request.fmt, out_path, article_id=request.article_id, source=request.source,
                            verdict=request.verdict, warn=warnings.append if warnings is not None else None,
                            include_pending=request.include_pending)
    finally:
        db.conn.close()
