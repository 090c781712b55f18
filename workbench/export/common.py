"""Words and small helpers the Markdown and HTML reports share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from .records import ExportData

LABEL_TITLES = {
    "corroborated": "Corroborated", "disputed": "Disputed", "unverified": "Unverified", "pending": "Pending",
}
# A sign per verdict so the reports read without colour (printed in black and white, say).
LABEL_SIGNS = {"corroborated": "\u2714", "disputed": "\u2716", "unverified": "?", "pending": "\u2026"}


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


def settings_words(settings: dict) -> str:
    """The model and matching settings in force, as one line: "k 5, method hybrid, model ..."."""
    parts = []
    for key, value in settings.items():
        if value is None or value == "":
            continue
        if isinstance(value, dict):
            inner = ", ".join(f"{k} {v}" for k, v in value.items())
            parts.append(f"{key} ({inner})")
        else:
            parts.append(f"{key} {value}")
    return ", ".join(parts)


def editor_words(editor: dict | None) -> str:
    if not editor:
        return ""
    verb = "approved" if editor["decision"] == "approve" else "returned to the reviewer"
    who = f" by {editor['editor']}" if editor.get("editor") else ""
    stale = "" if editor.get("current") else " (about another verdict)"
    return f"{verb}{who}, {short_time(editor['decided_at'])}{stale}"
