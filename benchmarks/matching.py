"""Our matcher against the plain way (SentenceTransformer.encode + one numpy matrix product).

    .venv/bin/python benchmarks/matching.py                       # the packaged demo corpus
    .venv/bin/python benchmarks/matching.py --collection ../shared/data/checkthat2022-2a/vclaims.tsv \\
        --queries ../shared/data/checkthat2022-2a/queries-train-dev.tsv --limit-queries 200

Both sides get the same claims and the same model. Reported (median of --repeats runs, seconds):
- plain: encode everything, normalised, then queries x collection, top-k by argpartition;
- workbench cold: match_claims on a fresh database (embedding included);
- workbench warm: match_claims again with every vector stored (what `workbench match --all` costs);
- one new claim: match_claims on a single new claim (what ingesting one article costs per claim).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def demo_sources() -> dict[str, list[str]]:
    """Sentences of the packaged demo articles by source, plus the demo fact-checks."""
    import csv

    import pysbd

    from workbench.demo import article_file, claims_file

    segmenter = pysbd.Segmenter(language="en", clean=False)
    sources: dict[str, list[str]] = {}
    for line in article_file().read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        sentences = [s.strip() for s in segmenter.segment(article["text"]) if len(s.strip()) > 20]
        sources.setdefault(article.get("source") or "unknown", []).extend(sentences)
    with claims_file().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            sources.setdefault(row["source"], []).append(row["text"])
    return sources


def checkthat_sources(collection: str, queries: str, limit: int | None) -> dict[str, list[str]]:
    from workbench.evaluation.readers import clean_text, read_collection, read_queries

    docs = [f"{d.title} {d.text}" if d.title else d.text for d in read_collection(collection)]
    asked = [clean_text(q.text) for q in read_queries(queries)][:limit]
    return {"collection": docs, "queries": asked}


def build_db(sources: dict[str, list[str]]):
    from workbench.db import memory_database

    db = memory_database()
    for name, texts in sources.items():
        source_id = db["sources"].insert({"name": name, "kind": "other"}).last_pk
        with db.atomic():
            for i, text in enumerate(texts):
                digest = hashlib.sha256(f"{name}{i}{text}".encode()).hexdigest()
                article_id = db.conn.execute(
                    "INSERT INTO articles (source_id, text, content_hash, ingested_at) VALUES (?, ?, ?, 'now')",
                    [source_id, text, digest]).lastrowid
                db.conn.execute(
                    """INSERT INTO claims (article_id, source_id, position, span_start, span_end, text)
                       VALUES (?, ?, 0, 0, ?, ?)""", [article_id, source_id, len(text), text])
    return db


def plain(model, sources: dict[str, list[str]], k: int) -> None:
    import numpy as np

    texts = [t for texts in sources.values() for t in texts]
    labels = np.array([i for i, texts in enumerate(sources.values()) for _ in texts])
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    for start in range(0, len(texts), 256):
        sims = vectors[start:start + 256] @ vectors.T
        sims[labels[start:start + 256, None] == labels[None, :]] = -np.inf
        np.argpartition(-sims, k, axis=1)[:, :k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collection")
    parser.add_argument("--queries")
    parser.add_argument("--limit-queries", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()

    from workbench.embedding import load_embedder
    from workbench.matching import MatchSettings, match_claims

    if args.collection and args.queries:
        sources = checkthat_sources(args.collection, args.queries, args.limit_queries)
    else:
        sources = demo_sources()
    n = sum(len(texts) for texts in sources.values())
    embedder = load_embedder()
    settings = MatchSettings(k=args.k, model=embedder.name)
    print(f"{n} claims from {len(sources)} sources, model {embedder.name}, k={args.k}, "
          f"median of {args.repeats}", flush=True)
    figures: dict[str, list[float]] = {"plain encode + numpy": [], "workbench cold (embed + match all)": [],
                                       "workbench warm (match all, vectors stored)": [],
                                       "workbench one new claim (embed + match + older)": []}
    for _ in range(args.repeats):
        started = time.perf_counter()
        plain(embedder.model, sources, args.k)
        figures["plain encode + numpy"].append(time.perf_counter() - started)

        db = build_db(sources)
        started = time.perf_counter()
        match_claims(db, embedder, settings=settings)
        figures["workbench cold (embed + match all)"].append(time.perf_counter() - started)
        started = time.perf_counter()
        match_claims(db, embedder, settings=settings)
        figures["workbench warm (match all, vectors stored)"].append(time.perf_counter() - started)
        text = "A new claim arrives: officials said two people died in a drone strike on Monday."
        source_id = db["sources"].insert({"name": "new source", "kind": "other"}).last_pk
        article_id = db["articles"].insert({"source_id": source_id, "text": text, "content_hash": "new",
                                            "ingested_at": "now"}).last_pk
        new = db["claims"].insert({"article_id": article_id, "source_id": source_id, "position": 0,
                                   "span_start": 0, "span_end": len(text), "text": text}).last_pk
        started = time.perf_counter()
        match_claims(db, embedder, [new], settings=settings)  # embeds it, matches it, updates older claims
        figures["workbench one new claim (embed + match + older)"].append(time.perf_counter() - started)
    for name, values in figures.items():
        print(f"  {name:<45} {statistics.median(values):8.3f} s")


if __name__ == "__main__":
    main()
