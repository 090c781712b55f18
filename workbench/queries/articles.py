"""Articles: the one list of articles with how many claims are reviewed, for the desk and the CLI."""

from __future__ import annotations

from sqlite_utils import Database

from ..db import query_rows
from ..domain import Article, ArticleSummary, from_row
from ..furniture import furniture_from_json


def has_articles(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0] == 1


def article_exists(db: Database, article_id: int) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)", [article_id]).fetchone()[0] == 1


def list_articles(db: Database, *, source: str | None = None) -> list[ArticleSummary]:
    """Every article, newest first, with how many of its claims have a current verdict; imported
    fact-check claims (every claim imported, or with an external id) come after the articles, newest
    first too. The one answer to "which articles, how far reviewed" for the desk and `workbench articles`."""
    where, params = ("WHERE s.name = ?", [source]) if source else ("", [])
    rows = query_rows(db,
        f"""SELECT * FROM (
              SELECT a.id, COALESCE(NULLIF(a.title, ''), substr(a.text, 1, 100)) AS title, s.name AS source,
                     s.kind AS source_kind, a.published, a.url,
                     (SELECT COUNT(*) FROM claims c WHERE c.article_id = a.id) AS total,
                     (SELECT COUNT(*) FROM claims c JOIN current_verdicts v ON v.claim_id = c.id
                       WHERE c.article_id = a.id AND v.label IS NOT NULL) AS reviewed,
                     NOT EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id AND c.external_id IS NULL
                                   AND NOT (json_valid(c.features) AND COALESCE(json_extract(c.features, '$.imported'), 0)))
                       AS imported,
                     (SELECT MAX(c.external_id) FROM claims c WHERE c.article_id = a.id) AS external_id
              FROM articles a JOIN sources s ON s.id = a.source_id {where})
            ORDER BY imported AND total > 0, COALESCE(published, '') DESC, id""",
        params,
    )
    return [from_row(ArticleSummary, {**row, "imported": bool(row["imported"]) and row["total"] > 0})
            for row in rows]


def get_article(db: Database, article_id: int) -> Article | None:
    rows = list(query_rows(db,
        """SELECT a.id, COALESCE(a.title, '') AS title, s.name AS source, s.kind AS source_kind, a.published,
                  a.url, a.text, a.furniture
           FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?""",
        [article_id],
    ))
    return from_row(Article, {**rows[0], "furniture": furniture_from_json(rows[0]["furniture"])}) if rows else None
