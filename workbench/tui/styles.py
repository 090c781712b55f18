"""Colours of verdicts, shared by the article view, the evidence panel and the queue."""

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
    """A verdict label with its mark and colour, e.g. '✘ disputed'."""
    label = status[:5] if short else status
    return Text(f"{LABEL_MARKS.get(status, '·')} {label}", style=LABEL_COLOURS.get(status, ""))
