"""The articles (source and date, then the title, with how many claims have a verdict), and after them,
under a divider, the claims imported from fact-check files: one line each, quieter."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...review_queue import ArticleRow
from ..styles import short_date


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(1, width - 1)].rstrip() + "…"


def article_prompt(article: ArticleRow, width: int = 22) -> Text:
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


def imported_prompt(article: ArticleRow, width: int = 22) -> Text:
    """One line per imported fact-check claim: '· The White House announced…' (✔ once judged)."""
    done = article.reviewed == article.total
    text = Text(no_wrap=True)
    text.append("✔ " if done else "· ", style="green3" if done else "dim")
    text.append(_clip(article.title or "(untitled)", width - 2), style="dim" if done else "")
    return text


def divider(label: str, width: int) -> Text:
    return Text((f"── {label} " + "─" * width)[:width], style="dim", no_wrap=True)


class ArticleList(OptionList):
    """One option per article (id `article-N`); enter opens it. Imported claims follow the articles."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.articles: list[ArticleRow] = []
        self.current: int | None = None

    def on_resize(self) -> None:
        if self.articles:
            self.show(self.articles, self.current)

    def show(self, articles: list[ArticleRow], current: int | None) -> None:
        self.articles, self.current = articles, current
        highlighted = self.highlighted
        width = max(10, (self.scrollable_content_region.width or 24) - 1)
        options: list[Option] = []
        imported = [a for a in articles if a.imported]
        for article in articles:
            if article.imported and article is imported[0]:
                options.append(Option(divider(f"Imported claims ({len(imported)})", width), disabled=True))
            prompt = imported_prompt(article, width) if article.imported else article_prompt(article, width)
            options.append(Option(prompt, id=f"article-{article.id}"))
        self.clear_options()
        self.add_options(options)
        ids = [a.id for a in articles]
        if current in ids:
            self.highlighted = self.get_option_index(f"article-{current}")
        elif highlighted is not None and options:
            self.highlighted = min(highlighted, len(options) - 1)
