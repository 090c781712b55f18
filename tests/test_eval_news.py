"""`workbench eval news` on a tiny labelled corpus of our own, with the real model (issue 10 #4)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.evaluation.news import claimant_ok, pair_score

POST = {"source": "Eastmere Post", "title": "Dock strike halts Eastmere port", "kind": "outlet",
        "url": "https://post.example/strike", "published": "2025-03-14"}
WIRE = {"source": "Harbour Wire", "title": "Port operator counts 900 strikers", "kind": "wire",
        "url": "https://wire.example/strike", "published": "2025-03-14"}
POST_TEXT = (
    "Dock strike halts Eastmere port\n\nBy Jana Horakova\n\n"
    "About 1,200 dockworkers walked off the job at the port of Eastmere on Friday, the union said.\n\n"
    "Cranes stand idle at the port. Jan Novak/AFP\n\n"
    "Nineteen container ships were waiting at anchor outside the harbour by Friday afternoon.\n\n"
    "Read more: How the dock strike began"
)
WIRE_TEXT = (
    "About 900 dockworkers joined the strike at the port of Eastmere on Friday, the port operator said.\n\n"
    "Nineteen container ships were waiting at anchor outside the harbour on Friday afternoon.\n\n"
    "(With AP inputs)"
)
STRIKERS_POST = "About 1,200 dockworkers walked off the job at the port of Eastmere on Friday, the union said."
STRIKERS_WIRE = "About 900 dockworkers joined the strike at the port of Eastmere on Friday, the port operator said."
SHIPS_POST = "Nineteen container ships were waiting at anchor outside the harbour by Friday afternoon."
SHIPS_WIRE = "Nineteen container ships were waiting at anchor outside the harbour on Friday afternoon."


def item(article: dict, text: str, label: str | None = None, claimant: str | None = None) -> dict:
    found = {"source": article["source"], "title": article["title"], "text": text}
    return found if label is None else {**found, "label": label, "claimant_expected": claimant}


GOLD = {
    "articles": [{k: a[k] for k in ("source", "title", "url")} for a in (POST, WIRE)],
    "claims": [
        item(POST, "Dock strike halts Eastmere port", "H"),
        item(POST, "By Jana Horakova", "B"),
        item(POST, STRIKERS_POST, "F", "the union"),
        item(POST, "Cranes stand idle at the port.", "B"),
        item(POST, "Jan Novak/AFP", "B"),
        item(POST, SHIPS_POST, "F"),
        item(POST, "Read more: How the dock strike began", "B"),
        item(WIRE, STRIKERS_WIRE, "F", "the port operator"),
        item(WIRE, SHIPS_WIRE, "F"),
        item(WIRE, "(With AP inputs)", "B"),
    ],
    "queries": [
        {**item(POST, STRIKERS_POST), "counterparts": [item(WIRE, STRIKERS_WIRE)]},
        {**item(POST, SHIPS_POST), "counterparts": [item(WIRE, SHIPS_WIRE)]},
    ],
    "conflicts": [
        {"query": item(POST, STRIKERS_POST), "counterpart": item(WIRE, STRIKERS_WIRE),
         "judgement": "disagree", "on": "number", "note": "1,200 vs 900"},
    ],
}


@pytest.fixture
def corpus(tmp_path):
    articles = tmp_path / "articles.jsonl"
    articles.write_text("\n".join(json.dumps({**meta, "text": text}) for meta, text in
                                  ((POST, POST_TEXT), (WIRE, WIRE_TEXT))) + "\n", encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(GOLD), encoding="utf-8")
    return articles, gold


def test_eval_news_scores_a_small_corpus_with_the_real_model(corpus, tmp_path):
    articles, gold = corpus
    kept = tmp_path / "eval.db"
    result = CliRunner().invoke(main, ["eval", "news", "--corpus", str(articles), "--gold", str(gold),
                                       "--db", str(kept), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["furniture_leaks"]["total"] == [0, 6]
    assert figures["f_recall"] == [4, 4]
    assert figures["claims_in_db"] == 4 and figures["claims_not_in_gold"] == 0
    assert figures["claimant"]["correct_of_all_expected"][1] == 2
    assert figures["queries"]["mapped"] == [2, 2]
    assert figures["queries"]["hit_at_1"] == [2, 2]  # the other outlet's sentence is each one's best match
    assert figures["conflicts"]["pairs_found_in_matches"] == 1
    assert figures["conflicts"]["recall"] == [1, 1]  # 1,200 vs 900 strikers is flagged
    assert figures["seconds"]["per_article"] > 0
    # The corpus went through the product's ingest: the kept database holds it, furniture included.
    from workbench.db import open_database

    db = open_database(kept)
    stored = [json.loads(row["furniture"]) for row in db.query("SELECT furniture FROM articles ORDER BY id")]
    assert [len(pieces) for pieces in stored] == [4, 1]
    # The flags counted are the ones `workbench matches` shows (and the real-news-dev scorer reads).
    from workbench.evaluation.news import conflict_flags

    claim_ids = [row["id"] for row in db.query("SELECT id FROM claims")]
    for claim_id, flagged in conflict_flags(db, claim_ids).items():
        shown = CliRunner().invoke(main, ["matches", str(claim_id), "--json", "--min-score", "0", "--db", str(kept)])
        assert flagged == {m["other_claim_id"]: any(s["conflict"] for s in m["signals"])
                           for m in json.loads(shown.stdout)}
    assert any(any(found.values()) for found in conflict_flags(db, claim_ids).values())

    lines = CliRunner().invoke(main, ["eval", "news", "--corpus", str(articles), "--gold", str(gold)])
    assert lines.exit_code == 0, lines.output
    assert "furniture leaks (B/H sentences that became claims): 0/6 = 0.0% of furniture lines" in lines.output
    assert "recall of checkable (F) sentences: 4/4 = 100.0%" in lines.output


def test_a_bad_gold_file_is_refused_in_one_line_before_the_model_loads(corpus, tmp_path):
    articles, gold = corpus
    broken = json.loads(gold.read_text())
    broken["claims"][2]["label"] = "X"
    gold.write_text(json.dumps(broken))
    result = CliRunner().invoke(main, ["eval", "news", "--corpus", str(articles), "--gold", str(gold)])
    assert result.exit_code != 0
    assert f"{gold}: claim 3 has label 'X'" in result.output
    missing = CliRunner().invoke(main, ["eval", "news", "--corpus", str(articles), "--gold", str(tmp_path / "no.json")])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_an_existing_database_is_never_written_by_an_evaluation(corpus, db, isolated_database):
    articles, gold = corpus
    from workbench.ingest import ingest_text

    ingest_text(db, "The council approved the budget on Monday, the mayor said.", source="Town Hall")
    before = isolated_database.read_bytes()
    result = CliRunner().invoke(main, ["eval", "news", "--corpus", str(articles), "--gold", str(gold),
                                       "--db", str(isolated_database)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert isolated_database.read_bytes() == before


def test_gold_sentences_meet_claims_by_text_as_the_scorer_says():
    assert pair_score("Nineteen ships waited.", "Nineteen ships waited.") == 1.0
    assert pair_score("share", "Officials did not share the figures with reporters.") is None
    assert pair_score(SHIPS_POST, SHIPS_WIRE) > 0.9
    assert claimant_ok("the Prime Minister (Jana Horakova)", "Horakova")
    assert claimant_ok("the union", "Union")
    assert not claimant_ok("the union", "the port operator")
    assert not claimant_ok("the union", None)


def test_misses_show_where_each_counterpart_stands_and_what_outranked_it(corpus, tmp_path):
    """--misses lists a query whose labelled counterpart is not at rank 1: the counterpart's rank and
    score, the match above it, and a counterpart that is no claim at all; in lines and in JSON."""
    articles, gold_path = corpus
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    # Label the wire's ships sentence (and a tag that is furniture) as the strikers sentence's counterparts:
    # its own version of the strikers sentence outranks them.
    gold["queries"][0]["counterparts"] = [item(WIRE, SHIPS_WIRE), item(WIRE, "(With AP inputs)")]
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    kept = tmp_path / "misses.db"
    result = CliRunner().invoke(main, ["eval", "news", "--corpus", str(articles), "--gold", str(gold_path),
                                       "--db", str(kept), "--json", "--misses"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["queries"]["hit_at_1"] == [1, 2]
    assert figures["queries"]["counterparts_shown"][1] == 3  # two for the strikers, one for the ships
    [miss] = figures["misses"]
    assert miss["query"]["text"] == STRIKERS_POST and miss["best_counterpart_rank"] == 2 and miss["hit_at_3"]
    ships, tag = miss["counterparts"]
    assert ships["rank"] == 2 and ships["text"] == SHIPS_WIRE and 0 < ships["score"] < 1
    assert "not a claim" in tag["stored"]
    assert [above["text"] for above in miss["outranked_by"]] == [STRIKERS_WIRE]

    # The score a pair is given when it is not stored is the matcher's own: it equals a stored one.
    from workbench.db import open_database
    from workbench.evaluation.news_misses import pair_scores
    from workbench.matching import Corpus

    db = open_database(kept)
    query, other = (db.execute("SELECT id FROM claims WHERE text = ?", [t]).fetchone()[0]
                    for t in (STRIKERS_POST, SHIPS_WIRE))
    model = db.execute("SELECT model FROM match_runs LIMIT 1").fetchone()[0]
    assert pair_scores(db, Corpus(db, model), query, [other])[other]["score"] == pytest.approx(ships["score"], abs=1e-4)

    lines = CliRunner().invoke(main, ["eval", "news", "--corpus", str(articles), "--gold", str(gold_path),
                                      "--misses"])
    assert lines.exit_code == 0, lines.output
    assert "0 queries with no counterpart in the top 3, 1 more with none at rank 1:" in lines.output
    assert f"miss rank 1  claim {query} (Eastmere Post): {STRIKERS_POST}" in lines.output
    assert "  above it: rank 1, score" in lines.output and STRIKERS_WIRE in lines.output
