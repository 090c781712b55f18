"""Matching on the real model: the right claim of another source ranks first, never the same source,
new articles reach older claims; FTS queries survive any text; the match commands."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from fakes import HashingEmbedder
from workbench.db import memory_database, open_database
from workbench.lexical import fts_query, lexical_search, query_tokens
from workbench.matching import MatchSettings, match_claims, matches_for, pending_claim_ids

# Three sources reporting overlapping events in their own words, plus claims nobody else covers.
OUTLET = [
    "A Russian drone struck a bus station in Kherson on Monday morning, killing two civilians.",
    "The city council approved a 12 percent rise in public transport fares starting in March.",
    "Heavy rain flooded the old market district for the second time this year.",
]
WIRE = [
    "Two civilians were killed when a drone hit the Kherson bus station early Monday, officials said.",
    "Bus and tram tickets will cost 12% more from March after a council vote.",
    "The national football team sacked its coach after a third straight defeat.",
]
OFFICIAL = [
    "The regional administration confirmed that two people died in Monday's drone attack on Kherson's bus station.",
    "Unemployment in the region fell to 6.1 percent in the last quarter.",
]


def add_source(db, name: str, kind: str, claims: list[str]) -> list[int]:
    """One article per source, one claim per sentence, spans into the article text."""
    source_id = db["sources"].insert({"name": name, "kind": kind}).last_pk
    text = " ".join(claims)
    article_id = db["articles"].insert({
        "source_id": source_id, "title": f"{name} report", "text": text,
        "content_hash": hashlib.sha256(f"{name}{text}".encode()).hexdigest(), "ingested_at": "2026-01-01",
    }).last_pk
    ids, start = [], 0
    for position, claim in enumerate(claims):
        ids.append(db["claims"].insert({
            "article_id": article_id, "source_id": source_id, "position": position,
            "span_start": start, "span_end": start + len(claim), "text": claim,
        }).last_pk)
        start += len(claim) + 1
    return ids


@pytest.fixture
def embedder(real_embedder):
    return real_embedder


def source_of(db, claim_id: int) -> int:
    return db.execute("SELECT source_id FROM claims WHERE id = ?", [claim_id]).fetchone()[0]


@pytest.mark.model
def test_right_match_ranks_first_and_never_same_source(embedder):
    db = memory_database()
    outlet = add_source(db, "City Herald", "outlet", OUTLET)
    wire = add_source(db, "Wire", "wire", WIRE)
    official = add_source(db, "Regional administration", "official", OFFICIAL)
    report = match_claims(db, embedder)
    assert report.matched == 8 and not report.cancelled
    for claim_id in outlet + wire + official:
        views = matches_for(db, claim_id)
        assert views, claim_id
        assert all(source_of(db, v.other_claim_id) != source_of(db, claim_id) for v in views)
        assert [v.rank for v in views] == list(range(1, len(views) + 1))
        assert all(v.dense_score is not None and v.lexical_score is not None for v in views)
    # The drone strike: each source's version finds another source's version first.
    assert matches_for(db, outlet[0])[0].other_claim_id in (wire[0], official[0])
    assert matches_for(db, wire[0])[0].other_claim_id in (outlet[0], official[0])
    assert matches_for(db, official[0])[0].other_claim_id in (outlet[0], wire[0])
    assert matches_for(db, outlet[1])[0].other_claim_id == wire[1]
    assert matches_for(db, wire[1])[0].other_claim_id == outlet[1]
    # The true match scores clearly above unrelated claims.
    assert matches_for(db, outlet[0])[0].score > matches_for(db, outlet[2])[0].score


@pytest.mark.model
def test_incremental_older_claims_gain_new_matches(embedder):
    db = memory_database()
    outlet = add_source(db, "City Herald", "outlet", OUTLET)
    official = add_source(db, "Regional administration", "official", OFFICIAL)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    assert pending_claim_ids(db, embedder.name) == []
    before = matches_for(db, outlet[1])
    assert all(v.other_claim_id in official for v in before)

    wire = add_source(db, "Wire", "wire", WIRE)
    assert pending_claim_ids(db, embedder.name) == wire
    report = match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    assert report.matched == 3 and report.updated_older >= 2
    # The older claims now rank the wire's versions first.
    assert matches_for(db, outlet[1])[0].other_claim_id == wire[1]
    assert matches_for(db, official[0])[0].other_claim_id in (wire[0], outlet[0])
    assert wire[0] in [v.other_claim_id for v in matches_for(db, official[0])]
    # And the new claims got theirs.
    assert matches_for(db, wire[1])[0].other_claim_id == outlet[1]


@pytest.mark.model
def test_incremental_matching_agrees_with_matching_everything_again(embedder):
    db = memory_database()
    add_source(db, "City Herald", "outlet", OUTLET)
    add_source(db, "Regional administration", "official", OFFICIAL)
    match_claims(db, embedder)
    add_source(db, "Wire", "wire", WIRE)
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    incremental = {c: [v.other_claim_id for v in matches_for(db, c)][:2] for c in range(1, 9)}
    match_claims(db, embedder)
    again = {c: [v.other_claim_id for v in matches_for(db, c)][:2] for c in range(1, 9)}
    assert incremental == again


@pytest.mark.model
def test_methods_and_min_score(embedder):
    db = memory_database()
    outlet = add_source(db, "City Herald", "outlet", OUTLET)
    add_source(db, "Wire", "wire", WIRE)
    for method in ("dense", "lexical"):
        match_claims(db, embedder, settings=MatchSettings(k=2, method=method))
        views = matches_for(db, outlet[1])
        assert len(views) <= 2 and views[0].method == method
        assert views[0].text.startswith("Bus and tram")
    match_claims(db, embedder, settings=MatchSettings(k=3))
    assert len(matches_for(db, outlet[0])) == 3
    assert len(matches_for(db, outlet[0], min_score=0.5)) < 3
    assert MatchSettings().as_dict()["method"] == "hybrid"


def test_cancel_keeps_claims_pending():
    db = memory_database()
    add_source(db, "A", "outlet", OUTLET)
    add_source(db, "B", "wire", WIRE)
    embedder = HashingEmbedder()
    report = match_claims(db, embedder, pending_claim_ids(db, embedder.name), cancel=lambda: True)
    assert report.cancelled and report.matched == 0
    assert len(pending_claim_ids(db, embedder.name)) == 6


def test_a_claim_with_no_other_source_counts_as_matched():
    db = memory_database()
    add_source(db, "Only", "outlet", OUTLET)
    embedder = HashingEmbedder()
    steps = []
    match_claims(db, embedder, progress=lambda done, total: steps.append((done, total)))
    assert pending_claim_ids(db, embedder.name) == []
    assert steps[-1] == (3, 3)
    assert db.execute("SELECT COUNT(*) FROM matches").fetchone()[0] == 0


NASTY = [
    'He said "it\'s NEAR" the border',
    "NEAR(fox dog) AND OR NOT *",
    "-- DROP TABLE claims; --",
    'unbalanced "quote and ( parens',
    "prefix* ^start col:text",
    "Zürich’s naïve café — 50 € «quoted» 東京 😀",
    "",
    "the of and",
]


@pytest.mark.parametrize("text", NASTY)
def test_fts_query_survives_any_text(text):
    db = memory_database()
    add_source(db, "A", "outlet", NASTY[:-2] + ["The café in Zürich sold 50 croissants near the border."])
    query = fts_query(text)
    if query is None:
        assert not query_tokens(text)
        assert lexical_search(db, text) == []
    else:
        assert all(part.startswith('"') and part.endswith('"') for part in query.split(" OR "))
        results = lexical_search(db, text)
        assert all(score > 0 for _, score in results)


def test_fts_query_tokens():
    assert query_tokens('He said "it\'s NEAR" the border') == ["said", "near", "border"]
    assert fts_query("NEAR(fox dog)") == '"near" OR "fox" OR "dog"'
    assert "東京" in query_tokens("東京 and Zürich")
    assert query_tokens("the of and") == []


def test_lexical_search_excludes_own_source():
    db = memory_database()
    a = add_source(db, "A", "outlet", ["Kherson drone strike kills two"])
    b = add_source(db, "B", "wire", ["Drone strike in Kherson kills two civilians"])
    found = lexical_search(db, "drone strike Kherson", exclude_source_id=source_of(db, a[0]))
    assert [claim_id for claim_id, _ in found] == b


def test_match_commands(tmp_path):
    from workbench.cli import main

    path = tmp_path / "claims.db"
    db = open_database(path)
    outlet = add_source(db, "City Herald", "outlet", OUTLET)
    add_source(db, "Wire", "wire", WIRE)
    db.conn.close()
    runner = CliRunner()
    result = runner.invoke(main, ["matches", str(outlet[0]), "--db", str(path)])
    assert result.exit_code == 0 and "not matched yet" in result.output
    result = runner.invoke(main, ["match", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "Matched 6 claims" in result.output
    result = runner.invoke(main, ["match", "--db", str(path)])
    assert "already matched" in result.output
    result = runner.invoke(main, ["matches", str(outlet[0]), "--db", str(path), "--json", "--min-score", "0"])
    assert result.exit_code == 0
    views = json.loads(result.output)
    assert views[0]["source"] == "Wire" and views[0]["rank"] == 1
    result = runner.invoke(main, ["matches", str(outlet[0]), "--db", str(path), "--min-score", "0"])
    assert "Wire (wire)" in result.output and "cosine" in result.output
    result = runner.invoke(main, ["matches", "999", "--db", str(path)])
    assert result.exit_code == 1 and "no claim 999" in result.output


def test_reranker_reorders_the_best_candidates(monkeypatch):
    """A cross-encoder (faked here: none is available offline) decides the final order when configured."""
    import workbench.matching as matching

    class LengthReranker:
        def predict(self, pairs):
            return [len(other) / 100 for _, other in pairs]  # prefers the longest candidate

    monkeypatch.setattr(matching, "_load_reranker", lambda name: LengthReranker() if name else None)
    db = memory_database()
    outlet = add_source(db, "A", "outlet", OUTLET)
    wire = add_source(db, "B", "wire", WIRE)
    match_claims(db, HashingEmbedder(), settings=MatchSettings(k=3, reranker="fake-cross-encoder"))
    views = matches_for(db, outlet[1])
    assert [v.other_claim_id for v in views] == sorted(wire, key=lambda c: -len(WIRE[wire.index(c)]))
    assert all(v.rerank_score is not None and v.method == "hybrid+rerank" for v in views)
    assert views[0].score >= views[1].score >= views[2].score


def test_staleness_penalises_distance_in_time_only_when_both_dates_are_known():
    from workbench.matching import TIME_SCALE_DAYS, staleness

    assert staleness("2020-01-01", "2020-01-01") == 0.0
    assert staleness("2020-01-01", None) == 0.0 and staleness("not a date", "2020-01-01") == 0.0
    year = staleness("2020-01-01", "2021-01-01T10:00:00+00:00")
    assert year == pytest.approx(1 - 2.718281828 ** (-366 / TIME_SCALE_DAYS), rel=1e-6)
    assert staleness("2010-01-01", "2020-01-01") > year > staleness("2020-01-01", "2020-02-01") > 0


def test_older_fact_check_of_the_same_period_wins_a_tie():
    """Two fact-checks with the same words: the one published near the claim ranks first."""
    db = memory_database()
    claim = add_source(db, "Debate", "other", ["Unemployment fell to 4 percent last month."])
    # The recent check is stored first: without the time signal the tie would go to the later id.
    checks = (add_source(db, "New checks", "fact-check", ["Unemployment fell to 4 percent last month."])
              + add_source(db, "Old checks", "fact-check", ["Unemployment fell to 4 percent last month."]))
    for claim_id, published in zip([claim[0], *checks], ["2019-05-01", "2019-04-20", "2011-05-01"]):
        db.execute("UPDATE articles SET published = ? WHERE id = (SELECT article_id FROM claims WHERE id = ?)",
                   [published, claim_id])
    db.conn.commit()
    match_claims(db, HashingEmbedder(), claim)
    views = matches_for(db, claim[0])
    assert [v.other_claim_id for v in views] == checks
    assert views[0].score > views[1].score


# ---- incremental matching agrees with matching everything, on a big cluster of near-duplicates ----

PLACES = ["Kherson", "Mykolaiv", "Odesa", "Zaporizhzhia", "Dnipro"]
VERSIONS = [
    "A drone struck the bus station in {place} on Monday, killing {n} civilians.",
    "{n} civilians were killed when a drone hit {place}'s bus station on Monday, officials said.",
    "Officials confirmed {n} people died in Monday's drone attack on the {place} bus station.",
    "Monday's drone strike on the bus terminal in {place} left {n} civilians dead.",
    "The regional governor said a drone killed {n} civilians at a {place} bus station on Monday.",
    "Russian drones hit a bus station in {place} on Monday; {n} civilians were killed.",
]


def cluster_sources(db, sources: range) -> list[int]:
    """Each source reports the same ten drone strikes in its own words: 10 near-duplicates per event."""
    ids = []
    for s in sources:
        claims = [VERSIONS[(s + i) % len(VERSIONS)].format(place=PLACES[i % len(PLACES)], n=2 + i // 5)
                  for i in range(10)]
        ids += add_source(db, f"Source {s}", "outlet", claims)
    return ids


def all_matches(db) -> dict[int, list[int]]:
    return {c: [v.other_claim_id for v in matches_for(db, c)]
            for (c,) in db.execute("SELECT id FROM claims ORDER BY id").fetchall()}


def incremental_then_full(embedder, settings=None, batches=((0, 3), (3, 6))):
    db = memory_database()
    for first, last in batches:
        cluster_sources(db, range(first, last))
        match_claims(db, embedder, pending_claim_ids(db, embedder.name), settings=settings)
    incremental = all_matches(db)
    match_claims(db, embedder, settings=settings)
    return incremental, all_matches(db)


@pytest.mark.model
def test_incremental_equals_full_on_a_big_cluster(embedder):
    """60 near-duplicates from six sources in two batches: every claim's top-k is what `match --all` gives.

    Nearest-neighbour lists are not symmetric, so older claims whose candidates never include a new claim
    must still be checked (every stored claim is, against its entry bar)."""
    incremental, full = incremental_then_full(embedder)
    # k independent sources per claim (issue 11: copies of one story are stored too, folded under them).
    assert len(full) == 60 and all(len(ids) >= 5 for ids in full.values())
    assert incremental == full


@pytest.mark.model
@pytest.mark.parametrize("method", ["dense", "lexical"])
def test_incremental_equals_full_for_each_method(embedder, method):
    incremental, full = incremental_then_full(embedder, MatchSettings(k=4, method=method),
                                              batches=((0, 2), (2, 3), (3, 5)))
    assert incremental == full


def test_incremental_with_a_reranker_compares_fused_with_fused(monkeypatch):
    """With a reranker the stored score is the cross-encoder's; the entry bar stays a fused score."""
    import workbench.matching as matching

    class LengthReranker:
        def predict(self, pairs):
            return [len(other) / 10 - 5 for _, other in pairs]

    monkeypatch.setattr(matching, "_load_reranker", lambda name: LengthReranker() if name else None)
    monkeypatch.setattr(matching.candidates, "RERANK_DEPTH", 6)
    settings = MatchSettings(k=3, reranker="fake-cross-encoder")
    incremental, full = incremental_then_full(HashingEmbedder(), settings)
    assert incremental == full


# ---- the settings of the last explicit match are kept, and used when none are given ----


def test_ingest_uses_the_settings_of_the_last_explicit_match(monkeypatch):
    import workbench.matching as matching
    from workbench.matching import saved_settings, settings_in_force

    embedder = HashingEmbedder()
    db = memory_database()
    cluster_sources(db, range(0, 3))
    assert saved_settings(db, embedder.name) is None
    match_claims(db, embedder, settings=MatchSettings(k=2, method="dense"))
    assert saved_settings(db, embedder.name) == MatchSettings(k=2, method="dense", model=embedder.name)
    new = cluster_sources(db, range(3, 4))
    report = match_claims(db, embedder, new)  # what ingest and the desk do: settings=None
    assert report.settings.k == 2 and report.settings.method == "dense" and report.updated_older > 0
    for claim_id, ids in all_matches(db).items():
        # k independent sources (issue 11: copies of one story are folded under them, not counted).
        assert sum(v.copy_of is None for v in matches_for(db, claim_id)) == 2
        assert settings_in_force(db, claim_id)["k"] == 2
        assert {v.method for v in matches_for(db, claim_id)} == {"dense"}
    # Another model has its own (default) settings.
    assert match_claims(db, HashingEmbedder(name="other"), new).settings.k == 5


def test_match_command_keeps_its_settings_for_later_runs(tmp_path, monkeypatch):
    from workbench.cli import main
    from workbench.matching import saved_settings

    monkeypatch.setattr("workbench.embedding.load_embedder", lambda name=None: HashingEmbedder())
    path = tmp_path / "claims.db"
    db = open_database(path)
    cluster_sources(db, range(0, 2))
    db.conn.close()
    runner = CliRunner()
    result = runner.invoke(main, ["match", "--k", "3", "--method", "dense", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert "k=3, dense" in result.output
    db = open_database(path)
    cluster_sources(db, range(2, 3))
    db.conn.close()
    result = runner.invoke(main, ["match", "--db", str(path)])  # names nothing: the kept settings
    assert "Matched 10 claims" in result.output and "k=3, dense" in result.output, result.output
    result = runner.invoke(main, ["match", "--k", "4", "--db", str(path)])  # changes k only
    assert "already matched" in result.output
    db = open_database(path)
    assert saved_settings(db, "test-hashing") == MatchSettings(k=4, method="dense", model="test-hashing")


# ---- one rule for models: a claim's matches are those of its last run ----


def test_a_claims_matches_are_those_of_its_last_run_whatever_the_model():
    from workbench.matching import settings_in_force

    a, b = HashingEmbedder(name="model-a"), HashingEmbedder(dimensions=64, name="model-b")
    db = memory_database()
    ids = cluster_sources(db, range(0, 2))
    match_claims(db, a)
    match_claims(db, b, ids[:5])
    runs = dict(db.execute("SELECT claim_id, model FROM match_runs WHERE claim_id IN (1, 2, 3, 4, 5, 6)"))
    assert all(runs[c] == "model-b" for c in ids[:5])
    assert db.execute("SELECT COUNT(*) FROM match_runs WHERE claim_id = ?", [ids[0]]).fetchone()[0] == 1
    assert set(pending_claim_ids(db, "model-a")) >= set(ids[:5])  # no longer matched under A
    assert not set(pending_claim_ids(db, "model-b")) & set(ids[:5])
    assert settings_in_force(db, ids[0])["model"] == "model-b"
    assert {v.other_claim_id for v in matches_for(db, ids[0])} and \
        db.execute("SELECT DISTINCT model FROM matches WHERE claim_id = ?", [ids[0]]).fetchall() == [("model-b",)]
    # Matching under A again makes A's the last run.
    match_claims(db, a, pending_claim_ids(db, "model-a"))
    assert settings_in_force(db, ids[0])["model"] == "model-a"
    assert pending_claim_ids(db, "model-a") == []


def test_lexical_search_has_no_unused_parameters():
    import inspect

    assert "exclude_article_id" not in inspect.signature(lexical_search).parameters


def test_lexical_scores_agree_whichever_way_the_ids_are_looked_up(monkeypatch):
    """One look-up per id, one rowid range per run of ids, or one MATCH filtered in Python: the same
    scores (bm25 depends on the collection, not on the rows asked for)."""
    from workbench import lexical

    db = memory_database()
    ids = add_source(db, "Outlet", "outlet", OUTLET) + add_source(db, "Wire", "wire", WIRE)
    ids += add_source(db, "Official", "official", OFFICIAL)
    asked = ids[1:6] + [ids[-1]]
    found = {}
    for way, settings in {"in": (10**9, 1, 10**9), "range": (10**9, 1, 2), "scan": (0, 10**9, 10**9)}.items():
        monkeypatch.setattr(lexical, "SCAN_MIN", settings[0])
        monkeypatch.setattr(lexical, "SCAN_PER_ID", settings[1])
        monkeypatch.setattr(lexical, "RUN_MIN", settings[2])
        found[way] = lexical.lexical_scores(db, WIRE[0], asked)
    assert found["in"] and set(found["in"]) <= set(asked)
    assert found["in"] == found["range"] == found["scan"]


@pytest.mark.model
def test_an_archive_of_one_source_gains_a_new_article_as_match_all_gives_it(embedder):
    """Claims of one source have no bar (no candidate of another source): a new article's claims are
    spliced into their results, which must be what re-matching everything gives."""
    db = memory_database()
    cluster_sources(db, range(0, 1))
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    assert db.execute("SELECT COUNT(*) FROM match_runs WHERE entry_score IS NULL").fetchone()[0] == 10
    add_source(db, "Wire", "wire", WIRE)
    cluster_sources(db, range(1, 2))
    match_claims(db, embedder, pending_claim_ids(db, embedder.name))
    incremental = all_matches(db)
    match_claims(db, embedder)
    assert incremental == all_matches(db)
    assert all(incremental[c] for c in range(1, 11))
