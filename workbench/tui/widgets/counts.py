"""The one-line header: who is reviewing and how many claims are in each state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ...vocab import PENDING, VERDICT_LABELS
from ..styles import LABEL_COLOURS, LABEL_MARKS


class CountsBar(Static):
    """'Claim Workbench · alice   ✔ 3  ✘ 1  ? 2  · 40 pending' (filled by `show`)."""

    reviewer: reactive[str] = reactive("")
    counts: reactive[dict] = reactive(dict, always_update=True)

    def render(self) -> Text:
        text = Text()
        text.append(" Claim Workbench", style="bold")
        text.append(f" · {self.reviewer or 'who is reviewing?'}", style="italic")
        text.append("   ")
        for label in VERDICT_LABELS:
            count = self.counts.get(label, 0)
            text.append(f"{LABEL_MARKS[label]} {count} ", style=LABEL_COLOURS[label])
            text.append(f"{label[:5]}  " if self.size.width < 100 else f"{label}  ", style="dim")
        text.append(f"{self.counts.get(PENDING, 0)} {PENDING}", style="bold")
        return text
