"""lexical_candidates: lexical_search and lexical_scores answered by one scan of the index give exactly
what the two queries give apart (the same bm25 values, the same top, ties included)."""

from __future__ import annotations

import hashlib

from workbench.db import memory_database
from workbench.lexical import lexical_candidates, lexical_scores, lexical_search


def add_claims(db, source: str, texts: list[str]) -> list[int]:
    source_id = db["sources"].insert({"name": source, "kind": "outlet"}).last_pk
    ids = []
    for text in texts:
        article_id = db["articles"].insert({
            "source_id": source_id, "text": text, "ingested_at": "2026-01-01",
            "content_hash": hashlib.sha256(f"{source}{text}{len(ids)}".encode()).hexdigest()}).last_pk
        ids.append(db["claims"].insert({"article_id": article_id, "source_id": source_id, "position": 0,
                                        "span_start": 0, "span_end": len(text), "text": text}).last_pk)
    return ids


def corpus():
    db = memory_database()
    # The own source holds the best rows (it would crowd a short top out), and the others tie by the
    # dozen: identical texts score the same bm25, so which of them make the top decides equality.
    own = add_claims(db, "Harbour Gazette", [f"The harbour tax rose by {n} percent in the spring budget."
                                             for n in range(120)])
    tied = add_claims(db, "Valley Post", ["The harbour tax rose again in the budget."] * 40)
    other = add_claims(db, "Wire", [f"Budget talks on harbour fees stalled, day {n}." for n in range(30)]
                       + ["Rainfall in the valley was average this month."] * 5)
    return db, own, tied + other


def test_one_scan_gives_what_search_and_scores_give_apart():
    db, own, others = corpus()
    text = "The harbour tax rose by 7 percent in the spring budget."
    source = db.execute("SELECT source_id FROM claims WHERE id = ?", [own[7]]).fetchone()[0]
    wanted = [own[7], others[0], others[-1], others[45], 999_999]
    for limit in (5, 50, 200):
        top, scores = lexical_candidates(db, text, wanted, limit=limit, exclude_source_id=source)
        assert top == lexical_search(db, text, limit=limit, exclude_source_id=source)
        assert scores == lexical_scores(db, text, wanted)
        assert len(top) == min(limit, 70) and all(claim_id in others for claim_id, _ in top)


def test_no_source_excluded_and_text_without_words():
    db, own, others = corpus()
    text = "Harbour budget"
    top, scores = lexical_candidates(db, text, own[:3], limit=50)
    assert top == lexical_search(db, text, limit=50)
    assert scores == lexical_scores(db, text, own[:3]) and len(scores) == 3
    assert lexical_candidates(db, "the of and", own[:3]) == ([], {})
