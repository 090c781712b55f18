"""Storing articles and their claims: one article = one transaction, the same text never twice.

Reading (workbench.reading) and splitting (workbench.splitting) happen before anything is written,
so a bad file stops a batch with claims.db exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlite_utils import Database

from .claimant_keys import claimant_key
from .db import timestamp
from .embedding import text_hash
from .errors import InputError
from .reading import ArticleInput, ClaimInput, read_article_jsonl, read_articles, read_bytes, read_claims
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


# The same sha256 identifies an article's text and an embedded text.
content_hash = text_hash


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

    Only a kind the user gave explicitly changes a stored source: a default never does.
    """
    name = source_name(name)
    row = db.execute("SELECT id, kind FROM sources WHERE name = ?", [name]).fetchone()
    if row:
        if kind and kind != row[1]:
            db.execute("UPDATE sources SET kind = ? WHERE id = ?", [kind, row[0]])
        return row[0]
    return db["sources"].insert({"name": name, "kind": kind or new_kind}).last_pk


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
                   kind: str | None = None, context_window: int = 0) -> IngestResult:
    """Split and store one article in one transaction; the same text again changes nothing.

    context_window > 0 gives each claim the claims before it as context (embedded and searched with
    it, never shown as the claim): right for transcripts and interviews, where a short sentence
    names nothing on its own. It is what lifted CheckThat! 2B (debates) in docs/matching.md.
    """
    from .splitting import split_claims

    name = source_name(source or article.source, article.origin)
    kind = check_kind(kind or article.kind, article.origin)
    digest = content_hash(article.text)
    existing = db.execute("SELECT id, title FROM articles WHERE content_hash = ?", [digest]).fetchone()
    if existing:
        return IngestResult(existing[0], [], duplicate=True, title=existing[1], origin=article.origin,
                            source=name)
    spans = split_claims(article.text)
    title = article.title or guess_title(article.text)
    with db.atomic():
        source_id = ensure_source(db, name, kind)
        article_id = db["articles"].insert({
            "source_id": source_id, "title": title, "url": article.url,
            "published": lenient_date(article.published), "text": article.text,
            "content_hash": digest, "origin": article.origin, "ingested_at": timestamp(),
        }).last_pk
        claim_ids = []
        texts = [span.text for span in spans]
        for position, span in enumerate(spans):
            if article.text[span.start:span.end] != span.text:
                # Never store a claim that cannot be shown in its article; the transaction rolls back.
                raise InputError(f"claim {position + 1} does not match its span ({span.start}-{span.end}); "
                                 "please report this article", path=article.origin)
            claim_ids.append(db["claims"].insert({
                "article_id": article_id, "source_id": source_id, "position": position,
                "span_start": span.start, "span_end": span.end, "text": span.text,
                "claimant": span.claimant, "claimant_key": claimant_key(span.claimant),
                "worthiness": round(float(span.worthiness), 4),
                "features": json.dumps(span.features, ensure_ascii=False, sort_keys=True),
                "context": preceding_context(texts, position, context_window),
            }).last_pk)
    return IngestResult(article_id, claim_ids, title=title, origin=article.origin, source=name)


def ingest_text(db: Database, text: str, *, source: str, kind: str | None = None, title: str | None = None,
                url: str | None = None, published: str | None = None, origin: str | None = None) -> IngestResult:
    """Ingest pasted text (the review desk's dialog, stdin)."""
    from .reading import normalise_newlines

    if not text.strip():
        raise InputError("the text is empty; paste an article", path=origin)
    article = ArticleInput(text=normalise_newlines(text), origin=origin or "<pasted>", title=title,
                           url=url, published=check_date(published))
    return ingest_article(db, article, source=source, kind=kind)


def read_all(paths: Sequence[str], *, title: str | None = None, url: str | None = None,
             published: str | None = None) -> list[ArticleInput]:
    """Read every path before storing anything, so one bad file leaves claims.db untouched."""
    published = check_date(published)
    articles = [article for path in paths for article in read_articles(path)]
    if (title or url or published) and len(articles) > 1:
        raise InputError("--title, --url and --published describe one article, but these paths hold "
                         f"{len(articles)}; ingest them one by one or use .jsonl")
    if title or url or published:
        only = articles[0]
        articles = [ArticleInput(text=only.text, origin=only.origin, title=title or only.title,
                                 url=url or only.url, published=published or only.published,
                                 source=only.source, kind=only.kind, encoding=only.encoding)]
    return articles


def ingest_paths(db: Database, paths: Sequence[str], *, source: str | None = None, kind: str | None = None,
                 title: str | None = None, url: str | None = None, published: str | None = None,
                 context_window: int = 0) -> list[IngestResult]:
    """Ingest files, directories or - (stdin): everything is read and checked first, then stored."""
    check_kind(kind)
    articles = read_all(paths, title=title, url=url, published=published)
    missing = [a.origin for a in articles if not (source or a.source)]
    if missing:
        raise InputError("no source given; pass --source NAME (who published it)", path=missing[0])
    return [ingest_article(db, article, source=source, kind=kind, context_window=context_window)
            for article in articles]


def claim_hash(claim: ClaimInput, source: str) -> str:
    # An atomic claim is identified by who said it and its id as well as its words: two
    # fact-checkers rating the same sentence are two records.
    return content_hash(f"claim\x00{source}\x00{claim.external_id or ''}\x00{claim.text}")


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
    with db.atomic():
        sources: dict[str, int] = {}
        for claim in claims:
            name = source_name(claim.source or source, claim.origin)
            if name not in sources:
                sources[name] = ensure_source(db, name, kind, new_kind="fact-check")
            digest = claim_hash(claim, name)
            if db.execute("SELECT 1 FROM articles WHERE content_hash = ?", [digest]).fetchone():
                skipped += 1
                continue
            article_id = db["articles"].insert({
                "source_id": sources[name], "title": None, "url": claim.url,
                "published": lenient_date(claim.date), "text": claim.text, "content_hash": digest,
                "origin": claim.origin, "ingested_at": timestamp(),
            }).last_pk
            claim_ids.append(db["claims"].insert({
                "article_id": article_id, "source_id": sources[name], "position": 0, "span_start": 0,
                "span_end": len(claim.text), "text": claim.text, "claimant": None,
                # An earlier fact-check or an official statement was worth checking by definition.
                "worthiness": 1.0, "features": json.dumps({"imported": True}),
                "external_id": claim.external_id, "rating": claim.rating,
            }).last_pk)
    return IngestResult(None, claim_ids, duplicate=bool(skipped) and not claim_ids, origin=origin,
                        source=source)


def ingest_claims_files(db: Database, paths: Sequence[str], *, source: str | None = None,
                        kind: str | None = None) -> list[IngestResult]:
    """Import claims files: all are read and checked first, then each is stored in one transaction."""
    check_kind(kind)
    batches = [(path, read_claims(path)) for path in paths]
    return [ingest_claims(db, claims, source=source, kind=kind, origin=path) for path, claims in batches]


def load_demo(db: Database) -> list[IngestResult]:
    """Load the demo corpus shipped with the package (articles and earlier fact-checks)."""
    from . import demo

    articles = read_article_jsonl(demo.article_file(), read_bytes(demo.article_file()))
    results = [ingest_article(db, article) for article in articles]
    results.extend(ingest_claims_files(db, [str(demo.claims_file())]))
    return results
