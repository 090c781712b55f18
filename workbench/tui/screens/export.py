"""The export dialog: format, path and filters (article, source, verdict); the verdicts go to a file
for editors. An existing file is only overwritten when the reviewer confirms it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from ...export import EXTENSIONS
from ...vocab import EXPORT_FORMATS, STATUSES
from .dialog import Dialog


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    path: str
    article_id: int | None = None
    source: str | None = None
    verdict: str | None = None


def default_path(fmt: str) -> str:
    return f"exports/verdicts{EXTENSIONS[fmt]}"


class ExportDialog(Dialog[ExportRequest | None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Export", id="export-submit"),
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
    ]

    def __init__(self, article_id: int | None, article_title: str | None, sources: Sequence[str] = ()) -> None:
        super().__init__()
        self.article_id = article_id
        self.article_title = article_title
        self.sources = list(sources)
        self.overwrite: str | None = None  # the path the reviewer agreed to overwrite

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(Text("Export verdicts for editors", style="bold"), classes="dialog-title")
            yield Label("Format")
            yield Select([(f, f) for f in EXPORT_FORMATS], value="html", allow_blank=False, id="export-format", compact=True)
            yield Label("Write to")
            yield Input(default_path("html"), id="export-path", compact=True)
            title = f"Only this article: {self.article_title}" if self.article_title else "Only this article"
            yield Checkbox(Text(title[:70]), value=False, id="export-article", compact=True,
                           disabled=self.article_id is None)
            with Horizontal(classes="row"):
                yield Select([(Text(name), name) for name in self.sources], prompt="Every source",
                             id="export-source", compact=True)
                yield Select([(s, s) for s in STATUSES], prompt="Every verdict", id="export-verdict", compact=True)
            yield Static(id="export-error", classes="dialog-error")
            yield from self.buttons("Export")

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        if path.value.startswith("exports/verdicts.") and isinstance(event.value, str):
            path.value = default_path(event.value)

    @on(Input.Changed, "#export-path")
    def path_changed(self) -> None:
        if self.overwrite is not None:
            self.overwrite = None
            self.query_one("#export-error", Static).update("")

    def _choice(self, selector: str) -> str | None:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else None

    def action_submit(self) -> None:
        fmt = self.query_one("#export-format", Select).value
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.show_error("Give a path to write to.")
            return
        if Path(path).is_dir():
            self.show_error(f"{path} is a folder: give a file name.")
            return
        if Path(path).exists() and self.overwrite != path:
            self.overwrite = path
            self.show_error(f"{path} exists: ctrl+s again overwrites it, or change the path.")
            return
        only = self.query_one("#export-article", Checkbox).value
        self.dismiss(ExportRequest(str(fmt), path, self.article_id if only else None,
                                   self._choice("#export-source"), self._choice("#export-verdict")))
