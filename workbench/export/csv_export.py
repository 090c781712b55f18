"""CSV for spreadsheets: one row per claim, the editor's two columns left empty for the round trip.

Written as UTF-8 with a byte-order mark (so spreadsheet programs read accents) and with every cell a
spreadsheet would run as a formula neutralised by a leading apostrophe.
"""

from __future__ import annotations

import csv
import io

from ..safe_text import neutralise
from .records import ExportData, evidence_sources, evidence_urls, other_reviews

BOM = "\ufeff"
COLUMNS = (
    "claim_id", "verdict_id", "article", "published", "source", "url", "claim", "claimant", "verdict",
    "note", "evidence_sources", "evidence_urls", "evidence_quotes", "reviewer", "decided_at", "other_reviews",
    "editor_decision", "editor_note",
)
def row_of(record: dict, article_title: str) -> dict:
    verdict = record["verdict"] or {}
    quotes = [
        f"{item.get('source') or item.get('url')}: \u201c{item['text']}\u201d" if item.get("text")
        else str(item.get("url") or item.get("source"))
        for item in verdict.get("evidence", [])
    ]
    return {
        "claim_id": record["claim"]["id"],
        "verdict_id": verdict.get("id", ""),
        "article": article_title,
        "published": record["article"]["published"] or "",
        "source": record["source"]["name"],
        "url": record["article"]["url"] or "",
        "claim": record["claim"]["text"],
        "claimant": record["claim"]["claimant"] or "",
        "verdict": record["status"],
        "note": verdict.get("note", ""),
        "evidence_sources": "; ".join(evidence_sources(record)),
        "evidence_urls": "\n".join(evidence_urls(record)),
        "evidence_quotes": "\n".join(quotes),
        "reviewer": verdict.get("reviewer", ""),
        "decided_at": verdict.get("decided_at", ""),
        "other_reviews": "\n".join(_other(review) for review in other_reviews(record)),
        "editor_decision": "",
        "editor_note": "",
    }


def _other(review: dict) -> str:
    """Another reviewer's own verdict on the claim, on one line."""
    words = f"{review['reviewer']}: {review['label'] or 'cleared'} ({review['decided_at']})"
    if review["note"]:
        words += f" \u2014 {review['note']}"
    return words


def render(data: ExportData) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for record in data.records:
        writer.writerow({k: neutralise(v) for k, v in row_of(record, data.title_of(record["article"]["id"])).items()})
    return BOM + buffer.getvalue()
