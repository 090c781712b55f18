"""Incremental matching reads what a new article needs, not the whole collection."""

from __future__ import annotations

import pytest

from fakes import HashingEmbedder
from test_matching import OFFICIAL, OUTLET, WIRE, add_source, incremental_then_full
from workbench import matching
from workbench.db import memory_database, open_database
from workbench.matching import match_claims, pending_claim_ids


@pytest.fixture
def embedded_for(monkeypatch):
    """The claim ids each match run asked ensure_embeddings for (None: every claim, hashed)."""
    asked: list = []
    ensure = matching.ensure_embeddings

    def recording(db, embedder, claim_ids=None, **options):
        asked.append(None if claim_ids is None else list(claim_ids))
        return ensure(db, embedder, claim_ids, **options)

    monkeypatch.setattr(matching, "ensure_embeddings", recording)
    return asked


def test_a_new_article_embeds_its_own_claims_without_hashing_the_collection(embedded_for):
    db, embedder = memory_database(), HashingEmbedder()
    add_source(db, "Outlet", "outlet", OUTLET)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    new = add_source(db, "Wire", "wire", WIRE)
    report = match_claims(db, embedder, new)
    assert embedded_for[-1] == new and report.embedded == len(new)


def test_claims_stored_without_a_vector_are_embedded_by_the_next_article(tmp_path, embedded_for):
    """A run killed before embedding left claims without a vector: the next article embeds them too."""
    db, embedder = open_database(tmp_path / "claims.db"), HashingEmbedder()
    add_source(db, "Outlet", "outlet", OUTLET)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    left = add_source(db, "Official", "official", OFFICIAL)
    new = add_source(db, "Wire", "wire", WIRE)
    report = match_claims(db, embedder, new)
    assert embedded_for[-1] is None and report.embedded == len(left) + len(new)


@pytest.mark.model
def test_a_new_outlet_that_stops_another_outlets_sentences_counting_gets_the_rows_match_all_gives(real_embedder):
    """Three outlets, one per batch, ten sentences each. After the second, each claim's rows are the
    first five of the one other outlet; the third outlet's claims enter, and that outlet's sentences
    beyond two stop counting towards k (copies.PER_OUTLET): the rows must go further down the ranking
    than was ever stored, so those claims are re-matched, as `match --all` gives them."""
    incremental, full = incremental_then_full(real_embedder, batches=((0, 1), (1, 2), (2, 3)))
    assert incremental == full


def test_the_bar_index_migration_run_by_two_processes_at_once_leaves_the_covering_index_and_the_bars(tmp_path):
    """A database from before m016 (the entry-bar index without the claim id) opened by two processes
    at once: both open it, the migration is applied once, the bar ranges are read from the new index
    alone, every stored bar is kept, and the next article still gets the results of `match --all`."""
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    from test_matching import all_matches

    path = tmp_path / "claims.db"
    db, embedder = open_database(path), HashingEmbedder()
    add_source(db, "Outlet", "outlet", OUTLET)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    add_source(db, "Wire", "wire", WIRE)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    bars = db.execute("SELECT claim_id, model, entry_score FROM match_runs ORDER BY claim_id").fetchall()
    db.close()
    with sqlite3.connect(path) as conn:  # the file as m015 left it
        conn.execute("DROP INDEX match_runs_model_entry_claim")
        conn.execute("CREATE INDEX match_runs_model_entry ON match_runs (model, entry_score)")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm016_match_entry_bar_index_covers_claim'")
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    openers = [subprocess.Popen([sys.executable, "-m", "workbench", "claims", "--json", "--db", str(path)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for opener in openers:
        _, err = opener.communicate(timeout=120)
        assert opener.returncode == 0, err
    db = open_database(path)
    assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'match_runs' "
                                     "AND sql IS NOT NULL")} == {"match_runs_model_entry_claim"}
    assert db.execute("SELECT COUNT(*) FROM _sqlite_migrations WHERE name LIKE 'm016_%'").fetchone()[0] == 1
    assert db.execute("SELECT claim_id, model, entry_score FROM match_runs ORDER BY claim_id").fetchall() == bars
    plan = db.execute("EXPLAIN QUERY PLAN SELECT claim_id, entry_score FROM match_runs WHERE model = ? "
                      "AND (entry_score <= ?)", [embedder.name, 0.5]).fetchall()
    assert "COVERING INDEX match_runs_model_entry_claim" in plan[0][3]
    add_source(db, "Official", "official", OFFICIAL)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    incremental = all_matches(db)
    match_claims(db, embedder)
    assert incremental == all_matches(db)
