"""The articles (source and date, then the title, with how many claims have a verdict), and after them,
under a divider, the claims imported from fact-check files: one line each, quieter."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...domain import ArticleSummary
from ...queries import ArticleOrder
from ..styles import short_date


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(1, width - 1)].rstrip() + "…"


def article_prompt(article: ArticleSummary, width: int = 22) -> Text:
    """'Kyiv Ledger   3/12 2025-04-03' over the title ('✔' once every claim has a verdict): the
    count and the date are never cut, the source name gives way."""
    done = article.reviewed == article.total and article.total > 0
    right = f"{article.reviewed}/{article.total} {short_date(article.published, width)}".rstrip()
    head = Text(no_wrap=True)
    head.append(_clip(article.source, width - len(right) - 1), style="cyan")
    head.append(" " * max(1, width - len(head) - len(right)))
    head.append(right, style="dim")
    line = Text(no_wrap=True)
    line.append("✔ " if done else "  ", style="green3")
    line.append(_clip(article.title or "(untitled)", width - 2), style="dim" if done else "")
    return head + Text("\n") + line


def imported_prompt(article: ArticleSummary, width: int = 22) -> Text:
    """One line per imported fact-check claim: '· The White House announced…' (✔ once judged)."""
    done = article.reviewed == article.total
    text = Text(no_wrap=True)
    text.append("✔ " if done else "· ", style="green3" if done else "dim")
    text.append(_clip(article.title or "(untitled)", width - 2), style="dim" if done else "")
    return text


def divider(label: str, width: int) -> Text:
    return Text((f"── {label} " + "─" * width)[:width], style="dim", no_wrap=True)


def prompt(article: ArticleSummary, width: int) -> Text:
    return imported_prompt(article, width) if article.imported else article_prompt(article, width)


class ArticleList(OptionList):
    """One option per article (id `article-N`); enter opens it. Imported claims follow the articles.

    Paged: only the articles within SPAN of the open one are built as options (a newsroom's list holds
    tens of thousands); the ends of that window say how many more there are, and moving onto one
    shows the next page. The rows' data comes from `load` (ids -> summaries), asked for the page only.
    """

    SPAN = 40  # articles built on each side of the open one
    MARGIN = 5  # closer than this to a page's inner edge, the page moves with the open article

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.order = ArticleOrder([], 0)
        self.load: Callable[[list[int]], dict[int, ArticleSummary]] = lambda ids: {}
        self.current: int | None = None
        self.page: tuple[int, int] = (0, 0)  # [start, end) positions in order.ids built as options
        self.rows: dict[int, ArticleSummary] = {}

    def on_resize(self) -> None:
        if self.order.ids:
            self.build(self.page)

    def show(self, order: ArticleOrder, load: Callable[[list[int]], dict[int, ArticleSummary]],
             current: int | None) -> None:
        """A new article order (start-up, ingest, another process): rebuild the page around `current`."""
        self.order, self.load = order, load
        self.build(self.page_around(current), current)

    def move_to(self, current: int | None, positions: dict[int, int]) -> None:
        """The open article changed: highlight it, building another page only when it is near an edge."""
        position = positions.get(current) if current is not None else None
        start, end = self.page
        inner = (start + self.MARGIN if start > 0 else 0, end - self.MARGIN if end < len(self.order.ids) else end)
        if position is not None and not inner[0] <= position < inner[1]:
            self.build(self.page_around(current), current)
        else:
            self.current = current
            self.highlight(current)

    def refresh_rows(self, article_ids: list[int]) -> None:
        """These articles' tallies changed (a verdict): re-read and redraw their rows only."""
        shown = [article_id for article_id in article_ids if article_id in self.rows]
        width = self.row_width()
        for article_id, summary in self.load(shown).items():
            self.rows[article_id] = summary
            self.replace_option_prompt(f"article-{article_id}", prompt(summary, width))

    def refresh_page(self) -> None:
        """Tallies may have changed anywhere (the queue's verdict keys): re-read the rows shown."""
        self.refresh_rows(list(self.rows))

    def page_around(self, current: int | None) -> tuple[int, int]:
        ids = self.order.ids
        position = ids.index(current) if current in ids else 0
        start = max(0, position - self.SPAN)
        return start, min(len(ids), start + 2 * self.SPAN + 1)

    def row_width(self) -> int:
        return max(10, (self.scrollable_content_region.width or 24) - 1)

    def build(self, page: tuple[int, int], current: int | None = None, *, focus: int | None = None) -> None:
        """Build the options of this page; highlight `focus` (default: the open article)."""
        if current is not None:
            self.current = current
        ids, (start, end) = self.order.ids, page
        self.page = page
        self.rows = self.load(ids[start:end])
        width = self.row_width()
        options: list[Option] = []
        if start > 0:
            options.append(Option(divider(f"↑ {start:,} more", width), id="page-before"))
        for position in range(start, end):
            if position == self.order.imported_from:
                options.append(Option(divider(f"Imported claims ({self.order.imported:,})", width), disabled=True))
            summary = self.rows.get(ids[position])
            if summary is not None:
                options.append(Option(prompt(summary, width), id=f"article-{summary.id}"))
        if end < len(ids):
            options.append(Option(divider(f"↓ {len(ids) - end:,} more", width), id="page-after"))
        self.clear_options()
        self.add_options(options)
        if not self.highlight(focus if focus is not None else self.current) and end > start:
            self.highlight(ids[start])

    def highlight(self, article_id: int | None) -> bool:
        if article_id is None or article_id not in self.rows:
            return False
        self.highlighted = self.get_option_index(f"article-{article_id}")
        return True

    @on(OptionList.OptionHighlighted)
    def turn_page(self, event: OptionList.OptionHighlighted) -> None:
        """Arrowing onto "↑ N more" or "↓ N more" shows that page, the nearest article highlighted."""
        if event.option_id not in ("page-before", "page-after"):
            return
        event.stop()
        start, end = self.page
        ids = self.order.ids
        nearest = ids[start - 1] if event.option_id == "page-before" else ids[end]
        self.build(self.page_around(nearest), focus=nearest)
