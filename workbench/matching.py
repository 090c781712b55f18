"""Matching: each claim gets its top-k most similar claims from OTHER sources, hybrid dense + lexical.

How a claim is matched (the same code path `workbench eval retrieval` measures):
1. candidates: the dense top-N by cosine over the stored vectors (numpy, chunked) and the lexical
   top-N by FTS5 bm25 (see lexical.py), claims of the claim's own source (hence own article) removed;
2. every candidate gets both scores: cosine, and bm25 divided by the bm25 of the claim against its
   own stored text (an absolute "share of my words found there" in [0, 1]);
3. the fused score is cosine + a bonus for shared words - a penalty for being published far apart in
   time, with weights fitted on training qrels (see FUSION_WEIGHTS, benchmarks/tune_fusion.py), scaled
   so that the same words the same day score 1;
4. optionally a cross-encoder reranks the best candidates; the top-k are written to `matches`.

Incremental: matching some claims also re-matches the older claims whose top-k they now enter.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone

import numpy as np
from sqlite_utils import Database

from .embedding import Embedder, embedding_text, ensure_embeddings, load_vectors
from .lexical import lexical_scores, lexical_search

ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

METHODS = ("hybrid", "dense", "lexical")

# Fused score = dense_weight * cosine + lexical_weight * (bm25 / own bm25), chosen on the 2022
# CheckThat! Task 2A/2B train qrels and checked on dev (docs/matching.md).
FUSION_WEIGHTS = {"dense": 1.0, "lexical": 0.4, "time": 0.2}
# Staleness: 1 - exp(-days between the two claims' articles / TIME_SCALE_DAYS); 0 when a date is unknown,
# so claims of the same days (or of unknown date) are not penalised and the score stays cosine-like.
TIME_SCALE_DAYS = 365.0

# The minimum fused score shown by default (docs/matching.md says how it was chosen).
DEFAULT_MIN_SCORE = 0.33

CANDIDATES = 50  # per method, before fusion
RERANK_DEPTH = 20
QUERY_CHUNK = 256  # claims per matrix product: 256 x 20k floats at a time, never all x all


@dataclass(frozen=True)
class MatchSettings:
    k: int = 5
    method: str = "hybrid"  # or "dense", "lexical"
    model: str = "all-MiniLM-L6-v2"  # embedder.name
    reranker: str | None = None

    def as_dict(self) -> dict:
        """The settings in force, stored with each verdict."""
        return {**asdict(self), "fusion": dict(FUSION_WEIGHTS) if self.method == "hybrid" else None}


@dataclass
class MatchReport:
    matched: int = 0  # claims whose top-k was (re)computed at the caller's request
    updated_older: int = 0  # older claims re-matched because new claims entered their top-k
    embedded: int = 0
    rows: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    claim_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class MatchView:
    claim_id: int
    other_claim_id: int
    rank: int
    score: float
    method: str
    dense_score: float | None
    lexical_score: float | None
    rerank_score: float | None
    text: str
    source: str
    source_kind: str
    article_id: int
    article_title: str | None
    article_url: str | None
    published: str | None
    span_start: int
    span_end: int
    external_id: str | None
    rating: str | None


@dataclass(frozen=True)
class Candidate:
    claim_id: int
    score: float
    dense: float | None
    lexical: float | None
    rerank: float | None = None


def _day(published: str | None) -> float:
    """Days since 0001-01-01 of an ISO date (or timestamp); NaN when there is none."""
    if not published:
        return float("nan")
    try:
        return float(date.fromisoformat(published[:10]).toordinal())
    except ValueError:
        return float("nan")


def staleness(published: str | float | None, other: str | float | None, scale: float | None = None) -> float:
    """How far apart in time two claims were published: 0 the same day (or a date unknown), towards 1 years apart."""
    a = published if isinstance(published, float) else _day(published)
    b = other if isinstance(other, float) else _day(other)
    if a != a or b != b:  # NaN
        return 0.0
    return 1.0 - math.exp(-abs(a - b) / (scale or TIME_SCALE_DAYS))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class _Corpus:
    """Every stored claim with its source and vector, loaded once per match run."""

    def __init__(self, db: Database, model: str):
        rows = db.execute(
            """SELECT c.id, c.source_id, c.article_id, c.text, c.context, a.published
               FROM claims c JOIN articles a ON a.id = c.article_id ORDER BY c.id"""
        ).fetchall()
        self.ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        self.sources = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        self.position = {int(r[0]): i for i, r in enumerate(rows)}
        self.texts = {int(r[0]): (r[3], r[4]) for r in rows}
        self.days = np.fromiter((_day(r[5]) for r in rows), dtype=np.float64, count=len(rows))
        vec_ids, matrix = load_vectors(db, model)
        if len(vec_ids) != len(self.ids) or not np.array_equal(vec_ids, self.ids):
            # Claims without a vector (a cancelled embedding run) are left out of dense search.
            full = np.zeros((len(self.ids), matrix.shape[1] if matrix.size else 1), dtype=np.float32)
            for i, claim_id in enumerate(vec_ids):
                full[self.position[int(claim_id)]] = matrix[i]
            matrix = full
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)

    def source_of(self, claim_id: int) -> int:
        return int(self.sources[self.position[claim_id]])


def _dense_top(corpus: _Corpus, claim_ids: Sequence[int], depth: int, time_weight: float = 0.0):
    """For each claim: (positions, cosines) of its `depth` nearest claims of other sources, best first.

    Also returns, per stored claim, the best cosine any of `claim_ids` reached with it (for incremental
    matching: which older claims may now rank a new claim in their top-k).
    """
    n = len(corpus.ids)
    best_against = np.full(n, -np.inf, dtype=np.float32)
    results: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    if n == 0 or not corpus.matrix.size:
        return results, best_against
    for start in range(0, len(claim_ids), QUERY_CHUNK):
        chunk = list(claim_ids[start:start + QUERY_CHUNK])
        rows = np.array([corpus.position[c] for c in chunk], dtype=np.int64)
        sims = corpus.matrix[rows] @ corpus.matrix.T  # chunk x n
        same_source = corpus.sources[rows][:, None] == corpus.sources[None, :]
        sims[same_source] = -np.inf
        np.maximum(best_against, sims.max(axis=0), out=best_against)
        take = min(depth, n)
        if take <= 0:
            continue
        # Candidates are chosen by what the fused score will reward: cosine minus staleness.
        select = sims
        if time_weight:
            gaps = np.abs(corpus.days[rows][:, None] - corpus.days[None, :])
            stale = np.nan_to_num(1.0 - np.exp(-gaps / TIME_SCALE_DAYS), nan=0.0)
            select = sims - time_weight * stale.astype(np.float32)
        if take < n:
            part = np.argpartition(-select, take - 1, axis=1)[:, :take]
        else:
            part = np.tile(np.arange(n), (len(chunk), 1))
        for i, claim_id in enumerate(chunk):
            idx = part[i]
            scores = sims[i, idx]
            keep = np.isfinite(scores)
            idx, scores = idx[keep], scores[keep]
            order = np.lexsort((-corpus.ids[idx], -select[i, idx]))
            results[claim_id] = (idx[order], scores[order])
    return results, best_against


@dataclass(frozen=True)
class PoolEntry:
    """One candidate before fusion, with every signal the fused score is made of."""

    claim_id: int
    dense: float | None
    lexical: float | None  # bm25, higher is better
    lexical_share: float  # bm25 / bm25 of the claim against its own text, in [0, 1]
    staleness: float = 0.0  # see staleness(): 0 same days or unknown, towards 1 years apart


def candidate_pool(db: Database, corpus: "_Corpus", claim_id: int, dense: tuple[np.ndarray, np.ndarray] | None,
                   method: str) -> list[PoolEntry]:
    """The dense and lexical candidates of a claim (other sources only), each with both scores."""
    text, context = corpus.texts[claim_id]
    query = embedding_text(text, context)
    source_id = corpus.source_of(claim_id)
    dense_scores: dict[int, float] = {}
    if dense is not None:
        idx, scores = dense
        dense_scores = {int(corpus.ids[i]): float(s) for i, s in zip(idx, scores)}
    lexical: dict[int, float] = {}
    if method in ("hybrid", "lexical"):
        lexical = dict(lexical_search(db, query, limit=CANDIDATES, exclude_source_id=source_id))
    pool = set(dense_scores) | set(lexical)
    own = 0.0
    if method == "hybrid" and pool:
        missing = [c for c in pool if c not in lexical] + [claim_id]
        lexical.update(lexical_scores(db, query, missing))
        own = lexical.pop(claim_id, 0.0)
        missing_dense = [c for c in pool if c not in dense_scores]
        if missing_dense and corpus.matrix.size:
            qv = corpus.matrix[corpus.position[claim_id]]
            for c in missing_dense:
                dense_scores[c] = float(corpus.matrix[corpus.position[c]] @ qv)
    entries = []
    day = float(corpus.days[corpus.position[claim_id]])
    for c in pool:
        lex = lexical.get(c, 0.0 if method == "hybrid" else None)
        share = min(1.0, lex / own) if own > 0 and lex else 0.0
        when = staleness(day, float(corpus.days[corpus.position[c]]))
        entries.append(PoolEntry(c, dense_scores.get(c), lex, share, when))
    return entries


def fused_score(entry: PoolEntry, method: str) -> float:
    if method == "dense":
        return entry.dense if entry.dense is not None else -1.0
    if method == "lexical":
        return entry.lexical or 0.0
    # Divided by the weights of the two similarities so that an identical claim of the same day scores 1.
    fused = (FUSION_WEIGHTS["dense"] * (entry.dense or 0.0) + FUSION_WEIGHTS["lexical"] * entry.lexical_share
             - FUSION_WEIGHTS["time"] * entry.staleness)
    return fused / (FUSION_WEIGHTS["dense"] + FUSION_WEIGHTS["lexical"])


def _rank(db: Database, corpus: "_Corpus", claim_id: int, dense: tuple[np.ndarray, np.ndarray] | None,
          settings: MatchSettings, reranker, seen: set[int] | None = None) -> list[Candidate]:
    pool = candidate_pool(db, corpus, claim_id, dense, settings.method)
    if seen is not None:
        seen.update(e.claim_id for e in pool)
    candidates = [Candidate(e.claim_id, float(fused_score(e, settings.method)), e.dense, e.lexical) for e in pool]
    candidates.sort(key=lambda cand: (-cand.score, -cand.claim_id))
    if reranker is not None and candidates:
        query = embedding_text(*corpus.texts[claim_id])
        top = candidates[:RERANK_DEPTH]
        pairs = [(query, embedding_text(*corpus.texts[c.claim_id])) for c in top]
        raw = np.asarray(reranker.predict(pairs), dtype=np.float64).reshape(len(top), -1)[:, -1]
        reranked = [
            Candidate(c.claim_id, float(1 / (1 + np.exp(-r))), c.dense, c.lexical, float(r))
            for c, r in zip(top, raw)
        ]
        reranked.sort(key=lambda cand: (-cand.score, -cand.claim_id))
        candidates = reranked
    return candidates[: settings.k]


def _load_reranker(name: str | None):
    if not name:
        return None
    from .errors import ModelError

    try:
        from sentence_transformers import CrossEncoder

        return CrossEncoder(name)
    except Exception as error:
        raise ModelError(f"cannot load cross-encoder {name!r} ({type(error).__name__}); pass a local path "
                         "with --reranker or leave it off") from error


def _write(db: Database, results: dict[int, list[Candidate]], settings: MatchSettings) -> int:
    stamp = _now()
    rows = 0
    method = settings.method if not settings.reranker else f"{settings.method}+rerank"
    config = json.dumps(settings.as_dict(), sort_keys=True)
    with db.atomic():
        for claim_id, candidates in results.items():
            db.execute("DELETE FROM matches WHERE claim_id = ?", [claim_id])
            db.conn.executemany(
                """INSERT INTO matches (claim_id, other_claim_id, rank, score, method, dense_score,
                   lexical_score, rerank_score, model, matched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (claim_id, c.claim_id, rank, c.score, method, c.dense, c.lexical, c.rerank,
                     settings.model, stamp)
                    for rank, c in enumerate(candidates, start=1)
                ],
            )
            db.execute(
                """INSERT OR REPLACE INTO match_runs (claim_id, model, settings, matched_at)
                   VALUES (?, ?, ?, ?)""",
                [claim_id, settings.model, config, stamp],
            )
            rows += len(candidates)
    return rows


def _older_claims_to_update(db: Database, corpus: _Corpus, new_ids: set[int], best_against: np.ndarray,
                            results: dict[int, list[Candidate]], settings: MatchSettings,
                            pooled: set[int]) -> list[int]:
    """Older, already matched claims whose top-k a new claim now enters (they are then re-matched).

    An older claim with fewer than k matches always qualifies. Otherwise a new claim must beat its
    weakest stored match: for dense, by cosine; for hybrid, among the older claims in a new claim's own
    candidate pools (cosine and bm25 are near-symmetric, so an older claim that would rank a new claim in
    its top-k is in the new claim's top 50 of either list), first by an upper bound (best cosine with a
    full word share and no staleness), then by the exact fused score; for lexical, the older claims in a
    new claim's own top-k.
    """
    stored = db.execute(
        """SELECT r.claim_id, COUNT(m.other_claim_id), MIN(m.dense_score), MIN(m.score)
           FROM match_runs r LEFT JOIN matches m ON m.claim_id = r.claim_id
           WHERE r.model = ? GROUP BY r.claim_id""",
        [settings.model],
    ).fetchall()
    weights = FUSION_WEIGHTS
    norm = weights["dense"] + weights["lexical"]
    todo: set[int] = set()
    to_check: list[tuple[int, float]] = []
    for claim_id, count, weakest_dense, weakest in stored:
        if claim_id in new_ids or claim_id not in corpus.position:
            continue
        best = best_against[corpus.position[claim_id]]
        if not np.isfinite(best):
            continue  # no new claim from another source
        if count < settings.k or weakest is None:
            todo.add(claim_id)
        elif settings.method == "dense":
            if weakest_dense is None or best >= weakest_dense:
                todo.add(claim_id)
        elif settings.method == "hybrid" and claim_id in pooled:
            if (weights["dense"] * best + weights["lexical"]) / norm >= weakest:
                to_check.append((claim_id, weakest))
    if settings.method == "lexical":
        matched_before = {row[0] for row in stored}
        for candidates in results.values():
            todo.update(c.claim_id for c in candidates if c.claim_id not in new_ids and c.claim_id in matched_before)
    new_list = sorted(new_ids)
    new_rows = np.array([corpus.position[c] for c in new_list], dtype=np.int64)
    for claim_id, weakest in to_check:
        if _best_new_score(db, corpus, claim_id, new_list, new_rows) >= weakest:
            todo.add(claim_id)
    return sorted(todo)


def _best_new_score(db: Database, corpus: _Corpus, claim_id: int, new_ids: list[int], new_rows: np.ndarray) -> float:
    """The best exact fused score any of the new claims (of other sources) would get as a match of `claim_id`."""
    position = corpus.position[claim_id]
    other = corpus.sources[new_rows] != corpus.sources[position]
    ids = [c for c, keep in zip(new_ids, other) if keep]
    if not ids:
        return -np.inf
    rows = new_rows[other]
    cosines = corpus.matrix[rows] @ corpus.matrix[position] if corpus.matrix.size else np.zeros(len(ids))
    lexical = lexical_scores(db, embedding_text(*corpus.texts[claim_id]), [*ids, claim_id])
    own = lexical.get(claim_id, 0.0)
    day = float(corpus.days[position])
    best = -np.inf
    for c, row, cosine in zip(ids, rows, cosines):
        share = min(1.0, lexical.get(c, 0.0) / own) if own > 0 else 0.0
        entry = PoolEntry(c, float(cosine), lexical.get(c, 0.0), share, staleness(day, float(corpus.days[row])))
        best = max(best, fused_score(entry, "hybrid"))
    return best


def match_claims(
    db: Database,
    embedder: Embedder,
    claim_ids: Iterable[int] | None = None,
    *,
    settings: MatchSettings = MatchSettings(),
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> MatchReport:
    """(Re)compute the top-k matches of the given claims (None: all) and let older claims gain them."""
    started = time.perf_counter()
    if settings.method not in METHODS:
        raise ValueError(f"unknown matching method {settings.method!r}; choose one of {', '.join(METHODS)}")
    if settings.model != embedder.name:
        settings = MatchSettings(settings.k, settings.method, embedder.name, settings.reranker)
    report = MatchReport()
    report.embedded = ensure_embeddings(db, embedder, cancel=cancel)
    corpus = _Corpus(db, embedder.name)
    incremental = claim_ids is not None
    targets = sorted({int(c) for c in claim_ids} & set(corpus.position)) if incremental else [int(c) for c in corpus.ids]
    reranker = _load_reranker(settings.reranker)
    depth = CANDIDATES if settings.method != "lexical" else 0
    time_weight = FUSION_WEIGHTS["time"] / FUSION_WEIGHTS["dense"] if settings.method == "hybrid" else 0.0
    best_against = np.full(len(corpus.ids), -np.inf, dtype=np.float32)

    pooled: set[int] = set()

    def run(ids: list[int], offset: int, total: int) -> dict[int, list[Candidate]]:
        nonlocal best_against
        done: dict[int, list[Candidate]] = {}
        for start in range(0, len(ids), QUERY_CHUNK):
            if cancel and cancel():
                report.cancelled = True
                break
            chunk = ids[start:start + QUERY_CHUNK]
            dense, best = _dense_top(corpus, chunk, depth, time_weight) if depth else ({}, None)
            if best is not None and ids is targets:
                np.maximum(best_against, best, out=best_against)
            seen = pooled if ids is targets and incremental else None
            results = {c: _rank(db, corpus, c, dense.get(c), settings, reranker, seen) for c in chunk}
            report.rows += _write(db, results, settings)
            done.update(results)
            if progress:
                progress(offset + start + len(chunk), total)
        return done

    if progress:
        progress(0, len(targets))
    results = run(targets, 0, len(targets))
    report.matched = len(results)
    report.claim_ids = list(results)
    if incremental and not report.cancelled and targets:
        older = _older_claims_to_update(db, corpus, set(targets), best_against, results, settings, pooled)
        if older:
            total = len(targets) + len(older)
            report.updated_older = len(run(older, len(targets), total))
    report.seconds = time.perf_counter() - started
    return report


def pending_claim_ids(db: Database, model: str) -> list[int]:
    """Claims never matched under `model`: what a plain `workbench match` matches."""
    return [
        row[0]
        for row in db.execute(
            """SELECT id FROM claims WHERE id NOT IN (SELECT claim_id FROM match_runs WHERE model = ?)
               ORDER BY id""",
            [model],
        ).fetchall()
    ]


def settings_in_force(db: Database, claim_id: int, model: str | None = None) -> dict:
    """The model and matching settings behind the matches a reviewer saw for a claim.

    Stored with every verdict, whether it is made in the desk or with `workbench mark`, so an editor
    can tell which matcher produced the evidence. A claim never matched gets the defaults for `model`
    with "matched": False.
    """
    row = db.execute(
        "SELECT settings FROM match_runs WHERE claim_id = ? ORDER BY matched_at DESC LIMIT 1", [claim_id]
    ).fetchone()
    if row is not None and row[0]:
        return {**json.loads(row[0]), "matched": True}
    from .config import model_name

    # Matches written without a run record (older databases, hand-made corpora) still say which
    # model and method produced them.
    seen = db.execute(
        "SELECT method, model FROM matches WHERE claim_id = ? GROUP BY method, model "
        "ORDER BY COUNT(*) DESC LIMIT 1", [claim_id]).fetchone()
    if seen is not None:
        method = seen[0] if seen[0] in METHODS else MatchSettings.method
        return {**MatchSettings(method=method, model=seen[1] or model_name(model)).as_dict(), "matched": True}
    return {**MatchSettings(model=model_name(model)).as_dict(), "matched": False}


def matches_for(db: Database, claim_id: int, *, min_score: float | None = None) -> list[MatchView]:
    """The stored matches of a claim, best first, with what the desk shows about each."""
    rows = db.execute(
        """SELECT m.claim_id, m.other_claim_id, m.rank, m.score, m.method, m.dense_score,
                  m.lexical_score, m.rerank_score, c.text, s.name, s.kind, a.id, a.title, a.url,
                  a.published, c.span_start, c.span_end, c.external_id, c.rating
           FROM matches m
           JOIN claims c ON c.id = m.other_claim_id
           JOIN articles a ON a.id = c.article_id
           JOIN sources s ON s.id = c.source_id
           WHERE m.claim_id = ? AND (? IS NULL OR m.score >= ?)
           ORDER BY m.rank""",
        [claim_id, min_score, min_score],
    ).fetchall()
    return [MatchView(*row) for row in rows]
