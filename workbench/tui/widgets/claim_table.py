"""The queue's list of claims: a header and one line per claim, drawn with Textual's line API.

DataTable measured every cell of every new row when idle, repainted each cell on the screen again
after any change (a filter, the focus, the cursor) and asked for one more frame when its size
was known: about half of each queue key at 100k claims. Here the columns have fixed widths (the
last takes the rest of the line), a row is turned into cells and segments when it is first drawn
(once), and a frame only restyles the lines on the screen (zebra stripes, the cursor).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cells = tuple[Text, ...]


class ClaimTable(ScrollView, can_focus=True):
    """Rows under a header of column names, a row cursor, zebra stripes. The rows are the caller's
    (the queue's claims, read a page at a time), made into cells by its `cells` when drawn."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home,home", "first", "First row", show=False),
        Binding("ctrl+end,end", "last", "Last row", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "claim-table--header", "claim-table--cursor", "claim-table--even-row",
    }
    # DataTable's look, which the queue had before.
    DEFAULT_CSS = """
    ClaimTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .claim-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .claim-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .claim-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .claim-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .claim-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .claim-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class RowHighlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, cursor_row: int) -> None:
            super().__init__()
            self.cursor_row = cursor_row

    class RowSelected(Message):
        """Enter, or a click, on a row."""

        def __init__(self, cursor_row: int) -> None:
            super().__init__()
            self.cursor_row = cursor_row

    def __init__(self, columns: Sequence[tuple[str, int | None]], cells: Callable[[Any], Cells], *,
                 id: str | None = None) -> None:
        """columns: each column's name and width in cells (None: the rest of the line; the last);
        cells: a row's cells, one per column."""
        super().__init__(id=id)
        self.columns = list(columns)
        self.cells = cells
        self.cursor_row = 0
        self.rows: list[Any] = []
        self.lines: dict[int, list[Segment]] = {}  # the rows drawn so far as segments, unstyled by the row

    @property
    def row_count(self) -> int:
        """How many rows are shown (DataTable's name, which the queue's tests read)."""
        return len(self.rows)

    def get_row_at(self, row: int) -> Cells:
        """A row's cells as drawn (DataTable's name, which the queue's tests read)."""
        return self.cells(self.rows[row])

    # -- rows -----------------------------------------------------------------------------------
    def show(self, rows: Sequence[Any]) -> None:
        """Show these rows instead of those shown (or the same ones drawn again: their cells may
        have changed); the cursor stays on its line (or the last)."""
        self.rows, self.lines = [], {}
        self.add_rows(rows)
        self.cursor_row = min(self.cursor_row, max(0, len(self.rows) - 1))
        self.refresh()

    def add_rows(self, rows: Sequence[Any]) -> None:
        self.rows.extend(rows)
        self.virtual_size = Size(0, len(self.rows) + 1)  # +1: the header

    def segments(self, cells: Cells) -> list[Segment]:
        line = Text(no_wrap=True, end="")
        for (_, width), cell in zip(self.columns, cells):
            line.append(" ")
            if width is not None:
                cell = cell.copy()
                cell.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(cell)
            line.append(" ")
        return list(line.render(self.app.console))

    # -- drawing --------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("claim-table--header")
            header = self.segments(tuple(Text(name) for name, _ in self.columns))
            return Strip(Segment.apply_style(header, style)).adjust_cell_length(width, style)
        row = int(self.scroll_y) + y - 1
        if row >= len(self.rows):
            return Strip.blank(width, base)
        if row not in self.lines:
            self.lines[row] = self.segments(self.cells(self.rows[row]))
        style = base
        if row % 2 == 0:
            style += self.get_component_rich_style("claim-table--even-row")
        cursor = self.get_component_rich_style("claim-table--cursor") if row == self.cursor_row else None
        if cursor:  # over the cells' own colours, as in DataTable: the line under the cursor reads as one
            style += cursor
        return Strip(Segment.apply_style(self.lines[row], style, cursor)).adjust_cell_length(width, style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()  # the focus changes the cursor's colours: every line is drawn from the styles

    # -- the cursor -----------------------------------------------------------------------------
    def move_cursor(self, row: int) -> None:
        """Put the cursor on this row (clamped), in view; says so when it moved."""
        row = max(0, min(row, len(self.rows) - 1))
        moved = row != self.cursor_row
        self.refresh_row(self.cursor_row)
        self.cursor_row = row
        self.refresh_row(row)
        self.scroll_to_cursor()
        if moved:
            self.post_message(self.RowHighlighted(row))

    def refresh_row(self, row: int) -> None:
        y = row - int(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def scroll_to_cursor(self) -> None:
        top, shown = int(self.scroll_y), self.visible_rows()
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + shown:
            self.scroll_to(y=self.cursor_row - shown + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.scroll_to_cursor()

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self.visible_rows())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self.visible_rows())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.rows) - 1)

    def action_select_cursor(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        """A click on a row moves the cursor there and selects it, as in DataTable."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = int(self.scroll_y) + offset.y - 1
        if row < len(self.rows):
            self.move_cursor(row)
            self.post_message(self.RowSelected(row))
