"""Regressions found in review: spans of texts with leading blank lines, --since with offsets, and a
reviewer's clear that must not hide another reviewer's verdict in any format."""

from __future__ import annotations

import csv
import io
import json

from test_export_formats import parse_html
from workbench.export import render_export
from workbench.export.records import load_export
from workbench.verdicts import clear_verdict, record_verdict

LEADING_TEXT = "\n\nThe bridge reopened on Monday. Traffic is back to normal.\n\n"
FIRST, SECOND = "The bridge reopened on Monday.", "Traffic is back to normal."


def leading_blank_corpus(db) -> dict[str, int]:
    """One article whose stored text starts (and ends) with blank lines, both claims judged."""
    source = db["sources"].insert({"name": "River Post", "kind": "outlet", "url": None}).last_pk
    article = db["articles"].insert({
        "source_id": source, "title": "Bridge", "url": None, "published": "2025-04-03", "text": LEADING_TEXT,
        "content_hash": "hash-bridge", "origin": "test", "ingested_at": "2025-04-04T00:00:00+00:00",
    }).last_pk
    ids = {"article": article}
    for position, sentence in enumerate((FIRST, SECOND), 1):
        start = LEADING_TEXT.index(sentence)
        ids[sentence] = db["claims"].insert({
            "article_id": article, "source_id": source, "position": position, "span_start": start,
            "span_end": start + len(sentence), "text": sentence, "claimant": None, "worthiness": 0.8,
            "features": "{}",
        }).last_pk
    record_verdict(db, ids[FIRST], "corroborated", "alice")
    record_verdict(db, ids[SECOND], "disputed", "alice")
    return ids


def test_html_highlights_claims_of_a_text_that_starts_with_blank_lines(db):
    leading_blank_corpus(db)
    html, _ = render_export(db, "html")
    page = parse_html(html)
    assert sorted(page.marks) == sorted([FIRST, SECOND])
    # the blank lines around the text are trimmed, the text between the claims kept
    block = html.split('<div class="text">', 1)[1].split("</div>", 1)[0]
    assert block.startswith('<mark class="v-corroborated"') and block.endswith("</mark>")


def test_markdown_highlights_claims_of_a_text_that_starts_with_blank_lines(db):
    leading_blank_corpus(db)
    text, _ = render_export(db, "markdown")
    body = text.split("### Text\n\n", 1)[1].split("\n\n### Claims", 1)[0]
    assert body.startswith(f"**{FIRST}** *\\[")
    assert f"**{SECOND}** *\\[" in body


def judged_at(db, monkeypatch, claim_id: int, label: str, reviewer: str, stamp: str):
    """A verdict decided at a given moment (verdict rows are append-only: set the clock instead)."""
    import workbench.verdicts as verdicts

    monkeypatch.setattr(verdicts, "timestamp", lambda: stamp)
    return record_verdict(db, claim_id, label, reviewer)


def test_since_compares_moments_not_strings(db, monkeypatch):
    ids = leading_blank_corpus(db)  # both judged now; re-judged below at known moments
    judged_at(db, monkeypatch, ids[FIRST], "disputed", "alice", "2025-04-05T10:00:00+00:00")
    judged_at(db, monkeypatch, ids[SECOND], "corroborated", "alice", "2025-04-05T12:00:00+00:00")

    def kept(since):
        return {r["claim"]["text"] for r in load_export(db, since=since).records}

    # 13:00 at +02:00 is 11:00 UTC: the 12:00 UTC verdict is after it, the 10:00 one before
    assert kept("2025-04-05T13:00:00+02:00") == {SECOND}
    assert kept("2025-04-05T09:30-05:00") == set()  # 14:30 UTC
    # a space instead of the T, no offset (read as UTC)
    assert kept("2025-04-05 11:00") == {SECOND}
    assert kept("2025-04-05 09:59:59") == {FIRST, SECOND}
    assert kept("2025-04-05T12:00:00Z") == {SECOND}  # on or after
    assert kept("2025-04-05") == {FIRST, SECOND}
    assert kept("2025-04-06") == set()
    assert load_export(db, since=" 2025-04-05 11:00 ").filters["since"] == "2025-04-05 11:00"


def test_a_cleared_second_opinion_leaves_the_earlier_verdict_current_in_every_format(db):
    """alice corroborates, bob disputes, bob clears: every format says corroborated by alice, and shows
    bob's cleared review; on the other claim bob's later dispute is current and alice's kept."""
    ids = leading_blank_corpus(db)  # alice: FIRST corroborated, SECOND disputed
    first, second = ids[FIRST], ids[SECOND]
    record_verdict(db, first, "disputed", "bob", note="bob thinks otherwise")
    clear_verdict(db, first, "bob")
    record_verdict(db, second, "corroborated", "bob", note="bob found a second source")

    records = {r["claim"]["id"]: r for r in load_export(db).records}
    assert (records[first]["status"], records[first]["verdict"]["reviewer"]) == ("corroborated", "alice")
    assert (records[second]["status"], records[second]["verdict"]["reviewer"]) == ("corroborated", "bob")

    jsonl = {json.loads(line)["claim"]["id"]: json.loads(line) for line in render_export(db, "jsonl")[0].splitlines()}
    assert jsonl[first]["verdict"]["label"] == "corroborated" and jsonl[first]["verdict"]["reviewer"] == "alice"
    assert {(r["reviewer"], r["label"]) for r in jsonl[first]["reviews"]} == {("alice", "corroborated"), ("bob", None)}

    rows = {int(r["claim_id"]): r for r in csv.DictReader(io.StringIO(render_export(db, "csv")[0][1:], newline=""))}
    assert (rows[first]["verdict"], rows[first]["reviewer"]) == ("corroborated", "alice")
    assert rows[first]["other_reviews"].startswith("bob: cleared (")
    assert (rows[second]["verdict"], rows[second]["reviewer"]) == ("corroborated", "bob")
    assert rows[second]["other_reviews"].startswith("alice: disputed (")

    reviews = {r["url"].rsplit("-", 1)[1]: r for r in json.loads(
        render_export(db, "claimreview", publisher="P", publisher_url="https://p.example")[0])}
    assert reviews[str(first)]["reviewRating"]["alternateName"] == "Corroborated"

    page = "".join(parse_html(render_export(db, "html")[0]).text)
    card_first = page.split(f"Claim {first}", 1)[1].split(f"Claim {second}", 1)[0]
    assert "Corroborated" in card_first and "alice" in card_first.split("Also judged", 1)[0]
    assert "Also judged by bob" in card_first and "cleared it" in card_first
    card_second = page.split(f"Claim {second}", 1)[1]
    assert "Also judged by alice" in card_second and "Disputed" in card_second

    markdown = render_export(db, "markdown")[0]
    card_first = markdown.split(f"Claim {first}:", 1)[1].split(f"Claim {second}:", 1)[0]
    assert "**Verdict:** corroborated, by alice" in card_first
    assert "**Also judged by bob**" in card_first and "cleared (withdrew their verdict)" in card_first
    card_second = markdown.split(f"Claim {second}:", 1)[1]
    assert "**Verdict:** corroborated, by bob" in card_second and "**Also judged by alice**" in card_second
