"""A small claims.db for the export, editor-review and verdict-CLI tests, built row by row with exact
spans (no ingest, no model), plus checks that the corpus itself is what the other tests assume."""

from __future__ import annotations

from workbench.evidence import evidence_from_claims
from workbench.verdicts import record_verdict

KYIV_TEXT = (
    "Officials said the military meeting is on Friday, April 4.\n\n"
    "=SUM(A1:A9) was typed into the published minutes by mistake. "
    "<script>alert('pwned')</script> is what the comment box contained.\n\n"
    "Zoë Müller said Germany pledged 130 million euros, a sum the finance ministry in Berlin has "
    "confirmed in writing to the parliament's budget committee this week."
)
WIRE_TEXT = "The meeting of military leaders is on Friday, April 4, officials said. Germany pledged 150 million euros."
MINISTRY_TEXT = "-5 degrees were recorded in Kyiv overnight."

# (article key, sentence, claimant)
CLAIMS = [
    ("kyiv", "Officials said the military meeting is on Friday, April 4.", "Officials"),
    ("kyiv", "=SUM(A1:A9) was typed into the published minutes by mistake.", None),
    ("kyiv", "<script>alert('pwned')</script> is what the comment box contained.", None),
    ("kyiv", "Zoë Müller said Germany pledged 130 million euros, a sum the finance ministry in Berlin has "
             "confirmed in writing to the parliament's budget committee this week.", "Zoë Müller"),
    ("wire", "The meeting of military leaders is on Friday, April 4, officials said.", "officials"),
    ("wire", "Germany pledged 150 million euros.", None),
    ("ministry", "-5 degrees were recorded in Kyiv overnight.", "Ukrainian Ministry of Energy"),
]
EVIDENCE_URL = "https://example.org/minutes?id=1&lang=en"


def build_corpus(db) -> dict[str, int]:
    """Insert three sources, three articles and seven claims; return name -> id for everything."""
    ids: dict[str, int] = {}
    for key, name, kind, url in [("kyiv", "Kyiv Ledger", "outlet", "https://kyiv-ledger.example"),
                                 ("wire", "Continental Press Wire", "wire", None),
                                 ("ministry", "Ministry of Energy", "official", None)]:
        ids[f"source:{key}"] = db["sources"].insert({"name": name, "kind": kind, "url": url}).last_pk
    articles = {
        "kyiv": ("Partner militaries to meet on Friday", "https://kyiv-ledger.example/a/1", "2025-04-03", KYIV_TEXT),
        "wire": ("Drone strikes and a meeting", "https://wire.example/b/2", "2025-04-02", WIRE_TEXT),
        "ministry": (None, None, None, MINISTRY_TEXT),
    }
    for key, (title, url, published, text) in articles.items():
        ids[f"article:{key}"] = db["articles"].insert({
            "source_id": ids[f"source:{key}"], "title": title, "url": url, "published": published,
            "text": text, "content_hash": f"hash-{key}", "origin": "test", "ingested_at": "2025-04-04T00:00:00+00:00",
        }).last_pk
    positions: dict[str, int] = {}
    for number, (key, sentence, claimant) in enumerate(CLAIMS, 1):
        text = articles[key][3]
        start = text.index(sentence)
        positions[key] = positions.get(key, 0) + 1
        ids[f"claim:{number}"] = db["claims"].insert({
            "article_id": ids[f"article:{key}"], "source_id": ids[f"source:{key}"], "position": positions[key],
            "span_start": start, "span_end": start + len(sentence), "text": sentence, "claimant": claimant,
            "worthiness": 0.8, "features": "{}",
        }).last_pk
    return ids


def judge_corpus(db, ids: dict[str, int]) -> None:
    """Verdicts of two reviewers: claims 1-4 and 6 judged, 5 and 7 pending."""
    c = lambda n: ids[f"claim:{n}"]  # noqa: E731
    record_verdict(db, c(1), "corroborated", "alice", note="The wire reports the same Friday meeting.",
                   evidence=[{"kind": "claim", **e} for e in evidence_from_claims(db, [c(5)])]
                   + [{"kind": "url", "url": EVIDENCE_URL, "source": "example.org"}],
                   settings={"model": "all-MiniLM-L6-v2", "k": 5, "method": "hybrid"})
    record_verdict(db, c(2), "disputed", "alice", note="+1 for checking: the minutes were corrected")
    record_verdict(db, c(3), "unverified", "alice", note="<b>nobody</b> else saw the comment box",
                   evidence=[{"kind": "url", "url": "javascript:alert(1)", "source": "bad link"}])
    record_verdict(db, c(4), "disputed", "alice", note="The wire says 150 million; Zoë's figure differs.",
                   evidence=[{"kind": "claim", **e} for e in evidence_from_claims(db, [c(6)])])
    record_verdict(db, c(6), "disputed", "alice", note="The ministry says 130 million.",
                   evidence=[{"kind": "claim", **e} for e in evidence_from_claims(db, [c(4)])])
    # bob agrees on claim 1 and disagrees on claim 6 (his verdict is the latest, so it is current)
    record_verdict(db, c(1), "corroborated", "bob")
    record_verdict(db, c(6), "unverified", "bob", note="Only one other source.")


def test_spans_hold_their_claims(db):
    ids = build_corpus(db)
    for row in db.query("SELECT c.*, a.text AS article_text FROM claims c JOIN articles a ON a.id = c.article_id"):
        assert row["article_text"][row["span_start"]:row["span_end"]] == row["text"]
    assert len(ids) == 3 + 3 + len(CLAIMS)
