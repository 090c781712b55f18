"""Property-based tests (issue 9, build 9): whatever text comes in, splitting keeps spans exact, and
ingest -> verdict -> every export neither crashes nor emits live markup.

The ingest path is the real one (a file on disk, reading.py, ingest_article into a real SQLite file);
matching uses the hashing embedder because what is tested here is the text, not the ranking.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fakes import HashingEmbedder
from workbench.db import open_database
from workbench.errors import InputError
from workbench.evidence import evidence_from_claims
from workbench.export import render_export
from workbench.safe_text import FORMULA_STARTS
from workbench.ingest import ingest_article
from workbench.matching import match_claims
from workbench.reading import read_articles
from workbench.splitting import split_claims
from workbench.verdicts import record_verdict
from workbench.vocab import EXPORT_FORMATS, VERDICT_LABELS

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Arbitrary unicode (controls included, surrogates excluded: text files cannot hold them) mixed
# with sentence-like pieces, so that splitting has real sentences to cut as well as noise.
NOISE = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
HOSTILE = st.sampled_from([
    "</script><script>alert(1)</script>", "\x1b]52;c;Y3VybA==\x07", "[link=https://evil.example]x[/link]",
    "=HYPERLINK(\"http://evil.example\")", "+1", "-2", "@SUM(A1)", "'=1+2", "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))", "&amp;<!--", "\x00", "\u2028", "Mr. ", "\"quoted\" said the minister.",
])
SENTENCE = st.builds(lambda who, n, rest: f"{who} said {n} people{rest}.",
                     st.sampled_from(["The mayor", "Police", "The ministry", "Dr. Smith"]),
                     st.integers(0, 10_000), NOISE)
TEXT = st.lists(st.one_of(SENTENCE, NOISE, HOSTILE), min_size=1, max_size=8).map(" ".join)
URL = st.one_of(st.none(), st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9?=&]{0,10}", fullmatch=True))


@FAST
@given(TEXT)
def test_split_spans_are_exact_in_order_and_never_overlap(text):
    spans = split_claims(text)
    previous_end = 0
    for span in spans:
        assert text[span.start:span.end] == span.text
        assert previous_end <= span.start < span.end <= len(text)
        assert 0.0 <= span.worthiness <= 1.0
        previous_end = span.end


@FAST
@given(st.text(max_size=400))
def test_split_never_crashes_on_arbitrary_text(text):
    for span in split_claims(text):
        assert text[span.start:span.end] == span.text


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(fmt: str, text: str) -> None:
    """The export parses with the reader its format has, and holds nothing that would run."""
    if fmt == "csv":
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text[1:], newline="")))
        assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    elif fmt == "jsonl":
        for line in filter(None, text.split("\n")):  # JSON Lines are split on \n only
            json.loads(line)
    elif fmt == "claimreview":
        json.loads(text)
        assert not re.search("[<>&\x00-\x1f\x7f-\x9f]", text.replace("\n", ""))  # safe in <script>, and to cat
    elif fmt == "html":
        parser = Tags()
        parser.feed(text)
        parser.close()
        for tag, attrs in parser.tags:
            assert tag != "script" and tag not in ("iframe", "object", "embed", "img")
            assert not any(name.startswith("on") for name in attrs), (tag, attrs)
            href = attrs.get("href")
            assert href is None or href.startswith(("#", "http://", "https://")), href
    else:  # markdown: every < and link target is escaped or http(s); no terminal escapes
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
        assert not re.search(r"(?<!\\)<(script|img|iframe)", text, re.IGNORECASE)
        for target in re.findall(r"(?<!\\)\]\(<?([^)>]*)", text):
            assert target.startswith(("http://", "https://", "#")), target


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(st.tuples(TEXT, NOISE, NOISE, URL), min_size=1, max_size=3),
       note=st.one_of(NOISE, HOSTILE), label=st.sampled_from(sorted(VERDICT_LABELS)),
       evidence_url=st.one_of(URL, st.just("javascript:alert(1)")))
def test_ingest_verdict_and_every_export_stay_inert(articles, note, label, evidence_url):
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "feed.jsonl"
        feed.write_text("\n".join(json.dumps({"text": text, "title": title, "source": source or "Wire", "url": url})
                                  for text, title, source, url in articles) + "\n", encoding="utf-8")
        db = open_database(Path(folder) / "claims.db")
        try:
            try:
                read = read_articles(str(feed))
            except InputError:
                return  # refused as a whole (a line with no text left, say): nothing to export
            claim_ids = []
            for article in read:
                try:
                    result = ingest_article(db, article)
                except InputError:
                    continue  # a blank source name after tidying
                claim_ids += result.claim_ids
                for start, end, text, stored in db.execute(
                        "SELECT span_start, span_end, c.text, a.text FROM claims c JOIN articles a "
                        "ON a.id = c.article_id WHERE a.id = ?", [result.article_id]):
                    assert stored[start:end] == text
                    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", stored)
            if claim_ids:
                match_claims(db, HashingEmbedder(), claim_ids)
                evidence = evidence_from_claims(db, claim_ids[-1:])
                if evidence_url:
                    evidence.append({"kind": "url", "url": evidence_url, "source": "somewhere"})
                # A note is typed, not read from a file: it keeps its control characters.
                record_verdict(db, claim_ids[0], label, "alice", note=note + "\x1b]52;c;QQ==\x07\x9b",
                               evidence=evidence)
            for fmt in EXPORT_FORMATS:
                text, _ = render_export(db, fmt, publisher="Checks", publisher_url="https://checks.example")
                assert_inert(fmt, text)
        finally:
            db.close()
