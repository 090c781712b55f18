"""The demo corpus splits into the claims a fact-checker expects, and loads whole into claims.db.

tests/fixtures/demo-expected-claims.json holds, per demo article (A1..A12, in file order), each
expected claim: its exact text, claimant (or null) and worthiness "high" (>= threshold) or "low".
Where the splitter still disagrees with the fact-checker, the entry keeps the fact-checker's value,
adds what the splitter gives today under "splitter" and says why. Those known gaps are pinned too,
so closing one fails here on purpose: then move the fact-checker's value into place and drop the note.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench import demo
from workbench.db import open_database
from workbench.ingest import load_demo
from workbench.splitting import split_claims

FIXTURE = json.loads(
    (Path(__file__).parent / "fixtures" / "demo-expected-claims.json").read_text(encoding="utf-8")
)
THRESHOLD = FIXTURE["threshold"]
ARTICLES = [json.loads(line) for line in demo.article_file().read_text(encoding="utf-8").splitlines() if line.strip()]
EXPECTED = {a["id"]: a for a in FIXTURE["articles"]}
IDS = [f"A{n}" for n in range(1, len(ARTICLES) + 1)]
FACTCHECK_ROWS = sum(1 for line in demo.claims_file().read_text(encoding="utf-8").splitlines()[1:] if line.strip())


def level(score: float) -> str:
    return "high" if score >= THRESHOLD else "low"


def splitter_view(expected: dict) -> dict:
    """What the splitter should produce today: the fact-checker's values, except known gaps."""
    return {"claimant": expected["claimant"], "worthiness": expected["worthiness"], **expected.get("splitter", {})}


def test_fixture_covers_every_demo_article_in_order():
    assert len(ARTICLES) == 12
    assert [a["id"] for a in FIXTURE["articles"]] == IDS
    for article_id, article in zip(IDS, ARTICLES):
        assert EXPECTED[article_id]["source"] == article["source"]
        assert EXPECTED[article_id]["title"] == article["title"]
        assert EXPECTED[article_id]["claims"], article_id


def test_known_gaps_are_explained():
    for article in FIXTURE["articles"]:
        for claim in article["claims"]:
            if "splitter" in claim:
                assert claim["why"], claim["text"]
                for field, value in claim["splitter"].items():
                    assert field in {"claimant", "worthiness"}
                    assert value != claim[field], f"{claim['text']!r}: gap on {field} is closed; update the fixture"


@pytest.mark.parametrize("article_id", IDS)
def test_demo_article_splits_as_expected(article_id):
    text = ARTICLES[IDS.index(article_id)]["text"]
    expected = EXPECTED[article_id]["claims"]
    claims = split_claims(text)

    assert [c.text for c in claims] == [e["text"] for e in expected]
    previous_end = 0
    for claim, want in zip(claims, expected):
        assert text[claim.start:claim.end] == claim.text == want["text"]
        assert claim.start >= previous_end
        previous_end = claim.end
        now = splitter_view(want)
        assert claim.claimant == now["claimant"], (claim.text, claim.claimant)
        assert level(claim.worthiness) == now["worthiness"], (claim.text, claim.worthiness, claim.features)


def test_headlines_and_publication_notes_are_not_claims():
    for article_id, article in zip(IDS, ARTICLES):
        texts = [c["text"] for c in EXPECTED[article_id]["claims"]]
        assert article["title"] not in texts
    frontline = " ".join(c["text"] for c in EXPECTED["A7"]["claims"])
    assert "This digest is compiled" not in frontline
    assert "We correct mistakes" not in frontline


def test_disputed_facts_are_check_worthy():
    """The conflicting numbers, dates and places of the demo README are all high-worthiness claims."""
    disputed = {
        "A2": "injured four people", "A5": "Five people were injured",
        "A4": "130 million euros", "A6": "150 million euros",
        "A1": "Friday, April 4", "A8": "restored in the affected districts by April 3",
        "A7": "Mykolaiv",
    }
    for article_id, phrase in disputed.items():
        (claim,) = [c for c in EXPECTED[article_id]["claims"] if phrase in c["text"]]
        assert claim["worthiness"] == "high" and "splitter" not in claim, claim["text"]
    thursday = [c for c in EXPECTED["A5"]["claims"] if "Thursday, April 3" in c["text"]]
    assert thursday and thursday[0]["worthiness"] == "high"


def test_load_demo_into_database(tmp_path):
    db = open_database(tmp_path / "claims.db")
    results = load_demo(db)

    article_claims = sum(len(a["claims"]) for a in FIXTURE["articles"])
    sources = {a["source"] for a in ARTICLES} | {"VerifyDesk"}
    # Each earlier fact-check is stored as its own one-claim article.
    assert db["articles"].count == len(ARTICLES) + FACTCHECK_ROWS == 21
    assert db["claims"].count == article_claims + FACTCHECK_ROWS
    assert db["sources"].count == len(sources) == 10
    assert sum(len(r.claim_ids) for r in results) == db["claims"].count

    kinds = {row["name"]: row["kind"] for row in db["sources"].rows}
    assert {"outlet", "official", "wire", "fact-check"} <= set(kinds.values())
    assert kinds["VerifyDesk"] == "fact-check"
    assert kinds["Continental Press Wire"] == "wire"
    assert kinds["Ukrainian Ministry of Energy"] == "official"

    stored = [
        row["text"]
        for row in db.query(
            "SELECT claims.text FROM claims JOIN articles ON articles.id = claims.article_id"
            " WHERE articles.title IS NOT NULL ORDER BY claims.article_id, claims.position"
        )
    ]
    assert stored == [c["text"] for a in FIXTURE["articles"] for c in a["claims"]]
    for row in db.query(
        "SELECT claims.text, claims.span_start, claims.span_end, articles.text AS article"
        " FROM claims JOIN articles ON articles.id = claims.article_id"
    ):
        assert row["article"][row["span_start"]:row["span_end"]] == row["text"]

    again = load_demo(db)  # the same corpus twice changes nothing
    assert sum(len(r.claim_ids) for r in again) == 0
    assert db["claims"].count == article_claims + FACTCHECK_ROWS
