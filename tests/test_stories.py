"""Which story a claim belongs to (workbench/stories.py): its article's names and its figures, in the
fused score and in the relation. Sentences of our own; the real model where the ranking is tested."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.db import memory_database
from workbench.matching import match_claims, matches_for
from workbench.pipeline import IngestRequest, run_pipeline
from workbench.relation import assess
from workbench.stories import StoryContext, claim_names, other_fact, title_case

FLOOD = {"source": "Valley Courier", "kind": "outlet", "title": "Tarn floods Riverton", "published": "2025-04-07",
         "url": "https://courier.example/riverton", "text": (
             "Tarn floods Riverton\n\nFloodwaters from the Tarn swept through Riverton on Monday morning.\n\n"
             "More than 400 people were injured in Riverton, the mayor said.\n\n"
             "The Tarn burst its banks after three days of heavy rain.\n\n"
             "Rescue teams from Kelby reached Riverton by evening.")}
SAME_FLOOD = {"source": "Northern Ledger", "kind": "outlet", "title": "Riverton counts the cost",
              "published": "2025-04-08", "url": "https://ledger.example/riverton", "text": (
                  "Riverton counts the cost\n\n"
                  "The Tarn flooded Riverton overnight, leaving streets under a metre of water.\n\n"
                  "Hospitals in Riverton treated 380 injured residents, the health board said.\n\n"
                  "Kelby sent rescue boats and a field kitchen.")}
OTHER_STORM = {"source": "Coastal Times", "kind": "outlet", "title": "Storm batters Port Salas",
               "published": "2025-04-08", "url": "https://coastal.example/salas", "text": (
                   "Storm batters Port Salas\n\nA storm hit Port Salas on Tuesday, tearing roofs from the fish market.\n\n"
                   "More than 400 people were injured, officials said.\n\n"
                   "The harbour at Port Salas stayed closed all day.")}
INJURED = "More than 400 people were injured in Riverton, the mayor said."
SAME_STORY = "Hospitals in Riverton treated 380 injured residents, the health board said."
NEAR_COPY = "More than 400 people were injured, officials said."


def ingest(db, embedder, tmp_path, *articles: dict, name: str = "articles.jsonl") -> None:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    run_pipeline(db, IngestRequest(paths=[str(path)]), embedder=embedder)


def claim_id(db, text: str) -> int:
    return db.execute("SELECT id FROM claims WHERE text = ?", [text]).fetchone()[0]


def test_a_story_is_told_by_the_names_its_sentences_repeat():
    assert claim_names("Mayor Ana Ruiz said the National Weather Service had warned Riverton.") == {
        "ana", "ruiz", "weather", "riverton"}  # "National" and "Service" name every story
    assert claim_names("More than 400 people were injured.") == frozenset()  # an opener is no name
    assert claim_names("People in Kiev queued for water.") == {"kyiv"}  # one spelling per place


def test_a_title_in_title_case_names_nothing():
    assert title_case("Storm Kills Four In Coastal Town")  # every word capitalised: no names to read
    assert not title_case("Storm batters Port Salas") and not title_case("Tarn floods Riverton")


def test_other_fact_asks_for_a_figure_of_the_same_thing_or_the_same_value():
    assert other_fact("More than 400 people were injured.", "Hospitals treated 380 injured residents.") == 0.0
    assert other_fact("12 jurors heard the case.", "12 people sat on the jury.") == 0.0  # the same value
    assert other_fact("More than 400 people were injured.", "The mayor thanked the rescuers.") == 1.0
    assert other_fact("More than 400 people were injured.", "Two bridges were closed.") == 1.0
    assert other_fact("The mayor thanked the rescuers.", "400 people were injured.") == 0.0  # nothing to ask for


@pytest.mark.model
def test_a_claim_ranks_its_own_storys_report_above_another_storys_near_copy(real_embedder, db, tmp_path):
    """Read alone, the other storm's sentence is the closest (same words, same figure); its article
    names nothing the flood articles repeat, so the flood's other report ranks first, and the
    storm's sentence is merely related: the same 400 is no support, another figure no conflict."""
    ingest(db, real_embedder, tmp_path, FLOOD, SAME_FLOOD, OTHER_STORM)
    query, same, near = claim_id(db, INJURED), claim_id(db, SAME_STORY), claim_id(db, NEAR_COPY)
    found = {m.other_claim_id: m for m in matches_for(db, query, min_score=0)}
    assert found[near].dense_score > found[same].dense_score  # what the embedding alone prefers
    assert [m.other_claim_id for m in matches_for(db, query, min_score=0)][:2] == [same, near]
    assert found[same].relation == "conflicts" and found[near].relation == "related"
    # `workbench matches` (what the desk and the real-news scorer read) says the same.
    shown = {m["other_claim_id"]: m for m in json.loads(CliRunner().invoke(
        main, ["matches", str(query), "--json", "--min-score", "0"]).stdout)}
    assert shown[near]["relation"] == "related" and not any(s["conflict"] for s in shown[near]["signals"])
    assert shown[same]["relation"] == "conflicts"


@pytest.mark.model
def test_incremental_matching_with_stories_agrees_with_matching_everything(real_embedder, tmp_path):
    """The story and figure penalties only subtract, so incremental matching's bound still holds:
    articles arriving one batch at a time leave every claim the matches `match --all` gives."""
    db = memory_database()
    ingest(db, real_embedder, tmp_path, FLOOD, OTHER_STORM, name="first.jsonl")
    ingest(db, real_embedder, tmp_path, SAME_FLOOD, name="second.jsonl")
    ids = [row[0] for row in db.execute("SELECT id FROM claims ORDER BY id").fetchall()]
    incremental = {c: [(m.other_claim_id, round(m.score, 6)) for m in matches_for(db, c, min_score=-9)] for c in ids}
    match_claims(db, real_embedder)
    again = {c: [(m.other_claim_id, round(m.score, 6)) for m in matches_for(db, c, min_score=-9)] for c in ids}
    assert incremental == again
    assert incremental[claim_id(db, INJURED)][0][0] == claim_id(db, SAME_STORY)


def test_single_claim_articles_tell_no_story(db):
    """A collection of single claims (fact-checks, CheckThat!) ranks as it did: no story, no penalty."""
    source = db["sources"].insert({"name": "Checks", "kind": "fact-check"}).last_pk
    other = db["sources"].insert({"name": "Posts", "kind": "other"}).last_pk
    ids = []
    for number, (src, text) in enumerate([(source, "Riverton was flooded in April."),
                                          (other, "Port Salas was hit by a storm.")]):
        article = db["articles"].insert({"source_id": src, "title": None, "text": text, "content_hash": str(number),
                                         "ingested_at": "2026-01-01"}).last_pk
        ids.append(db["claims"].insert({"article_id": article, "source_id": src, "position": 0, "span_start": 0,
                                        "span_end": len(text), "text": text}).last_pk)
    assert StoryContext(db).other_story(ids[0], ids[1]) == 0.0


def test_another_story_is_another_event_so_its_figures_do_not_conflict():
    ours, theirs = "More than 400 people were injured on Monday.", "About 150 people were injured on Monday."
    assert assess(ours, theirs, 0.6).relation == "conflicts"
    other = assess(ours, theirs, 0.6, other_story=True)
    assert other.relation == "related" and not other.conflicts
    assert any(s.kind == "numbers" for s in other.signals)  # the difference is still shown, unflagged


def test_names_read_for_many_claims_at_once_count_each_claim_once(db, tmp_path, real_embedder):
    """Two claims of one article asked together: its names are counted once, as read alone."""
    ingest(db, real_embedder, tmp_path, FLOOD, SAME_FLOOD, OTHER_STORM)
    together = StoryContext(db)
    together.load([claim_id(db, INJURED), claim_id(db, "The Tarn burst its banks after three days of heavy rain.")])
    alone = StoryContext(db)
    article = together.article_of[claim_id(db, INJURED)]
    assert together.names[article] == alone.article_names(article)
    assert together.names[article]["riverton"] == 4  # the title and three of its four claims
