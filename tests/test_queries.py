"""The query layer: rows built by column name, and one answer to each question the desk and the CLI
both ask ("which articles, how far reviewed", "matched?")."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import desk_corpus
from workbench import review_queue
from workbench.cli import main
from workbench.db import open_database
from workbench.domain import Match, from_row
from workbench.queries import list_articles, list_claims
from workbench.verdicts import record_verdict


@pytest.fixture
def corpus_path(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


def test_rows_are_built_by_column_name_whatever_the_select_order():
    columns = {"claim_id": 1, "other_claim_id": 5, "rank": 1, "score": 0.9, "method": "hybrid",
               "dense_score": 0.9, "lexical_score": 0.5, "rerank_score": None, "text": "t", "source": "Wire",
               "source_kind": "wire", "article_id": 2, "article_title": "A", "article_url": None,
               "published": None, "span_start": 0, "span_end": 1, "external_id": None, "rating": None}
    reordered = dict(reversed(list(columns.items())))
    assert from_row(Match, columns) == from_row(Match, reordered)
    assert from_row(Match, reordered).source == "Wire" and from_row(Match, reordered).article_title == "A"
    with pytest.raises(TypeError):  # a column the SELECT lost fails loudly, never shifts the others
        from_row(Match, {k: v for k, v in columns.items() if k != "source"})


def test_the_cli_lists_articles_as_the_desk_does(corpus_path):
    db = open_database(corpus_path)
    record_verdict(db, 1, "corroborated", "alice")
    result = CliRunner().invoke(main, ["articles", "--json", "--db", str(corpus_path)])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    shown = review_queue.list_articles(db)
    # Newest first, the same day by id, the imported fact-check claim (external id) last.
    assert [a["id"] for a in listed] == [a.id for a in shown] == [1, 2, 3]
    assert {a["id"]: (a["reviewed"], a["claims"]) for a in listed} == {3: (0, 1), 1: (1, 4), 2: (0, 3)}
    assert listed[2]["external_id"] == "vd-1" and listed[0]["source"] == "Kyiv Daily"
    assert review_queue.list_articles is list_articles  # one function, not two that agree today


def test_the_cli_and_the_desk_agree_on_matched(corpus_path):
    """Claim 1 has matches stored without a run record: matched, nothing scores 0.95."""
    db = open_database(corpus_path)
    assert review_queue.is_matched(db, 1) and not review_queue.is_matched(db, 4)
    runner = CliRunner()
    close = runner.invoke(main, ["matches", "1", "--min-score", "0.95", "--db", str(corpus_path)])
    assert close.exit_code == 0 and "no matches with score >= 0.95" in close.output
    never = runner.invoke(main, ["matches", "4", "--db", str(corpus_path)])
    assert never.exit_code == 0 and "not matched yet" in never.output


def test_the_cli_lists_claims_with_their_spans(corpus_path):
    result = CliRunner().invoke(main, ["claims", "2", "--json", "--db", str(corpus_path)])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    claims = list_claims(open_database(corpus_path), 2)
    assert [c["id"] for c in listed] == [c.id for c in claims] == [5, 6, 7]
    text = desk_corpus.ARTICLES[1]["text"]
    assert all(text[c["start"]:c["end"]] == c["text"] for c in listed)
    assert listed[0]["source"] == "Wire Service" and listed[0]["features"] == {}
    missing = CliRunner().invoke(main, ["claims", "99", "--db", str(corpus_path)])
    assert missing.exit_code != 0 and "there is no article 99" in missing.output
