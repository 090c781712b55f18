"""The ingest dialog: a file path or pasted text, and a source name. The app does the work in a worker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from ...pipeline import IngestRequest
from ...vocab import SOURCE_KINDS
from .dialog import Dialog


class IngestDialog(Dialog[IngestRequest | None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Ingest", id="ingest-submit", tooltip="Split, embed and match"),
        Binding("escape", "cancel", "Cancel", id="ingest-cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="ingest-dialog", classes="dialog"):
            yield Static(Text("Ingest an article", style="bold"), classes="dialog-title")
            yield Label("File or folder path (or leave empty and paste text below)")
            yield Input(placeholder="path/to/article.txt", id="ingest-path", compact=True)
            yield Label("Source (who published it)")
            with Horizontal(classes="row"):
                yield Input(placeholder="e.g. Kyiv Independent", id="ingest-source", compact=True)
                yield Select([(kind, kind) for kind in SOURCE_KINDS], prompt="kind", id="ingest-kind", compact=True,
                             allow_blank=True)
            yield Label("Title (optional, for pasted text)")
            yield Input(id="ingest-title", compact=True)
            yield Label("Pasted text")
            yield TextArea(id="ingest-text", soft_wrap=True, compact=True)
            yield Static(id="ingest-error", classes="dialog-error")
            yield from self.buttons("Ingest")

    def on_mount(self) -> None:
        self.query_one("#ingest-path", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def action_submit(self) -> None:
        path, source = self._value("#ingest-path"), self._value("#ingest-source")
        text = self.query_one(TextArea).text
        kind = self.query_one(Select).value
        kind = kind if isinstance(kind, str) else None
        error = None
        if not path and not text.strip():
            error = "Give a file path or paste some text."
        elif text.strip() and not source:
            error = "Pasted text needs a source name (who published it)."
        if error:
            self.show_error(error)
            return
        self.dismiss(IngestRequest(paths=[path] if path else [], text="" if path else text,
                                   source=source or None, kind=kind,
                                   title=self._value("#ingest-title") or None,
                                   origin=None if path else "<pasted in the desk>"))
