"""bm25 computed in Python from FTS5's statistics (lexical.Bm25) against FTS5's own bm25, on a real file."""

from __future__ import annotations

import hashlib

from workbench import lexical
from workbench.db import open_database, write
from workbench.lexical import Bm25, lexical_scores

# Our own sentences: stems shared in several forms, repeated words, numbers, and headlines as context.
CLAIMS = [
    ("Drones struck the harbour twice on Monday, striking two cranes and a fuel depot.", None),
    ("A drone strike hit the harbour crane; the fuel depot burned for two days.", "Harbour attack: what we know"),
    ("The council says bus fares rise 12 percent in March, the second rise this year.", None),
    ("Fares for buses and trams will rise by 12% from March.", "Council votes fare rise fare rise"),
    ("Flooding closed the market district again after heavy rain.", "Rain, rain and more rain"),
    ("No drone was seen over the harbour, the port authority said.", None),
    ("Striking dockworkers blocked the harbour gates on Monday.", "Harbour strike"),
    ("Cafés in the old town reopened after the floods (naïve hopes, said one owner).", None),
]


def corpus(path) -> tuple[object, list[int]]:
    db = open_database(path)
    with write(db):
        ids = []
        for number, (text, context) in enumerate(CLAIMS):
            source = db.conn.execute("INSERT INTO sources (name, kind) VALUES (?, 'outlet')", [f"S{number}"]).lastrowid
            article = db.conn.execute(
                "INSERT INTO articles (source_id, title, text, content_hash, ingested_at) VALUES (?, ?, ?, ?, ?)",
                [source, "t", text, hashlib.sha256(text.encode()).hexdigest(), "2026-01-01"]).lastrowid
            ids.append(db.conn.execute(
                """INSERT INTO claims (article_id, source_id, position, span_start, span_end, text, context)
                   VALUES (?, ?, 0, 0, ?, ?, ?)""", [article, source, len(text), text, context]).lastrowid)
        # A deleted row and an edited one leave FTS5 delete markers: the statistics must not count them.
        db.conn.execute("DELETE FROM claims WHERE id = ?", [ids.pop()])
        db.conn.execute("UPDATE claims SET context = 'Fuel depot fire' WHERE id = ?", [ids[0]])
    return db, ids


def test_bm25_computed_here_equals_fts5s_to_the_last_bit(tmp_path):
    db, ids = corpus(tmp_path / "claims.db")
    queries = [text if not context else f"{context} {text}" for text, context in CLAIMS]
    queries += ["harbour", "rain rain rain", "12", "striking drone harbour fares"]
    bm25 = Bm25(db)
    bm25.checked = True  # no check against SQLite on the way: every value below is computed here
    bm25.prepare(queries[:3], ids[:4])
    compared = 0
    for query in queries:
        exact = lexical_scores(db, query, ids)
        assert bm25.scores(query, ids) == exact
        compared += len(exact)
    assert bm25.usable and compared > 30


def test_a_word_fts5_reads_as_a_phrase_is_scored_by_fts5(tmp_path, monkeypatch):
    """U+19B0 is a letter to Python's regex and a separator to unicode61: the quoted word is a phrase."""
    db, ids = corpus(tmp_path / "claims.db")
    bm25 = Bm25(db)
    bm25.checked = True
    asked = []
    monkeypatch.setattr(lexical, "lexical_scores", lambda db, text, claim_ids: asked.append(text) or {})
    assert bm25.scores("harbour dro\u19b0ne", ids) == {}
    assert asked == ["harbour dro\u19b0ne"]


def test_a_bm25_that_disagrees_with_sqlites_hands_over_to_sqlite(tmp_path, monkeypatch):
    """Another SQLite could compute bm25 otherwise: the first query is checked, and on a difference
    every score comes from FTS5 itself."""
    db, ids = corpus(tmp_path / "claims.db")
    monkeypatch.setattr(lexical, "BM25_K1", 1.3)
    bm25 = Bm25(db)
    assert bm25.scores("drone harbour", ids) == lexical_scores(db, "drone harbour", ids)
    assert not bm25.usable
    assert bm25.scores("fares rise", ids) == lexical_scores(db, "fares rise", ids)


def test_lexical_search_leaves_out_a_source_that_fills_the_best_rows(tmp_path):
    """The source's own claims are dropped after ranking, not joined: when they fill the first rows
    asked for, more are asked for until `limit` rows of other sources are found, best first."""
    from test_matching import add_source
    from workbench.lexical import lexical_search

    db = open_database(tmp_path / "claims.db")
    own = add_source(db, "Port desk", "outlet", [f"Harbour harbour harbour cranes stopped, berth {n}." for n in range(12)])
    others = add_source(db, "Wire", "wire", ["The harbour reopened.", "Harbour cranes and harbour tugs idle.",
                                              "Rain closed the market."])
    source = db.execute("SELECT source_id FROM claims WHERE id = ?", [own[0]]).fetchone()[0]
    found = lexical_search(db, "harbour cranes harbour", limit=2, exclude_source_id=source)
    assert [claim_id for claim_id, _ in found] == [others[1], others[0]]
    assert set(own) & {claim_id for claim_id, _ in lexical_search(db, "harbour cranes", limit=20)}
    exact = lexical_scores(db, "harbour cranes harbour", others)
    assert dict(found) == {c: exact[c] for c in others[:2]}
