"""A strip with a progress bar for slow work (ingest, embedding, matching), hidden when idle."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class ProgressStrip(Horizontal):
    """'Embedding claims ━━━━━━ 40%   Esc to cancel'."""

    def compose(self) -> ComposeResult:
        yield Label(id="progress-label")
        yield ProgressBar(id="progress-bar", show_eta=False)
        yield Label(Text("Esc to cancel", style="dim"), id="progress-hint")

    def show(self, label: str, done: int, total: int | None) -> None:
        self.display = True
        self.query_one("#progress-label", Label).update(Text(label))
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done)

    def hide(self) -> None:
        self.display = False
