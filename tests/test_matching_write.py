"""Writing a match run's results (matching/store.py): worked out before the write lock, so a colleague's
verdict is never held up by it; the same rows as relating and folding claim by claim; one cache of a
text's facts that no caller can spoil. The real model and real SQLite files; sentences of our own."""

from __future__ import annotations

import json

from test_concurrency import colleague_marks, reviewers_in_history
from test_matching import OFFICIAL, OUTLET, WIRE, add_source
from test_stories import FLOOD, INJURED, OTHER_STORM, SAME_FLOOD, claim_id, ingest
from workbench import facts
from workbench.db import open_database
from workbench.matching import match_claims, store
from workbench.matching.copies import fold_all, fold_candidates
from workbench.matching.scoring import Candidate
from workbench.relation import relations_for
from workbench.stories import StoryContext


def three_sources(path) -> list[int]:
    db = open_database(path)
    ids = [*add_source(db, "Outlet", "outlet", OUTLET), *add_source(db, "Wire", "outlet", WIRE),
           *add_source(db, "Official", "official", OFFICIAL)]
    db.close()
    return ids


def test_a_colleague_records_a_verdict_while_a_match_run_works_out_its_relations(real_embedder, tmp_path,
                                                                                  monkeypatch):
    """The relations are the costly part of writing matches: while a run works them out it holds no
    write lock, and `workbench mark` in another process records its verdict there and then."""
    path = tmp_path / "claims.db"
    ids = three_sources(path)
    db = open_database(path)
    relate = store.relations_of
    asked = []

    def relating_while_a_colleague_marks(db_, scored, stories=None):
        asked.append(db_.conn.in_transaction)
        colleague_marks(path, ids[len(asked) % len(ids)])  # returns once the verdict is committed
        return relate(db_, scored, stories)

    monkeypatch.setattr(store, "relations_of", relating_while_a_colleague_marks)
    report = match_claims(db, real_embedder)
    assert asked and asked == [False] * len(asked)
    assert reviewers_in_history(path) == [("colleague", ids[n % len(ids)]) for n in range(1, len(asked) + 1)]
    stored = db.execute("SELECT COUNT(*), COUNT(relation) FROM matches").fetchone()
    assert report.rows == stored[0] > 0 and stored[1] == stored[0]
    db.close()


def test_a_batch_stores_what_relating_and_folding_claim_by_claim_give(real_embedder, tmp_path):
    """write_matches reads a whole chunk's texts and sides in one statement each: the rows are those
    of folding and relating each claim alone."""
    db = open_database(tmp_path / "claims.db")
    ingest(db, real_embedder, tmp_path, FLOOD, SAME_FLOOD, OTHER_STORM)
    rows = db.execute("SELECT claim_id, other_claim_id, score, relation, copy_of FROM matches "
                      "ORDER BY claim_id, rank").fetchall()
    by_claim: dict[int, list[tuple]] = {}
    for claim, other, score, relation, copy_of in rows:
        by_claim.setdefault(claim, []).append((other, score, relation, copy_of))
    assert any(relation != "related" for *_, relation, _ in rows)  # the relations are really worked out
    for claim, stored in by_claim.items():
        alone = relations_for(db, claim, [(other, score) for other, score, _, _ in stored])
        assert alone == [relation for _, _, relation, _ in stored]
    ranked = {claim: [Candidate(other, score, None, None) for other, score, _, _ in stored]
              for claim, stored in by_claim.items()}
    together = fold_all(db, ranked, 5)
    assert together == {claim: fold_candidates(db, candidates, 5) for claim, candidates in ranked.items()}
    db.close()


def test_the_facts_of_a_text_are_read_once_and_each_caller_gets_its_own_lists():
    text = "On Friday 12 people died in Riverton, the mayor Ana Ruiz said, 3 more than on April 2."
    first = facts.read(text)
    first.quantities.clear(), first.dates.clear(), first.names.append("Spoiled")
    again = facts.read(text)
    found_dates = facts.dates(text)
    assert again == facts.Facts(facts.quantities(text, found_dates), found_dates, facts.names(text))
    assert [q.value for q in again.quantities] == [12.0, 3.0] and "Spoiled" not in again.names


def test_a_story_context_knows_an_articles_claims_once_it_has_read_the_article(real_embedder, tmp_path):
    """Reading an article's names also tells which claims are its own, so its other claims need no
    statement later; what other_story says is that of a context asked claim by claim."""
    db = open_database(tmp_path / "claims.db")
    ingest(db, real_embedder, tmp_path, FLOOD, SAME_FLOOD, OTHER_STORM)
    ids = [row[0] for row in db.execute("SELECT id FROM claims ORDER BY id")]
    context = StoryContext(db)
    injured = claim_id(db, INJURED)
    article = db.execute("SELECT article_id FROM claims WHERE id = ?", [injured]).fetchone()[0]
    siblings = [row[0] for row in db.execute("SELECT id FROM claims WHERE article_id = ?", [article])]
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    context.load([injured])
    context.load(siblings)
    db.conn.set_trace_callback(None)
    assert len(statements) == 1, statements  # the article read once: its other claims need none
    assert len(siblings) > 1 and all(context.article_of[c] == article for c in siblings)
    context.load(ids)
    for a in ids:
        for b in ids:
            assert context.other_story(a, b) == StoryContext(db).other_story(a, b), (a, b)
    assert json.dumps(sorted(context.names)) == json.dumps(sorted({context.article_of[c] for c in ids}))
    db.close()
