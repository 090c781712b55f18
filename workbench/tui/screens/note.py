"""A small editor for the reviewer's note on a claim."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from .dialog import Dialog


class NoteDialog(Dialog[str | None]):
    """Ctrl+S saves, Esc cancels; returns the note (or None when cancelled)."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Save note", id="save-note", tooltip="Save the note"),
        Binding("escape", "cancel", "Cancel", id="cancel-note"),
    ]

    def __init__(self, claim_text: str, note: str) -> None:
        super().__init__()
        self.claim_text = claim_text
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog", classes="dialog"):
            yield Static(Text("Note on: ", style="bold") + Text(self.claim_text, style="italic"),
                         classes="dialog-title")
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False, compact=True)
            yield from self.buttons("Save")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_submit(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())
