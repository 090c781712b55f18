"""Incremental bookkeeping: which older claims a batch of new claims may now enter the results of.

Nearest-neighbour lists are not symmetric: in a large cluster an older claim can gain a new claim that
never ranks it among its own candidates, so "the new claims' candidates" is not enough. Each older claim
has an entry bar (match_runs.entry_score: its k-th score, or with a reranker its RERANK_DEPTH-th fused
score, in the scale of the run's method; NULL when any newcomer gets in). A new claim q can enter the
results of an older claim o only if its score reaches o's bar. For the hybrid score

    fused(o, q) = (cosine(o, q) + 0.4 x share - 0.2 x staleness) / 1.4
               <= (cosine(o, q) + 0.4 x [o and q share a word]) / 1.4

(share is 0 when no word is shared, staleness >= 0). So the older claims to look at are found without
scoring each one (`Reach`, candidates.dense_top):
- the claims near a new claim (exact search: every stored claim; the index: its INDEX_DEPTH nearest),
  with their true best `cosine - 0.2 x staleness`;
- every other claim has cosine <= `floor` (the INDEX_DEPTH-th cosine) with each new claim, so it can only
  gain one if its bar is at most floor / 1.4 (no shared word) or (floor + 0.4) / 1.4 (a shared word:
  the lexical index lists those claims): two indexed queries on match_runs(model, entry_score) (m014).
With exact search the floor is -inf and the bound is exact; through the index it is as exact as the
index's recall (the INDEX_DEPTH-th neighbour it returns may not be the true one).
A cheap upper bound (the dense part plus the full word bonus when a word is shared) discards most of
those; the exact score decides for the rest, and the new claims that reach a bar are merged into the
stored top-k (also with no bar when its whole pool is stored: an archive of one source); the older
claim is re-matched from scratch with a reranker, the lexical method, or no bar and a pool too large.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import numpy as np
from sqlite_utils import Database

from ..db import query_rows
from ..domain import from_row
from ..lexical import Bm25, claims_sharing_words
from .candidates import Corpus, Reach, in_context, pool_entry
from .copies import POOL_FACTOR, fold_candidates
from .scoring import CANDIDATES, FUSION_WEIGHTS, TIME_SCALE_DAYS, Candidate, MatchSettings, fused_score

# float32 cosines against float64 stored scores: a bound is never trusted closer than this.
_SLACK = 1e-5
_SENTINEL = -1  # no claim has this id: a row ranked after every candidate (splice_matches)


def _bars(db: Database, model: str, k: int, reranker: bool, where: str, params: list,
          ids: Iterable[int] | None = None) -> dict[int, float | None]:
    """Entry bars of the matched claims `where` selects, or of `ids` (a claim with no bar recorded,
    matched before m008, gets its weakest stored score once it has k matches)."""
    # Tens of thousands of rows at 100k: two columns read as tuples, not as a dict each.
    if ids is not None:
        # Each id looked up by its key, the list first: the planner would rather scan the bar index (m016).
        query = """SELECT m.claim_id, m.entry_score FROM json_each(?) j
                   CROSS JOIN match_runs m ON m.claim_id = j.value AND m.model = ?"""
        params = [_ids(ids), model]
    else:
        query = f"SELECT claim_id, entry_score FROM match_runs WHERE model = ? AND ({where})"
        params = [model, *params]
    bars = {int(claim_id): bar for claim_id, bar in db.execute(query, params).fetchall()}
    unknown = [c for c, bar in bars.items() if bar is None]
    if unknown and not reranker:
        for r in query_rows(db, """SELECT claim_id, COUNT(*) AS count, MIN(score) AS weakest FROM matches
                                   WHERE claim_id IN (SELECT value FROM json_each(?)) GROUP BY claim_id""",
                            [json.dumps(unknown)]):
            if r["count"] >= k:
                bars[int(r["claim_id"])] = r["weakest"]
    return bars


def _ids(values) -> str:
    return json.dumps([int(v) for v in values])


def older_claims_to_update(db: Database, corpus: Corpus, new_ids: set[int], reach: Reach,
                           settings: MatchSettings, progress: Callable[[int, int], None] | None = None,
                           ) -> tuple[list[int], dict[int, list[Candidate]]]:
    """Older claims, matched under this model, whose results one of `new_ids` may now enter.

    Returns the claims to re-match from scratch (no bar, a reranker, or the lexical method) and, for the
    others, the new claims (with their exact scores) that reach the bar: those are merged into the stored
    top-k (splice_matches), which is what re-matching gives, at a fraction of the cost.
    """
    new_list = sorted(new_ids)
    corpus.load(new_list)
    new_sources = {corpus.source_of(c) for c in new_list}
    new_set = set(new_list)
    model, k, reranked = settings.model, settings.k, bool(settings.reranker)
    sharing: set[int] = set()
    shares_with: dict[int, set[int]] = {}  # new claim -> the claims sharing a word with it
    if settings.method in ("hybrid", "lexical"):
        for claim_id in new_list:
            shares_with[claim_id] = claims_sharing_words(db, corpus.text_of(claim_id),
                                                         exclude_source_id=corpus.source_of(claim_id))
            sharing |= shares_with[claim_id]
    weights = FUSION_WEIGHTS
    norm = weights["dense"] + weights["lexical"]
    best = dict(zip((int(c) for c in reach.ids), (float(b) for b in reach.best)))

    def bound(dense: float, shares: bool) -> float:
        if settings.method == "dense":
            return dense
        return (weights["dense"] * dense + (weights["lexical"] if shares else 0.0)) / norm

    if settings.method == "lexical":
        bars = _bars(db, model, k, reranked, "", [], ids=sharing)
    else:
        near = [c for c, b in best.items() if np.isfinite(b)]
        bars = _bars(db, model, k, reranked, "", [], ids=near)
        # Two ranges of the bar index, not one OR (which the planner answers with a scan of it).
        bars.update(_bars(db, model, k, reranked, "entry_score IS NULL", []))
        if np.isfinite(reach.floor):
            bars.update(_bars(db, model, k, reranked, "entry_score <= ?", [bound(reach.floor, False) + _SLACK]))
        if np.isfinite(reach.floor) and settings.method == "hybrid":
            # Most claims at 100k: the range is read from the covering index (m016) and filtered here,
            # not sent as a list of tens of thousands of ids to look up one by one.
            bars.update((c, bar) for c, bar in _bars(db, model, k, reranked, "entry_score <= ?",
                                                     [bound(reach.floor, True) + _SLACK]).items()
                        if c in sharing and c not in best)
        beyond = [c for c in bars if c not in best]
        if corpus.index is not None and beyond:
            # Beyond the index's reach, most bars are still above what a new claim's best cosine allows:
            # those claims are dropped on the index's own vectors before any is read from claims.db.
            reach_of = corpus.index.best_cosines(corpus.vectors_of(new_list), beyond).astype(np.float64)
            limits = np.fromiter((np.nan if bars[c] is None else bars[c] for c in beyond), np.float64, len(beyond))
            if settings.method == "hybrid":  # bound(), for every claim at once
                shares = np.fromiter((c in sharing for c in beyond), bool, len(beyond))
                reach_of = (weights["dense"] * reach_of + np.where(shares, weights["lexical"], 0.0)) / norm
            passes = np.isnan(limits) | (reach_of >= limits - _SLACK)
            dropped = {c for c, passed in zip(beyond, passes.tolist()) if not passed}
            beyond = [c for c, passed in zip(beyond, passes.tolist()) if passed]
            bars = {c: bar for c, bar in bars.items() if c not in dropped}
        _best_of_far(corpus, beyond, new_list, settings, best)
    # The batch-wide bound first (no claim read yet), so only claims a new one may reach are read.
    stored = sorted(c for c in bars if c not in new_set and (
        bars[c] is None or settings.method == "lexical"
        or bound(best.get(c, -np.inf), c in sharing) >= float(bars[c] or 0.0) - _SLACK))
    corpus.load(stored)
    if settings.method == "hybrid":
        stored = _pair_bound_passes(corpus, stored, bars, new_list, shares_with, best)
    # Each older claim's words against the same new claims: their statistics are read once for all.
    bm25 = corpus.bm25
    new_vectors = corpus.vectors_of(new_list)
    if settings.method in ("hybrid", "lexical"):
        lexical = [c for c in stored if c in sharing and c in corpus.info]
        bm25.prepare((corpus.text_of(c) for c in lexical), [*new_list, *lexical])
    todo: list[int] = []
    splice: dict[int, list[Candidate]] = {}
    rescore: dict[int, list[Candidate]] = {}  # claims a new one enters: their stored matches are rescored
    for checked, claim_id in enumerate(stored, start=1):
        if progress and checked % 250 == 0:
            progress(checked, len(stored))
        if claim_id not in corpus.info or new_sources <= {corpus.source_of(claim_id)}:
            continue  # every new claim is of its own source
        entry_score = bars[claim_id]
        if entry_score is None and (settings.method == "lexical" or settings.reranker
                                    or not _all_candidates_stored(db, claim_id, settings.k, len(new_list))):
            if settings.method != "lexical" or claim_id in sharing:
                todo.append(claim_id)
            continue
        # No bar: fewer candidates than k independent sources, all of them stored, so the stored ones
        # and the new ones are the whole pool a re-match would rank (an archive of one source).
        bar = float(entry_score) - _SLACK if entry_score is not None else -np.inf
        if settings.method in ("dense", "hybrid"):
            if not bound(best.get(claim_id, -np.inf), claim_id in sharing) >= bar:
                continue
            if settings.method == "hybrid" and not settings.reranker:
                # bm25 statistics moved with the new claims: the stored matches are rescored in the same
                # query that scores the new claims, so the merged order is today's, as a re-match gives it.
                # A row's bm25 does not depend on the other rows scored with it, so the new claims are
                # scored first and the stored matches only when one gets in (all of those at once, below).
                entering = _new_candidates(bm25, corpus, claim_id, new_list, "hybrid", new_vectors, bar=bar)
                if any(c.score >= bar for c in entering):
                    rescore[claim_id] = entering
                continue
            entering = [c for c in _new_candidates(bm25, corpus, claim_id, new_list, settings.method, new_vectors)
                        if c.score >= bar]
            if entering and settings.reranker:
                todo.append(claim_id)
            elif entering:
                splice[claim_id] = entering
        elif claim_id in sharing:
            # Raw bm25 drifts as the collection grows (idf, average length): the stored bar is rescored
            # under today's statistics, from the stored matches themselves, unless a reranker chose them.
            kept = [r["other_claim_id"] for r in query_rows(
                db, "SELECT other_claim_id FROM matches WHERE claim_id = ?", [claim_id])]
            if not settings.reranker and len(kept) >= settings.k:
                rescored = bm25.scores(corpus.text_of(claim_id), kept)
                bar = min(rescored.get(c, 0.0) for c in kept) - _SLACK
            if _best_new_score(bm25, corpus, claim_id, new_list, "lexical") >= bar:
                todo.append(claim_id)
    if rescore:
        stored_of: dict[int, list[int]] = {}
        for row in query_rows(db, """SELECT claim_id, other_claim_id FROM matches
                                     WHERE claim_id IN (SELECT value FROM json_each(?))""", [_ids(rescore)]):
            if row["other_claim_id"] not in new_set:
                stored_of.setdefault(int(row["claim_id"]), []).append(int(row["other_claim_id"]))
        stored_rows = corpus.load({c for rows in stored_of.values() for c in rows})
        bm25.prepare([], stored_rows)
        for claim_id, entering in rescore.items():
            splice[claim_id] = _new_candidates(bm25, corpus, claim_id, corpus.load(stored_of.get(claim_id, [])),
                                               "hybrid") + entering
    return sorted(todo), splice


def _pair_bound_passes(corpus: Corpus, claim_ids: list[int], bars: dict[int, float | None], new_ids: list[int],
                       shares_with: dict[int, set[int]], best: dict[int, float]) -> list[int]:
    """The claims (with a bar) that some new claim may reach, bounded pair by pair: the word bonus only
    with the new claims it shares a word with, the exact cosine minus staleness with each (vectors of
    the claims that passed the batch-wide bound only). Claims without a bar all stay."""
    weights = FUSION_WEIGHTS
    norm = weights["dense"] + weights["lexical"]
    keep = [c for c in claim_ids if bars[c] is None]
    check = [c for c in claim_ids if bars[c] is not None and c in corpus.info]
    if not check:
        return sorted(keep)
    new_vectors = corpus.vectors_of(new_ids)
    new_sources = np.array([corpus.source_of(c) for c in new_ids])
    new_days = np.array([corpus.day_of(c) for c in new_ids], dtype=np.float64)
    time_weight = weights["time"] / weights["dense"]
    for start in range(0, len(check), 5000):
        chunk = check[start:start + 5000]
        select = corpus.vectors_of(chunk) @ new_vectors.T  # chunk x new
        select[np.array([corpus.source_of(c) for c in chunk])[:, None] == new_sources[None, :]] = -np.inf
        gaps = np.abs(np.array([corpus.day_of(c) for c in chunk], dtype=np.float64)[:, None] - new_days[None, :])
        select = select - time_weight * np.nan_to_num(1.0 - np.exp(-gaps / TIME_SCALE_DAYS), nan=0.0)
        shares = np.array([[c in shares_with.get(n, ()) for n in new_ids] for c in chunk], dtype=bool)
        bound = (weights["dense"] * select + weights["lexical"] * shares).max(axis=1) / norm
        keep += [c for c, b in zip(chunk, bound) if b >= float(bars[c] or 0.0) - _SLACK]
    return sorted(keep)


def _all_candidates_stored(db: Database, claim_id: int, k: int, new: int) -> bool:
    """Whether a claim with no bar stored its whole pool (fewer than k x POOL_FACTOR candidates) and the
    new claims keep it under the dense depth, so a re-match would rank exactly the stored and the new."""
    stored = db.execute("SELECT COUNT(*) FROM matches WHERE claim_id = ?", [claim_id]).fetchone()[0]
    return stored < POOL_FACTOR * k and stored + new <= CANDIDATES


def _best_of_far(corpus: Corpus, claim_ids: list[int], new_ids: list[int], settings: MatchSettings,
                 best: dict[int, float]) -> None:
    """The exact best `cosine - time weight x staleness` of the new claims against older claims beyond
    the index's reach that passed the bar query (their vectors read now)."""
    if not claim_ids:
        return
    corpus.load(claim_ids)
    claim_ids = [c for c in claim_ids if c in corpus.info]
    time_weight = FUSION_WEIGHTS["time"] / FUSION_WEIGHTS["dense"] if settings.method == "hybrid" else 0.0
    new_vectors = corpus.vectors_of(new_ids)
    new_sources = np.array([corpus.source_of(c) for c in new_ids])
    new_days = np.array([corpus.day_of(c) for c in new_ids], dtype=np.float64)
    for start in range(0, len(claim_ids), 5000):
        chunk = claim_ids[start:start + 5000]
        sims = corpus.vectors_of(chunk) @ new_vectors.T  # chunk x new
        sources = np.array([corpus.source_of(c) for c in chunk])
        sims[sources[:, None] == new_sources[None, :]] = -np.inf
        if time_weight:
            days = np.array([corpus.day_of(c) for c in chunk], dtype=np.float64)
            gaps = np.abs(days[:, None] - new_days[None, :])
            sims = sims - time_weight * np.nan_to_num(1.0 - np.exp(-gaps / TIME_SCALE_DAYS), nan=0.0)
        for c, value in zip(chunk, sims.max(axis=1)):
            best[c] = float(value)


def splice_matches(db: Database, splice: dict[int, list[Candidate]], settings: MatchSettings,
                   ) -> tuple[dict, list[int]]:
    """Each older claim's stored top-k merged with the new claims that enter it, as rank() would give it,
    and the claims whose merge is not what rank() gives, to be re-matched instead.

    The stored rows are the fold of a prefix of the old ranking (copies.fold stops at the k-th counted
    source); the candidates never stored rank below its end, so folding the merge gives a re-match's
    rows unless the fold, cut there, runs out of rows before k sources are counted: a new outlet
    can stop a talkative one's further sentences from counting (PER_OUTLET), and the rows that make up
    for them were never stored. A sentinel ranked last tells: the fold reaches it only then. A claim
    with no bar stored its whole pool, so running out is what a re-match does too; rows that run out
    by themselves were not written by this fold (another version, a hand-made corpus) and are merged
    as before: only `match --all` rewrites them.
    """
    results, redo = {}, []
    whole = {int(r["claim_id"]) for r in query_rows(db,
             """SELECT claim_id FROM match_runs WHERE model = ? AND entry_score IS NULL
                AND claim_id IN (SELECT value FROM json_each(?))""", [settings.model, _ids(splice)])}
    for claim_id, entering in splice.items():
        fresh = {c.claim_id for c in entering}
        rows = [from_row(Candidate, row) for row in query_rows(db,
            """SELECT other_claim_id AS claim_id, score, dense_score AS dense, lexical_score AS lexical,
                      rerank_score AS rerank FROM matches
               WHERE claim_id = ? ORDER BY rank""", [claim_id])]
        merged = sorted([c for c in rows if c.claim_id not in fresh] + entering,
                        key=lambda cand: (-cand.score, -cand.claim_id))
        stored = {c.claim_id for c in rows}
        kept = [c for c in merged if c.claim_id in stored]  # rescored, where `entering` rescored them
        pool = merged[: settings.k * POOL_FACTOR]
        if claim_id not in whole and kept:
            # Below the lowest stored row, candidates never stored may rank among the new ones: the
            # fold must stop above it (then what lies below is never read, and the pool is as before).
            lowest = min(c.score for c in kept)
            cut = [c for c in merged if c.score >= lowest][: settings.k * POOL_FACTOR]
            if len(cut) < settings.k * POOL_FACTOR and _runs_out(db, cut, settings.k) \
                    and not _runs_out(db, kept, settings.k):
                redo.append(claim_id)
                continue
        top = merged[: settings.k]
        # All of the pool, as rank() gives it: write_matches folds copies into k independent sources.
        results[claim_id] = (pool, top[-1].score if len(top) >= settings.k else None)
    return results, redo


def _runs_out(db: Database, candidates: list[Candidate], k: int) -> bool:
    """Whether folding `candidates` uses them all up before k sources are counted (the sentinel ranked
    after them is reached)."""
    sentinel = Candidate(_SENTINEL, -np.inf, None, None)
    return any(c.claim_id == _SENTINEL for c, _ in fold_candidates(db, [*candidates, sentinel], k))


def _best_new_score(bm25: Bm25, corpus: Corpus, claim_id: int, new_ids: list[int], method: str) -> float:
    """The best exact score any new claim of another source would get as a match of `claim_id`."""
    return max((c.score for c in _new_candidates(bm25, corpus, claim_id, new_ids, method)), default=-np.inf)


def _new_candidates(bm25: Bm25, corpus: Corpus, claim_id: int, new_ids: list[int], method: str,
                    vectors: np.ndarray | None = None, *, bar: float | None = None) -> list[Candidate]:
    """The new claims of other sources as candidates of `claim_id`, scored exactly as rank() scores them
    (`vectors`: those of `new_ids`, when the caller has them); none when a `bar` is given and not one
    of them reaches it even without the story terms (which only subtract, and cost an article read)."""
    source = corpus.source_of(claim_id)
    ids = [c for c in new_ids if corpus.source_of(c) != source]
    if not ids:
        return []
    query = corpus.text_of(claim_id)
    if method == "lexical":
        return [Candidate(c, score, None, score) for c, score in bm25.scores(query, ids).items()]
    if vectors is not None and len(ids) == len(new_ids):  # the new claims' vectors, read once by the caller
        cosines = vectors @ corpus.vectors_of([claim_id])[0]
    else:
        cosines = corpus.vectors_of(ids) @ corpus.vectors_of([claim_id])[0]
    if method == "dense":
        return [Candidate(c, float(cosine), float(cosine), None) for c, cosine in zip(ids, cosines)]
    lexical = bm25.scores(query, ids)
    # Its own row only matters when a new claim shares a word (else every share is 0 whatever it is).
    own = bm25.scores(query, [claim_id]).get(claim_id, 0.0) if lexical else 0.0
    entries = [pool_entry(corpus, claim_id, c, float(cosine), lexical.get(c, 0.0), own, context=False)
               for c, cosine in zip(ids, cosines)]
    if bar is not None and all(fused_score(e, "hybrid") < bar for e in entries):
        return []
    found = []
    for entry in entries:
        entry = in_context(corpus, claim_id, entry)
        found.append(Candidate(entry.claim_id, float(fused_score(entry, "hybrid")), entry.dense, entry.lexical))
    return found
