"""The CLI as people type it (issue 12 #6): --db / --model before or after the command, read-only
commands never create a database, unique label prefixes, messages that say what happened, plurals."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import desk_corpus
from tui_helpers import verdict_rows
from workbench.cli import main

READ_ONLY = [["articles"], ["claims"], ["matches", "1"], ["history", "1"], ["stats"], ["export"], ["verify"],
             ["backup", "copy.db"]]


def run(*args, env: dict | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture
def corpus(tmp_path):
    return desk_corpus.build(tmp_path / "desk.db")


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_goes_before_or_after_the_command(corpus, where):
    args = ["--db", corpus, "articles"] if where == "before" else ["articles", "--db", corpus]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "Kyiv Daily" in result.output


def test_a_flag_before_the_command_beats_the_environment_and_one_after_it_beats_both(corpus, tmp_path):
    env = {"WORKBENCH_DB": str(tmp_path / "elsewhere.db")}
    assert run("--db", corpus, "articles", env=env).exit_code == 0
    assert run("--db", tmp_path / "nope.db", "articles", "--db", corpus, env=env).exit_code == 0
    assert not (tmp_path / "elsewhere.db").exists() and not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: c[0])
def test_read_only_commands_never_create_a_database(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--db", "typo.db")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == ("Error: no database at typo.db; run `workbench ingest` or "
                                                      "`workbench demo` first")
    assert list(tmp_path.iterdir()) == []  # no typo.db, no -wal, no backup copy


@pytest.mark.parametrize("typed, label", [("corrob", "corroborated"), ("D", "disputed"), ("unv", "unverified")])
def test_labels_accept_a_unique_beginning(corpus, typed, label):
    result = run("mark", 1, typed, "--db", corpus, "--reviewer", "ana")
    assert result.exit_code == 0, result.output
    assert [row["label"] for row in verdict_rows(corpus)] == [label]


def test_a_label_that_fits_none_is_refused_and_nothing_is_recorded(corpus):
    result = run("mark", 1, "x", "--db", corpus, "--reviewer", "ana")
    assert result.exit_code == 2 and "'x' is not one of 'corroborated', 'disputed', 'unverified'" in result.output
    assert verdict_rows(corpus) == []


def test_match_on_an_empty_database_says_there_is_nothing_to_match(tmp_path):
    from workbench.db import open_database

    fresh = tmp_path / "fresh.db"
    open_database(fresh).close()
    result = run("match", "--db", fresh)
    assert result.exit_code == 0, result.output
    assert "No claims to match yet" in result.output and "already matched" not in result.output


def test_ingest_into_a_one_source_database_says_nothing_was_matched(tmp_path, real_embedder):
    article = tmp_path / "story.txt"
    article.write_text("A storm closed the harbour bridge on Monday, the port authority said. "
                       "Ferries to the islands ran on time.", encoding="utf-8")
    path = tmp_path / "one.db"
    result = run("ingest", article, "--source", "Harbour Gazette", "--db", path)
    assert result.exit_code == 0, result.output
    assert "no other source to match them against yet" in result.output
    assert "Matched" not in result.output
    assert "— 2 claims" in result.output


def test_one_claim_is_one_claim(tmp_path, real_embedder):
    article = tmp_path / "short.txt"
    article.write_text("The city council approved a new tram line on Tuesday.", encoding="utf-8")
    result = run("ingest", article, "--source", "Harbour Gazette", "--db", tmp_path / "one.db")
    assert result.exit_code == 0, result.output
    assert "— 1 claim\n" in result.output and "1 claims" not in result.output


def test_reviewer_goes_before_or_after_the_command_too(corpus):
    assert run("--reviewer", "ana", "mark", 1, "dis", "--db", corpus).exit_code == 0
    assert run("--reviewer", "ana", "--db", corpus, "mark", 2, "dis", "--reviewer", "bob").exit_code == 0
    assert [r["reviewer"] for r in verdict_rows(corpus)] == ["ana", "bob"]
