"""The one-line header: who is reviewing and how many claims are in each state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ...vocab import PENDING, VERDICT_LABELS
from ..styles import LABEL_COLOURS, LABEL_MARKS


class CountsBar(Static):
    """'Claim Workbench · alice  ✔ 3 corroborated  ✘ 1 disputed  ? 2 unverified  40 pending'."""

    reviewer: reactive[str] = reactive("")
    counts: reactive[dict] = reactive(dict, always_update=True)

    def render(self) -> Text:
        text = Text()
        # Under 100 columns the app's name gives way, never the labels ("corro" read as a typo).
        wide = self.size.width >= 100
        if wide:
            text.append(" Claim Workbench", style="bold")
        text.append(f"{' ·' if wide else ''} {self.reviewer or 'who is reviewing?'}", style="italic")
        text.append("   ")
        for label in VERDICT_LABELS:
            count = self.counts.get(label, 0)
            text.append(f"{LABEL_MARKS[label]} {count} ", style=LABEL_COLOURS[label])
            text.append(f"{label}  ", style="dim")
        text.append(f"{self.counts.get(PENDING, 0)} {PENDING}", style="bold")
        return text
