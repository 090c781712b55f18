"""Real-looking news articles for the ingest benchmarks, made from the packaged demo articles.

How an article is made (deterministic for a given seed and index):
1. The pool: every paragraph of the 12 demo articles (workbench/demo/articles.jsonl, written for the
   package, no dev-corpus text), 61 paragraphs of 1-6 sentences.
2. An article draws paragraphs from the pool at random, without repeating one, until it holds about
   `sentences` sentences (20 by default); so its paragraphs come from several demo stories, the way a
   roundup or a live blog strings together reports.
3. Every number is redrawn (same digit count; four-digit years stay years, 2015-2026), and the place
   names and weekdays are permuted within the article, so no two articles repeat a sentence word
   for word, yet every sentence keeps the demo's grammar, claims and vocabulary.
4. Title: the first paragraph's demo headline after the same rewriting; source, kind: one of the demo
   sources; published: a day of 2025.
Written as JSONL (`write_jsonl`), the format `workbench ingest` reads.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.ingest import demo_articles

PLACES = ["Kyiv", "Kherson", "Odesa", "Lviv", "Kharkiv", "Dnipro", "Poltava", "Sumy", "Mykolaiv", "Zaporizhzhia"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER = re.compile(r"\b\d+\b")
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


@dataclass(frozen=True)
class Paragraph:
    text: str
    title: str
    source: str
    kind: str | None


def paragraph_pool() -> list[Paragraph]:
    pool = []
    for article in demo_articles():
        for text in article.text.split("\n\n"):
            if text.strip():
                pool.append(Paragraph(text.strip(), article.title or "", article.source or "Demo wire", article.kind))
    return pool


def sentences_in(text: str) -> int:
    return max(1, len(SENTENCE_END.findall(text)))


def rewrite(text: str, rng: random.Random, places: dict[str, str], days: dict[str, str]) -> str:
    def number(match: re.Match[str]) -> str:
        digits = match.group()
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return str(rng.randint(2015, 2026))
        if len(digits) == 1:
            return str(rng.randint(1, 9))
        return str(rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1))

    text = NUMBER.sub(number, text)
    names = places | days
    return re.sub(r"\b(" + "|".join(names) + r")\b", lambda m: names[m.group()], text)


def article(index: int, *, sentences: int = 20, seed: int = 13, pool: list[Paragraph] | None = None) -> dict:
    """The index-th synthetic article (a JSONL record: text, title, source, kind, published)."""
    pool = pool or paragraph_pool()
    rng = random.Random(f"{seed}:{index}")
    shuffled_places = rng.sample(PLACES, len(PLACES))
    places = dict(zip(PLACES, shuffled_places))
    days = dict(zip(WEEKDAYS, rng.sample(WEEKDAYS, len(WEEKDAYS))))
    chosen: list[Paragraph] = []
    count = 0
    for paragraph in rng.sample(pool, len(pool)):
        if count >= sentences:
            break
        chosen.append(paragraph)
        count += sentences_in(paragraph.text)
    lead = chosen[0]
    return {
        "text": "\n\n".join(rewrite(p.text, rng, places, days) for p in chosen),
        "title": rewrite(lead.title, rng, places, days),
        "source": lead.source,
        "kind": lead.kind,
        "published": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def articles(count: int, *, sentences: int = 20, seed: int = 13, start: int = 0) -> list[dict]:
    """`count` distinct synthetic articles (indices start .. start + count - 1)."""
    pool = paragraph_pool()
    out: list[dict] = []
    seen: set[str] = set()
    index = start
    while len(out) < count:
        record = article(index, sentences=sentences, seed=seed, pool=pool)
        index += 1
        if record["text"] not in seen:  # the same text twice would be stored once (a duplicate)
            seen.add(record["text"])
            out.append(record)
    return out


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps({k: v for k, v in record.items() if v is not None}) + "\n")
    return path
