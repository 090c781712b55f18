"""Asked once, the first time the desk opens without a reviewer's name: who is deciding?"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from .dialog import Dialog


class ReviewerDialog(Dialog[str | None]):
    """Returns the name typed (enter or ctrl+s), or None (esc: the desk closes, nothing is recorded)."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Save name", id="save-reviewer", tooltip="Remember this name"),
        Binding("escape", "cancel", "Quit", id="cancel-reviewer"),
    ]

    def __init__(self, remembered_in: str) -> None:
        super().__init__(id="reviewer")
        self.remembered_in = remembered_in

    def compose(self) -> ComposeResult:
        with Vertical(id="reviewer-dialog", classes="dialog"):
            yield Static(Text("Who is reviewing?", style="bold"), classes="dialog-title")
            yield Static(Text.assemble(
                "Your name goes with every verdict you record. It is asked once and kept in ",
                (self.remembered_in, "italic"), "; --reviewer or WORKBENCH_REVIEWER override it."))
            yield Input(placeholder="Your name", id="reviewer-name")
            yield Static(classes="dialog-error")
            yield from self.buttons("Save")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        name = self.query_one(Input).value.strip()
        if not name:
            self.show_error("Type your name (it is recorded with each verdict), or esc to quit.")
            return
        self.dismiss(name)
