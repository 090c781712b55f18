"""The domain model: one type for each thing the workbench handles, and where each lives.

Each thing has three kinds of type, named by their module: INPUTS (read from a file, nothing stored
yet), RECORDS ABOUT TO BE STORED (ingest.New*), and stored rows and VIEWS of them (here, and the
desk's views in review_queue).

- Article. Input: `reading.ArticleInput` (one article as read from a file). To store:
  `ingest.NewArticle`. Stored: `ArticleInfo` (how the desk and the CLI name it), `ArticleSummary` (an
  entry of the article list, with reviewed/total counts), `Article` (with its text).
- Claim. Input: `reading.ClaimInput` (one claim of a claims file); `splitting.ClaimSpan` (a claim the
  splitter found in an article's text). To store: `ingest.NewClaim` (either of those, with where it
  sits and what it was imported with). Stored: `Claim` (with its exact span in its article). Views:
  `review_queue.ClaimRow` (the desk's claim with its current verdict and the editor's decision),
  `verdicts.ClaimHeading` (what a verdict history is headed with).
- Match. Stored: `Match` (another source's claim stored as a match of a claim). View:
  `review_queue.MatchRow`, a Match with the sentences around it and the signals.
- Benchmark inputs: `evaluation.readers.Document` (a verified claim) and `Query` (an input claim),
  stored through the same `ingest.NewArticle` and `NewClaim`.
- Verdict: `verdicts.Verdict`; the editor's decision on it: `editor_review.EditorDecision`, and a
  claim's latest one with whether it stands (the one sign-off rule): `editor_review.LatestDecision`.

Rows are built from query results by column NAME (`from_row`), never by position, so a reordered
SELECT cannot silently put a title where a source belongs. No SQL and no Textual here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from .furniture import Furniture

Row = TypeVar("Row")


def from_row(cls: type[Row], row: Mapping[str, Any], **extra: Any) -> Row:
    """An instance of the dataclass `cls` from a query row (a dict) by column name; columns the class
    does not have are ignored, a field the row lacks takes its default (or fails loudly)."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{key: value for key, value in row.items() if key in names}, **extra)


@dataclass(frozen=True)
class ArticleInfo:
    """What the desk says about an article wherever it names it: title, source, date, link."""

    id: int
    title: str
    source: str
    source_kind: str
    published: str | None
    url: str | None


@dataclass(frozen=True)
class ArticleSummary(ArticleInfo):
    """An entry of the article list. `imported`: its claims came from a fact-check file (features say
    "imported": true, or they carry an external id), not from splitting an article; lists put those
    after the articles. `external_id`: the imported claim's id in its file (the largest one)."""

    total: int
    reviewed: int
    imported: bool = False
    external_id: str | None = None


@dataclass(frozen=True)
class Article(ArticleInfo):
    text: str
    furniture: tuple[Furniture, ...] = ()  # page furniture kept out of the claims, shown dimmed


@dataclass(frozen=True)
class Claim:
    """A stored claim: `text == article.text[span_start:span_end]`."""

    id: int
    article_id: int
    source: str
    span_start: int
    span_end: int
    text: str
    claimant: str | None
    worthiness: float
    features: dict
    external_id: str | None
    rating: str | None


@dataclass(frozen=True)
class Match:
    """Another source's claim stored as one of `claim_id`'s matches, with where it was published."""

    claim_id: int
    other_claim_id: int
    rank: int
    score: float
    method: str
    dense_score: float | None
    lexical_score: float | None
    rerank_score: float | None
    text: str
    source: str
    source_kind: str
    article_id: int
    article_title: str | None
    article_url: str | None
    published: str | None
    span_start: int
    span_end: int
    external_id: str | None
    rating: str | None
    relation: str | None = None  # supports / conflicts / related (relation.py), stored when matched
    copy_of: int | None = None  # the match this one is a copy of, folded under it (matching/copies.py)
