"""Claims across articles: the pending queue (most check-worthy or most conflicting first), filters
by verdict and source, and full-text search over claims."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ... import review_queue
from ...verdicts import label_counts
from ...vocab import PENDING, VERDICT_LABELS
from ..keys import mark_bindings
from ..notices import errors_as_notice
from ..styles import status_text
from ..widgets.counts import CountsBar
from .deciding import KEPT

if TYPE_CHECKING:  # a cycle: the app imports the review screen, which opens this one
    from ..app import ClaimWorkbench

VERDICT_CYCLE = (PENDING, None, *VERDICT_LABELS)

QUEUE_BINDINGS = [
    Binding("enter", "open", "Open", id="queue-open", tooltip="Open the claim in its article"),
    Binding("v", "cycle_verdict", "Verdict", id="queue-verdict",
            tooltip="Filter by verdict: pending / all / corroborated / disputed / unverified"),
    Binding("s", "cycle_source", "Source", id="queue-source", tooltip="Filter by source (cycles)"),
    Binding("o", "toggle_order", "Conflicts", id="queue-order",
            tooltip="Order: most check-worthy first, or conflicting evidence first"),
    Binding("slash", "search", "Search", id="queue-search", tooltip="Full-text search over claims"),
    *mark_bindings("the highlighted claim", show=False, id_prefix="queue-"),
    Binding("j", "down", "Down", show=False, tooltip="Next row"),
    Binding("k", "up", "Up", show=False, tooltip="Previous row"),
    Binding("escape", "close", "Back", id="queue-close", tooltip="Back to the article"),
]


class QueueScreen(Screen[int | None]):
    """Returns the id of the claim to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [*QUEUE_BINDINGS]

    def __init__(self, *, verdict: str | None = PENDING, source: str | None = None,
                 search: bool = False) -> None:
        super().__init__(id="queue")
        self.verdict = verdict
        self.source = source
        self.conflict_first = False
        self.query_text = ""
        self.start_in_search = search
        self.rows: list[review_queue.ClaimRow] = []

    @property
    def workbench(self) -> ClaimWorkbench:
        return cast("ClaimWorkbench", self.app)

    def compose(self) -> ComposeResult:
        yield CountsBar(id="counts")
        yield Static(id="queue-filters")
        yield Input(placeholder="Search claims (enter: search, esc: back to the list)", id="queue-query")
        yield DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("verdict", key="verdict", width=12)
        table.add_column("worth", key="worth", width=5)
        table.add_column("source", key="source", width=14)
        table.add_column("claim", key="claim")
        self.query_one(CountsBar).reviewer = self.workbench.reviewer
        self.query_one(Input).display = self.start_in_search
        self.reload()
        if self.start_in_search:
            self.query_one(Input).focus()
        else:
            table.focus()

    def on_resize(self) -> None:
        self.render_rows()  # the claim column's width follows the screen; the data did not change

    def reload(self) -> None:
        """Re-read the claims and counts (filters, order, search or a verdict changed), then show them."""
        self.rows = review_queue.filter_claims(self.workbench.db, verdict=self.verdict, source=self.source,
                                       query=self.query_text or None, conflict_first=self.conflict_first)
        self.query_one(CountsBar).counts = label_counts(self.workbench.db)
        self.render_rows()

    def render_rows(self) -> None:
        """Fill the table from the rows already read, the claim text cut to the screen's width."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        width = max(20, self.size.width - 12 - 5 - 14 - 8)
        for claim in self.rows:
            flag = Text()
            if claim.returned:
                flag.append("↩ ", style="bold magenta")
            if claim.conflicts:
                flag.append(f"⚠{claim.conflicts} ", style="red1")
            text = flag + Text(claim.text)
            text.truncate(width, overflow="ellipsis")
            table.add_row(status_text(claim.status), Text(f"{claim.worthiness:.2f}"),
                          Text(claim.source[:14]), text, key=str(claim.id))
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))
        self.query_one("#queue-filters", Static).update(self.describe())

    def describe(self) -> Text:
        text = Text()
        text.append(f" {len(self.rows)} claims", style="bold")
        text.append(" · verdict: ", style="dim")
        text.append(self.verdict or "all")
        text.append(" · source: ", style="dim")
        text.append(self.source or "all")
        text.append(" · order: ", style="dim")
        text.append("conflicts first" if self.conflict_first else "most check-worthy first")
        if self.query_text:
            text.append(" · search: ", style="dim")
            text.append(self.query_text, style="italic")
        return text

    def _highlighted(self) -> review_queue.ClaimRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_open(self) -> None:
        claim = self._highlighted()
        if claim is not None:
            self.dismiss(claim.id)

    @on(DataTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_close(self) -> None:
        if self.query_one(Input).has_focus:
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)

    def action_cycle_verdict(self) -> None:
        self.verdict = VERDICT_CYCLE[(VERDICT_CYCLE.index(self.verdict) + 1) % len(VERDICT_CYCLE)]
        self.reload()

    def action_cycle_source(self) -> None:
        names = [None, *review_queue.sources(self.workbench.db)]
        position = names.index(self.source) if self.source in names else 0
        self.source = names[(position + 1) % len(names)]
        self.reload()

    def action_toggle_order(self) -> None:
        self.conflict_first = not self.conflict_first
        self.reload()

    def action_search(self) -> None:
        search = self.query_one(Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#queue-query")
    def search_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value.strip()
        if not self.query_text:
            event.input.display = False
        self.reload()
        self.query_one(DataTable).focus()

    def action_mark(self, label: str) -> None:
        claim = self._highlighted()
        if claim is None:
            return
        with errors_as_notice(self.notify, kept=KEPT):
            # The desk's own path: settings in force, draft note and evidence.
            self.workbench.drafts.record(claim.id, label)
            self.reload()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Letters typed into the search box are text, not commands.
        if self.query_one(Input).has_focus and action in ("mark", "cycle_verdict", "cycle_source",
                                                         "toggle_order", "search", "open", "down", "up"):
            return False
        return True
