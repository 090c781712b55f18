"""The export dialog: format, path, which claims (this article or every article; source, verdict)
and, for the editors' CSV, whether to add the claims waiting for review. The button says how many
claims the file will hold ("Export 4 claims of this article"), counted by the same rule the export
uses. An existing file is only overwritten when the reviewer confirms it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from ...db import open_database
from ...export import DECIDED_ONLY, EXTENSIONS, held_count
from ...export.records import count_by_status
from ...vocab import EXPORT_FORMATS, STATUSES
from ...words import plural
from .dialog import Dialog


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    path: str
    article_id: int | None = None
    source: str | None = None
    verdict: str | None = None
    include_pending: bool = False


def default_path(fmt: str) -> str:
    return f"exports/verdicts{EXTENSIONS[fmt]}"


# What each format holds, said under the choices so the count on the button is never a surprise.
HOLDS = {
    "csv": "decided claims, for the editor to sign off",
    "claimreview": "decided claims (nothing to publish without a verdict)",
    "jsonl": "every claim, decided or not, with all its details",
    "markdown": "every claim: the article text with each claim marked, a card per verdict",
    "html": "every claim: the article text with each claim marked, a card per verdict",
}


Scope = tuple[int | None, str | None]  # (article id or None for every article, source or None)


def scope_counts(db_path: Path, scope: Scope) -> dict[str, int]:
    """A scope's claims per status, on a connection of the caller's own (a worker's thread, say)."""
    db = open_database(db_path)
    try:
        return count_by_status(db, article_id=scope[0], source=scope[1])
    finally:
        db.conn.close()


class Counted(Message):
    """A scope's claims per status, counted in a worker."""

    def __init__(self, scope: Scope, counts: dict[str, int]) -> None:
        super().__init__()
        self.scope, self.counts = scope, counts


class ExportDialog(Dialog[ExportRequest | None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Export", id="export-submit"),
        Binding("escape", "cancel", "Cancel", id="export-cancel"),
    ]

    def __init__(self, article_id: int | None, article_title: str | None, sources: Sequence[str] = (),
                 db_path: Path | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.article_title = article_title
        self.sources = list(sources)
        self.db_path = db_path  # for the counts on the button; None shows no count
        self.counts: dict[Scope, dict[str, int]] = {}  # claims per status of each scope counted so far
        self.overwrite: str | None = None  # the path the reviewer agreed to overwrite

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(Text("Export verdicts for editors", style="bold"), classes="dialog-title")
            with Horizontal(classes="row"):
                yield Label("Format")
                yield Select([(f, f) for f in EXPORT_FORMATS], value="html", allow_blank=False, id="export-format",
                             compact=True)
                yield Label("Write to")
                yield Input(default_path("html"), id="export-path", compact=True)
            # The article on screen is the default when there is one: the desk is opened on an article,
            # and the whole database (every source, imported evidence) is rarely what an editor wants.
            with RadioSet(id="export-scope", compact=True):
                title = self.article_title or "(untitled)"
                yield RadioButton(Text(f"This article: {title[:48]}"), value=self.article_id is not None,
                                  id="export-this", disabled=self.article_id is None, compact=True)
                yield RadioButton("Every article", value=self.article_id is None, id="export-every", compact=True)
            with Horizontal(classes="row"):
                yield Select([(Text(name), name) for name in self.sources], prompt="Every source",
                             id="export-source", compact=True)
                yield Select([(s, s) for s in STATUSES], prompt="Every verdict", id="export-verdict", compact=True)
            yield Checkbox("Also the claims waiting for review (pending)", value=False, id="export-pending",
                           compact=True)
            yield Static(id="export-holds")
            yield Static(id="export-error", classes="dialog-error")
            yield from self.buttons("Export")

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()
        if self.article_id is not None and self.db_path is not None:
            # One article's claims are counted at once (an index, a few rows): the dialog opens with its
            # number. Every article is counted ahead in a worker, so choosing it shows the number at once.
            self.counts[(self.article_id, None)] = scope_counts(self.db_path, (self.article_id, None))
            self.count_claims((None, None))
        self.refresh_count()

    def whole_database(self) -> bool:
        return self.article_id is None or self.query_one("#export-every", RadioButton).value

    def scope_words(self) -> str:
        return "" if self.whole_database() else " of this article"

    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    def refresh_count(self) -> None:
        """The button says what the file will hold; the line above it, what the format keeps."""
        fmt = str(self.query_one("#export-format", Select).value)
        pending = self.query_one("#export-pending", Checkbox)
        pending.disabled = fmt != "csv"
        holds = HOLDS[fmt] + ("; the claims waiting for review too" if pending.value and fmt == "csv" else "")
        self.query_one("#export-holds", Static).update(Text(f"{fmt} holds {holds}."))
        button = self.query_one("#submit", Button)
        scope = (None if self.whole_database() else self.article_id, self._choice("#export-source"))
        counts = self.counts.get(scope)
        if counts is None:
            button.label = f"Export{self.scope_words()} (ctrl+s)"
            if self.db_path is not None:
                self.count_claims(scope)
            return
        count = held_count(counts, fmt, self._choice("#export-verdict"), pending.value and fmt in DECIDED_ONLY)
        button.label = f"Export {plural(count, 'claim')}{self.scope_words()} (ctrl+s)"

    # Not exclusive: the two scopes are counted side by side; a count that arrives late fills its cache.
    @work(thread=True, group="export-count", exit_on_error=False)
    def count_claims(self, scope: Scope) -> None:
        """Count on a connection of the worker's own: every article of a large claims.db takes most of
        a second (0.7 s for 100k claims), which the dialog must not freeze for."""
        assert self.db_path is not None  # only started with a path
        self.post_message(Counted(scope, scope_counts(self.db_path, scope)))

    def on_counted(self, message: Counted) -> None:
        self.counts[message.scope] = message.counts
        self.refresh_count()

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
        self.dismiss(ExportRequest(str(fmt), path, None if self.whole_database() else self.article_id,
                                   self._choice("#export-source"), self._choice("#export-verdict"),
                                   include_pending=fmt == "csv" and self.query_one("#export-pending", Checkbox).value))
