"""Articles: the one list of articles with how many claims are reviewed, for the desk and the CLI."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from ..db import query_rows
from ..domain import Article, ArticleSummary, from_row
from ..furniture import furniture_from_json
from ..verdicts import IMPORTED_CLAIM_SQL


def has_articles(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0] == 1


def article_exists(db: Database, article_id: int) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)", [article_id]).fetchone()[0] == 1


# An article is "imported" when every one of its claims is (verdicts.IMPORTED_CLAIM_SQL); an article
# without claims is not.
_IMPORTED_SQL = f"""(EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id)
    AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id AND NOT {IMPORTED_CLAIM_SQL}))"""


@dataclass(frozen=True)
class ArticleOrder:
    """The article ids in the desk's order (newest first, imported fact-check claims after the
    articles, newest first too); `imported_from` is the position of the first imported one."""

    ids: list[int]
    imported_from: int
    stamp: tuple[int, int] = (0, 0)  # articles_stamp when it was read

    @property
    def imported(self) -> int:
        return len(self.ids) - self.imported_from


def article_order(db: Database, *, source: str | None = None) -> ArticleOrder:
    """Only the ids and the order, in one pass that stops at each article's first claim: the desk
    builds the list rows it shows (article_summaries), never all of them."""
    where, params = ("WHERE s.name = ?", [source]) if source else ("", [])
    rows = db.execute(
        f"""SELECT a.id, {_IMPORTED_SQL} AS imported
            FROM articles a JOIN sources s ON s.id = a.source_id {where}
            ORDER BY imported, COALESCE(a.published, '') DESC, a.id""", params).fetchall()
    ids = [row[0] for row in rows]
    return ArticleOrder(ids, next((i for i, row in enumerate(rows) if row[1]), len(ids)), articles_stamp(db))


def articles_stamp(db: Database) -> tuple[int, int]:
    """(how many articles, the largest id): changes when an ingest stores articles (none is ever
    deleted), so the desk knows when its article order is stale without reading every article."""
    count, largest = db.execute("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM articles").fetchone()
    return int(count), int(largest)


def article_summaries(db: Database, article_ids: list[int]) -> dict[int, ArticleSummary]:
    """The list rows of these articles: source, date, title, and how many of their claims have a
    current verdict (indexed look-ups of these articles' claims only)."""
    rows = query_rows(db,
        f"""SELECT a.id, COALESCE(NULLIF(a.title, ''), substr(a.text, 1, 100)) AS title, s.name AS source,
                   s.kind AS source_kind, a.published, a.url,
                   (SELECT COUNT(*) FROM claims c WHERE c.article_id = a.id) AS total,
                   (SELECT COUNT(*) FROM claims c JOIN current_verdicts v ON v.claim_id = c.id
                     WHERE c.article_id = a.id AND v.label IS NOT NULL) AS reviewed,
                   {_IMPORTED_SQL} AS imported,
                   (SELECT MAX(c.external_id) FROM claims c WHERE c.article_id = a.id) AS external_id
            FROM articles a JOIN sources s ON s.id = a.source_id
            WHERE a.id IN (SELECT value FROM json_each(?))""",
        [json.dumps(list(article_ids))],
    )
    return {row["id"]: from_row(ArticleSummary, {**row, "imported": bool(row["imported"])}) for row in rows}


def list_articles(db: Database, *, source: str | None = None) -> list[ArticleSummary]:
    """Every article in the desk's order (article_order) with how many of its claims have a current
    verdict: the one answer to "which articles, how far reviewed" for `workbench articles`."""
    order = article_order(db, source=source)
    summaries = article_summaries(db, order.ids)
    return [summaries[article_id] for article_id in order.ids]


def get_article(db: Database, article_id: int) -> Article | None:
    rows = list(query_rows(db,
        """SELECT a.id, COALESCE(a.title, '') AS title, s.name AS source, s.kind AS source_kind, a.published,
                  a.url, a.text, a.furniture
           FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?""",
        [article_id],
    ))
    return from_row(Article, {**rows[0], "furniture": furniture_from_json(rows[0]["furniture"])}) if rows else None
