"""Colours of verdicts and the date format, shared by the article list and view, the evidence panel and
the queue."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

# Background of a claim in the article text, by status; the current claim gets the brighter one.
CLAIM_STYLES = {
    "pending": Style(bgcolor="#3a3a3a"),
    "corroborated": Style(bgcolor="#1d4a2a"),
    "disputed": Style(bgcolor="#5a1e1e"),
    "unverified": Style(bgcolor="#4a4018"),
}
CURRENT_STYLES = {
    "pending": Style(bgcolor="#5f5f9f", color="white", bold=True, underline=True),
    "corroborated": Style(bgcolor="#2e8b57", color="white", bold=True, underline=True),
    "disputed": Style(bgcolor="#b22222", color="white", bold=True, underline=True),
    "unverified": Style(bgcolor="#a07a10", color="white", bold=True, underline=True),
}
LABEL_COLOURS = {
    "pending": "grey70",
    "corroborated": "green3",
    "disputed": "red1",
    "unverified": "gold1",
}
LABEL_MARKS = {"pending": "·", "corroborated": "✔", "disputed": "✘", "unverified": "?"}


def status_text(status: str, *, short: bool = False) -> Text:
    """A verdict label with its mark and colour, e.g. '✘ disputed'; an open claim that is not review
    work (review_queue.ClaimRow.state: 'evidence', 'not for review') dimmed, without a mark."""
    if status not in LABEL_MARKS:
        return Text(status, style="dim")
    label = status[:5] if short else status
    return Text(f"{LABEL_MARKS.get(status, '·')} {label}", style=LABEL_COLOURS.get(status, ""))


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(published: str | None, width: int) -> str:
    """'2025-04-03', or '3 Apr' where the room is short (the source name needs it more than the year)."""
    if not published:
        return ""
    month, day = published[5:7], published[8:10]
    if width >= 30 or not (month.isdigit() and day.isdigit()) or not 1 <= int(month) <= 12:
        return published[:10]
    return f"{int(day)} {MONTHS[int(month) - 1]}"
