"""Slow work for the desk, run inside thread workers: ingest, embed, match, export.

These functions call core modules only; they report through the `report` callback (which posts a
message) and never touch a widget. Each opens its own connection to claims.db.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .screens.export import ExportRequest
from .screens.ingest import IngestRequest

Report = Callable[[str, int, "int | None"], None]


@dataclass
class PipelineResult:
    article_ids: list[int] = field(default_factory=list)
    claims: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    cancelled: bool = False


def run_pipeline(db_path: Path, request: IngestRequest, model: str | None, report: Report,
                 cancel: threading.Event) -> PipelineResult:
    """Ingest (demo, files or text), then embed and match every new claim, reporting progress."""
    from ..db import open_database
    from ..embedding import load_embedder
    from ..ingest import ingest_paths, ingest_text, load_demo

    started = time.perf_counter()
    result = PipelineResult()
    db = open_database(db_path)
    try:
        report("Splitting into claims…", 0, None)
        if request.demo:
            results = load_demo(db)
        elif request.paths:
            results = ingest_paths(db, request.paths, source=request.source, kind=request.kind,
                                   title=request.title)
        else:
            results = [ingest_text(db, request.text, source=request.source, kind=request.kind,
                                   title=request.title, origin="<pasted in the desk>")]
        new_claims = [c for r in results if not r.duplicate for c in r.claim_ids]
        result.article_ids = [r.article_id for r in results if r.article_id is not None]
        result.claims = len(new_claims)
        result.duplicates = sum(1 for r in results if r.duplicate)
        if cancel.is_set() or not new_claims:
            result.cancelled = cancel.is_set()
            return result
        report("Loading the model…", 0, None)
        embedder = load_embedder(model)
        if cancel.is_set():
            result.cancelled = True
            return result
        from ..matching import match_claims

        outcome = match_claims(db, embedder, new_claims, settings=None,
                               progress=lambda d, t: report("Matching claims", d, t), cancel=cancel.is_set,
                               embed_progress=lambda d, t: report("Embedding claims", d, t))
        result.cancelled = outcome.cancelled or cancel.is_set()
        return result
    finally:
        result.seconds = time.perf_counter() - started
        db.conn.close()


def run_export(db_path: Path, request: ExportRequest, warnings: list[str] | None = None) -> int:
    """Write an export file with `write_export`; returns how many claims it holds.

    ClaimReview's pre-flight problems are appended to `warnings`."""
    from ..db import open_database
    from ..export import write_export

    out_path = request.path

    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    db = open_database(db_path)
    try:
        return write_export(db, request.fmt, out_path, article_id=request.article_id, source=request.source,
                            verdict=request.verdict, warn=warnings.append if warnings is not None else None)
    finally:
        db.conn.close()
