"""The retrieval harness: ingest a collection and its queries as claims, run the real matcher, score it.

The collection becomes the claims of a "reference" source (one article per claim, the fact-check's
headline as the claim's context), the queries the claims of another source; then `match_claims`, the
product's own code path, matches the queries and the harness reads the `matches` table back.
Transcript lines (ids `<transcript>_<line>`, as in CheckThat! 2B) get the preceding lines of the same
transcript as context, as the workbench does for any transcript: a debate sentence alone ("That's not
true.") often names nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from ..db import memory_database, write
from ..embedding import Embedder, ensure_embeddings
from ..ingest import NewArticle, NewClaim, ensure_source, store_claims
from ..matching import MatchSettings, match_claims
from . import cache as vector_cache
from .metrics import evaluate
from .readers import (Document, Query, clean_text, date_from_id, last_date, read_collection, read_qrels,
                      read_queries, transcript_position)

REFERENCE_SOURCE = "evaluation: verified claims"
QUERY_SOURCE = "evaluation: input claims"


@dataclass
class EvalResult:
    metrics: dict[str, float]
    queries: int
    documents: int
    seconds: float  # wall time of the whole run
    match_seconds: float  # matching the queries (vectors already stored)
    one_claim_seconds: float | None  # matching one new claim against everything stored
    settings: dict = field(default_factory=dict)
    run: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "metrics": self.metrics, "queries": self.queries, "documents": self.documents,
            "seconds": round(self.seconds, 3), "match_seconds": round(self.match_seconds, 3),
            "one_claim_seconds": None if self.one_claim_seconds is None else round(self.one_claim_seconds, 4),
            "settings": self.settings,
        }


def transcript_contexts(queries: Sequence[Query], window: int) -> dict[str, str]:
    """For each transcript line, the text of the up to `window` lines just before it that we have."""
    if window <= 0:
        return {}
    lines: dict[str, dict[int, str]] = {}
    for query in queries:
        where = transcript_position(query.id)
        if where:
            lines.setdefault(where[0], {})[where[1]] = clean_text(query.text)
    contexts = {}
    for query in queries:
        where = transcript_position(query.id)
        if not where or len(lines[where[0]]) < 2:
            continue
        doc, line = where
        before = [lines[doc][n] for n in range(line - window, line) if n in lines[doc]]
        if before:
            contexts[query.id] = " ".join(before)
    return contexts


def store_items(db: Database, source: str, kind: str, items: list[dict], origin: str) -> dict[str, int]:
    """One article per claim (text = claim text, span 0..len), through the product's write path;
    returns external id -> claim id."""
    ids = {}
    with write(db):
        source_id = ensure_source(db, source, new_kind=kind)
        for item in items:
            digest = hashlib.sha256(f"{origin}\0{item['id']}\0{item['text']}".encode()).hexdigest()
            article = NewArticle(source_id=source_id, text=item["text"], content_hash=digest,
                                 title=item.get("title"), url=item.get("url"), published=item.get("published"),
                                 origin=origin)
            claim = NewClaim(0, len(item["text"]), item["text"], context=item.get("context"),
                             external_id=item["id"], rating=item.get("rating"))
            ids[item["id"]] = store_claims(db, article, [claim])[1][0]
    return ids


def ingest_collection(db: Database, docs: Sequence[Document], origin: str = "collection") -> dict[str, int]:
    return store_items(db, REFERENCE_SOURCE, "fact-check", [
        {"id": d.id, "text": d.text, "context": d.title, "title": d.title, "published": d.published,
         "rating": d.rating, "url": d.url}
        for d in docs
    ], origin)


def ingest_queries(db: Database, queries: Sequence[Query], contexts: dict[str, str],
                   origin: str = "queries") -> dict[str, int]:
    return store_items(db, QUERY_SOURCE, "other", [
        {"id": q.id, "text": clean_text(q.text) or q.text, "context": contexts.get(q.id),
         "published": date_from_id(q.id) or last_date(q.text)}
        for q in queries
    ], origin)


def run_retrieval(
    collection: str | Path,
    queries: str | Path,
    qrels: str | Path,
    *,
    embedder: Embedder,
    settings: MatchSettings | None = None,
    db: Database | None = None,
    cache: Path | None = None,
    context_window: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> EvalResult:
    """Measure the matcher on one collection/queries/qrels triple (only the queries in qrels are run)."""
    started = time.perf_counter()
    settings = settings or MatchSettings(model=embedder.name)
    measured = MatchSettings(max(10, settings.k), settings.method, embedder.name, settings.reranker)
    docs = read_collection(collection)
    judged = read_qrels(qrels)
    all_queries = read_queries(queries)
    wanted = [q for q in all_queries if q.id in judged]
    db = db if db is not None else memory_database()
    ingest_collection(db, docs, origin=str(collection))
    contexts = transcript_contexts(all_queries, context_window)
    query_claims = ingest_queries(db, wanted, contexts, origin=str(queries))
    if cache is not None:
        vector_cache.prefill(db, embedder.name, cache)
    ensure_embeddings(db, embedder, progress=progress)
    if cache is not None:
        vector_cache.store(db, embedder.name, cache)
    match_started = time.perf_counter()
    match_claims(db, embedder, list(query_claims.values()), settings=measured)
    match_seconds = time.perf_counter() - match_started
    one_claim = None
    if query_claims:
        first = next(iter(query_claims.values()))
        one_started = time.perf_counter()
        match_claims(db, embedder, [first], settings=measured)
        one_claim = time.perf_counter() - one_started
    by_claim = {claim_id: query_id for query_id, claim_id in query_claims.items()}
    run: dict[str, list[tuple[str, float]]] = {}
    for claim_id, external_id, score, rank in db.execute(
        """SELECT m.claim_id, c.external_id, m.score, m.rank FROM matches m
           JOIN claims c ON c.id = m.other_claim_id ORDER BY m.claim_id, m.rank"""
    ):
        if claim_id in by_claim:
            run.setdefault(by_claim[claim_id], []).append((external_id, float(score)))
    metrics = evaluate(run, judged)
    return EvalResult(
        metrics=metrics, queries=len(judged), documents=len(docs), seconds=time.perf_counter() - started,
        match_seconds=match_seconds, one_claim_seconds=one_claim,
        settings={**settings.as_dict(), "context_window": context_window}, run=run,
    )
