"""Large claims.db files for benchmarks, built from real sentences and their real embeddings.

    python benchmarks/corpus.py OUT.db --claims 100000 [--seeds FILE] [--matched] [--model NAME]

How a corpus is built (so that it looks like real claims to the vector index and to FTS5):
1. Seeds: real sentences, embedded once with the real model (cached under benchmarks/.cache/). By
   default the claims the workbench splits out of its packaged demo articles plus the demo fact-checks
   (a few hundred); `--seeds` takes a CheckThat! vclaims.tsv / queries tsv (or any text file, one
   sentence per line) for thousands of varied seeds.
2. Each synthetic claim is a variant of one seed `a` written with words of one of a's 20 nearest seeds
   `b`: its text is the first w of a's words followed by the last (1 - w) of b's, w ~ U(0.55, 0.95);
   its vector is normalise(w·v_a + (1 - w)·v_b + noise), the noise a Gaussian of norm ~0.2, so a claim
   sits near its seeds (cosine ~0.9-0.98) the way rewordings of one story do, and the corpus keeps the
   real cluster structure of the seeds instead of uniform noise.
3. 3% of claims are exact copies (text and vector) of an earlier claim under another source: wire
   copies and repeated headlines, which real collections are full of.
4. Claims are grouped 20 to an article (the article text is their concatenation, so every claim is a
   true span), articles spread over 40 sources and over the days 2023-01-01 .. 2026-11-30.
5. Every claim carries the committed check-worthiness model's name, as if already scored (uniform
   worthiness), so a match run does not rescore a million claims.
6. `--matched`: every claim gets its exact dense top-5 among other sources, written as matches and a
   match run whose entry bar is the 5th cosine / 1.4 (the dense part of the fused score; a lower bound
   of the hybrid bar, so incremental benchmarks check more older claims than a real run would). This
   is what the desk and incremental matching need, in minutes instead of hours of `match --all`.

Built files are cached under benchmarks/.cache/ (or $WORKBENCH_BENCH_CACHE) by their parameters; callers copy one before writing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CACHE = Path(os.environ.get("WORKBENCH_BENCH_CACHE") or Path(__file__).resolve().parent / ".cache")
CLAIMS_PER_ARTICLE = 20
SOURCES = 40
COPY_SHARE = 0.03
NEIGHBOURS = 20
FIRST_DAY = np.datetime64("2023-01-01")
LAST_DAY = np.datetime64("2026-11-30")


@dataclass
class Seeds:
    texts: list[str]
    vectors: np.ndarray  # float32, L2-normalised, one row per text
    model: str


def seed_texts(path: str | None) -> list[str]:
    """Real sentences: the demo corpus's claims, or the texts of a tsv/txt file."""
    if path is None:
        from workbench.ingest import demo_articles, demo_claims_file
        from workbench.splitting import split_article

        texts = []
        for article in demo_articles():
            claims, _ = split_article(article.text, article.title)
            texts.extend(claim.text for claim in claims)
        with open(demo_claims_file(), encoding="utf-8", newline="") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle, delimiter="\t"))
    elif path.endswith(".tsv"):
        from workbench.evaluation.readers import read_collection, read_queries

        header = Path(path).open(encoding="utf-8").readline()
        if "vclaim" in header:
            texts = [document.text for document in read_collection(path)]
        else:
            texts = [query.text for query in read_queries(path)]
    else:
        texts = [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()]
    seen: dict[str, None] = {}
    for text in texts:
        text = " ".join(text.split())
        if len(text.split()) >= 6:
            seen.setdefault(text, None)
    return list(seen)


def load_seeds(path: str | None, model: str | None = None) -> Seeds:
    """The seed sentences and their vectors under the workbench's embedder (cached on disk)."""
    from workbench.embedding import load_embedder

    texts = seed_texts(path)
    embedder = load_embedder(model)
    key = hashlib.sha256(("\n".join(texts) + embedder.name).encode()).hexdigest()[:16]
    cached = CACHE / f"seeds-{key}.npy"
    if cached.exists():
        vectors = np.load(cached)
    else:
        started = time.perf_counter()
        vectors = np.vstack([embedder.embed_batch(texts[i:i + 256]) for i in range(0, len(texts), 256)])
        CACHE.mkdir(exist_ok=True)
        np.save(cached, vectors)
        print(f"  embedded {len(texts)} seed sentences in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return Seeds(texts, np.asarray(vectors, dtype=np.float32), embedder.name)


def synthesize(seeds: Seeds, n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray, np.ndarray]:
    """n (text, vector) variants of the seeds, and for each the index of the claim it copies (-1: none)."""
    count = len(seeds.texts)
    neighbours = np.empty((count, min(NEIGHBOURS, count - 1)), dtype=np.int64)
    for start in range(0, count, 1024):
        sims = seeds.vectors[start:start + 1024] @ seeds.vectors.T
        for i in range(sims.shape[0]):
            sims[i, start + i] = -np.inf
        neighbours[start:start + 1024] = np.argpartition(-sims, neighbours.shape[1] - 1, axis=1)[:, :neighbours.shape[1]]
    words = [text.split() for text in seeds.texts]
    a = rng.integers(0, count, n)
    b = neighbours[a, rng.integers(0, neighbours.shape[1], n)]
    w = rng.uniform(0.55, 0.95, n).astype(np.float32)
    noise = rng.standard_normal((n, seeds.vectors.shape[1])).astype(np.float32)
    noise *= 0.2 / np.linalg.norm(noise, axis=1, keepdims=True)
    vectors = w[:, None] * seeds.vectors[a] + (1 - w[:, None]) * seeds.vectors[b] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = []
    for i in range(n):
        first, second = words[a[i]], words[b[i]]
        head = first[: max(3, int(round(w[i] * len(first))))]
        tail = second[len(second) - max(1, int(round((1 - w[i]) * len(second)))):]
        text = " ".join(head + tail)
        texts.append(text if text.endswith((".", "!", "?")) else text + ".")
    copies = np.full(n, -1, dtype=np.int64)
    chosen = np.flatnonzero(rng.random(n) < COPY_SHARE)
    for i in chosen[chosen > 0]:
        j = int(rng.integers(0, i))
        copies[i] = j
        texts[i] = texts[j]
        vectors[i] = vectors[j]
    return texts, vectors.astype(np.float32), copies


def build(out: Path, n: int, seeds: Seeds, *, matched: bool = False, seed: int = 7, k: int = 5) -> Path:
    """Write a claims.db of n synthetic claims (see the module docstring) to `out`."""
    from workbench.db import open_database, timestamp, write
    from workbench.embedding import text_hash, vector_to_blob
    from workbench.matching import MatchSettings
    from workbench.worthiness_model import default_model, model_id

    rng = np.random.default_rng(seed)
    texts, vectors, copies = synthesize(seeds, n, rng)
    sources = rng.integers(1, SOURCES + 1, n // CLAIMS_PER_ARTICLE + 1)
    article_of = np.arange(n) // CLAIMS_PER_ARTICLE
    source_of = sources[article_of]
    # A copy lives under another source than the claim it copies (a wire story republished).
    for i in np.flatnonzero(copies >= 0):
        if source_of[i] == source_of[copies[i]]:
            copies[i] = -1
    days = (LAST_DAY - FIRST_DAY).astype(int)
    published = [str(FIRST_DAY + int(d)) for d in rng.integers(0, days + 1, len(sources))]
    worthiness = rng.uniform(0, 1, n)
    features = json.dumps({"model": {"name": model_id(default_model())}})
    stamp = timestamp()
    out.unlink(missing_ok=True)
    db = open_database(out)
    with write(db):
        db.conn.executemany("INSERT INTO sources (id, name, kind) VALUES (?, ?, ?)",
                            [(s, f"Outlet {s:02d}", "wire" if s % 10 == 0 else "outlet") for s in range(1, SOURCES + 1)])
        for article in range(len(sources)):
            members = range(article * CLAIMS_PER_ARTICLE, min(n, (article + 1) * CLAIMS_PER_ARTICLE))
            if not members:
                break
            body, spans = "", []
            for i in members:
                start = len(body)
                body += texts[i] + " "
                spans.append((i, start, start + len(texts[i])))
            article_id = db.conn.execute(
                """INSERT INTO articles (source_id, title, published, text, content_hash, origin, ingested_at)
                   VALUES (?, ?, ?, ?, ?, 'synthetic', ?)""",
                [int(sources[article]), texts[members[0]][:60], published[article], body,
                 hashlib.sha256(f"{article}:{body}".encode()).hexdigest(), stamp]).lastrowid
            db.conn.executemany(
                """INSERT INTO claims (id, article_id, source_id, position, span_start, span_end, text, worthiness,
                   features) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [(i + 1, article_id, int(sources[article]), p, s, e, texts[i], float(worthiness[i]), features)
                 for p, (i, s, e) in enumerate(spans)])
        db.conn.executemany(
            "INSERT INTO embeddings (claim_id, model, content_hash, dimensions, vector) VALUES (?, ?, ?, ?, ?)",
            ((i + 1, seeds.model, text_hash(texts[i]), vectors.shape[1], vector_to_blob(vectors[i])) for i in range(n)))
    if matched:
        settings = json.dumps(MatchSettings(k=k, model=seeds.model).as_dict(), sort_keys=True)
        for start in range(0, n, 512):
            rows = np.arange(start, min(n, start + 512))
            sims = vectors[rows] @ vectors.T
            sims[source_of[rows][:, None] == source_of[None, :]] = -np.inf
            top = top_k(sims, k)
            with write(db):
                for r, i in enumerate(rows):
                    order = top[r][np.argsort(-sims[r, top[r]])]
                    scores = sims[r, order]
                    db.conn.executemany(
                        """INSERT INTO matches (claim_id, other_claim_id, rank, score, method, dense_score,
                           lexical_score, model, matched_at) VALUES (?, ?, ?, ?, 'hybrid', ?, 0, ?, ?)""",
                        [(int(i) + 1, int(j) + 1, rank, float(s) / 1.4, float(s), seeds.model, stamp)
                         for rank, (j, s) in enumerate(zip(order, scores), start=1)])
                    db.conn.execute(
                        "INSERT INTO match_runs (claim_id, model, settings, matched_at, entry_score) VALUES (?, ?, ?, ?, ?)",
                        [int(i) + 1, seeds.model, settings, stamp, float(scores[-1]) / 1.4])
    db.conn.execute("ANALYZE")
    db.conn.close()
    return out


def top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """Column indices of each row's k largest values (unordered), as argpartition gives, ~10x faster.

    argpartition over 512 x 100k scores took 6.7 s of each 10 s chunk on a loaded 2-core machine
    (the 100k build ~30 min). Here the k-th largest of the row's block maxima is a floor that at least
    k values reach (k distinct blocks each hold one), so only the few values at or above it are sorted.
    """
    rows, cols = sims.shape
    maxima = np.maximum.reduceat(sims, np.arange(0, cols, 512), axis=1)
    if maxima.shape[1] < k:
        return np.argpartition(-sims, k - 1, axis=1)[:, :k]
    floor = np.partition(maxima, maxima.shape[1] - k, axis=1)[:, maxima.shape[1] - k]
    row, col = np.nonzero(sims >= floor[:, None])
    order = np.lexsort((-sims[row, col], row))  # by row, then by score, highest first
    row, col = row[order], col[order]
    starts = np.searchsorted(row, np.arange(rows))
    return col[starts[:, None] + np.arange(k)[None, :]]


def cached_corpus(n: int, seeds: Seeds, *, matched: bool = False) -> Path:
    """A built corpus of n claims from these seeds, built once and kept under benchmarks/.cache/."""
    key = hashlib.sha256(("\n".join(seeds.texts[:50]) + f"{len(seeds.texts)}{seeds.model}").encode()).hexdigest()[:10]
    path = CACHE / f"corpus-{n}-{'matched' if matched else 'bare'}-{key}.db"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        build(partial, n, seeds, matched=matched)
        partial.rename(path)
        index_corpus(path, seeds.model)
        print(f"  built {n:,}-claim corpus in {time.perf_counter() - started:.0f} s: {path}", file=sys.stderr)
    return path


def index_corpus(path: Path, model: str) -> None:
    """Build the vector index a collection of this size keeps next to claims.db (matching/index.py)."""
    from workbench.db import open_database
    from workbench.matching.index import open_index, wanted

    db = open_database(path)
    try:
        if wanted(db, model):
            open_index(db, model, [])
    finally:
        db.conn.close()


def working_copy(path: Path, into: Path) -> Path:
    """A copy of a cached corpus that a benchmark may write to, with its vector index when it has one
    (a collection in use keeps its index next to claims.db; a copy without it would pay the build)."""
    into.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, into)
    index = Path(str(path) + ".index")
    if index.is_dir():
        shutil.rmtree(Path(str(into) + ".index"), ignore_errors=True)
        shutil.copytree(index, Path(str(into) + ".index"))
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seeds", help="vclaims.tsv / queries tsv / text file, one sentence per line")
    parser.add_argument("--model", default=None)
    parser.add_argument("--matched", action="store_true")
    args = parser.parse_args()
    seeds = load_seeds(args.seeds, args.model)
    started = time.perf_counter()
    build(Path(args.out), args.claims, seeds, matched=args.matched)
    print(f"{args.claims:,} claims from {len(seeds.texts):,} seeds in {time.perf_counter() - started:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
