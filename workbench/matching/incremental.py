"""Incremental bookkeeping: which older claims a batch of new claims may now enter the results of.

Every older claim matched under the model is checked, not only those near a new claim: nearest-neighbour
lists are not symmetric, so in a large cluster an older claim can gain a new claim that never ranks it
among its own candidates. Each older claim has an entry bar (match_runs.entry_score: its k-th score, or
with a reranker its RERANK_DEPTH-th fused score, in the scale of the run's method; NULL when any
newcomer gets in). A cheap upper bound on what the new claims can score against it discards most; the
exact score decides for the rest, and the claims that pass are re-matched from scratch.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sqlite_utils import Database

from ..db import query_rows
from ..domain import from_row
from ..embedding import embedding_text
from ..lexical import claims_sharing_words, lexical_scores
from .candidates import Corpus, pool_entry
from .copies import POOL_FACTOR
from .scoring import FUSION_WEIGHTS, Candidate, MatchSettings, fused_score

# float32 cosines against float64 stored scores: a bound is never trusted closer than this.
_SLACK = 1e-5


def older_claims_to_update(db: Database, corpus: Corpus, new_ids: set[int], best_against: np.ndarray,
                           settings: MatchSettings, progress: Callable[[int, int], None] | None = None,
                           ) -> tuple[list[int], dict[int, list[Candidate]]]:
    """Older claims, matched under this model, whose results one of `new_ids` may now enter.

    Returns the claims to re-match from scratch (no bar, a reranker, or the lexical method) and, for the
    others, the new claims (with their exact scores) that reach the bar: those are merged into the stored
    top-k (splice_matches), which is what re-matching gives, at a fraction of the cost.

    `best_against[i]` is the best `cosine - time weight x staleness` of a new claim of another source
    against stored claim i (from dense_top; cosine alone for the dense method), -inf when there is none.
    """
    stored = list(query_rows(db,
        """SELECT r.claim_id, r.entry_score,
                  (SELECT COUNT(*) FROM matches m WHERE m.claim_id = r.claim_id) AS count,
                  (SELECT MIN(m.score) FROM matches m WHERE m.claim_id = r.claim_id) AS weakest
           FROM match_runs r WHERE r.model = ?""",
        [settings.model],
    ))
    new_list = sorted(new_ids)
    new_rows = np.array([corpus.position[c] for c in new_list], dtype=np.int64)
    new_sources = set(int(s) for s in corpus.sources[new_rows])
    new_set = set(new_list)
    sharing: set[int] = set()
    if settings.method in ("hybrid", "lexical"):
        for claim_id in new_list:
            sharing |= claims_sharing_words(db, embedding_text(*corpus.texts[claim_id]),
                                            exclude_source_id=corpus.source_of(claim_id))
    weights = FUSION_WEIGHTS
    norm = weights["dense"] + weights["lexical"]
    todo: list[int] = []
    splice: dict[int, list[Candidate]] = {}
    for checked, run in enumerate(stored, start=1):
        claim_id, entry_score, count, weakest = run["claim_id"], run["entry_score"], run["count"], run["weakest"]
        if progress and checked % 250 == 0:
            # On a large collection whose claims have low bars this phase is the slow one: show it.
            progress(checked, len(stored))
        if claim_id in new_ids or claim_id not in corpus.position:
            continue
        position = corpus.position[claim_id]
        if new_sources <= {int(corpus.sources[position])}:
            continue  # every new claim is of its own source
        if entry_score is None:
            # No bar recorded (a database matched before m008): the weakest stored score, when k are stored.
            entry_score = weakest if weakest is not None and count >= settings.k and not settings.reranker else None
        if entry_score is None:
            if settings.method != "lexical" or claim_id in sharing:
                todo.append(claim_id)
            continue
        bar = float(entry_score) - _SLACK
        if settings.method in ("dense", "hybrid"):
            lexical_bound = weights["lexical"] if claim_id in sharing else 0.0
            bound = (best_against[position] if settings.method == "dense"
                     else (weights["dense"] * best_against[position] + lexical_bound) / norm)
            if not (np.isfinite(bound) and bound >= bar):
                continue
            if settings.method == "hybrid" and not settings.reranker:
                # bm25 statistics moved with the new claims: the stored matches are rescored in the same
                # query that scores the new claims, so the merged order is today's, as a re-match gives it.
                kept = [row[0] for row in db.execute("SELECT other_claim_id FROM matches WHERE claim_id = ?",
                                                     [claim_id]) if row[0] in corpus.position and row[0] not in new_set]
                rows = np.concatenate([np.array([corpus.position[c] for c in kept], dtype=np.int64), new_rows])
                scored = _new_candidates(db, corpus, claim_id, [*kept, *new_list], rows, "hybrid")
                if any(c.score >= bar for c in scored if c.claim_id in new_set):
                    splice[claim_id] = scored
                continue
            entering = [c for c in _new_candidates(db, corpus, claim_id, new_list, new_rows, settings.method)
                        if c.score >= bar]
            if entering and settings.reranker:
                todo.append(claim_id)
            elif entering:
                splice[claim_id] = entering
        elif claim_id in sharing:
            # Raw bm25 drifts as the collection grows (idf, average length): the stored bar is rescored
            # under today's statistics, from the stored matches themselves, unless a reranker chose them.
            if not settings.reranker and count >= settings.k:
                query = embedding_text(*corpus.texts[claim_id])
                kept = [row[0] for row in db.execute("SELECT other_claim_id FROM matches WHERE claim_id = ?",
                                                     [claim_id])]
                bar = min(lexical_scores(db, query, kept).get(c, 0.0) for c in kept) - _SLACK
            if _best_new_score(db, corpus, claim_id, new_list, new_rows, "lexical") >= bar:
                todo.append(claim_id)
    return sorted(todo), splice


def splice_matches(db: Database, splice: dict[int, list[Candidate]], settings: MatchSettings) -> dict:
    """Each older claim's stored top-k merged with the new claims that enter it, as rank() would give it."""
    results = {}
    for claim_id, entering in splice.items():
        fresh = {c.claim_id for c in entering}
        stored = [from_row(Candidate, row) for row in query_rows(db,
            """SELECT other_claim_id AS claim_id, score, dense_score AS dense, lexical_score AS lexical,
                      rerank_score AS rerank FROM matches
               WHERE claim_id = ? ORDER BY rank""", [claim_id]) if row["claim_id"] not in fresh]
        merged = sorted(stored + entering, key=lambda cand: (-cand.score, -cand.claim_id))
        top = merged[: settings.k]
        # All of the pool, as rank() gives it: write_matches folds copies into k independent sources.
        results[claim_id] = (merged[: settings.k * POOL_FACTOR], top[-1].score if len(top) >= settings.k else None)
    return results


def _best_new_score(db: Database, corpus: Corpus, claim_id: int, new_ids: list[int], new_rows: np.ndarray,
                    method: str) -> float:
    """The best exact score any new claim of another source would get as a match of `claim_id`."""
    return max((c.score for c in _new_candidates(db, corpus, claim_id, new_ids, new_rows, method)), default=-np.inf)


def _new_candidates(db: Database, corpus: Corpus, claim_id: int, new_ids: list[int], new_rows: np.ndarray,
                    method: str) -> list[Candidate]:
    """The new claims of other sources as candidates of `claim_id`, scored exactly as rank() scores them."""
    position = corpus.position[claim_id]
    other = corpus.sources[new_rows] != corpus.sources[position]
    ids = [c for c, keep in zip(new_ids, other) if keep]
    if not ids:
        return []
    rows = new_rows[other]
    query = embedding_text(*corpus.texts[claim_id])
    if method == "lexical":
        return [Candidate(c, score, None, score) for c, score in lexical_scores(db, query, ids).items()]
    cosines = corpus.matrix[rows] @ corpus.matrix[position] if corpus.matrix.size else np.zeros(len(ids))
    if method == "dense":
        return [Candidate(c, float(cosine), float(cosine), None) for c, cosine in zip(ids, cosines)]
    lexical = lexical_scores(db, query, [*ids, claim_id])
    own = lexical.get(claim_id, 0.0)
    found = []
    for c, cosine in zip(ids, cosines):
        entry = pool_entry(corpus, claim_id, c, float(cosine), lexical.get(c, 0.0), own)
        found.append(Candidate(c, float(fused_score(entry, "hybrid")), entry.dense, entry.lexical))
    return found
