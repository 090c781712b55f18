"""The desk's queries: articles with counts, claims with verdicts, queue, filters, search, matches."""

import pytest

import desk_corpus
from workbench import desk
from workbench.db import open_database
from workbench.verdicts import clear_verdict, record_verdict, verdicts_by_reviewer


@pytest.fixture
def corpus(tmp_path):
    db = open_database(desk_corpus.build(tmp_path / "desk.db"))
    yield db
    db.close()


def test_articles_have_reviewed_and_total_counts(corpus):
    record_verdict(corpus, 1, "disputed", "alice")
    record_verdict(corpus, 2, "corroborated", "alice")
    clear_verdict(corpus, 2, "alice")
    rows = {a.source: (a.reviewed, a.total) for a in desk.list_articles(corpus)}
    assert rows == {"Kyiv Daily": (1, 4), "Wire Service": (0, 3), "VerifyDesk": (0, 1)}
    assert [a.source for a in desk.list_articles(corpus, source="Wire Service")] == ["Wire Service"]


def test_imported_fact_check_claims_are_listed_after_the_articles(corpus):
    rows = desk.list_articles(corpus)
    # VerifyDesk is the newest, but its one claim was imported (it has an external id): it comes last
    assert [(a.source, a.imported) for a in rows] == [
        ("Kyiv Daily", False), ("Wire Service", False), ("VerifyDesk", True)]


def test_article_claims_carry_spans_and_current_verdicts(corpus):
    record_verdict(corpus, 3, "unverified", "alice", note="no second source")
    claims = desk.article_claims(corpus, 1)
    article = desk.get_article(corpus, 1)
    assert [c.position for c in claims] == [0, 1, 2, 3]
    for claim in claims:
        assert article.text[claim.span_start:claim.span_end] == claim.text
    assert [c.status for c in claims] == ["pending", "pending", "unverified", "pending"]
    assert claims[2].verdict.note == "no second source"


def test_queue_is_pending_claims_most_check_worthy_first(corpus):
    record_verdict(corpus, 1, "disputed", "alice")
    queue = desk.pending_queue(corpus)
    assert 1 not in [c.id for c in queue]
    worth = [c.worthiness for c in queue]
    assert worth == sorted(worth, reverse=True)
    assert len(queue) == 7


def test_conflict_first_puts_disagreeing_matches_first(corpus):
    queue = desk.pending_queue(corpus, conflict_first=True)
    # claim 2 ("4 districts") vs "5 districts"; claim 1 vs the fact-check rated False
    assert {queue[0].id, queue[1].id} == {1, 2}
    assert queue[0].conflicts >= 1 and queue[-1].conflicts == 0


def test_filters_by_verdict_and_source(corpus):
    record_verdict(corpus, 5, "corroborated", "alice")
    record_verdict(corpus, 1, "disputed", "bob")
    assert [c.id for c in desk.filter_claims(corpus, verdict="corroborated")] == [5]
    assert [c.id for c in desk.filter_claims(corpus, verdict="disputed", source="Kyiv Daily")] == [1]
    assert desk.filter_claims(corpus, verdict="disputed", source="Wire Service") == []
    assert len(desk.filter_claims(corpus)) == 8


def test_full_text_search_is_safe_with_any_input(corpus):
    found = desk.filter_claims(corpus, query="districts")
    assert {c.id for c in found} == {2, 6}
    assert {c.id for c in desk.filter_claims(corpus, query="repair")} == {3}  # porter stemming / prefix
    assert desk.filter_claims(corpus, query='"[bold] AND ( NEAR') == []
    assert desk.filter_claims(corpus, query="   ") == []


def test_matches_have_neighbours_and_signals(corpus):
    found = desk.matches(corpus, 2)
    assert [m.other_claim_id for m in found] == [6]
    match = found[0]
    assert match.before == "A drone struck an energy facility in Kherson on April 1."
    assert match.after == "Officials blamed Russia for the attack." or match.after == ""
    assert [s.message for s in match.signals] == ["numbers differ: 4 vs 5"]
    assert desk.matches(corpus, 3, min_score=0.6) == []


def test_match_rows_are_matching_views_plus_what_the_desk_adds(corpus):
    from workbench.matching import MatchView, matches_for

    found = desk.matches(corpus, 1)
    views = matches_for(corpus, 1)
    assert all(isinstance(m, MatchView) for m in found)
    assert [(m.other_claim_id, m.score, m.rating) for m in found] == [
        (v.other_claim_id, v.score, v.rating) for v in views]
    assert found[0].model == "test-hashing"
    assert found[1].rating == "False" and found[1].conflict


def test_two_reviewers_verdicts_both_visible(corpus):
    record_verdict(corpus, 1, "disputed", "alice")
    record_verdict(corpus, 1, "corroborated", "bob")
    verdicts = verdicts_by_reviewer(corpus, 1)
    assert [(v.reviewer, v.label) for v in verdicts] == [("alice", "disputed"), ("bob", "corroborated")]


def test_editor_return_puts_the_claim_back_in_the_queue(corpus):
    verdict = record_verdict(corpus, 1, "disputed", "alice")
    record_verdict(corpus, 2, "corroborated", "alice")
    corpus["editor_decisions"].insert_all([
        {"claim_id": 1, "verdict_id": verdict.id, "decision": "return", "note": "cite the fact-check",
         "editor": "ed", "decided_at": "2025-04-05T00:00:00+00:00", "row_hash": "a"},
        {"claim_id": 2, "verdict_id": verdict.id + 1, "decision": "approve", "note": "",
         "editor": "ed", "decided_at": "2025-04-05T00:00:00+00:00", "row_hash": "b"},
    ])
    claim = desk.get_claim(corpus, 1)
    assert claim.returned and claim.needs_review and claim.editor.note == "cite the fact-check"
    assert 1 in [c.id for c in desk.pending_queue(corpus)]
    assert desk.get_claim(corpus, 2).signed_off
    record_verdict(corpus, 1, "disputed", "alice", note="VerifyDesk rated it False")
    assert not desk.get_claim(corpus, 1).returned
    assert 1 not in [c.id for c in desk.pending_queue(corpus)]


def test_imported_claims_without_an_external_id_are_grouped_after_the_articles(corpus):
    corpus.execute("UPDATE claims SET external_id = NULL, features = '{\"imported\": true}' WHERE id = 8")
    corpus.execute("UPDATE claims SET features = 'not json' WHERE id = 1")  # never breaks the list
    rows = desk.list_articles(corpus)
    assert [(r.id, r.imported) for r in rows] == [(1, False), (2, False), (3, True)]
    corpus.execute("UPDATE claims SET features = '{}' WHERE id = 8")
    assert [r.imported for r in desk.list_articles(corpus)] == [False, False, False]
