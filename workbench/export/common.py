"""Words and small helpers the Markdown and HTML reports share."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from ..vocab import EVIDENCE, NOT_FOR_REVIEW, PENDING
from .records import ExportData

LABEL_TITLES = {
    "corroborated": "Corroborated", "disputed": "Disputed", "unverified": "Unverified", PENDING: "Pending",
    EVIDENCE: "Evidence", NOT_FOR_REVIEW: "Not for review",
}
# A sign per verdict so the reports read without colour (printed in black and white, say).
LABEL_SIGNS = {"corroborated": "\u2714", "disputed": "\u2716", "unverified": "?", PENDING: "\u2026",
               EVIDENCE: "\u2261", NOT_FOR_REVIEW: "\u2013"}
# What the three undecided statuses mean, for a reader without a glossary (vocab.py and
# verdicts.FOR_REVIEW_SQL define them).
STATUS_MEANINGS = {
    PENDING: "waiting for a reviewer's verdict",
    EVIDENCE: "imported from a fact-check or statement file: evidence for other claims, not review work",
    NOT_FOR_REVIEW: "stored but not queued for review: sentences with nothing to check (forecasts, opinions)",
}
# How each matching method finds related claims, in plain words.
METHOD_WORDS = {
    "hybrid": "by meaning and by shared words, closer dates ranked higher",
    "dense": "by meaning",
    "lexical": "by shared words",
}
WEIGHT_WORDS = {"dense": "meaning", "lexical": "shared words", "time": "distance in time"}


def css_class(status: str) -> str:
    """A status as one CSS class name: "not for review" -> "v-not-for-review"."""
    return "v-" + status.replace(" ", "-")


def article_meta(article: dict, escape: Callable[[str], str], link: Callable[[str, str], str]) -> list[str]:
    """What a report says under an article's title: source (kind), date, link, id, in the report's markup."""
    meta = [f"{escape(article['source'])} ({escape(article['source_kind'])})"]
    if article["published"]:
        meta.append(f"published {escape(article['published'])}")
    if article["url"]:
        meta.append(link(article["url"], article["url"]))
    meta.append(f"article {article['id']}")
    return meta


def generated_at() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def filter_words(data: ExportData) -> str:
    names = {"article": "article", "source": "source", "verdict": "verdict", "since": "decided since"}
    parts = []
    for key, value in data.filters.items():
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        parts.append(f"{names.get(key, key)} {shown}")
    return "; ".join(parts)


def short_time(value: str | None) -> str:
    """2026-11-25T13:49:13+00:00 -> 2026-11-25 13:49 UTC (as stored when it does not parse)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M")


def settings_words(settings: dict, weights: bool = False) -> str:
    """The matching settings a verdict was made with, in plain words for an editor: "Matches found by
    meaning and by shared words, closer dates ranked higher, with the all-MiniLM-L6-v2 language model,
    up to 5 per claim". The exact figures stay in JSONL; weights=True adds the fusion weights (when
    two groups differ only there)."""
    method = settings.get("method")
    words = f"Matches found {METHOD_WORDS.get(method, f'by the {method} method')}" if method else "Matches found"
    if settings.get("model"):
        words += f", with the {settings['model']} language model"
    if settings.get("reranker"):
        words += f", re-ordered by {settings['reranker']}"
    if settings.get("k"):
        words += f", up to {settings['k']} per claim"
    if weights and isinstance(settings.get("fusion"), dict):
        words += " (weights: " + ", ".join(
            f"{WEIGHT_WORDS.get(k, k)} {v}" for k, v in settings["fusion"].items()) + ")"
    if settings.get("matched") is False:
        words += "; the claim had not been matched yet when it was decided"
    return words


def id_ranges(ids: list[int]) -> str:
    """[1, 2, 3, 5, 7, 8] -> "1\u20133, 5, 7\u20138"."""
    parts: list[str] = []
    ordered = sorted(set(ids))
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or ordered[index] != ordered[index - 1] + 1:
            first, last = ordered[start], ordered[index - 1]
            parts.append(str(first) if first == last else f"{first}\u2013{last}")
            start = index
    return ", ".join(parts)


@dataclass(frozen=True)
class SettingsNote:
    number: int
    words: str
    claim_ids: list[int]

    def applies_to(self) -> str:
        return f"claim {self.claim_ids[0]}" if len(self.claim_ids) == 1 else f"claims {id_ranges(self.claim_ids)}"


def settings_notes(records: list[dict]) -> tuple[list[SettingsNote], dict[int, int]]:
    """The matching settings of the report's verdicts said once: one note per set of settings, the
    most used first, and which claims need a marker (those whose settings are not note 1's)."""
    groups: dict[str, list[tuple[dict, int]]] = {}
    for record in records:
        settings = (record["verdict"] or {}).get("settings")
        if settings:
            groups.setdefault(json.dumps(settings, sort_keys=True), []).append((settings, record["claim"]["id"]))
    ordered = sorted(groups.values(), key=len, reverse=True)
    plain = [settings_words(group[0][0]) for group in ordered]
    notes = [SettingsNote(number, settings_words(group[0][0], weights=plain.count(words) > 1),
                          [claim_id for _, claim_id in group])
             for number, (group, words) in enumerate(zip(ordered, plain), 1)]
    markers = {claim_id: note.number for note in notes[1:] for claim_id in note.claim_ids}
    return notes, markers


def editor_words(editor: dict | None) -> str:
    if not editor:
        return ""
    verb = "approved" if editor["decision"] == "approve" else "returned to the reviewer"
    who = f" by {editor['editor']}" if editor.get("editor") else ""
    stale = "" if editor.get("current") else " (about another verdict)"
    return f"{verb}{who}, {short_time(editor['decided_at'])}{stale}"
