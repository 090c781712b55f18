"""Storing articles and their claims: one article = one transaction, the same text never twice.

Reading (workbench.reading) and splitting (workbench.splitting) happen before anything is written,
so a bad file stops a batch with claims.db exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from .claimant_keys import claimant_key
from .db import timestamp, write
from .embedding import text_hash
from .errors import InputError
from .reading import (ArticleInput, ClaimInput, Skipped, cleaning_notice, normalise_newlines,
                      read_article_jsonl, read_articles, read_bytes, read_claims)
from .safe_text import remove_controls
from .vocab import SOURCE_KINDS


@dataclass(frozen=True)
class IngestResult:
    """What happened to one article (or one claims file)."""

    article_id: int | None
    claim_ids: list[int] = field(default_factory=list)
    duplicate: bool = False
    title: str | None = None
    origin: str | None = None
    source: str | None = None
    notices: list[str] = field(default_factory=list)  # what reading changed, sentences cut for length
    skipped: str | None = None  # why a directory's file or a JSONL line was left out (nothing stored)


@dataclass(frozen=True)
class NewArticle:
    """An article about to be stored (its claims come separately, as NewClaim)."""

    source_id: int
    text: str
    content_hash: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    origin: str | None = None
    furniture: str | None = None  # JSON list of the page furniture's spans (workbench.furniture)


@dataclass(frozen=True)
class NewClaim:
    """A claim about to be stored: text == article.text[span_start:span_end]."""

    span_start: int
    span_end: int
    text: str
    claimant: str | None = None
    worthiness: float = 0.0
    features: dict[str, Any] = field(default_factory=dict)
    context: str | None = None
    external_id: str | None = None
    rating: str | None = None


def check_kind(kind: str | None, origin: str | None = None) -> str | None:
    if kind is not None and kind not in SOURCE_KINDS:
        raise InputError(f"unknown source kind {kind!r}; use one of {', '.join(SOURCE_KINDS)}", path=origin)
    return kind


def check_date(value: str | None, what: str = "--published") -> str | None:
    """A publication date as YYYY-MM-DD (a full ISO timestamp keeps only its date)."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError as error:
        raise InputError(f"{what} {value!r} is not a date; write it as YYYY-MM-DD") from error


def lenient_date(value: str | None) -> str | None:
    """Dates from other people's files: normalised when they are ISO, kept as written otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return value


def source_name(name: str | None, origin: str | None = None) -> str:
    """A source name with its whitespace tidied; a blank one is refused."""
    tidy = " ".join((name or "").split())
    if not tidy:
        raise InputError("the source name is blank; pass --source NAME (who published it)", path=origin)
    return tidy


def ensure_source(db: Database, name: str, kind: str | None = None, *, new_kind: str = "other") -> int:
    """The id of the named source, created (as `kind`, else `new_kind`) when new.

    The one source look-up-or-insert (ingest, claims files, the evaluation harness). Only a kind the
    user gave explicitly changes a stored source: a default never does.
    """
    name = source_name(name)
    row = db.execute("SELECT id, kind FROM sources WHERE name = ?", [name]).fetchone()
    if row:
        if kind and kind != row[1]:
            db.execute("UPDATE sources SET kind = ? WHERE id = ?", [kind, row[0]])
        return int(row[0])
    cursor = db.execute("INSERT INTO sources (name, kind) VALUES (?, ?)", [name, kind or new_kind])
    return int(cursor.lastrowid or 0)


def store_claims(db: Database, article: NewArticle, claims: Sequence[NewClaim]) -> tuple[int, list[int]]:
    """Insert one article and its claims; returns (article id, claim ids in order).

    The one write path for articles and claims. The caller holds the transaction (`db.write`), so
    an article is stored with all of its claims or not at all. A claim that does not match its span
    raises InputError, which rolls the transaction back.
    """
    cursor = db.execute(
        """INSERT INTO articles (source_id, title, url, published, text, content_hash, origin, ingested_at,
                                furniture)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [article.source_id, article.title, article.url, article.published, article.text, article.content_hash,
         article.origin, timestamp(), article.furniture])
    article_id = int(cursor.lastrowid or 0)
    claim_ids = []
    for position, claim in enumerate(claims):
        if article.text[claim.span_start:claim.span_end] != claim.text:
            # Never store a claim that cannot be shown in its article.
            raise InputError(f"claim {position + 1} does not match its span ({claim.span_start}-"
                             f"{claim.span_end}); please report this article", path=article.origin)
        cursor = db.execute(
            """INSERT INTO claims (article_id, source_id, position, span_start, span_end, text, claimant,
               claimant_key, worthiness, features, context, external_id, rating)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [article_id, article.source_id, position, claim.span_start, claim.span_end, claim.text,
             claim.claimant, claimant_key(claim.claimant), round(float(claim.worthiness), 4),
             json.dumps(claim.features, ensure_ascii=False, sort_keys=True), claim.context, claim.external_id,
             claim.rating])
        claim_ids.append(int(cursor.lastrowid or 0))
    return article_id, claim_ids


_HEADLINE = re.compile(r"\A\s*([^\n]{3,200})\n\s*\n")


def guess_title(text: str) -> str | None:
    """A first line that stands alone and has no closing punctuation reads as a headline."""
    match = _HEADLINE.match(text)
    if match and not match.group(1).rstrip().endswith((".", "!", "?", ":", ";", ",")):
        return match.group(1).strip()
    return None


def preceding_context(texts: Sequence[str], position: int, window: int) -> str | None:
    """The `window` claims before this one, joined: what a transcript line leans on ("That's not true.")."""
    if window <= 0 or position == 0:
        return None
    return " ".join(texts[max(0, position - window):position])


def ingest_article(db: Database, article: ArticleInput, *, source: str | None = None,
                   kind: str | None = None, context_window: int = 0,
                   cancel: Callable[[], bool] | None = None) -> IngestResult:
    """Split and store one article in one transaction; the same text again changes nothing.

    context_window > 0 gives each claim the claims before it as context (embedded and searched with
    it, never shown as the claim): right for transcripts and interviews, where a short sentence
    names nothing on its own. It is what lifted CheckThat! 2B (debates) in docs/matching.md.
    `cancel` is checked while splitting (splitting.Cancelled), before anything is written.
    """
    from .splitting import split_article  # pysbd (~90 ms): the evaluation harness stores claims unsplit

    name = source_name(source or article.source, article.origin)
    kind = check_kind(kind or article.kind, article.origin)
    digest = text_hash(article.text)
    existing = db.execute("SELECT id, title FROM articles WHERE content_hash = ?", [digest]).fetchone()
    if existing:
        return IngestResult(existing[0], [], duplicate=True, title=existing[1], origin=article.origin,
                            source=name)
    notices: list[str] = []
    title = article.title or guess_title(article.text)
    spans, furniture = split_article(article.text, title, cancel=cancel, notices=notices)
    texts = [span.text for span in spans]
    claims = [NewClaim(span.start, span.end, span.text, claimant=span.claimant, worthiness=span.worthiness,
                       features=span.features, context=preceding_context(texts, position, context_window))
              for position, span in enumerate(spans)]
    with write(db):
        source_id = ensure_source(db, name, kind)
        article_id, claim_ids = store_claims(db, NewArticle(
            source_id=source_id, text=article.text, content_hash=digest, title=title, url=article.url,
            published=lenient_date(article.published), origin=article.origin,
            furniture=json.dumps([piece.as_dict() for piece in furniture])), claims)
    if article.notice:
        notices.insert(0, article.notice)
    return IngestResult(article_id, claim_ids, title=title, origin=article.origin, source=name, notices=notices)


def ingest_text(db: Database, text: str, *, source: str, kind: str | None = None, title: str | None = None,
                url: str | None = None, published: str | None = None, origin: str | None = None,
                context_window: int = 0, cancel: Callable[[], bool] | None = None) -> IngestResult:
    """Ingest pasted text (the review desk's dialog, stdin)."""
    text, removed = remove_controls(normalise_newlines(text))
    if not text.strip():
        raise InputError("the text is empty; paste an article", path=origin)
    article = ArticleInput(text=text, origin=origin or "<pasted>", title=title,
                           url=url, published=check_date(published), removed_controls=removed)
    return ingest_article(db, article, source=source, kind=kind, context_window=context_window, cancel=cancel)


def read_all(paths: Sequence[str], *, title: str | None = None, url: str | None = None,
             published: str | None = None, skipped: list[Skipped] | None = None) -> list[ArticleInput]:
    """Read every path before storing anything, so one bad file leaves claims.db untouched.

    What directories leave out (other file types, empty files, no article text) is listed in `skipped`.
    """
    published = check_date(published)
    articles = [article for path in paths for article in read_articles(path, skipped=skipped)]
    if (title or url or published) and len(articles) > 1:
        raise InputError("--title, --url and --published describe one article, but these paths hold "
                         f"{len(articles)}; ingest them one by one or use .jsonl")
    if title or url or published:
        only = articles[0]
        articles = [ArticleInput(text=only.text, origin=only.origin, title=title or only.title,
                                 url=url or only.url, published=published or only.published,
                                 source=only.source, kind=only.kind, encoding=only.encoding,
                                 removed_controls=only.removed_controls)]
    return articles


def articles_from_paths(paths: Sequence[str], *, source: str | None = None, kind: str | None = None,
                        title: str | None = None, url: str | None = None, published: str | None = None,
                        skipped: list[Skipped] | None = None) -> list[ArticleInput]:
    """Read and check files, directories or - (stdin) completely, before anything is stored."""
    check_kind(kind)
    articles = read_all(paths, title=title, url=url, published=published, skipped=skipped)
    missing = [a.origin for a in articles if not (source or a.source)]
    if missing:
        raise InputError("no source given; pass --source NAME (who published it)", path=missing[0])
    return articles


def ingest_paths(db: Database, paths: Sequence[str], *, source: str | None = None, kind: str | None = None,
                 title: str | None = None, url: str | None = None, published: str | None = None,
                 context_window: int = 0) -> list[IngestResult]:
    """Ingest files, directories or - (stdin): everything is read and checked first, then stored."""
    articles = articles_from_paths(paths, source=source, kind=kind, title=title, url=url, published=published)
    return [ingest_article(db, article, source=source, kind=kind, context_window=context_window)
            for article in articles]


def claim_hash(claim: ClaimInput, source: str) -> str:
    # An atomic claim is identified by who said it and its id as well as its words: two
    # fact-checkers rating the same sentence are two records.
    return text_hash(f"claim\x00{source}\x00{claim.external_id or ''}\x00{claim.text}")


def ingest_claims(db: Database, claims: Iterable[ClaimInput], *, source: str | None = None,
                  kind: str | None = None, origin: str | None = None) -> IngestResult:
    """Import already-atomic claims without splitting, each as its own one-claim article.

    The whole file is one transaction: it lands entirely or not at all. New sources are created as
    fact-checkers unless `kind` says otherwise; an existing source keeps its kind unless `kind` is given.
    """
    check_kind(kind, origin)
    claims = list(claims)
    missing = [c.origin for c in claims if not (source or c.source)]
    if missing:
        raise InputError("this claim names no source; add a 'source' column or pass --source NAME",
                         path=missing[0].rsplit(":", 1)[0], line=int(missing[0].rsplit(":", 1)[1]))
    claim_ids: list[int] = []
    skipped = 0
    with write(db):
        sources: dict[str, int] = {}
        for claim in claims:
            name = source_name(claim.source or source, claim.origin)
            if name not in sources:
                sources[name] = ensure_source(db, name, kind, new_kind="fact-check")
            digest = claim_hash(claim, name)
            if db.execute("SELECT 1 FROM articles WHERE content_hash = ?", [digest]).fetchone():
                skipped += 1
                continue
            # An earlier fact-check or an official statement was worth checking by definition.
            claim_ids.extend(store_claims(db, NewArticle(
                source_id=sources[name], text=claim.text, content_hash=digest, url=claim.url,
                published=lenient_date(claim.date), origin=claim.origin,
            ), [NewClaim(0, len(claim.text), claim.text, worthiness=1.0, features={"imported": True},
                         external_id=claim.external_id, rating=claim.rating)])[1])
    cleaned = cleaning_notice(sum(c.removed_controls for c in claims))
    return IngestResult(None, claim_ids, duplicate=bool(skipped) and not claim_ids, origin=origin,
                        source=source, notices=[cleaned] if cleaned else [])


def ingest_claims_files(db: Database, paths: Sequence[str], *, source: str | None = None,
                        kind: str | None = None) -> list[IngestResult]:
    """Import claims files: all are read and checked first, then each is stored in one transaction."""
    check_kind(kind)
    batches = [(path, read_claims(path)) for path in paths]
    return [ingest_claims(db, claims, source=source, kind=kind, origin=path) for path, claims in batches]


def demo_articles() -> list[ArticleInput]:
    """The articles of the demo corpus shipped with the package."""
    from . import demo  # a package of data files: only the demo needs it

    return read_article_jsonl(demo.article_file(), read_bytes(demo.article_file()))


def demo_claims_file() -> str:
    from . import demo  # a package of data files: only the demo needs it

    return str(demo.claims_file())


def load_demo(db: Database) -> list[IngestResult]:
    """Load the demo corpus shipped with the package (articles and earlier fact-checks)."""
    results = [ingest_article(db, article) for article in demo_articles()]
    results.extend(ingest_claims_files(db, [demo_claims_file()]))
    return results
