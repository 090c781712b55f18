"""Evidence: what a reviewer cites for a verdict, in the one shape every verdict row stores.

A reference is a claim id, `#N` (the claim's match of rank N) or an http(s) url. Each becomes a frozen
record of what the reviewer saw, so a later edit of the corpus never changes an old verdict's evidence:

    {"kind": "claim", "claim_id", "text", "external_id", "article_id", "article_title", "url",
     "published", "source", "source_kind"}
    {"kind": "url", "url", "source"}          # source: the url's host

`read_evidence` is the one reader of stored evidence; it also accepts the older shapes (rows the desk
wrote without "kind", url items without "source").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import urlparse

from sqlite_utils import Database

from .db import query_rows
from .errors import WorkbenchError
from .safe_text import is_web_url

CLAIM = "claim"
URL = "url"
Reference = int | str  # a claim id, "#N" or an http(s) url


def host_of(url: str | None) -> str:
    return (urlparse(url).hostname or "") if url else ""


def url_evidence(url: str) -> dict:
    """An external link as evidence; only http(s) urls with a host (never javascript:, data:, file:)."""
    value = url.strip()
    parsed = urlparse(value)
    if not is_web_url(value) or not parsed.hostname:
        raise WorkbenchError(f"evidence {value!r} is neither a claim id, #rank nor an http(s) url "
                             "(only http:// and https:// links can be cited)")
    return {"kind": URL, "url": value, "source": parsed.hostname}


def evidence_from_claims(db: Database, claim_ids: Iterable[int]) -> list[dict]:
    """Freeze what the reviewer saw: each claim with its source, article and url (one query), in order."""
    wanted = [int(c) for c in claim_ids]
    found = {row["claim_id"]: row for row in query_rows(
        db,
        """SELECT c.id AS claim_id, c.text, c.external_id, a.id AS article_id, a.title AS article_title,
                  a.url, a.published, s.name AS source, s.kind AS source_kind
           FROM claims c JOIN articles a ON a.id = c.article_id JOIN sources s ON s.id = c.source_id
           WHERE c.id IN (SELECT value FROM json_each(?))""",
        [json.dumps(wanted)],
    )}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise WorkbenchError(f"there is no claim {missing[0]} to cite as evidence")
    return [{"kind": CLAIM, **found[c]} for c in wanted]


def claim_evidence(db: Database, claim_id: int, article_id: int, cited: Iterable[int]) -> list[dict]:
    """Evidence records for cited claims of the judged claim (`claim_id`, in `article_id`): a claim is
    never evidence for itself, nor is another claim of its own article (a story cannot corroborate itself)."""
    wanted = [int(c) for c in cited]
    if claim_id in wanted:
        raise WorkbenchError(f"claim {claim_id} cannot be evidence for itself")
    items = evidence_from_claims(db, wanted) if wanted else []
    for item in items:
        if item["article_id"] == article_id:
            raise WorkbenchError(f"claim {item['claim_id']} is in the same article as claim {claim_id}; "
                                 "cite a claim from another article or an http(s) url")
    return items


def resolve(db: Database, claim_id: int, article_id: int, references: Iterable[Reference]) -> list[dict]:
    """Evidence records for references (claim ids, #ranks of this claim's matches, http(s) urls), in order."""
    items: list[dict | int] = []
    for reference in references:
        value = reference if isinstance(reference, int) else reference.strip()
        if isinstance(value, int) or value.isdigit():
            items.append(int(value))
        elif re.fullmatch(r"#\d+", value):
            items.append(_ranked_match(db, claim_id, int(value[1:])))
        elif re.match(r"[a-z][a-z0-9+.-]*:", value, re.IGNORECASE):
            items.append(url_evidence(value))
        else:
            raise WorkbenchError(f"evidence {value!r} is neither a claim id, #rank nor an http(s) url")
    claims = iter(claim_evidence(db, claim_id, article_id, [i for i in items if isinstance(i, int)]))
    return [next(claims) if isinstance(item, int) else item for item in items]


def _ranked_match(db: Database, claim_id: int, rank: int) -> int:
    row = db.execute("SELECT other_claim_id FROM matches WHERE claim_id = ? AND rank = ?",
                     [claim_id, rank]).fetchone()
    if row is None:
        raise WorkbenchError(f"claim {claim_id} has no match of rank {rank}; "
                             f"`workbench matches {claim_id}` lists them")
    return int(row[0])


def read_evidence(stored: str | None) -> list[dict]:
    """Evidence as stored in a verdict row, every item in the current shape (older rows included)."""
    items = []
    for item in json.loads(stored or "[]"):
        if not isinstance(item, dict):
            continue  # never written by the workbench; skipped rather than breaking the desk or an export
        item = dict(item)
        if item.get("claim_id") is not None:
            item.setdefault("kind", CLAIM)
        else:
            item.setdefault("kind", URL)
            item.setdefault("source", host_of(item.get("url")))
        items.append(item)
    return items


def cited_claims(evidence: Iterable[dict]) -> list[int]:
    """The claim ids among evidence items, in order."""
    return [int(e["claim_id"]) for e in evidence if e.get("claim_id") is not None]


def cited_urls(evidence: Iterable[dict]) -> list[str]:
    """The external urls among evidence items (not the urls of cited claims' articles), in order."""
    return [e["url"] for e in evidence if e.get("kind") == URL and e.get("url")]
