"""The desk's queries: articles with counts, claims with verdicts, queue, filters, search, matches."""

import pytest

import desk_corpus
from workbench import review_queue
from workbench.vocab import DEFAULT_MIN_SCORE
from workbench.db import open_database
from workbench.verdicts import PENDING, clear_verdict, label_counts, record_verdict, verdicts_by_reviewer
from workbench.vocab import REVIEW_FLOOR


@pytest.fixture
def corpus(tmp_path):
    db = open_database(desk_corpus.build(tmp_path / "desk.db"))
    yield db
    db.close()


def test_articles_have_reviewed_and_total_counts(corpus):
    record_verdict(corpus, 1, "disputed", "alice")
    record_verdict(corpus, 2, "corroborated", "alice")
    clear_verdict(corpus, 2, "alice")
    rows = {a.source: (a.reviewed, a.total) for a in review_queue.list_articles(corpus)}
    assert rows == {"Kyiv Daily": (1, 4), "Wire Service": (0, 3), "VerifyDesk": (0, 1)}
    assert [a.source for a in review_queue.list_articles(corpus, source="Wire Service")] == ["Wire Service"]


def test_imported_fact_check_claims_are_listed_after_the_articles(corpus):
    rows = review_queue.list_articles(corpus)
    # VerifyDesk is the newest, but its one claim was imported (it has an external id): it comes last
    assert [(a.source, a.imported) for a in rows] == [
        ("Kyiv Daily", False), ("Wire Service", False), ("VerifyDesk", True)]


def test_article_claims_carry_spans_and_current_verdicts(corpus):
    record_verdict(corpus, 3, "unverified", "alice", note="no second source")
    claims = review_queue.article_claims(corpus, 1)
    article = review_queue.get_article(corpus, 1)
    assert [c.position for c in claims] == [0, 1, 2, 3]
    for claim in claims:
        assert article.text[claim.span_start:claim.span_end] == claim.text
    assert [c.status for c in claims] == ["pending", "pending", "unverified", "pending"]
    assert claims[2].verdict.note == "no second source"


def test_queue_is_pending_claims_most_check_worthy_first(corpus):
    record_verdict(corpus, 1, "disputed", "alice")
    queue = review_queue.filter_claims(corpus, verdict=PENDING)
    assert 1 not in [c.id for c in queue]
    worth = [c.worthiness for c in queue]
    assert worth == sorted(worth, reverse=True)
    # 8 claims, 1 judged; the imported fact-check (evidence) and the markup line (worth 0.02, under
    # REVIEW_FLOOR) are not review work (issue 12 #3; this said 7 before)
    assert len(queue) == 5


def test_imported_and_low_worth_claims_are_stored_but_not_pending(corpus):
    pending = {c.id for c in review_queue.filter_claims(corpus, verdict=PENDING)}
    every = {c.id: c for c in review_queue.filter_claims(corpus)}
    imported = [c for c in every.values() if c.source == "VerifyDesk"]
    low = [c for c in every.values() if c.worthiness < REVIEW_FLOOR]
    assert len(imported) == 1 and len(low) == 1 and len(every) == 8  # stored, never dropped
    for claim in imported + low:
        assert not claim.for_review and claim.status == PENDING and claim.id not in pending
    # asked for: "all pending" takes them too
    assert {c.id for c in review_queue.filter_claims(corpus, verdict=review_queue.ALL_PENDING)} == set(every)
    # the header counts the same work the queue lists, before and after a verdict
    assert label_counts(corpus)[PENDING] == len(pending) == 6
    record_verdict(corpus, imported[0].id, "corroborated", "alice")
    record_verdict(corpus, 2, "disputed", "alice")
    assert label_counts(corpus)[PENDING] == len(review_queue.filter_claims(corpus, verdict=PENDING)) == 5
    # the desk's `p` walks the same rule: once 1-3 are judged, the low-worth claim 4 is not next
    record_verdict(corpus, 1, "disputed", "alice")
    record_verdict(corpus, 3, "unverified", "alice")
    assert review_queue.first_needing_review(corpus, [1]) is None
    # an editor's return makes even imported evidence work again: someone judged it, the editor asks
    verdict = review_queue.get_claim(corpus, imported[0].id).verdict
    corpus["editor_decisions"].insert({
        "claim_id": imported[0].id, "verdict_id": verdict.id, "decision": "return", "note": "why?",
        "editor": "ed", "decided_at": "2025-04-05T00:00:00+00:00", "row_hash": "r"})
    assert imported[0].id in {c.id for c in review_queue.filter_claims(corpus, verdict=PENDING)}


def test_a_search_keeps_the_order_the_desk_names(corpus):
    """bm25 would put the short, dense "Power was cut to 5 districts." (worth 0.7) before "The strike
    cut electricity to 4 districts of the city." (0.8); the header says most check-worthy first."""
    found = review_queue.filter_claims(corpus, query="districts")
    assert [c.worthiness for c in found] == [0.8, 0.7]
    conflicting = review_queue.filter_claims(corpus, query="districts", conflict_first=True)
    assert [c.conflicts for c in conflicting] == sorted((c.conflicts for c in conflicting), reverse=True)


def test_conflict_first_puts_disagreeing_matches_first(corpus):
    queue = review_queue.filter_claims(corpus, verdict=PENDING, conflict_first=True)
    # claim 2 ("4 districts") vs claim 6 ("5 districts") and back. Claim 1's match is a fact-check rated
    # False about another city: its rating shows as a signal, but the pair is related, not in conflict.
    assert {queue[0].id, queue[1].id} == {2, 6}
    assert queue[0].conflicts >= 1 and queue[-1].conflicts == 0


def test_conflict_counts_are_the_conflicting_top_matches_of_each_claim(corpus):
    """Only shown matches count (the desk hides those under the display minimum), and only those whose
    relation is 'conflicts': the counts agree with what the desk shows claim by claim."""
    claims = review_queue.filter_claims(corpus)
    counts = review_queue.conflict_counts(corpus, claims)
    for claim in claims:  # one query for all claims gives what the desk shows for each claim's top 5
        shown = review_queue.matches(corpus, claim.id, claim.text, min_score=DEFAULT_MIN_SCORE, limit=5)
        expected = sum(1 for row in shown if row.relation == "conflicts" and row.copy_of is None)
        assert counts.get(claim.id, 0) == expected
    assert counts[2] == counts[6] == 1 and 1 not in counts
    assert review_queue.conflict_counts(corpus, []) == {}


def test_first_needing_review_walks_the_articles_in_the_order_given(corpus):
    grouped = review_queue.claims_by_article(corpus, [1, 2])
    assert [c.id for c in grouped[1]] == [c.id for c in review_queue.article_claims(corpus, 1)]
    assert [c.id for c in grouped[2]] == [c.id for c in review_queue.article_claims(corpus, 2)]
    assert review_queue.first_needing_review(corpus, [1, 2]) == (1, 1)
    assert review_queue.first_needing_review(corpus, [2, 1]) == (2, 5)
    assert review_queue.first_needing_review(corpus, [1, 2], skip=1) == (1, 2)
    for claim_id in (1, 2, 3, 4, 5):
        record_verdict(corpus, claim_id, "corroborated", "alice")
    assert review_queue.first_needing_review(corpus, [1, 2]) == (2, 6)
    assert review_queue.first_needing_review(corpus, [1]) is None


def test_is_matched_tells_never_matched_from_nothing_close_enough(corpus):
    text = review_queue.get_claim(corpus, 1).text
    assert review_queue.matches(corpus, 1, text, min_score=0.95) == [] and review_queue.is_matched(corpus, 1)  # none close enough
    assert not review_queue.is_matched(corpus, 4)  # never matched
    corpus["match_runs"].insert({"claim_id": 4, "model": "test-hashing", "settings": "{}",
                                 "matched_at": "2025-04-04T00:00:00+00:00"})
    assert review_queue.is_matched(corpus, 4)  # matched, nothing found


def test_filters_by_verdict_and_source(corpus):
    record_verdict(corpus, 5, "corroborated", "alice")
    record_verdict(corpus, 1, "disputed", "bob")
    assert [c.id for c in review_queue.filter_claims(corpus, verdict="corroborated")] == [5]
    assert [c.id for c in review_queue.filter_claims(corpus, verdict="disputed", source="Kyiv Daily")] == [1]
    assert review_queue.filter_claims(corpus, verdict="disputed", source="Wire Service") == []
    assert len(review_queue.filter_claims(corpus)) == 8


def test_full_text_search_is_safe_with_any_input(corpus):
    found = review_queue.filter_claims(corpus, query="districts")
    assert {c.id for c in found} == {2, 6}
    assert {c.id for c in review_queue.filter_claims(corpus, query="repair")} == {3}  # porter stemming / prefix
    assert review_queue.filter_claims(corpus, query='"[bold] AND ( NEAR') == []
    assert review_queue.filter_claims(corpus, query="   ") == []


def test_matches_have_neighbours_and_signals(corpus):
    found = review_queue.matches(corpus, 2, review_queue.get_claim(corpus, 2).text)
    assert [m.other_claim_id for m in found] == [6]
    match = found[0]
    assert match.before == "A drone struck an energy facility in Kherson on April 1."
    assert match.after == "Officials blamed Russia for the attack." or match.after == ""
    assert [s.message for s in match.signals] == ["numbers differ: 4 vs 5"]
    assert review_queue.matches(corpus, 3, review_queue.get_claim(corpus, 3).text, min_score=0.6) == []


def test_match_rows_are_matching_views_plus_what_the_desk_adds(corpus):
    from workbench.domain import Match
    from workbench.matching import matches_for

    found = review_queue.matches(corpus, 1, review_queue.get_claim(corpus, 1).text)
    views = matches_for(corpus, 1)
    assert all(isinstance(m, Match) for m in found)
    assert [(m.other_claim_id, m.score, m.rating) for m in found] == [
        (v.other_claim_id, v.score, v.rating) for v in views]
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
    claim = review_queue.get_claim(corpus, 1)
    assert claim.returned and claim.needs_review and claim.editor.note == "cite the fact-check"
    assert 1 in [c.id for c in review_queue.filter_claims(corpus, verdict=PENDING)]
    assert review_queue.get_claim(corpus, 2).signed_off
    record_verdict(corpus, 1, "disputed", "alice", note="VerifyDesk rated it False")
    assert not review_queue.get_claim(corpus, 1).returned
    assert 1 not in [c.id for c in review_queue.filter_claims(corpus, verdict=PENDING)]


def test_imported_claims_without_an_external_id_are_grouped_after_the_articles(corpus):
    corpus.execute("UPDATE claims SET external_id = NULL, features = '{\"imported\": true}' WHERE id = 8")
    corpus.execute("UPDATE claims SET features = 'not json' WHERE id = 1")  # never breaks the list
    rows = review_queue.list_articles(corpus)
    assert [(r.id, r.imported) for r in rows] == [(1, False), (2, False), (3, True)]
    corpus.execute("UPDATE claims SET features = '{}' WHERE id = 8")
    assert [r.imported for r in review_queue.list_articles(corpus)] == [False, False, False]


def test_the_queue_filters_by_one_claimant_across_articles_and_sources(tmp_path):
    db = open_database(desk_corpus.build_quoted(tmp_path / "quoted.db"))
    kovalenko = review_queue.filter_claims(db, claimant_key="kovalenko")
    assert sorted((c.source, c.claimant) for c in kovalenko) == [
        ("Harbour Post", "Anna Kovalenko"), ("Valley Wire", "Kovalenko"), ("Valley Wire", "Kovalenko")]
    assert [c.source for c in review_queue.filter_claims(db, claimant_key="kovalenko", source="Valley Wire")] == [
        "Valley Wire", "Valley Wire"]
    assert review_queue.filter_claims(db, claimant_key="nobody") == []
    assert len(review_queue.filter_claims(db, claimant_key=None)) == 5
    db.close()


def test_pages_and_counts_agree_with_the_whole_list_for_every_filter(corpus):
    """The desk reads the queue a page at a time and its count from the header's numbers: both must
    say what the whole list says, for each verdict filter, with and without a source or a search."""
    record_verdict(corpus, 1, "disputed", "alice")
    record_verdict(corpus, 2, "corroborated", "bob")
    record_verdict(corpus, 8, "corroborated", "alice")  # the imported fact-check, judged
    verdict = record_verdict(corpus, 5, "unverified", "alice")
    corpus["editor_decisions"].insert({
        "claim_id": 5, "verdict_id": verdict.id, "decision": "return", "note": "a second source?",
        "editor": "ed", "decided_at": "2025-04-05T00:00:00+00:00", "row_hash": "p"})
    clear_verdict(corpus, 2, "bob")  # pending again
    for verdict_filter in (None, PENDING, review_queue.ALL_PENDING, "disputed", "corroborated", "unverified"):
        for filters in ({}, {"source": "Wire Service"}, {"query": "the"}):
            whole = [c.id for c in review_queue.filter_claims(corpus, verdict=verdict_filter, **filters)]
            pages = [c.id for offset in range(0, 9, 2) for c in review_queue.filter_claims(
                corpus, verdict=verdict_filter, **filters, limit=2, offset=offset)]
            assert pages == whole, (verdict_filter, filters)
            assert review_queue.count_claims(corpus, verdict=verdict_filter, **filters) == len(whole)
    # the returned claim 5 is pending work and still unverified; the header agrees with the rows
    assert 5 in [c.id for c in review_queue.filter_claims(corpus, verdict=PENDING)]
    assert label_counts(corpus)[PENDING] == len(review_queue.filter_claims(corpus, verdict=PENDING)) == 5
    assert label_counts(corpus)["unverified"] == 1


def test_current_verdicts_after_m014_are_the_rule_of_m007(corpus):
    """m014 rewrote the two views so a claim is looked up by index; the rule is m007's: each reviewer's
    latest row, and the claim's most recent labelled state among its reviewers."""
    record_verdict(corpus, 1, "disputed", "alice")
    record_verdict(corpus, 1, "corroborated", "bob")
    clear_verdict(corpus, 1, "bob")  # bob's latest is no label: alice's verdict stands
    record_verdict(corpus, 2, "unverified", "alice")
    clear_verdict(corpus, 2, "alice")  # every state unlabelled: pending, the latest row
    record_verdict(corpus, 3, "disputed", "alice")
    record_verdict(corpus, 3, "corroborated", "alice")  # a change of mind: the latest
    current = {row["claim_id"]: (row["label"], row["reviewer"]) for row in corpus.query(
        "SELECT * FROM current_verdicts")}
    assert current == {1: ("disputed", "alice"), 2: (None, "alice"), 3: ("corroborated", "alice")}
    states = sorted((row["claim_id"], row["reviewer"], row["label"]) for row in corpus.query(
        "SELECT * FROM reviewer_verdicts"))
    assert states == [(1, "alice", "disputed"), (1, "bob", None), (2, "alice", None), (3, "alice", "corroborated")]
