"""Slow work for the desk, run inside thread workers: ingest, embed, match, export.

These functions call core modules only; they report through the `report` callback (which posts a
message) and never touch a widget. Each opens its own connection to claims.db.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

from ..config import INT8_MODEL, model_name
from ..embedding import build_int8_model, int8_folder
from ..ingest import IngestResult
from ..pipeline import IngestRequest, PipelineResult
from .screens.export import ExportRequest

Report = Callable[[str, int, "int | None"], object]


def run_pipeline(db_path: Path, request: IngestRequest, model: str | None, report: Report,
                 cancel: threading.Event) -> PipelineResult:
    """The core pipeline on its own connection: ingest, then embed and match, reporting progress."""
    # Cheap and no cycle (pipeline is imported at the top already, db by the app): belong at the top.
    from .. import pipeline
    from ..db import open_database

    def stored(results: list[IngestResult]) -> None:
        if request.match and not cancel.is_set() and any(r.claim_ids and not r.duplicate for r in results):
            build_model_first(model, report)

    db = open_database(db_path)
    try:
        return pipeline.run_pipeline(db, request, model=model, progress=report, cancel=cancel.is_set,
                                     on_stored=stored)
    finally:
        db.conn.close()


def build_model_first(model: str | None, report: Report) -> None:
    """The int8 model's first build on this machine (about a minute, once), step by step on the
    progress strip: loading the model would build it too, silently, under "Loading the model"."""
    if model_name(model) != INT8_MODEL or int8_folder().exists():
        return

    def step(line: str) -> None:
        found = re.match(r"\s*(\d+)/(\d+) ", line)  # "  2/3 calibrating int8 on 158 demo claims"
        if found:
            report(f"Building the int8 model (once): step {found[1]} of {found[2]}", int(found[1]) - 1,
                   int(found[2]))

    report("Building the int8 model (once, about a minute)", 0, None)
    build_int8_model(report=step)


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
