"""Each export format read back with a real parser and compared with claims.db."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import pytest

from test_export_corpus import EVIDENCE_URL, build_corpus, judge_corpus
from workbench.errors import WorkbenchError
from workbench.export import render_export, write_export
from workbench.vocab import EXPORT_FORMATS
from workbench.export.common import id_ranges
from workbench.export.claimreview import (
    BEST_RATING, MAX_CLAIM_REVIEWED, WORST_RATING, claimant_type, preflight, short_form,
)
from workbench.verdicts import current_verdicts


@pytest.fixture
def judged(db):
    ids = build_corpus(db)
    judge_corpus(db, ids)
    return db, ids


def db_claims(db) -> dict[int, dict]:
    return {r["id"]: r for r in db.query(
        """SELECT c.*, a.title, a.url, s.name AS source FROM claims c JOIN articles a ON a.id = c.article_id
           JOIN sources s ON s.id = c.source_id""")}


def read_csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff"), "UTF-8 with a BOM, so spreadsheets read the accents"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def unneutralise(value: str) -> str:
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r") else value


# --- CSV -----------------------------------------------------------------------------------------

def test_csv_holds_decided_claims_unless_pending_ones_are_asked_for(judged):
    db, ids = judged
    text, count = render_export(db, "csv")
    assert count == 5 and {int(r["claim_id"]) for r in read_csv(text)} == set(current_verdicts(db))
    assert {r["verdict"] for r in read_csv(render_export(db, "csv", verdict="pending")[0])} == {"pending"}


def test_csv_has_one_row_per_claim_matching_the_database(judged):
    db, ids = judged
    text, count = render_export(db, "csv", include_pending=True)
    rows = read_csv(text)
    claims = db_claims(db)
    current = current_verdicts(db)
    assert count == len(rows) == len(claims)
    for row in rows:
        claim = claims[int(row["claim_id"])]
        assert unneutralise(row["claim"]) == claim["text"]
        assert row["source"] == claim["source"]
        assert row["url"] == (claim["url"] or "")
        assert row["claimant"] == (claim["claimant"] or "")
        verdict = current.get(claim["id"])
        assert row["verdict"] == (verdict.label if verdict else "pending")
        assert row["verdict_id"] == (str(verdict.id) if verdict else "")
        assert row["reviewer"] == (verdict.reviewer if verdict else "")
        assert unneutralise(row["note"]) == (verdict.note if verdict else "")
        assert row["editor_decision"] == row["editor_note"] == ""
    first = next(r for r in rows if r["claim_id"] == str(ids["claim:1"]))
    # claim 1's current verdict is bob's; alice's own verdict and note stay visible
    assert first["reviewer"] == "bob"
    assert first["other_reviews"].startswith("alice: corroborated (")
    assert first["other_reviews"].endswith("The wire reports the same Friday meeting.")


def test_csv_evidence_columns(judged):
    db, ids = judged
    rows = {int(r["claim_id"]): r for r in read_csv(render_export(db, "csv")[0])}
    fourth = rows[ids["claim:4"]]
    assert fourth["evidence_sources"] == "Continental Press Wire"
    assert fourth["evidence_urls"] == "https://wire.example/b/2"
    assert "Germany pledged 150 million euros." in fourth["evidence_quotes"]


def test_csv_neutralises_formulas(judged):
    db, ids = judged
    rows = {int(r["claim_id"]): r for r in read_csv(render_export(db, "csv", include_pending=True)[0])}
    assert rows[ids["claim:2"]]["claim"] == "'=SUM(A1:A9) was typed into the published minutes by mistake."
    assert rows[ids["claim:2"]]["note"].startswith("'+1 for checking")
    assert rows[ids["claim:7"]]["claim"].startswith("'-5 degrees")
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_csv_keeps_accents_as_utf8_with_bom(judged, tmp_path):
    db, ids = judged
    out = tmp_path / "verdicts.csv"
    write_export(db, "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Zoë Müller".encode("utf-8") in raw


# --- JSONL ---------------------------------------------------------------------------------------

def test_jsonl_records_are_complete_and_match_the_database(judged):
    db, ids = judged
    text, count = render_export(db, "jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    claims = db_claims(db)
    current = current_verdicts(db)
    assert count == len(records) == len(claims)
    for record in records:
        assert record["schema"] == "workbench.verdict/1"
        claim = claims[record["claim"]["id"]]
        assert record["claim"]["text"] == claim["text"]
        assert (record["claim"]["span_start"], record["claim"]["span_end"]) == (claim["span_start"], claim["span_end"])
        assert record["source"]["name"] == claim["source"]
        assert record["article"]["url"] == claim["url"]
        verdict = current.get(claim["id"])
        if verdict is None:
            assert record["status"] == "pending" and record["verdict"] is None
        else:
            assert record["verdict"]["id"] == verdict.id
            assert record["verdict"]["label"] == verdict.label == record["status"]
            assert record["verdict"]["note"] == verdict.note
            assert len(record["verdict"]["evidence"]) == len(verdict.evidence)
        assert len(record["history"]) == db.execute(
            "SELECT COUNT(*) FROM verdicts WHERE claim_id = ?", [claim["id"]]).fetchone()[0]
    by_id = {r["claim"]["id"]: r for r in records}
    first = by_id[ids["claim:1"]]
    assert [r["reviewer"] for r in first["reviews"]] == ["alice", "bob"]
    alice = first["reviews"][0]
    assert [e["kind"] for e in alice["evidence"]] == ["claim", "url"]
    assert alice["evidence"][0]["source"] == "Continental Press Wire"
    assert alice["evidence"][1]["url"] == EVIDENCE_URL
    settings = by_id[ids["claim:1"]]["history"]
    assert settings[0]["reviewer"] == "alice"


# --- HTML ----------------------------------------------------------------------------------------

class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.stack: list[str] = []
        self.marks: list[str] = []  # the text inside each <mark>, without its <sup> number
        self._mark: list[str] | None = None
        self._in_sup = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "mark" and "v-" in dict(attrs).get("class", "") and dict(attrs).get("title"):
            self._mark = []
        if tag == "sup":
            self._in_sup += 1

    def handle_endtag(self, tag):
        if tag == "sup":
            self._in_sup -= 1
        if tag == "mark" and self._mark is not None:
            self.marks.append("".join(self._mark))
            self._mark = None

    def handle_data(self, data):
        self.text.append(data)
        if self._mark is not None and not self._in_sup:
            self._mark.append(data)


def parse_html(text: str) -> Collector:
    parser = Collector()
    parser.feed(text)
    parser.close()
    return parser


def test_html_is_self_contained_and_runs_nothing(judged):
    db, ids = judged
    html, _ = render_export(db, "html")
    page = parse_html(html)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "iframe" not in names and "img" not in names
    assert not [t for t, a in page.tags if t == "link"], "no external stylesheet"
    for tag, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs), f"event handler on <{tag}>"
        assert "src" not in attrs
        if "href" in attrs:
            assert attrs["href"].startswith(("#", "http://", "https://")), attrs["href"]
    text = "".join(page.text)
    # the article's <script> and the note's <b> are shown as text
    assert "<script>alert('pwned')</script>" in text
    assert "<b>nobody</b> else saw the comment box" in text
    assert "javascript:alert(1)" in text  # shown, never linked
    assert "@media print" in text  # the inline stylesheet
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]


def test_html_highlights_exact_spans_and_lists_every_verdict(judged):
    db, ids = judged
    html, count = render_export(db, "html")
    page = parse_html(html)
    claims = db_claims(db)
    assert count == len(claims)
    # every claim of the judged articles is highlighted with its own text
    judged_articles = {claims[c]["article_id"] for c in current_verdicts(db)}
    expected = sorted(c["text"] for c in claims.values() if c["article_id"] in judged_articles)
    assert sorted(page.marks) == expected
    card_ids = {a["id"] for t, a in page.tags if t == "div" and a.get("id", "").startswith("claim-")}
    assert card_ids == {f"claim-{c}" for c in current_verdicts(db)}
    text = "".join(page.text)
    for verdict in current_verdicts(db).values():
        assert verdict.note in text
    assert "Also judged by alice" in text  # claim 6: bob's unverified is current, alice's disputed kept
    assert "The ministry says 130 million." in text
    assert text.index("Summary") < text.index("Article text")


def test_html_summary_counts(judged):
    db, ids = judged
    page = parse_html(render_export(db, "html")[0])
    text = "".join(page.text)
    assert "7 claims from 3 articles" in text
    # The per-article columns are headed by the badges' signs; each keeps its word for a hover and a
    # screen reader (the page's text, though hidden from view).
    counts = [a for t, a in page.tags if t == "th" and "count" in a.get("class", "")]
    assert [a["title"] for a in counts] == ["Corroborated", "Disputed", "Unverified", "Pending", "Evidence",
                                            "Not for review"]
    html = render_export(db, "html")[0]
    assert '✔<span class="sr"> Corroborated</span></th>' in html
    assert '<span class="sr"> Not for review</span>' in html


# --- Markdown ------------------------------------------------------------------------------------

def test_markdown_report(judged):
    db, ids = judged
    text, count = render_export(db, "markdown")
    assert count == 7
    assert text.index("## Summary") < text.index("## 1. ")
    assert "| ✖ Disputed | 2 |" in text
    # nothing the articles say becomes markup
    assert "\\<script\\>alert('pwned')\\</script\\>" in text
    assert "<script>" not in text
    assert "\\<b\\>nobody\\</b\\>" in text
    for n in (1, 2, 3, 4, 6):
        assert f"Claim {ids[f'claim:{n}']}:" in text
    assert "**Zoë Müller said Germany pledged 130 million euros" in text
    assert "> “Germany pledged 150 million euros.”" in text
    assert "Continental Press Wire (wire)" in text


# --- ClaimReview ---------------------------------------------------------------------------------

def test_claimreview_structure(judged):
    db, ids = judged
    text, count = render_export(db, "claimreview", publisher="Example Checks",
                                publisher_url="https://checks.example/")
    reviews = json.loads(text)
    claims = db_claims(db)
    current = current_verdicts(db)
    assert count == len(reviews) == len(current)
    for review in reviews:
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        claim_id = int(review["url"].rsplit("-", 1)[1])
        claim, verdict = claims[claim_id], current[claim_id]
        assert review["url"] == f"https://checks.example/#claim-{claim_id}"
        assert review["claimReviewed"] == claim["text"]
        assert review["author"] == {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example/"}
        assert review["datePublished"] == verdict.decided_at[:10]
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["worstRating"] == WORST_RATING <= rating["ratingValue"] <= rating["bestRating"] == BEST_RATING
        assert rating["alternateName"].lower() == verdict.label
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        if claim["claimant"]:
            assert item["author"]["name"] == claim["claimant"]
            assert item["author"]["@type"] in ("Person", "Organization")
        else:
            assert "author" not in item
        if claim["url"]:
            assert item["appearance"]["url"] == claim["url"]
    by_claim = {int(r["url"].rsplit("-", 1)[1]): r for r in reviews}
    assert by_claim[ids["claim:4"]]["itemReviewed"]["author"] == {"@type": "Person", "name": "Zoë Müller"}
    assert by_claim[ids["claim:1"]]["itemReviewed"]["author"]["@type"] == "Organization"  # "Officials"
    assert by_claim[ids["claim:1"]]["reviewRating"]["ratingValue"] == 3
    assert by_claim[ids["claim:2"]]["reviewRating"]["ratingValue"] == 1
    assert by_claim[ids["claim:6"]]["reviewRating"]["ratingValue"] == 2


def test_claimreview_preflight_says_each_problem_once(judged):
    db, ids = judged
    warnings: list[str] = []
    text, _ = render_export(db, "claimreview", warn=warnings.append)
    decided = sorted(current_verdicts(db))
    # no publisher and no url at all: one line each for every review, not a line per review
    assert ("no publishing organisation (set --publisher or WORKBENCH_PUBLISHER): 5 of 5 reviews "
            f"(claims {id_ranges(decided)})") in warnings
    assert sum("no url for the review" in line for line in warnings) == 1
    # three claims without a claimant share one line
    assert f"no claimant (itemReviewed.author): 3 of 5 reviews (claims {id_ranges([ids[f'claim:{n}'] for n in (2, 3, 6)])})" in warnings
    assert not any(line.startswith("claim ") for line in warnings)
    assert [line for line in warnings if "Google shows" in line] == [
        "advice: 1 of 5 claims are longer than the 75 characters Google shows (the reviews stay valid); "
        "suggested short forms, cut at a word:"]
    review = json.loads(text)[0]
    review["reviewRating"]["ratingValue"] = 7
    assert any("outside the scale 1..3" in p for p in preflight(review))
    warnings.clear()
    render_export(db, "claimreview", warn=warnings.append, publisher="X", review_url="https://x.example/r/{claim_id}")
    assert all("no url" not in line for line in warnings)


def test_claimreview_length_is_advice_with_a_short_form(judged):
    db, ids = judged
    warnings: list[str] = []
    text, _ = render_export(db, "claimreview", publisher="X", review_url="https://x.example/r/{claim_id}",
                            warn=warnings.append)
    reviews = json.loads(text)
    long = next(r for r in reviews if r["claimReviewed"].startswith("Zoë"))
    assert len(long["claimReviewed"]) == 160  # the review keeps the whole claim
    assert warnings[-2:] == [
        "advice: 1 of 5 claims are longer than the 75 characters Google shows (the reviews stay valid); "
        "suggested short forms, cut at a word:",
        f"  claim {ids['claim:4']} (160 characters): 'Zoë Müller said Germany pledged 130 million euros, a sum "
        "the finance\u2026'",
    ]


@pytest.mark.parametrize("text, short", [
    ("Short enough.", "Short enough."),
    ("word " * 20, "word word word word word word word word word word word word word word word\u2026"),
    ("a" * 80 + " end", "a" * 74 + "\u2026"),  # one word longer than the limit: nothing else to cut at
    ("The council met on Friday, April 4, to approve the new budget of the city, and then adjourned.",
     "The council met on Friday, April 4, to approve the new budget of the city\u2026"),
])
def test_short_form_cuts_at_a_word(text, short):
    assert short_form(text) == short and len(short) <= MAX_CLAIM_REVIEWED


@pytest.mark.parametrize("claimant, expected", [
    ("Russia", "Organization"), ("France and Britain", "Organization"), ("the Kremlin", "Organization"),
    ("Ukraine's Ministry of Energy", "Organization"), ("regional authorities", "Organization"),
    ("Kyiv Ledger", "Organization"),  # the export's own source
    ("NATO", "Organization"), ("Annalena Baerbock", "Person"), ("the minister", "Person"),
    ("Zelenskyy", "Person"),  # a lone surname of a full name the export knows
    ("Okonkwo", None), ("witnesses", None),  # the words do not say: no type rather than a wrong one
])
def test_claimant_types(claimant, expected):
    assert claimant_type(claimant, {"Kyiv Ledger"}, people={"Volodymyr Zelenskyy"}) == expected


# --- filters and writing -------------------------------------------------------------------------

def test_filters(judged):
    db, ids = judged
    def claim_ids(**filters):
        text, _ = render_export(db, "jsonl", **filters)
        return {json.loads(line)["claim"]["id"] for line in text.splitlines()}
    c = lambda *ns: {ids[f"claim:{n}"] for n in ns}  # noqa: E731
    assert claim_ids(article_id=ids["article:wire"]) == c(5, 6)
    assert claim_ids(source="kyiv ledger") == c(1, 2, 3, 4)
    assert claim_ids(verdict="disputed") == c(2, 4)
    assert claim_ids(verdict=["pending", "unverified"]) == c(3, 5, 6, 7)
    assert claim_ids(since="2000-01-01") == c(1, 2, 3, 4, 6)
    assert claim_ids(since="2999-01-01") == set()
    for bad in ({"article_id": 999}, {"source": "Nobody"}, {"verdict": "true"}, {"since": "last week"}):
        with pytest.raises(WorkbenchError):
            render_export(db, "jsonl", **bad)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_writes_a_file_and_stdout_alike(judged, tmp_path, capsys, fmt):
    db, _ = judged
    out = tmp_path / f"export.{fmt}"
    write_export(db, fmt, out, publisher="Example Checks")
    write_export(db, fmt, None, publisher="Example Checks")
    printed = capsys.readouterr().out
    written = out.read_bytes().decode("utf-8")
    if fmt in ("markdown", "html"):  # they carry the time they were made
        written, printed = (t.split("\n", 8)[-1] for t in (written, printed))
    assert written == printed


def test_empty_database_exports_cleanly(db):
    for fmt in EXPORT_FORMATS:
        text, count = render_export(db, fmt)
        assert count == 0
    assert json.loads(render_export(db, "claimreview")[0]) == []
    assert "0 claims from 0 articles" in render_export(db, "html")[0]
