"""The retrieval harness: metrics on hand-computed cases, the readers, and an end-to-end run on tiny
TSV files written here (never ../shared)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from workbench.errors import InputError
from workbench.evaluation.harness import run_retrieval, transcript_contexts
from workbench.evaluation.metrics import average_precision, evaluate, sort_ranking
from workbench.evaluation.readers import (Query, clean_text, date_from_id, last_date, parse_date,
                                          read_collection, read_qrels, read_queries)


def test_metrics_on_hand_computed_cases():
    qrels = {
        "q1": {"d1"},  # found second
        "q2": {"d1", "d3"},  # found first and third
        "q3": {"a"},  # tied with "b": ties go by doc id descending, so "b" comes first
        "q4": {"x"},  # no run at all
    }
    run = {
        "q1": [("d2", 0.9), ("d1", 0.8)],
        "q2": [("d1", 0.9), ("d2", 0.8), ("d3", 0.7)],
        "q3": [("a", 0.5), ("b", 0.5)],
    }
    m = evaluate(run, qrels)
    # AP@1: q1 0, q2 1/2 (R = 2), q3 0, q4 0
    assert m["MAP@1"] == pytest.approx((0 + 0.5 + 0 + 0) / 4)
    # AP@3: q1 1/2, q2 (1 + 2/3) / 2, q3 1/2, q4 0
    assert m["MAP@3"] == pytest.approx((0.5 + (1 + 2 / 3) / 2 + 0.5 + 0) / 4)
    assert m["MAP@5"] == m["MAP@3"] == m["MAP@10"]
    assert m["MRR"] == pytest.approx((0.5 + 1 + 0.5 + 0) / 4)
    assert m["P@5"] == pytest.approx((1 / 5 + 2 / 5 + 1 / 5 + 0) / 4)
    assert m["Recall@10"] == pytest.approx((1 + 1 + 1 + 0) / 4)


def test_average_precision_divides_by_all_relevant_not_k():
    relevant = {f"d{i}" for i in range(6)}
    ranked = [f"d{i}" for i in range(5)]
    assert average_precision(ranked, relevant, 5) == pytest.approx(5 / 6)
    assert average_precision(["z", "d0"], {"d0"}, 1) == 0.0
    assert sort_ranking([("a", 1.0), ("c", 2.0), ("b", 2.0)]) == ["c", "b", "a"]


def test_readers(tmp_path):
    collection = tmp_path / "c.tsv"
    collection.write_text(
        'vclaim_id\tvclaim\ttitle\tdate\n'
        'v1\t"He said ""no"" twice."\tA title\tstated on October 22, 2019 in a speech:\n'
        'v2\tSecond claim https://t.co/x\t\t26 May 2015\n'
        'v1\tDuplicate id keeps the first\tx\t\n', encoding="utf-8")
    docs = read_collection(collection)
    assert [d.id for d in docs] == ["v1", "v2"]
    assert docs[0].text == 'He said "no" twice.' and docs[0].published == "2019-10-22"
    assert docs[1].text == "Second claim" and docs[1].title is None and docs[1].published == "2015-05-26"
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tFirst\nq1\tagain\n\nq2\tSecond\n", encoding="utf-8")
    assert read_queries(queries) == [Query("q1", "First"), Query("q2", "Second")]
    qrels = tmp_path / "r.tsv"
    qrels.write_text("q1\t0\tv1\t1\nq1 0 v2 1\nq2\t0\tv2\t0\n", encoding="utf-8")
    assert read_qrels(qrels) == {"q1": {"v1", "v2"}}
    assert clean_text("Look pic.twitter.com/abc  now http://x.y/z") == "Look now"
    assert date_from_id("20121023_third_debate_0959") == "2012-10-23"
    assert date_from_id("tweet-sno-1") is None and parse_date("no date") is None
    assert last_date("On March 3, 2019 it rained — Jo (@jo) January 14, 2020") == "2020-01-14"
    assert last_date("nothing") is None


def test_readers_refuse_bad_files(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("id_only\nx\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tsv:1: expected a header"):
        read_collection(bad)
    bad.write_text("q1 0 v1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tsv:1: expected `query_id 0 doc_id relevance`"):
        read_qrels(bad)
    bad.write_text("q1 without a tab\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.tsv:1:"):
        read_queries(bad)
    with pytest.raises(InputError, match="no such file"):
        read_queries(tmp_path / "missing.tsv")


def test_transcript_lines_get_the_lines_before_them():
    queries = [Query("20160926_debate_0010", "We lost jobs."), Query("20160926_debate_0011", "That's not true."),
               Query("20160926_debate_0014", "Far away."), Query("tweet-1", "A tweet.")]
    contexts = transcript_contexts(queries, window=2)
    assert contexts == {"20160926_debate_0011": "We lost jobs."}
    assert transcript_contexts(queries, window=0) == {}


COLLECTION = [
    ("vc-1", "A video shows a shark swimming on a flooded highway in Houston during Hurricane Harvey.",
     "Shark on Houston highway?"),
    ("vc-2", "Drinking hot water with lemon cures the coronavirus.", "Does hot lemon water cure COVID-19?"),
    ("vc-3", "The Eiffel Tower will be demolished in 2025.", "Eiffel Tower demolition plan"),
    ("vc-4", "Unemployment among veterans is lower than in the general population.",
     "Veterans' unemployment rate"),
    ("vc-5", "A photograph shows the moon landing was filmed in a studio.", "Moon landing studio photo"),
]
QUERIES = [
    ("tweet-1", "OMG a SHARK swimming down the freeway in Houston!!! #Harvey pic.twitter.com/abc123"),
    ("tweet-2", "hot lemon water kills the virus, share before they delete this"),
    ("20121022_debate_0100", "Veterans' unemployment is now lower than the general population."),
]
QRELS = [("tweet-1", "vc-1"), ("tweet-2", "vc-2"), ("20121022_debate_0100", "vc-4")]


def write_benchmark(folder):
    collection = folder / "vclaims.tsv"
    collection.write_text("vclaim_id\tvclaim\ttitle\n" + "".join(f"{i}\t{t}\t{h}\n" for i, t, h in COLLECTION),
                          encoding="utf-8")
    queries = folder / "queries.tsv"
    queries.write_text("".join(f"{i}\t{t}\n" for i, t in QUERIES), encoding="utf-8")
    qrels = folder / "qrels.tsv"
    qrels.write_text("".join(f"{q}\t0\t{d}\t1\n" for q, d in QRELS), encoding="utf-8")
    return collection, queries, qrels


@pytest.mark.model
def test_harness_end_to_end_on_the_real_matcher(tmp_path, real_embedder):
    collection, queries, qrels = write_benchmark(tmp_path)
    cache = tmp_path / "cache.sqlite"
    result = run_retrieval(collection, queries, qrels, embedder=real_embedder, cache=cache)
    assert result.queries == 3 and result.documents == 5
    assert result.metrics["MAP@5"] == pytest.approx(1.0)
    assert result.metrics["P@5"] == pytest.approx(0.2)
    assert result.one_claim_seconds is not None and result.one_claim_seconds < 5
    assert result.run["tweet-1"][0][0] == "vc-1"
    assert all(len(ranking) == 5 for ranking in result.run.values())  # never a query's own source
    assert cache.exists()
    again = run_retrieval(collection, queries, qrels, embedder=real_embedder, cache=cache, settings=None)
    assert again.metrics == result.metrics


@pytest.mark.model
def test_eval_command(tmp_path, isolated_database):
    from workbench.cli import main

    collection, queries, qrels = write_benchmark(tmp_path)
    runner = CliRunner()
    args = ["eval", "retrieval", "--collection", str(collection), "--queries", str(queries),
            "--qrels", str(qrels), "--cache", str(tmp_path / "cache.sqlite")]
    result = runner.invoke(main, args + ["--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["metrics"]["MAP@5"] == pytest.approx(1.0) and data["queries"] == 3
    assert not isolated_database.exists()  # the user's claims.db is never touched
    result = runner.invoke(main, args + ["--method", "lexical"])
    assert result.exit_code == 0 and "MAP@5" in result.output and "wall time" in result.output
    kept = tmp_path / "eval.db"
    assert runner.invoke(main, args + ["--db", str(kept)]).exit_code == 0
    assert kept.exists()
    result = runner.invoke(main, args + ["--db", str(kept)])
    assert result.exit_code == 1 and "already exists" in result.output
    result = runner.invoke(main, ["eval", "retrieval", "--collection", str(tmp_path / "nope.tsv"),
                                  "--queries", str(queries), "--qrels", str(qrels)])
    assert result.exit_code == 1 and "nope.tsv: no such file" in result.output
