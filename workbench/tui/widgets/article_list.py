"""The articles: source, date, title and how many of their claims have a verdict."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...desk import ArticleRow


def article_prompt(article: ArticleRow, width: int = 22) -> Text:
    done = article.reviewed == article.total and article.total > 0
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("✔ " if done else "  ", style="green3")
    text.append(f"{article.reviewed}/{article.total} ", style="bold" if not done else "dim")
    text.append(article.source, style="cyan")
    if article.published:
        text.append(f" {article.published[:10]}", style="dim")
    title = Text("  " + (article.title or "(untitled)"))
    text.truncate(width, overflow="ellipsis")
    title.truncate(width, overflow="ellipsis")
    return text + Text("\n") + title


class ArticleList(OptionList):
    """One option per article (id `article-N`); enter or highlight opens it."""

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
        width = max(10, (self.size.width or 24) - 2)
        self.clear_options()
        self.add_options([Option(article_prompt(a, width), id=f"article-{a.id}") for a in articles])
        ids = [a.id for a in articles]
        if current in ids:
            self.highlighted = ids.index(current)
        elif highlighted is not None and articles:
            self.highlighted = min(highlighted, len(articles) - 1)
