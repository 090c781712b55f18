"""Asked on q when a draft could not be saved to claims.db: quitting would lose it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from .dialog import Dialog


class QuitDialog(Dialog[bool]):
    """Returns True to quit anyway, None (esc) to stay."""

    BINDINGS = [
        Binding("y", "submit", "Quit anyway", id="quit-anyway"),
        Binding("n,escape", "cancel", "Stay", id="quit-stay"),
    ]

    def __init__(self, unsaved: int, reason: str) -> None:
        super().__init__()
        self.unsaved, self.reason = unsaved, reason

    def compose(self) -> ComposeResult:
        drafts = f"{self.unsaved} draft{'s' if self.unsaved != 1 else ''}"
        with Vertical(id="quit-dialog", classes="dialog"):
            yield Static(Text(f"{drafts} could not be saved to claims.db ({self.reason}).", style="bold"),
                         classes="dialog-title")
            yield Static(Text("Quit anyway and lose them (y), or stay and press c / d / u once the "
                              "database answers (n)?"))
            yield from self.buttons("Quit anyway")

    def action_submit(self) -> None:
        self.dismiss(True)
