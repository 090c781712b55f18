"""A small hand-built claims.db for the desk's tests: exact spans, matches without a model."""

from __future__ import annotations

from pathlib import Path

from workbench.db import open_database

ARTICLES = [
    {
        "source": ("Kyiv Daily", "outlet"), "title": "Drone strike cuts power in Kherson",
        "published": "2025-04-02", "url": "https://kyiv.example/strike",
        "text": ("A drone strike hit an energy facility in Kherson on April 1, officials said. "
                 "The strike cut electricity to 4 districts of the city.\n\n"
                 "Repairs will take three days, the regional governor said. "
                 "Markup such as [bold]this[/bold] and [/] stays literal."),
        "claims": [
            ("A drone strike hit an energy facility in Kherson on April 1, officials said.", 0.9),
            ("The strike cut electricity to 4 districts of the city.", 0.8),
            ("Repairs will take three days, the regional governor said.", 0.5),
            ("Markup such as [bold]this[/bold] and [/] stays literal.", 0.02),  # under REVIEW_FLOOR: not review work
        ],
    },
    {
        "source": ("Wire Service", "wire"), "title": "Power cut after strike on energy site",
        "published": "2025-04-02", "url": "https://wire.example/power",
        "text": ("A drone struck an energy facility in Kherson on April 1. "
                 "Power was cut to 5 districts.\n\nOfficials blamed Russia for the attack."),
        "claims": [
            ("A drone struck an energy facility in Kherson on April 1.", 0.85),
            ("Power was cut to 5 districts.", 0.7),
            ("Officials blamed Russia for the attack.", 0.6),
        ],
    },
    {
        "source": ("VerifyDesk", "fact-check"), "title": "Claims about the Kherson strike",
        "published": "2025-04-03", "url": "https://verify.example/kherson",
        "text": "The strike on the energy facility happened in Mykolaiv on April 2.",
        "claims": [("The strike on the energy facility happened in Mykolaiv on April 2.", 0.4)],
        "rating": "False",
    },
]

# (claim index in the flat list, other claim index, rank, score)
MATCHES = [
    (0, 4, 1, 0.91), (0, 7, 2, 0.62),
    (1, 5, 1, 0.83),
    (4, 0, 1, 0.91), (5, 1, 1, 0.83), (7, 0, 1, 0.62),
    (2, 6, 1, 0.55),
]


def build(path: Path, *, matches: bool = True) -> Path:
    """Create the corpus at `path`; returns the path. Claim ids are 1..8 in the order above."""
    db = open_database(path)
    claim_ids = []
    with db.atomic():
        for article in ARTICLES:
            name, kind = article["source"]
            source_id = db["sources"].insert({"name": name, "kind": kind}).last_pk
            article_id = db["articles"].insert({
                "source_id": source_id, "title": article["title"], "url": article["url"],
                "published": article["published"], "text": article["text"],
                "content_hash": str(hash(article["text"])), "origin": "test",
                "ingested_at": "2025-04-04T00:00:00+00:00",
            }).last_pk
            for position, (claim, worthiness) in enumerate(article["claims"]):
                start = article["text"].index(claim)
                claim_ids.append(db["claims"].insert({
                    "article_id": article_id, "source_id": source_id, "position": position,
                    "span_start": start, "span_end": start + len(claim), "text": claim,
                    "worthiness": worthiness, "rating": article.get("rating"),
                    "external_id": "vd-1" if article.get("rating") else None,
                }).last_pk)
        if matches:
            for ours, theirs, rank, score in MATCHES:
                db["matches"].insert({
                    "claim_id": claim_ids[ours], "other_claim_id": claim_ids[theirs], "rank": rank,
                    "score": score, "method": "hybrid", "dense_score": score, "lexical_score": 0.5,
                    "model": "test-hashing", "matched_at": "2025-04-04T00:00:00+00:00",
                })
    db.conn.close()
    return path


# Two sources quoting one minister in two spellings, the second spelling twice; other claimants once each.
QUOTED = [
    ("Harbour Post", "Minister Anna Kovalenko said the new bridge at Dorvik would open in May with 4 lanes. "
                     "The Dorvik council said 300 homes were still without water on Friday."),
    ("Valley Wire", "Kovalenko told reporters on Monday that the Dorvik bridge would open in June. "
                    "The port authority said 12 ships were waiting outside Dorvik. "
                    "Kovalenko said the works had cost 9 million euros."),
]


def build_quoted(path: Path) -> Path:
    """QUOTED ingested as pasted text: claimants and their keys found the way the desk finds them."""
    from workbench.ingest import ingest_text  # only this corpus goes through ingest

    db = open_database(path)
    for source, text in QUOTED:
        ingest_text(db, text, source=source, title=f"{source} on the Dorvik bridge")
    db.conn.close()
    return path
