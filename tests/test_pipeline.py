"""The one pipeline: cancel is checked between articles and while splitting; what was stored stays whole."""

from __future__ import annotations

import json

from test_resume import state, write_feed
from workbench.pipeline import IngestRequest, run_pipeline, store


def test_cancel_between_articles_keeps_whole_articles_and_a_rerun_stores_the_rest(tmp_path, db, isolated_database):
    feed = write_feed(tmp_path / "feed.jsonl", count=10)
    seen: list[tuple[str, int, int | None]] = []
    request = IngestRequest(paths=[str(feed)], match=False)

    result = run_pipeline(db, request, progress=lambda *step: seen.append(step),
                          cancel=lambda: len(seen) > 4)
    assert result.cancelled
    assert len(result.article_ids) == 4 and result.claims == 8
    left = state(isolated_database)
    assert left["integrity"] == "ok" and left["articles"] == 4 and left["partial"] == []

    again = run_pipeline(db, request)  # match=False: no model; the first four are duplicates
    assert not again.cancelled and again.duplicates == 4 and len(again.article_ids) == 10
    assert state(isolated_database)["articles"] == 10


def test_cancel_while_splitting_one_long_article_stores_nothing(tmp_path, db, isolated_database):
    text = " ".join(f"Officials in Lviv said {n} homes lost power on May 3." for n in range(2_000))
    feed = tmp_path / "long.jsonl"
    feed.write_text(json.dumps({"text": text, "source": "Lviv Post"}) + "\n")
    checks = []
    stored, cancelled = store(db, IngestRequest(paths=[str(feed)]),
                              cancel=lambda: checks.append(1) or len(checks) > 5)
    assert cancelled and stored == []
    assert len(checks) == 6  # one between articles, then per block while splitting
    assert state(isolated_database)["articles"] == 0


def test_claims_matched_under_another_model_are_not_left_over(tmp_path, db):
    from workbench.matching import MatchSettings
    from workbench.matching.store import write_matches
    from workbench.pipeline import unfinished_claims

    feed = write_feed(tmp_path / "feed.jsonl", count=3)
    result = run_pipeline(db, IngestRequest(paths=[str(feed)], match=False))
    first, *rest = result.new_claims
    assert unfinished_claims(db) == result.new_claims  # stored, never matched
    write_matches(db, {first: ([], None)}, MatchSettings(model="another-model"))
    # Matched with `workbench match --model another-model`: an ingest under the default model
    # finishes the others and leaves that one as its reviewers saw it.
    assert unfinished_claims(db) == rest
