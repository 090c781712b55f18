"""One pipeline for every way articles come in: read -> split -> store -> embed -> match.

`workbench ingest`, `workbench demo`, the desk's ingest and its start-up all run `run_pipeline`.
Each article is stored in its own transaction (ingest.py), so a run killed at any moment leaves whole
articles. What such a run stored but never embedded or matched is finished by the next run, which
matches "unfinished" claims (no match run under the model in use) together with its new ones.

Progress goes to `progress(label, done, total)` (total None: not known yet); `cancel()` is checked
between articles, while splitting, and between batches of embedding and matching.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from .embedding import Embedder, load_embedder
from .ingest import (IngestResult, articles_from_paths, demo_articles, demo_claims_file, ingest_article,
                     ingest_claims_files, ingest_text)
from .matching import MatchReport, match_claims
from .matching.store import never_matched_claim_ids
from .reading import Skipped
from .splitting import Cancelled

Progress = Callable[[str, int, "int | None"], object]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class IngestRequest:
    """What to ingest: the demo corpus, files (articles, or atomic claims), or pasted text.

    An empty request ingests nothing and only finishes what earlier runs left unmatched.
    """

    demo: bool = False
    paths: list[str] = field(default_factory=list)
    text: str = ""
    source: str | None = None
    kind: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    claims_file: bool = False  # paths hold already-atomic claims, stored without splitting
    context_window: int = 0
    origin: str | None = None  # where pasted text came from, for messages
    match: bool = True  # False: store only (`--no-match`)


@dataclass
class PipelineResult:
    stored: list[IngestResult] = field(default_factory=list)
    new_claims: list[int] = field(default_factory=list)
    earlier: list[int] = field(default_factory=list)  # claims an earlier run left unmatched
    report: MatchReport | None = None
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def article_ids(self) -> list[int]:
        return [r.article_id for r in self.stored if r.article_id is not None]

    @property
    def claims(self) -> int:
        return len(self.new_claims)

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.stored if r.duplicate)

    @property
    def finished(self) -> int:
        """How many of the claims an earlier run left unmatched were matched now."""
        if self.report is None:
            return 0
        return len(set(self.report.claim_ids) & set(self.earlier))

    @property
    def notices(self) -> list[str]:
        stored = [f"{r.origin or '-'}: {notice}" for r in self.stored for notice in r.notices]
        # e.g. the vector index could not be read and matching searched exactly (matching/index.py)
        return stored + (self.report.notices if self.report is not None else [])


def unfinished_claims(db: Database) -> list[int]:
    """Claims stored by a run that never got to match them: no match run under any model (one query).

    A claim last matched under another model (`workbench match --model X`) is finished, not left
    over: an ingest under the default model must not re-match a whole corpus and replace what its
    reviewers saw. `workbench match` re-matches such claims when asked.
    """
    return never_matched_claim_ids(db)


def finished_message(count: int) -> str:
    return f"finished {count} claims left unmatched by an earlier run"


def store(db: Database, request: IngestRequest, *, progress: Progress | None = None,
          cancel: CancelCheck | None = None) -> tuple[list[IngestResult], bool]:
    """Read and check everything the request names, then split and store it article by article.

    Returns the results and whether it was cancelled; a cancelled run keeps the articles it stored.
    """
    report = progress or (lambda label, done, total: None)
    cancelled = cancel or (lambda: False)
    if request.claims_file:
        return ingest_claims_files(db, request.paths, source=request.source, kind=request.kind), False
    skipped: list[Skipped] = []  # what directories left out: other file types, empty, no article text
    if request.demo:
        articles = demo_articles()
    elif request.paths:
        articles = articles_from_paths(request.paths, source=request.source, kind=request.kind,
                                       title=request.title, url=request.url, published=request.published,
                                       skipped=skipped)
    elif request.text:
        report("Splitting into claims", 0, 1)
        try:
            return [ingest_text(db, request.text, source=request.source or "", kind=request.kind,
                                title=request.title, url=request.url, published=request.published,
                                origin=request.origin, context_window=request.context_window, cancel=cancel)], False
        except Cancelled:
            return [], True
    else:
        return [], False
    # Listed first, so the output names what was left out before the articles stored.
    results = [IngestResult(None, origin=left.origin, skipped=left.reason) for left in skipped]
    for done, article in enumerate(articles):
        report("Splitting into claims", done, len(articles))
        if cancelled():
            return results, True
        try:
            results.append(ingest_article(db, article, source=request.source, kind=request.kind,
                                          context_window=request.context_window, cancel=cancel))
        except Cancelled:
            return results, True
    report("Splitting into claims", len(articles), len(articles))
    if request.demo:
        results.extend(ingest_claims_files(db, [demo_claims_file()]))
    return results, False


def embed_and_match(db: Database, new_claims: list[int], *, model: str | None = None,
                    embedder: Embedder | None = None, progress: Progress | None = None,
                    cancel: CancelCheck | None = None) -> tuple[list[int], MatchReport | None]:
    """Embed and match the new claims and every claim earlier runs left unmatched (older claims gain them).

    Returns (the earlier claims, the match report); loads no model when there is nothing to do (an
    evaluation that holds its model passes it as `embedder`).
    """
    report = progress or (lambda label, done, total: None)
    new = set(new_claims)
    earlier = [claim_id for claim_id in unfinished_claims(db) if claim_id not in new]
    targets = sorted(new) + earlier
    if not targets:
        return earlier, None
    if embedder is None:
        report("Loading the model", 0, None)
        embedder = load_embedder(model)
        report("Loading the model", 1, 1)
    if cancel is not None and cancel():
        return earlier, MatchReport(cancelled=True)

    def matching(done: int, total: int) -> None:
        report("Matching claims", done, total)

    def embedding(done: int, total: int) -> None:
        report("Embedding claims", done, total)

    outcome = match_claims(db, embedder, targets, settings=None, cancel=cancel, progress=matching,
                           embed_progress=embedding)
    return earlier, outcome


def run_pipeline(db: Database, request: IngestRequest, *, model: str | None = None,
                 embedder: Embedder | None = None, progress: Progress | None = None,
                 cancel: CancelCheck | None = None,
                 on_stored: Callable[[list[IngestResult]], None] | None = None) -> PipelineResult:
    """Ingest what the request names, then embed and match the new claims and those left unmatched.

    `on_stored` sees the stored results before the model loads (the CLI prints them there).
    """
    started = time.perf_counter()
    result = PipelineResult()
    try:
        result.stored, result.cancelled = store(db, request, progress=progress, cancel=cancel)
        result.new_claims = [c for r in result.stored if not r.duplicate for c in r.claim_ids]
        if on_stored is not None:
            on_stored(result.stored)
        if result.cancelled or not request.match:
            return result
        result.earlier, result.report = embed_and_match(db, result.new_claims, model=model, embedder=embedder,
                                                        progress=progress, cancel=cancel)
        result.cancelled = result.report is not None and result.report.cancelled
        return result
    finally:
        result.seconds = time.perf_counter() - started
