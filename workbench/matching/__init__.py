"""Matching: each claim gets its top-k most similar claims from OTHER sources, hybrid dense + lexical.

How a claim is matched (the same code path `workbench eval retrieval` measures):
1. candidates: the dense top-N by cosine over the stored vectors (numpy, chunked; beyond EXACT_LIMIT
   vectors an approximate faiss HNSW index, index.py) and the lexical
   top-N by FTS5 bm25 (see lexical.py), claims of the claim's own source (hence own article) removed;
2. every candidate gets both scores: cosine, and bm25 divided by the bm25 of the claim against its
   own stored text (an absolute "share of my words found there" in [0, 1]);
3. the fused score is cosine + a bonus for shared words - a penalty for being published far apart in
   time, with weights fitted on training qrels (see FUSION_WEIGHTS, benchmarks/tune_fusion.py), scaled
   so that the same words the same day score 1, less the story terms when the two articles tell
   another story or the other gives no figure for what the claim counts (CONTEXT_WEIGHTS, stories.py);
4. optionally a cross-encoder reranks the best candidates; the top-k are written to `matches`.

Incremental: matching some claims also re-matches the older claims whose top-k they now enter.

The modules: scoring (settings, weights, fused score), candidates (dense + lexical candidates, ranking),
index (the vector index, derived from claims.db), lexicon (bm25 for a batch), batches (a run's chunks,
in this process or in one worker process per core), incremental (which older claims to re-match),
store (matches, run records, saved settings, views).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

from ..embedding import CancelCheck, Embedder, ProgressCallback, ensure_embeddings
from ..errors import ModelError
from ..vocab import MATCH_METHODS
from ..worthiness_model import score_claims
from .batches import Plan, jobs, match_chunk, match_in_workers, worth_parallel
from .candidates import Corpus, Reach, candidate_pool, dense_top, rank
from .index import keep_index, open_index, wanted
from .lexicon import Lexicon, worth_building
from .incremental import older_claims_to_update, splice_matches
from .scoring import (CANDIDATES, DEFAULT_MIN_SCORE, FUSION_WEIGHTS, QUERY_CHUNK, RERANK_DEPTH,
                      TIME_SCALE_DAYS, Candidate, MatchSettings, PoolEntry, fused_score, staleness)
from .store import (is_matched, matches_for, pending_claim_ids, save_settings, saved_settings, settings_in_force,
                    write_matches)

__all__ = [
    "CANDIDATES", "DEFAULT_MIN_SCORE", "FUSION_WEIGHTS", "QUERY_CHUNK", "RERANK_DEPTH",
    "TIME_SCALE_DAYS", "Candidate", "Corpus", "MatchReport", "MatchSettings", "PoolEntry", "candidate_pool",
    "dense_top", "fused_score", "is_matched", "match_claims", "matches_for", "pending_claim_ids",
    "saved_settings", "settings_in_force", "staleness",
]

@dataclass
class MatchReport:
    matched: int = 0  # claims whose top-k was (re)computed at the caller's request
    updated_older: int = 0  # older claims re-matched because new claims entered their top-k
    embedded: int = 0
    rows: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    # Until the requested claims had their own matches written (the part a reviewer waits for); the
    # rest of `seconds` is older claims gaining the new ones.
    new_seconds: float = 0.0
    claim_ids: list[int] = field(default_factory=list)
    settings: MatchSettings = field(default_factory=MatchSettings)  # the settings the claims were matched with
    notices: list[str] = field(default_factory=list)  # e.g. the vector index could not be read: searched exactly
    processes: int = 1  # worker processes that matched the claims' own top-k (batches.py)


def _load_reranker(name: str | None):
    if not name:
        return None
    try:
        from sentence_transformers import CrossEncoder  # torch: only when a reranker is asked for (start-up speed)

        return CrossEncoder(name)
    except Exception as error:
        raise ModelError(f"cannot load cross-encoder {name!r} ({type(error).__name__}); pass a local path "
                         "with --reranker or leave it off") from error


def _others_embedded(db: Database, model: str, targets: list[int] | None) -> bool:
    """Whether every claim but `targets` has a vector for `model` (counts): then only the targets need
    embedding, and a new article does not hash the whole collection (its own claims are the missing ones)."""
    claims = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    vectors = db.execute("SELECT COUNT(*) FROM embeddings WHERE model = ?", [model]).fetchone()[0]
    if claims <= vectors or not targets:
        return claims <= vectors
    unembedded = db.execute(
        """SELECT COUNT(*) FROM json_each(?) t WHERE NOT EXISTS
           (SELECT 1 FROM embeddings e WHERE e.claim_id = t.value AND e.model = ?)""",
        [json.dumps(targets), model]).fetchone()[0]
    return claims - vectors <= unembedded


def _others_matched(db: Database, model: str, targets: list[int]) -> bool:
    """Whether a claim besides the `targets` has a run under `model`: a batch into an empty collection
    has no older claims to update and skips looking for them (in the newsroom-day profile that look
    cost 15% of matching: a scan of the lexical index per new claim), and needs no record of what
    each chunk can give them, so its chunks can go to worker processes."""
    return bool(db.execute(
        """SELECT EXISTS (SELECT 1 FROM match_runs WHERE model = ?
                          AND claim_id NOT IN (SELECT value FROM json_each(?)))""",
        [model, json.dumps(targets)]).fetchone()[0])


def match_claims(
    db: Database,
    embedder: Embedder,
    claim_ids: Iterable[int] | None = None,
    *,
    settings: MatchSettings | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
    embed_progress: ProgressCallback | None = None,
) -> MatchReport:
    """(Re)compute the top-k matches of the given claims (None: all) and let older claims gain them.

    `settings=None` (ingest, the desk) uses the settings of the last explicit match under the
    embedder's model (the defaults if there was none), so older claims re-matched on the way keep the
    settings they were matched with. Explicit settings are saved as those for later runs.
    """
    started = time.perf_counter()
    if settings is None:
        settings = saved_settings(db, embedder.name) or MatchSettings(model=embedder.name)
        explicit = False
    else:
        explicit = True
    if settings.method not in MATCH_METHODS:
        raise ValueError(f"unknown matching method {settings.method!r}; choose one of {', '.join(MATCH_METHODS)}")
    if settings.model != embedder.name:
        settings = MatchSettings(settings.k, settings.method, embedder.name, settings.reranker)
    report = MatchReport(settings=settings)
    reranker = _load_reranker(settings.reranker)
    if explicit:
        save_settings(db, settings)
    # Embedding is its own phase with its own progress: callers need not embed first (and hash
    # every claim twice) just to show it.
    targets_given = None if claim_ids is None else sorted({int(c) for c in claim_ids})
    report.embedded = ensure_embeddings(db, embedder,
                                        targets_given if _others_embedded(db, embedder.name, targets_given) else None,
                                        cancel=cancel, progress=embed_progress)
    # The trained check-worthiness reads the vectors just stored (only claims it has not scored yet).
    score_claims(db, embedder, targets_given)
    # The index (when the collection is large enough) catches up with the vectors just stored.
    index = open_index(db, embedder.name, report.notices) if wanted(db, embedder.name) else None
    corpus = Corpus(db, embedder.name, index)
    incremental = targets_given is not None
    targets = corpus.load(targets_given) if targets_given is not None else corpus.all_claim_ids()
    plan = Plan(settings, corpus, reranker)
    # A batch reads the postings once: bm25 from numpy, FTS5's scores to the bit (lexicon.py).
    batch = settings.method == "hybrid" and worth_building(db, len(targets))
    # Older claims gain new ones only where some claim besides the targets was matched before.
    others = incremental and _others_matched(db, settings.model, targets)
    reaches: list[Reach] = []

    def run(ids: list[int], offset: int, total: int, track: bool) -> list[int]:
        """Match `ids` (their own top-k, written chunk by chunk); with `track`, keep what each chunk
        can give to the older claims. Untracked large runs go to worker processes (batches.py)."""
        if not track and worth_parallel(db, len(ids), settings):
            outcome = match_in_workers(db, ids, settings, lexicon=batch, cancel=cancel,
                                       progress=(lambda done: progress(offset + done, total)) if progress else None)
            report.rows += outcome.rows
            report.cancelled |= outcome.cancelled
            report.processes = jobs()
            report.notices += [n for n in outcome.notices if n not in report.notices]
            return outcome.claim_ids
        if batch and corpus.lexicon is None:
            corpus.lexicon = Lexicon(db)
        done: dict = {}  # the claim ids matched, in order (not their results: a day's batch is 300k claims)
        for start in range(0, len(ids), QUERY_CHUNK):
            if cancel and cancel():
                report.cancelled = True
                break
            chunk = ids[start:start + QUERY_CHUNK]
            rows, reach = match_chunk(db, plan, chunk)
            report.rows += rows
            if track and reach is not None:
                reaches.append(reach)
            done.update(dict.fromkeys(chunk))
            if progress:
                progress(offset + start + len(chunk), total)
        return list(done)

    if progress:
        progress(0, len(targets))
    results = run(targets, 0, len(targets), track=others)
    report.matched = len(results)
    report.claim_ids = results
    if others and not report.cancelled and targets:
        report.new_seconds = time.perf_counter() - started
        checking = (lambda done, total: progress(len(targets) + done, len(targets) + total)) if progress else None
        older, splice = older_claims_to_update(db, corpus, set(targets), Reach.combine(reaches), settings, checking)
        spliced: dict = {}
        if splice:
            spliced, redo = splice_matches(db, splice, settings)
            report.rows += write_matches(db, spliced, settings, corpus.stories)
            older = sorted({*older, *redo})
        if older:
            total = len(targets) + len(older)
            run(older, len(targets), total, track=False)
        report.updated_older = len(older) + len(spliced) if not report.cancelled else len(spliced)
    keep_index(db, embedder.name, index)
    report.seconds = time.perf_counter() - started
    report.new_seconds = report.new_seconds or report.seconds
    return report
