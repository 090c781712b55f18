"""End to end: articles/s and claims/s from files to stored, embedded, matched claims.

    python benchmarks/end_to_end.py [--articles N] [--articles-100k N] [--runs R] [--seeds FILE] [--json OUT]

Each run calls `workbench.pipeline.run_pipeline` on a JSONL file of articles, the path `workbench
ingest FILE` takes (read, split, store one article per transaction, embed, score worthiness, match
the new claims and update the older claims that gain them), with the model already loaded, into a
real SQLite file. Alternated with the baseline: plain sentence-transformers `encode` (fp32, batch 64,
same packaged model, also loaded beforehand) of the claims the splitter finds in the same articles,
nothing stored. Ratio = baseline seconds / ingest seconds (below 1: ingest is that much slower).
Start-up and model loading are left out of both: they are the same fixed cost whatever the volume.

Cases: into an empty database, and into a copy of the 100k-claim matched corpus
(corpus.cached_corpus(100000, seeds, matched=True)). Articles: benchmarks/articles.py (demo
paragraphs recombined across articles, numbers, places and weekdays redrawn), about 20 claims each.
Each ingest runs in a child process (`end_to_end.py --ingest-child`, which loads the model, then
times run_pipeline and prints its phases), so one still going after --timeout seconds can be stopped
even inside a step that never checks for cancel; it is reported as MISSED with the claims/s it could
at best have reached (claims / timeout).
"""

from __future__ import annotations

import argparse
import shutil
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from sentence_transformers import SentenceTransformer  # noqa: E402

from articles import articles, write_jsonl  # noqa: E402
from common import Row, median, report  # noqa: E402
from corpus import cached_corpus, load_seeds, working_copy  # noqa: E402
from workbench.db import open_database  # noqa: E402
from workbench.embedding import load_embedder, packaged_model_path  # noqa: E402
from workbench.pipeline import IngestRequest, run_pipeline  # noqa: E402
from workbench.splitting import split_article  # noqa: E402

# 300,000 sentences in 30 minutes (issue 13, "a day of a newsroom"): the rate ingest must sustain.
NEWSROOM_RATE = 300_000 / 1800
PHASES = {"Splitting into claims": "split+store", "Embedding claims": "embed", "Matching claims": "match"}


@dataclass
class PhaseClock:
    """A pipeline progress callback that records when each phase starts; the gaps are phases too."""

    marks: list[tuple[str, float]] = field(default_factory=list)
    last_print: float = 0.0
    echo: bool = False
    embed_end: float = 0.0  # the last embedding progress: worthiness scoring runs from there to matching

    def __call__(self, label: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        name = PHASES.get(label, label)
        if not self.marks or self.marks[-1][0] != name:
            if self.marks and self.marks[-1][0] == "embed" and name == "match":
                self.marks.append(("worthiness+load", self.embed_end))
            self.marks.append((name, now))
        if name == "embed":
            self.embed_end = now
        if self.echo and (now - self.last_print > 10 or done == total):
            self.last_print = now
            print(f"    {name}: {done:,} / {total if total is not None else '?':,}", file=sys.stderr, flush=True)

    def seconds(self, finished: float) -> dict[str, float]:
        out: dict[str, float] = {}
        for (name, start), (_, end) in zip(self.marks, self.marks[1:] + [("end", finished)]):
            out[name] = out.get(name, 0.0) + max(0.0, end - start)
        return out


def ingest(db_path: Path, source: Path, embedder: object, deadline: float | None = None,
           echo: bool = False) -> tuple[object, dict[str, float], float]:
    """run_pipeline on one JSONL file: (its result, seconds per phase, wall seconds)."""
    clock = PhaseClock(echo=echo)
    cancel: Callable[[], bool] | None = (lambda: time.perf_counter() > deadline) if deadline else None
    db = open_database(db_path)
    started = time.perf_counter()
    try:
        result = run_pipeline(db, IngestRequest(paths=[str(source)]), embedder=embedder,  # type: ignore[arg-type]
                              progress=clock, cancel=cancel)
    finally:
        finished = time.perf_counter()
        db.conn.close()
    return result, clock.seconds(finished), finished - started


def split_claims(records: list[dict]) -> list[str]:
    """The claims the workbench's splitter finds in these articles (the baseline encodes these)."""
    return [span.text for record in records for span in split_article(record["text"], record["title"])[0]]


def stored_counts(db: Path, before: int) -> tuple[int, int]:
    """(claims added, added claims with no match run): the second must be 0 for a finished ingest."""
    with sqlite3.connect(db) as conn:
        added = conn.execute("SELECT count(*) FROM claims WHERE id > ?", [before]).fetchone()[0]
        unmatched = conn.execute(
            "SELECT count(*) FROM claims c WHERE c.id > ? AND NOT EXISTS "
            "(SELECT 1 FROM match_runs r WHERE r.claim_id = c.id)", [before]).fetchone()[0]
    return added, unmatched


def max_claim_id(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]


def ingest_in_child(db: Path, source: Path, timeout: float) -> dict | None:
    """Time one ingest in a child process; None if it ran past `timeout` (then it is killed)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, str(Path(__file__).resolve()), "--ingest-child", str(db), str(source), str(timeout)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # The child loads the model (untimed) before its clock starts: allow a minute for that.
        stdout, stderr = process.communicate(timeout=timeout + 60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    finally:
        if process.poll() is None:  # this process is being stopped (run.py's budget): take the child along
            process.kill()
    if process.returncode != 0:
        raise SystemExit(f"end_to_end: the ingest child failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def ingest_child(db: Path, source: Path, timeout: float) -> None:
    """In the child: load the model, then run and time the ingest; print one JSON line."""
    embedder = load_embedder()
    result, phases, seconds = ingest(db, source, embedder, time.perf_counter() + timeout)
    print(json.dumps({"seconds": seconds, "phases": phases, "cancelled": bool(result.cancelled)}))  # type: ignore[attr-defined]


def case(name: str, count: int, start_db: Path | None, scratch: Path, runs: int, timeout: float,
         first: int = 0) -> list[Row]:
    """Ingest `count` articles into a fresh copy of start_db (None: empty), alternated with the baseline."""
    records = articles(count, start=first)
    source = write_jsonl(records, scratch / f"{name}.jsonl")
    texts = split_claims(records)
    plain_model = SentenceTransformer(str(packaged_model_path()), device="cpu")
    plain_model.encode(texts[:64], batch_size=64)  # warm-up: the first call allocates and picks kernels
    ingest_s: list[float] = []
    plain_s: list[float] = []
    phases: list[dict[str, float]] = []
    timed_out = False
    added = 0
    for run in range(runs):
        db = scratch / f"{name}-{run}.db"
        if start_db is not None:
            working_copy(start_db, db)
        before = max_claim_id(db) if start_db is not None else 0
        started = time.perf_counter()
        plain_model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        plain_s.append(time.perf_counter() - started)
        print(f"  {name} run {run + 1}: plain encode {plain_s[-1]:.1f} s", file=sys.stderr)
        outcome = ingest_in_child(db, source, timeout)
        if outcome is None or outcome["cancelled"]:
            timed_out = True
            print(f"  {name} run {run + 1}: ingest stopped after {timeout:.0f} s", file=sys.stderr)
            ingest_s.append(timeout)
            break
        split, seconds = outcome["phases"], outcome["seconds"]
        added, unmatched = stored_counts(db, before)
        if unmatched:
            raise SystemExit(f"end_to_end: {unmatched} of {added} new claims have no match run after ingest")
        ingest_s.append(seconds)
        phases.append(split)
        print(f"  {name} run {run + 1}: ingest {seconds:.1f} s ({added} claims; "
              + ", ".join(f"{k} {v:.1f} s" for k, v in split.items()) + ")", file=sys.stderr)
        for path in db.parent.glob(db.name + "*"):  # the copy, its WAL and its vector index folder
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    claims = added or len(texts)
    took, base = median(ingest_s), median(plain_s)
    split_note = ", ".join(f"{k} {median(p.get(k, 0.0) for p in phases):.1f} s" for k in phases[0]) if phases else ""
    note = (f"{count} articles, {claims} claims; stopped at the {timeout:.0f} s limit: an upper bound"
            if timed_out else f"{count} articles, {claims} claims; {split_note}")
    rate = claims / took
    return [
        Row("end_to_end", name, "claims/s", "claims/s", rate, baseline=len(texts) / base, ratio=base / took,
            target=f">= {NEWSROOM_RATE:.0f} claims/s", met=(not timed_out) and rate >= NEWSROOM_RATE,
            runs=len(ingest_s), note=note + "; baseline: plain encode of the same claims"),
        Row("end_to_end", name, "articles/s", "articles/s", count / took, runs=len(ingest_s), note=note),
    ]


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=40, help="articles ingested into an empty database")
    parser.add_argument("--articles-100k", type=int, default=10, help="articles ingested into 100k claims (0: skip)")
    parser.add_argument("--corpus-claims", type=int, default=100_000, help="claims in the pre-filled database")
    parser.add_argument("--runs", type=int, default=2, help="alternated runs per case; medians")
    parser.add_argument("--timeout", type=float, default=240, help="seconds before an ingest is stopped")
    parser.add_argument("--seeds", default=os.environ.get("BENCH_SEEDS") or None,
                        help="corpus seeds (CheckThat! vclaims.tsv); default: the demo claims")
    parser.add_argument("--scratch", help="directory for databases (default: a temporary one)")
    parser.add_argument("--json", help="write the rows here")
    parser.add_argument("--ingest-child", nargs=3, metavar=("DB", "JSONL", "TIMEOUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ingest_child:
        db, source, timeout = args.ingest_child
        ingest_child(Path(db), Path(source), float(timeout))
        return []
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-e2e-", dir=args.scratch) as tmp:
        scratch = Path(tmp)
        if args.articles:
            rows += case("ingest into empty db", args.articles, None, scratch, args.runs, args.timeout)
        if args.articles_100k:
            corpus = cached_corpus(args.corpus_claims, load_seeds(args.seeds), matched=True)
            rows += case(f"ingest into {args.corpus_claims // 1000}k claims", args.articles_100k, corpus,
                         scratch, args.runs, args.timeout, first=1_000_000)
    report(rows, args.json, title="end to end: files -> stored, embedded, matched claims")
    return rows


if __name__ == "__main__":
    main()
