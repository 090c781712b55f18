"""The export dialog: choose a format and a path; the verdicts go to a file for editors."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from .dialog import Dialog

# The same extensions as workbench.export.EXTENSIONS (not imported here: the dialog must open even
# in a build without exports, and say so when asked to write one).
FORMATS = {"csv": "csv", "jsonl": "jsonl", "markdown": "md", "html": "html", "claimreview": "json"}


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    path: str
    article_id: int | None = None


def default_path(fmt: str) -> str:
    return f"exports/verdicts.{FORMATS[fmt]}"


class ExportDialog(Dialog[ExportRequest | None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Export", id="export-submit"),
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
    ]

    def __init__(self, article_id: int | None, article_title: str | None) -> None:
        super().__init__()
        self.article_id = article_id
        self.article_title = article_title

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(Text("Export verdicts for editors", style="bold"), classes="dialog-title")
            yield Label("Format")
            yield Select([(f, f) for f in FORMATS], value="html", allow_blank=False, id="export-format", compact=True)
            yield Label("Write to")
            yield Input(default_path("html"), id="export-path", compact=True)
            title = f"Only this article: {self.article_title}" if self.article_title else "Only this article"
            yield Checkbox(Text(title[:70]), value=False, id="export-article", compact=True,
                           disabled=self.article_id is None)
            yield Static(id="export-error", classes="dialog-error")
            yield from self.buttons("Export")

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        if path.value.startswith("exports/verdicts.") and isinstance(event.value, str):
            path.value = default_path(event.value)

    def action_submit(self) -> None:
        fmt = self.query_one("#export-format", Select).value
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.show_error("Give a path to write to.")
            return
        only = self.query_one("#export-article", Checkbox).value
        self.dismiss(ExportRequest(str(fmt), path, self.article_id if only else None))
