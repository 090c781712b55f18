"""Readers for claim-retrieval data: a verified-claims collection, input queries, TREC qrels.

Shapes (CheckThat! 2022 Task 2, and the same from any newsroom's own data):
- collection: TSV with a header row; `vclaim_id` (or `id`), `vclaim` (or `text`), optional `title`,
  optional date (`date`), rating (`truth_label` / `rating`), url (`page_url` / `url`);
- queries: TSV without header, `query_id <TAB> text`;
- qrels: TREC, `query_id 0 doc_id relevance` (whitespace separated; relevance > 0 counts).
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..errors import InputError

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Document:
    """A verified claim of a benchmark collection (input; stored as ingest.NewArticle + NewClaim)."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date when one can be read
    rating: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Query:
    """An input claim of a benchmark (input; stored as ingest.NewArticle + NewClaim)."""

    id: str
    text: str


_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+")
_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Drop links (they carry no claim) and collapse whitespace."""
    return _SPACE.sub(" ", _URL.sub(" ", text)).strip()


_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%d %b %Y")
_DATE_IN_TEXT = re.compile(
    r"(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}"
    r"|\d{4}-\d{2}-\d{2})"
)


def parse_date(value: str | None) -> str | None:
    """The first date found in `value` as ISO yyyy-mm-dd ('stated on October 22, 2019 in …' works)."""
    if not value:
        return None
    found = _DATE_IN_TEXT.search(value)
    if not found:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(found.group(1), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def last_date(text: str | None) -> str | None:
    """The last date written in a text as ISO (a tweet's own date closes its embed: "— Name (@x) May 1, 2020")."""
    if not text:
        return None
    found = _DATE_IN_TEXT.findall(text)
    return parse_date(found[-1]) if found else None


def _open(path: str | Path):
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=str(path))
    try:
        return path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise InputError(f"cannot read it ({error.strerror})", path=str(path)) from error


def _pick(row: dict, *names: str) -> str | None:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return value
    return None


def read_collection(path: str | Path) -> list[Document]:
    """The verified claims, in file order; duplicate ids keep the first row."""
    docs: dict[str, Document] = {}
    with _open(path) as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        fields = set(reader.fieldnames or [])
        if not ({"vclaim_id", "id"} & fields and {"vclaim", "text"} & fields):
            raise InputError("expected a header row with vclaim_id (or id) and vclaim (or text) columns",
                             path=str(path), line=1)
        for line, row in enumerate(reader, start=2):
            doc_id = _pick(row, "vclaim_id", "id")
            text = _pick(row, "vclaim", "text")
            if not doc_id or not text or not clean_text(text):
                raise InputError("row without an id or a claim text", path=str(path), line=line)
            if doc_id in docs:
                continue
            docs[doc_id] = Document(
                id=doc_id, text=clean_text(text), title=clean_text(row.get("title") or "") or None,
                published=parse_date(_pick(row, "date", "published")),
                rating=_pick(row, "truth_label", "rating"), url=_pick(row, "page_url", "url"),
            )
    return list(docs.values())


def read_queries(path: str | Path) -> list[Query]:
    """The input claims, in file order; a repeated id keeps its first text."""
    queries: dict[str, Query] = {}
    with _open(path) as handle:
        for line, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or not "".join(row).strip():
                continue
            if len(row) < 2 or not row[0].strip():
                raise InputError("expected `query_id <TAB> text`", path=str(path), line=line)
            queries.setdefault(row[0].strip(), Query(row[0].strip(), "\t".join(row[1:])))
    return list(queries.values())


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    """query id -> relevant doc ids (TREC qrels: `query_id 0 doc_id relevance`)."""
    qrels: dict[str, set[str]] = {}
    with _open(path) as handle:
        for line, raw in enumerate(handle, start=1):
            parts = raw.split()
            if not parts:
                continue
            if len(parts) != 4:
                raise InputError("expected `query_id 0 doc_id relevance`", path=str(path), line=line)
            query, _, doc, relevance = parts
            try:
                relevant = float(relevance) > 0
            except ValueError:
                raise InputError(f"relevance {relevance!r} is not a number", path=str(path), line=line) from None
            if relevant:
                qrels.setdefault(query, set()).add(doc)
    return qrels


_TRANSCRIPT_ID = re.compile(r"^(?P<doc>.+?)_(?P<line>\d+)$")
_DATE_PREFIX = re.compile(r"^(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)")


def transcript_position(query_id: str) -> tuple[str, int] | None:
    """(transcript, line number) when the id reads `<transcript>_<line>` (CheckThat! 2B debates)."""
    found = _TRANSCRIPT_ID.match(query_id)
    return (found["doc"], int(found["line"])) if found else None


def date_from_id(identifier: str) -> str | None:
    """A yyyymmdd prefix of an id (debate transcripts are named by their date) as an ISO date."""
    found = _DATE_PREFIX.match(identifier)
    if not found:
        return None
    try:
        return date(int(found["y"]), int(found["m"]), int(found["d"])).isoformat()
    except ValueError:
        return None
