"""What matching stores and reads back: matches, run records, saved settings, and the desk's views.

One rule ties `matches` (one set per claim) to `match_runs` (per claim and model): a claim's matches
are those of its last run, whatever the model. Writing a claim's matches deletes its older matches and
its run records of every other model, so a claim reads as matched only under the model that produced
what is shown, and `settings_in_force` can only find that run.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from ..db import query_rows, timestamp, write
from ..domain import Match, from_row
from ..relation import relations_of
from ..stories import StoryContext
from ..vocab import MATCH_METHODS
from .copies import entry_bar, fold_all
from .scoring import Candidate, MatchSettings


def write_matches(db: Database, results: dict[int, tuple[list[Candidate], float | None]],
                  settings: MatchSettings, stories: StoryContext | None = None) -> int:
    """Replace the matches and the run record of each claim (and drop its runs under other models);
    `stories`: the run's story context (the articles' names it read), for the relations.

    What is written is worked out before the write lock is taken, so a desk sharing claims.db waits
    for the writing alone (the relations were most of the time it held the lock). It reads the claims'
    texts, dates and ratings, as the ranking before it did, outside the lock: a claim edited meanwhile
    is re-matched by the edit, as it would be after the write."""
    stamp = timestamp()
    method = settings.method if not settings.reranker else f"{settings.method}+rerank"
    config = json.dumps(settings.as_dict(), sort_keys=True)
    # One row per independent source (copies folded under it) and what each says to the claim.
    folded = fold_all(db, {claim_id: candidates for claim_id, (candidates, _) in results.items()}, settings.k)
    relations = relations_of(db, {claim_id: [(c.claim_id, c.score) for c, _ in rows]
                                  for claim_id, rows in folded.items()}, stories)
    written = 0
    with write(db):
        for claim_id, (candidates, bar) in results.items():
            db.execute("DELETE FROM matches WHERE claim_id = ?", [claim_id])
            db.execute("DELETE FROM match_runs WHERE claim_id = ? AND model != ?", [claim_id, settings.model])
            if not settings.reranker:  # a reranked claim is always re-matched: its bar is a fused score
                bar = entry_bar(folded[claim_id], len(candidates), settings.k)
            db.conn.executemany(
                """INSERT INTO matches (claim_id, other_claim_id, rank, score, method, dense_score,
                   lexical_score, rerank_score, model, matched_at, relation, copy_of)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (claim_id, c.claim_id, rank, c.score, method, c.dense, c.lexical, c.rerank,
                     settings.model, stamp, relation, copy_of)
                    for rank, ((c, copy_of), relation) in enumerate(zip(folded[claim_id], relations[claim_id]),
                                                                    start=1)
                ],
            )
            db.execute(
                """INSERT OR REPLACE INTO match_runs (claim_id, model, settings, matched_at, entry_score)
                   VALUES (?, ?, ?, ?, ?)""",
                [claim_id, settings.model, config, stamp, bar],
            )
            written += len(folded[claim_id])
    return written


def saved_settings(db: Database, model: str) -> MatchSettings | None:
    """The settings of the last explicit `workbench match` under `model`, if any."""
    row = db.execute("SELECT settings FROM match_settings WHERE model = ?", [model]).fetchone()
    if row is None:
        return None
    return MatchSettings.from_dict({**json.loads(row[0]), "model": model})


def save_settings(db: Database, settings: MatchSettings) -> None:
    with write(db):
        db.execute("INSERT OR REPLACE INTO match_settings (model, settings, saved_at) VALUES (?, ?, ?)",
                   [settings.model, json.dumps(settings.as_dict(), sort_keys=True), timestamp()])


def pending_claim_ids(db: Database, model: str) -> list[int]:
    """Claims never matched under `model` (or last matched under another): what a plain `workbench match` matches."""
    return [
        row[0]
        for row in db.execute(
            """SELECT id FROM claims WHERE id NOT IN (SELECT claim_id FROM match_runs WHERE model = ?)
               ORDER BY id""",
            [model],
        ).fetchall()
    ]


def never_matched_claim_ids(db: Database) -> list[int]:
    """Claims with no match run under any model: stored by a run that never got to match them."""
    return [row[0] for row in db.execute(
        "SELECT id FROM claims c WHERE NOT EXISTS (SELECT 1 FROM match_runs r WHERE r.claim_id = c.id) ORDER BY id"
    ).fetchall()]


def settings_in_force(db: Database, claim_id: int, model: str | None = None) -> dict:
    """The model and matching settings behind the matches a reviewer saw for a claim.

    Stored with every verdict, whether it is made in the desk or with `workbench mark`, so an editor
    can tell which matcher produced the evidence. A claim never matched gets the defaults for `model`
    with "matched": False.
    """
    row = db.execute(
        "SELECT settings FROM match_runs WHERE claim_id = ? ORDER BY matched_at DESC, rowid DESC LIMIT 1",
        [claim_id],
    ).fetchone()
    if row is not None and row[0]:
        return {**json.loads(row[0]), "matched": True}
    from ..config import model_name  # only for rows without a run record; cheap, could move to the top

    # Matches written without a run record (older databases, hand-made corpora) still say which
    # model and method produced them.
    seen = db.execute(
        "SELECT method, model FROM matches WHERE claim_id = ? GROUP BY method, model "
        "ORDER BY COUNT(*) DESC LIMIT 1", [claim_id]).fetchone()
    if seen is not None:
        method = seen[0] if seen[0] in MATCH_METHODS else MatchSettings.method
        return {**MatchSettings(method=method, model=seen[1] or model_name(model)).as_dict(), "matched": True}
    return {**MatchSettings(model=model_name(model)).as_dict(), "matched": False}


def matches_for(db: Database, claim_id: int, *, min_score: float | None = None) -> list[Match]:
    """The stored matches of a claim, best first, with what the desk shows about each."""
    rows = query_rows(db,
        """SELECT m.claim_id, m.other_claim_id, m.rank, m.score, m.method, m.dense_score,
                  m.lexical_score, m.rerank_score, c.text, s.name AS source, s.kind AS source_kind,
                  a.id AS article_id, a.title AS article_title, a.url AS article_url, a.published,
                  c.span_start, c.span_end, c.external_id, c.rating, m.relation, m.copy_of
           FROM matches m
           JOIN claims c ON c.id = m.other_claim_id
           JOIN articles a ON a.id = c.article_id
           JOIN sources s ON s.id = c.source_id
           WHERE m.claim_id = ? AND (? IS NULL OR m.score >= ?)
           ORDER BY m.rank""",
        [claim_id, min_score, min_score],
    )
    return [from_row(Match, row) for row in rows]


def is_matched(db: Database, claim_id: int) -> bool:
    """Whether matching has run for the claim (match_runs has its row), whatever it found. Matches
    stored without a run record (older databases, hand-made corpora) count as matched too. The one
    answer to "matched?" for the desk and `workbench matches`."""
    return db.execute(
        """SELECT EXISTS (SELECT 1 FROM match_runs WHERE claim_id = ?)
                  OR EXISTS (SELECT 1 FROM matches WHERE claim_id = ?)""", [claim_id, claim_id]
    ).fetchone()[0] == 1
