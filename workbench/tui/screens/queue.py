"""Claims across articles: the pending queue (most check-worthy or most conflicting first), filters
by verdict, source and claimant chosen from lists, and full-text search over claims.

Verdict keys act on the highlighted claim only while the list has the focus and the line under it names
that claim. After a search the list is not armed: letters typed there go back into the search box (typing
"Baerbock" after Enter must not mark a claim with its `c`), until an arrow key, j / k or a click chooses
a row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Select, Static

from ... import review_queue
from ...queries.claimants import claimant_groups
from ...queries.sources import source_counts
from ...vocab import PENDING, VERDICT_LABELS
from ...words import plural
from ..keys import claim_named, mark_bindings, recorded
from ..notices import errors_as_notice
from ..styles import status_text
from ..widgets.claim_table import Cells, ClaimTable
from ..widgets.counts import CountsBar
from ..widgets.keys import KeysFooter
from .deciding import KEPT

if TYPE_CHECKING:  # a cycle: the app imports the review screen, which opens this one
    from ..app import ClaimWorkbench

ALL = "all"  # a Select's value for "no filter" (its own blank value would read as "Select")
ANY_CLAIMANT = "*"  # the claimant list's "no filter": never a claimant key, which is made of words
VERDICT_CHOICES = (PENDING, review_queue.ALL_PENDING, ALL, *VERDICT_LABELS)
ORDERS = (("most check-worthy first", "worth"), ("conflicts first", "conflicts"))
# Keys that move in the list: they choose a row, so they arm the verdict keys.
MOVING_KEYS = {"up", "down", "j", "k", "pageup", "pagedown", "home", "end"}
# The list's columns: name and width (None: the rest of the line).
COLUMNS = (("verdict", 14), ("worth", 5), ("source", 14), ("claim", None))
# Rows read at a time (a tall screen's worth; the list draws only those on the screen): the next page is
# read when the cursor comes near the last row.
PAGE = 100

QUEUE_BINDINGS = [
    Binding("enter", "open", "Open", id="queue-open", tooltip="Open the claim in its article"),
    Binding("v", "choose('#queue-verdict')", "Verdict", id="queue-verdict",
            tooltip="Choose the verdict filter from a list: pending / all pending (imported evidence and claims "
                    "below the worth floor too) / all / corroborated / disputed / unverified"),
    Binding("s", "choose('#queue-source')", "Source", id="queue-source",
            tooltip="Choose the source filter from a list"),
    Binding("w", "choose('#queue-claimant')", "Who", id="queue-claimant",
            tooltip="Choose who said it from a list: one person or body, every spelling, in every article"),
    Binding("o", "choose('#queue-order')", "Order", id="queue-order",
            tooltip="Choose the order: most check-worthy first, or conflicting evidence first"),
    Binding("slash", "search", "Search", id="queue-search", tooltip="Full-text search over claims"),
    *mark_bindings("the highlighted claim", show=False, id_prefix="queue-"),
    Binding("j", "down", "Down", show=False, tooltip="Next row"),
    Binding("k", "up", "Up", show=False, tooltip="Previous row"),
    Binding("escape", "close", "Back", id="queue-close", tooltip="Back to the article"),
]


class QueueScreen(Screen[int | None]):
    """Returns the id of the claim to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [*QUEUE_BINDINGS]
    # fill() focuses the list or the search box; Textual would first focus the first filter, and each
    # focus change shows other keys in the footer.
    AUTO_FOCUS = ""

    def __init__(self, *, verdict: str | None = PENDING, source: str | None = None,
                 search: bool = False) -> None:
        super().__init__(id="queue")
        self.claimant_names: dict[str, str] = {}  # key -> the spelling the desk shows
        self.rows: list[review_queue.ClaimRow] = []  # the pages read so far
        self.total = 0  # how many claims the filters list in all
        self.shown_width = 0  # the claim column's width when the rows were built
        self.opened = False  # asked for by a key (reopen), not only built
        self.filters_from(verdict, source, search)

    def filters_from(self, verdict: str | None, source: str | None, search: bool) -> None:
        self.verdict = verdict
        self.source = source
        self.claimant: str | None = None  # a claimant key
        self.conflict_first = False
        self.query_text = ""
        self.start_in_search = search
        self.armed = not search  # may the verdict keys act on the highlighted row? (see the module doc)
        self.retyping = search  # letters reaching the list are being typed into the search box

    def reopen(self, *, verdict: str | None = PENDING, source: str | None = None, search: bool = False) -> None:
        """About to be shown: as if new, with these filters, everything read afresh. The desk keeps
        one queue screen, since building one (four lists, the table, the footer's keys, each styled)
        costs more than reading its rows; it may still be mounting (built in the background, or
        pushed for the first time), and then on_mount shows it."""
        self.filters_from(verdict, source, search)
        self.opened = True
        if self.is_mounted:
            self.show_afresh()

    def show_afresh(self) -> None:
        """The filters named by reopen shown in their lists, the search box empty, the rows read."""
        with self.prevent(Select.Changed):
            self.query_one("#queue-verdict", Select).value = self.verdict or ALL
            self.query_one("#queue-source", Select).value = ALL
            self.query_one("#queue-claimant", Select).value = ANY_CLAIMANT
            self.query_one("#queue-order", Select).value = "worth"
        if self.source:  # a source asked for: its line in the list
            self.refresh_sources()
        self.query_one(Input).value = ""
        self.query_one(ClaimTable).move_cursor(0)
        self.fill()

    @property
    def workbench(self) -> ClaimWorkbench:
        return cast("ClaimWorkbench", self.app)

    def compose(self) -> ComposeResult:
        yield CountsBar(id="counts")
        with Horizontal(id="queue-choices"):
            yield Select([(choice, choice) for choice in VERDICT_CHOICES], value=self.verdict or ALL,
                         allow_blank=False, compact=True, id="queue-verdict")
            yield Select([(f"{ALL} sources", ALL)], value=ALL, allow_blank=False, compact=True, id="queue-source")
            yield Select([("all claimants", ANY_CLAIMANT)], value=ANY_CLAIMANT, allow_blank=False, compact=True,
                         id="queue-claimant")
            yield Select(ORDERS, value="worth", allow_blank=False, compact=True, id="queue-order")
        yield Static(id="queue-filters")
        yield Input(placeholder="Search claims (enter: search, esc: back to the list)", id="queue-query",
                    select_on_focus=False)
        yield ClaimTable(COLUMNS, self.cells, id="queue-table")
        yield Static(id="queue-preview")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.opened:
            self.show_afresh()
            return
        # Built in the background: nothing is read until it is opened, but the list has the focus
        # and the footer its keys, built now rather than in the frames after w.
        self.set_focus(self.query_one(ClaimTable))
        self.query_one(KeysFooter).bindings_changed(self)

    def fill(self) -> None:
        """Read and show what the filters list; focus the list, or the search box. (The sources and
        claimants to choose from are read when their list opens.)"""
        self.query_one(CountsBar).reviewer = self.workbench.reviewer
        self.query_one(Input).display = self.start_in_search
        self.reload()
        self.set_focus(self.query_one(Input) if self.start_in_search else self.query_one(ClaimTable))

    def refresh_sources(self) -> None:
        """The source list with each source's number of claims, so a source with none is seen before
        it is chosen."""
        counts = source_counts(self.workbench.db)
        select: Select[str] = self.query_one("#queue-source", Select)
        with select.prevent(Select.Changed):
            # The count first: a long source name is cut at the list's edge, the count never is.
            select.set_options([(f"{ALL} sources", ALL),
                                *[(Text(f"{count:>4}  {name}", no_wrap=True, overflow="ellipsis"), name)
                                  for name, count in counts.items()]])
            select.value = self.source if self.source in counts else ALL

    def refresh_claimants(self) -> None:
        """Who said the claims, most claims first, each by its most common spelling. The name first
        (unlike the source list): the closed box shows the chosen line, and there the name matters."""
        groups = claimant_groups(self.workbench.db)
        self.claimant_names = {group.claimant_key: group.name for group in groups}
        select: Select[str] = self.query_one("#queue-claimant", Select)
        with select.prevent(Select.Changed):
            select.set_options([("all claimants", ANY_CLAIMANT), *[
                (Text(f"{group.name} · {plural(group.claims, 'claim')} · {plural(group.sources, 'source')}",
                      no_wrap=True, overflow="ellipsis"), group.claimant_key)
                for group in groups]])
            select.value = self.claimant if self.claimant in self.claimant_names else ANY_CLAIMANT

    def on_resize(self) -> None:
        if self.claim_width() != self.shown_width:
            self.render_rows()  # the claim column's width follows the screen; the data did not change

    def reload(self, rows: int = PAGE) -> None:
        """Re-read the first page of claims (at least `rows`), their number and the header counts
        (filters, order, search or a verdict changed), then show them."""
        db = self.workbench.db
        self.rows = review_queue.filter_claims(db, **self.filters(), conflict_first=self.conflict_first,
                                               limit=max(rows, PAGE))
        counts = self.workbench.counts()
        self.total = review_queue.count_claims(db, **self.filters(), counts=counts)
        self.query_one(CountsBar).counts = counts
        self.render_rows()

    def read_more(self) -> None:
        """The cursor is near the last row read: read and add the next page."""
        more = review_queue.filter_claims(self.workbench.db, **self.filters(), conflict_first=self.conflict_first,
                                          limit=PAGE, offset=len(self.rows))
        self.rows.extend(more)
        self.query_one(ClaimTable).add_rows(more)

    def filters(self) -> dict[str, Any]:
        return dict(verdict=self.verdict, source=self.source, query=self.query_text or None,
                    claimant_key=self.claimant)

    def show_others_work(self) -> None:
        """Another process committed: re-read the rows and counts, the highlighted row kept."""
        claim = self._highlighted()
        self.refresh_sources()
        self.refresh_claimants()
        self.reload(len(self.rows))
        ids = [row.id for row in self.rows]
        if claim is not None and claim.id in ids:
            self.query_one(ClaimTable).move_cursor(ids.index(claim.id))

    def render_rows(self) -> None:
        """Fill the table from the rows already read, the claim text cut to the screen's width."""
        table = self.query_one(ClaimTable)
        self.shown_width = self.claim_width()
        table.show(self.rows)
        table.move_cursor(table.cursor_row)
        self.query_one("#queue-filters", Static).update(self.describe())
        self.show_preview()

    def cells(self, claim: review_queue.ClaimRow) -> Cells:
        """A claim's line in the list (made when it is first drawn), its text cut to the screen's width."""
        flag = Text()
        if claim.returned:
            flag.append("↩ ", style="bold magenta")
        if claim.conflicts:
            flag.append(f"⚠{claim.conflicts} ", style="red1")
        text = flag + Text(claim.text)
        text.truncate(self.shown_width, overflow="ellipsis")
        return status_text(claim.state), Text(f"{claim.worthiness:.2f}"), Text(claim.source[:14]), text

    def claim_width(self) -> int:
        # Before its first layout the screen has no size yet: it will fill the app's, so the rows
        # are not built twice (once cut to 20 cells, again on the first Resize).
        width = self.size.width or self.app.size.width
        return max(20, width - 14 - 5 - 14 - 8)

    def describe(self) -> Text:
        text = Text()
        text.append(f" {plural(self.total, 'claim')}", style="bold")
        if self.claimant:
            text.append(" · said by: ", style="dim")
            text.append(self.claimant_names.get(self.claimant, self.claimant), style="italic")
        if self.query_text:
            text.append(" · search: ", style="dim")
            text.append(self.query_text, style="italic")
        text.append("   v verdict · s source · w who · o order · / search", style="dim")
        return text

    @on(ClaimTable.RowHighlighted)
    def show_preview(self) -> None:
        """Name the highlighted claim under the list, in full: the one c / d / u would mark (and read
        the next page when the cursor nears the last row read)."""
        table = self.query_one(ClaimTable)
        if table.cursor_row >= len(self.rows) - 10 and len(self.rows) < self.total:
            self.read_more()
        claim = self._highlighted()
        preview = Text()
        if claim is None:
            preview.append(" No claim here.", style="dim")
        elif not self.armed:
            preview.append(" ↑/↓ choose a claim, then c / d / u mark it; letters start a new search.",
                           style="dim")
        else:
            preview.append(f" {claim_named(claim.id, claim.text, 10_000)}", style="bold")
            preview.append(f" · {claim.source}", style="cyan")
        self.query_one("#queue-preview", Static).update(preview)

    def _highlighted(self) -> review_queue.ClaimRow | None:
        table = self.query_one(ClaimTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _arm(self) -> None:
        if not self.armed:
            self.armed = True
            self.show_preview()

    def on_key(self, event: events.Key) -> None:
        """While the list is not armed (just after a search), letters are a new search. Keys can come
        faster than the focus moves, so every letter that reaches the list goes on into the search box."""
        if not self.query_one(ClaimTable).has_focus or self.armed:
            return
        if event.key in MOVING_KEYS and not (self.retyping and event.is_printable):  # j, k: maybe text
            self._arm()
        elif event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            search = self.query_one(Input)
            search.display = True
            search.value = search.value + event.character if self.retyping else event.character
            search.cursor_position = len(search.value)
            self.retyping = True
            search.focus()

    @on(events.Click, "#queue-table")
    def row_clicked(self) -> None:
        self._arm()

    def action_down(self) -> None:
        self.query_one(ClaimTable).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(ClaimTable).action_cursor_up()

    def action_open(self) -> None:
        claim = self._highlighted()
        if claim is not None:
            self.dismiss(claim.id)

    @on(ClaimTable.RowSelected)
    def row_selected(self) -> None:
        self.action_open()

    def action_close(self) -> None:
        if self.query_one(Input).has_focus or isinstance(self.focused, Select):
            self.retyping = False
            self.focus_list()
            return
        self.dismiss(None)

    def action_choose(self, selector: str) -> None:
        """v / s / w / o: open that filter's list; nothing changes until a line is chosen with enter.
        The sources and claimants are read as the list opens (tens of ms at 100k claims: not on w)."""
        if selector == "#queue-source":
            self.refresh_sources()
        elif selector == "#queue-claimant":
            self.refresh_claimants()
        select: Select[str] = self.query_one(selector, Select)
        select.focus()
        select.expanded = True

    @on(Select.Changed)
    def filter_chosen(self, event: Select.Changed) -> None:
        value = str(event.value)
        before = (self.verdict, self.source, self.claimant, self.conflict_first)
        if event.select.id == "queue-verdict":
            self.verdict = None if value == ALL else value
        elif event.select.id == "queue-source":
            self.source = None if value == ALL else value
        elif event.select.id == "queue-claimant":
            self.claimant = None if value == ANY_CLAIMANT else value
        else:
            self.conflict_first = value == "conflicts"
        if (self.verdict, self.source, self.claimant, self.conflict_first) == before:
            return  # the lists announce their first value when they mount: nothing to re-read then
        self.focus_list()
        self.reload()

    def focus_list(self) -> None:
        """The focus to the list at once, not after the messages queued (Widget.focus): a chosen filter
        line focuses its Select first, and the focus going there and back costs the footer and the
        table a frame each."""
        self.set_focus(self.query_one(ClaimTable))

    def action_search(self) -> None:
        search = self.query_one(Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#queue-query")
    def search_submitted(self, event: Input.Submitted) -> None:
        self.query_text = event.value.strip()
        if not self.query_text:
            event.input.display = False
        self.armed = not self.query_text
        self.retyping = False
        self.focus_list()
        self.reload()

    def action_mark(self, label: str) -> None:
        claim = self._highlighted()
        if claim is None:
            return
        with errors_as_notice(self.notify, kept=KEPT):
            # The desk's own path: settings in force, draft note and evidence.
            self.workbench.drafts.record(claim.id, label)
            self.workbench.clear_notifications()
            self.notify(recorded(label, claim.id, claim.text), timeout=3)
            self.reload(len(self.rows))  # the pages read so far, so the cursor stays where it was

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Keys act on the list only while it has the focus: letters typed into the search box or a
        # filter's list are text or choices, not commands; verdict keys wait until a row is chosen.
        if action in ("mark", "choose", "search", "open", "down", "up"):
            # The screen's focus, not the table's has_focus: that follows a message later, and the
            # footer, asking in between, would show the keys missing for one more frame.
            if self.focused is not self.query_one(ClaimTable):
                return False
            if action == "mark" and (not self.armed or self._highlighted() is None):
                return False
        return True
