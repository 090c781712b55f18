"""Lexicon: bm25 for a batch from the index's postings gives FTS5's scores to the bit and the same top,
with contexts (column weights that are not whole numbers), words that share a stem, ties and a source
that crowds the top; and a match run over a batch that uses it writes what one asking FTS5 writes."""

from __future__ import annotations

import hashlib
import random

from fakes import HashingEmbedder
from workbench.db import memory_database
from workbench.embedding import embedding_text
from workbench.lexical import lexical_scores, lexical_search
from workbench.matching import MatchSettings, match_claims
from workbench.matching.lexicon import Lexicon

WORDS = ("harbour tax budget council rose cut cuts cutting fares tram bus drone strike Kherson households "
         "power lines crews restored percent million spring rain flooded market district 2024 12 7").split()


def add_claim(db, source_id: int, text: str, context: str | None = None) -> int:
    article_id = db["articles"].insert({
        "source_id": source_id, "text": text, "ingested_at": "2026-01-01", "published": "2026-01-02",
        "content_hash": hashlib.sha256(f"{source_id}{text}{random.random()}".encode()).hexdigest()}).last_pk
    return db["claims"].insert({"article_id": article_id, "source_id": source_id, "position": 0, "span_start": 0,
                                "span_end": len(text), "text": text, "context": context}).last_pk


def corpus(seed: int = 4):
    rng = random.Random(seed)
    db = memory_database()
    sources = [db["sources"].insert({"name": f"Desk {n}", "kind": "outlet"}).last_pk for n in range(4)]
    for n in range(300):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14))) + "."
        context = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))) if n % 3 == 0 else None
        add_claim(db, sources[0] if n < 60 else rng.choice(sources), text, context)
    for _ in range(12):  # exact ties
        add_claim(db, sources[1], "The harbour tax rose 12 percent.")
    return db


def test_every_score_and_top_is_fts5s():
    db = corpus()
    lexicon = Lexicon(db)
    rows = db.execute("SELECT id, source_id, text, context FROM claims").fetchall()
    ids = [r[0] for r in rows]
    rng = random.Random(9)
    asked = 0
    for claim_id, source_id, text, context in rows[::3] + [(0, None, "cut cuts cutting the harbour tax", None)]:
        query = embedding_text(text, context)
        wanted = rng.sample(ids, 30) + [claim_id]
        for limit in (5, 50):
            expected = (lexical_search(db, query, limit=limit, exclude_source_id=source_id),
                        lexical_scores(db, query, wanted))
            assert lexicon.candidates(query, wanted, limit=limit, exclude_source_id=source_id) == expected
            asked += bool(expected[0])
    assert asked > 150
    assert lexicon.candidates("the of and", ids[:3]) == ([], {})


def test_a_batch_matched_through_the_lexicon_writes_what_fts5_gives(monkeypatch):
    import workbench.matching as matching  # the module whose look-up of worth_building is patched

    def run(use_lexicon: bool) -> list[tuple]:
        db = corpus(seed=6)
        if not use_lexicon:
            monkeypatch.setattr(matching, "worth_building", lambda db, claims: False)
        match_claims(db, HashingEmbedder(), settings=MatchSettings(k=5))
        monkeypatch.undo()
        return db.execute("SELECT claim_id, other_claim_id, rank, score, lexical_score, relation, copy_of "
                          "FROM matches ORDER BY claim_id, rank").fetchall()

    through_lexicon = run(True)
    assert len(through_lexicon) > 1000 and through_lexicon == run(False)
