"""The article text with every claim highlighted in place: colour = verdict, the current claim emphasised.

Text is built with rich Text.append/stylize on the claim spans, never from markup strings, so an
article containing "[bold]" or "[/]" shows it literally.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...domain import Article
from ...review_queue import ClaimRow
from ..styles import CLAIM_STYLES, CURRENT_STYLES

# Page furniture (workbench.furniture) is shown where it stands, dimmed: never a claim, never queued.
FURNITURE_STYLE = Style(dim=True, italic=True)


def article_header(article: Article) -> tuple[Text, Text]:
    """The title (wrapped), and one line of source (kind) · date · link (cut at the edge, never wrapped)."""
    title = Text(article.title or "(untitled)", style="bold")
    meta = Text(no_wrap=True, overflow="ellipsis")
    meta.append(article.source, style="cyan")
    meta.append(f" ({article.source_kind})", style="dim")
    if article.published:
        meta.append(f" · {article.published}", style="dim")
    if article.url:
        meta.append(" · ", style="dim")
        meta.append(article.url, style="dim underline")
    return title, meta


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blocks separated by blank lines), covering the whole text."""
    spans, start = [], 0
    while start < len(text):
        cut = text.find("\n\n", start)
        end = len(text) if cut < 0 else cut
        if end > start:
            spans.append((start, end))
        start = end + 2 if cut >= 0 else len(text)
    return spans or [(0, len(text))]


def paragraph_text(article: Article, start: int, end: int, claims: list[ClaimRow], current: int | None) -> Text:
    text = Text(article.text[start:end])
    for piece in article.furniture:
        s, e = max(piece.start, start), min(piece.end, end)
        if s < e:
            text.stylize(FURNITURE_STYLE, s - start, e - start)
    for claim in claims:
        s, e = max(claim.span_start, start), min(claim.span_end, end)
        if s >= e:
            continue
        styles = CURRENT_STYLES if claim.id == current else CLAIM_STYLES
        text.stylize(styles.get(claim.status, CLAIM_STYLES["pending"]), s - start, e - start)
    return text


class ArticleView(VerticalScroll, can_focus=True, inherit_bindings=False):
    """Scrolls to the current claim; arrows and j/k belong to the screen (next/previous claim)."""

    BINDINGS = [
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: Article | None = None
        self.claims: list[ClaimRow] = []
        self._paragraphs: list[tuple[int, int]] = []
        self._styled: dict[int, Text] = {}  # paragraph index -> the text it shows

    def compose(self) -> ComposeResult:
        yield Static(Text("No article open.", style="dim"), id="article-header")
        yield Static(id="article-meta")

    async def show(self, article: Article | None, claims: list[ClaimRow], current: int | None) -> None:
        """Rebuild the text when the article changes, restyle it otherwise; scroll to the current claim."""
        header = self.query_one("#article-header", Static)
        if article is None:
            header.update(Text("No article open.", style="dim"))
            self.query_one("#article-meta", Static).update("")
            await self.query(".paragraph").remove()
            self.article, self.claims = None, []
            return
        if self.article is None or self.article.id != article.id:
            self.article = article
            title, meta = article_header(article)
            header.update(title)
            self.query_one("#article-meta", Static).update(meta)
            await self.query(".paragraph").remove()
            self._styled.clear()
            self._paragraphs = paragraphs(article.text)
            await self.mount_all(Static(Text(""), classes="paragraph") for _ in self._paragraphs)
            self.scroll_home(animate=False)
        self.claims = claims
        self.restyle(current)

    def restyle(self, current: int | None) -> None:
        """Restyle the paragraphs whose claims changed (the current one, a verdict): each paragraph
        updated is laid out and painted again, and j / k change one or two of them."""
        if self.article is None:
            return
        blocks = list(self.query(".paragraph").results(Static))
        target = None
        claim = next((c for c in self.claims if c.id == current), None)
        for index, (block, (start, end)) in enumerate(zip(blocks, self._paragraphs)):
            text = paragraph_text(self.article, start, end, self.claims, current)
            if text != self._styled.get(index):
                self._styled[index] = text
                block.update(text)
            if claim is not None and start <= claim.span_start < end:
                target = block
        if target is blocks[0] if blocks else False:
            self.call_after_refresh(self.scroll_home, animate=False)  # keep the title in view
        elif target is not None:
            self.call_after_refresh(self.scroll_to_center, target, animate=False)
