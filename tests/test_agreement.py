"""Verdicts per reviewer and Cohen's kappa, checked against a case worked out by hand."""

from __future__ import annotations

import pytest

from test_export_corpus import build_corpus
from workbench.agreement import cohen_kappa, pairwise_agreement, reviewer_labels, verdicts_per_reviewer
from workbench.verdicts import clear_verdict, record_verdict

C, D, U = "corroborated", "disputed", "unverified"
ANN = [C, C, C, D, D, U, U, C, D, U]
BEN = [C, C, D, D, D, U, C, C, D, D]


def test_kappa_by_hand():
    # observed agreement 7/10; ann uses C4 D3 U3, ben C4 D5 U1
    # expected = (4*4 + 3*5 + 3*1) / 100 = 0.34;  kappa = (0.7 - 0.34) / (1 - 0.34) = 0.36 / 0.66
    assert cohen_kappa(list(zip(ANN, BEN))) == pytest.approx(0.36 / 0.66)
    assert cohen_kappa([(C, C), (D, D)]) == pytest.approx(1.0)
    assert cohen_kappa([(C, D), (D, C)]) == pytest.approx(-1.0)
    assert cohen_kappa([(C, C), (C, C)]) is None  # one label only: chance agreement is certain
    assert cohen_kappa([]) is None


def test_pairwise_agreement_from_the_verdict_history(db):
    build_corpus(db)
    claim_ids = [r[0] for r in db.execute("SELECT id FROM claims ORDER BY id")]
    # ten claims are needed; the corpus has seven, so add three more spans of the ministry article
    article, source = db.execute("SELECT article_id, source_id FROM claims WHERE id = ?", [claim_ids[-1]]).fetchone()
    text = db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0]
    for n in range(3):
        claim_ids.append(db["claims"].insert({
            "article_id": article, "source_id": source, "position": 10 + n, "span_start": n, "span_end": n + 1,
            "text": text[n], "worthiness": 0, "features": "{}"}).last_pk)
    for claim_id, a, b in zip(claim_ids, ANN, BEN):
        record_verdict(db, claim_id, a, "ann")
        record_verdict(db, claim_id, b, "ben")
    # a changed mind counts once, with the latest label; a cleared verdict does not count
    record_verdict(db, claim_ids[0], D, "cal")
    record_verdict(db, claim_ids[0], C, "cal")
    record_verdict(db, claim_ids[1], D, "cal")
    clear_verdict(db, claim_ids[1], "cal")

    assert reviewer_labels(db)["cal"] == {claim_ids[0]: C}
    per = verdicts_per_reviewer(db)
    assert per["ann"] == {C: 4, D: 3, U: 3, "total": 10}
    assert per["ben"] == {C: 4, D: 5, U: 1, "total": 10}
    assert per["cal"] == {C: 1, D: 0, U: 0, "total": 1}

    pairs = {(p.reviewer_a, p.reviewer_b): p for p in pairwise_agreement(db)}
    ann_ben = pairs[("ann", "ben")]
    assert (ann_ben.claims, ann_ben.agreed) == (10, 7)
    assert ann_ben.observed == pytest.approx(0.7)
    assert ann_ben.kappa == pytest.approx(0.36 / 0.66)
    assert pairs[("ann", "cal")].claims == 1 and pairs[("ann", "cal")].kappa is None
    assert set(pairs) == {("ann", "ben"), ("ann", "cal"), ("ben", "cal")}


def test_no_reviewers(db):
    assert pairwise_agreement(db) == [] and verdicts_per_reviewer(db) == {}
