"""A day of a newsroom: 300,000 sentences (15,000 articles of ~20) split, embedded and matched.

    python benchmarks/newsroom_day.py [--articles N] [--also M] [--workdir DIR] [--fresh] [--json OUT]

One `run_pipeline` call over a folder of JSONL files (1,000 articles each) of N synthetic articles (benchmarks/articles.py: demo
paragraphs recombined, numbers, places and weekdays redrawn), the path `workbench ingest` takes,
with progress on stderr and the time of each phase: split+store, embed, worthiness, match (own
matches and the older claims that gain them). Target: all 15,000 articles in under 30 minutes.

Resumable: the database and the articles folder live in --workdir (default reports/newsroom-day/) and
are kept. Kill the run at any moment and start it again with the same arguments: the pipeline stores
each article in its own transaction, so a rerun finds the stored ones by their content hash (skipped
as duplicates), embeds the claims that have no vector and matches every claim with no match run
("finished N claims left unmatched by an earlier run"). The phase times of a resumed run cover only
that run's part, so it reports no projection; --fresh starts over.

Projection (N < 15,000): split+store, embed and worthiness scale with the number of articles/claims
(per-article and per-claim rates of the measured run). Matching does not: each claim is scored
against every stored claim, so its per-claim cost grows with the corpus. With --also M (M < N) a
second fraction is measured first, in its own database, and the per-claim match cost is fitted as
a + b * corpus_size through the two points; without it the match projection is linear in claims,
which is a lower bound. Every projected row says "projected" and from what.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from articles import articles, write_jsonl  # noqa: E402
from common import Row, report  # noqa: E402
from end_to_end import ingest  # noqa: E402
from workbench.embedding import load_embedder  # noqa: E402

DAY_ARTICLES = 15_000
TARGET_MINUTES = 30.0
ARTICLES_PER_FILE = 1_000  # about 2.3 MB of JSONL


@dataclass
class Fraction:
    articles: int
    claims: int
    phases: dict[str, float]
    wall_s: float
    resumed_from: int  # articles already stored when this run started


def stored(db: Path) -> tuple[int, int, int]:
    """(articles, claims, claims with no match run) in the database."""
    if not db.exists():
        return 0, 0, 0
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT count(*) FROM articles").fetchone()[0],
                conn.execute("SELECT count(*) FROM claims").fetchone()[0],
                conn.execute("SELECT count(*) FROM claims c WHERE NOT EXISTS "
                             "(SELECT 1 FROM match_runs r WHERE r.claim_id = c.id)").fetchone()[0])


def measure(count: int, workdir: Path, fresh: bool, embedder: object) -> Fraction:
    """Ingest `count` articles into workdir/day-<count>.db, continuing what an earlier run left."""
    db = workdir / f"day-{count}.db"
    source = workdir / f"articles-{count}"
    if fresh:
        for path in workdir.glob(f"day-{count}.db*"):  # the database, its journal and its index folder
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    if not source.exists():
        # A folder of JSONL files, as a newsroom's feed would be: one file of a day's articles is over
        # the reader's limit per file (34 MB against 5 MB).
        partial = workdir / f"articles-{count}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        records = articles(count)
        for start in range(0, count, ARTICLES_PER_FILE):
            part = partial / f"part-{start // ARTICLES_PER_FILE:03d}.jsonl"
            write_jsonl(records[start:start + ARTICLES_PER_FILE], part)
        partial.rename(source)
    before, _, left = stored(db)
    if before:
        print(f"  resuming: {before:,} of {count:,} articles stored, {left:,} claims not yet matched", file=sys.stderr)
    print(f"  ingesting {count:,} articles into {db}", file=sys.stderr)
    result, phases, wall_s = ingest(db, source, embedder, echo=True)
    done, claims, unmatched = stored(db)
    if done != count or unmatched:
        raise SystemExit(f"newsroom_day: after the run {done:,} of {count:,} articles are stored and "
                         f"{unmatched:,} claims have no match run")
    report_ = getattr(result, "report", None)
    if report_ is not None and getattr(report_, "new_seconds", None):
        # new_seconds runs from the start of match_claims: embedding and worthiness included.
        before_match = phases.get("embed", 0.0) + phases.get("worthiness+load", 0.0)
        own = min(max(0.0, report_.new_seconds - before_match), phases.get("match", 0.0))
        phases["match: own top-k"] = own
        phases["match: older claims"] = max(0.0, phases.get("match", 0.0) - own)
    print(f"  {count:,} articles, {claims:,} claims in {wall_s / 60:.1f} min: "
          + ", ".join(f"{k} {v:.0f} s" for k, v in phases.items()), file=sys.stderr)
    return Fraction(count, claims, phases, wall_s, before)


def project(big: Fraction, small: Fraction | None) -> tuple[dict[str, float], str]:
    """Seconds per phase for a whole day, from the measured fraction(s), and how matching was projected."""
    scale_articles = DAY_ARTICLES / big.articles
    day_claims = big.claims * scale_articles
    out = {name: seconds * scale_articles for name, seconds in big.phases.items()
           if name in ("split+store", "embed", "worthiness+load")}
    match_big = big.phases.get("match", 0.0) / big.claims
    if small is not None and small.claims < big.claims:
        match_small = small.phases.get("match", 0.0) / small.claims
        slope = max(0.0, (match_big - match_small) / (big.claims - small.claims))
        per_claim = match_big + slope * (day_claims - big.claims)
        how = (f"match per claim fitted a + b*corpus through {small.articles:,} and {big.articles:,} articles "
               f"({match_small * 1000:.1f} -> {match_big * 1000:.1f} ms/claim)")
    else:
        per_claim = match_big
        how = f"match linear in claims ({match_big * 1000:.1f} ms/claim): a lower bound"
    out["match"] = per_claim * day_claims
    return out, how


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=DAY_ARTICLES, help=f"articles to ingest (default {DAY_ARTICLES:,})")
    parser.add_argument("--also", type=int, default=0, help="a smaller fraction measured first, to fit matching's growth")
    parser.add_argument("--workdir", default=str(ROOT / "reports" / "newsroom-day"), help="kept between runs (resume)")
    parser.add_argument("--fresh", action="store_true", help="delete this size's database first")
    parser.add_argument("--json", help="write the rows here")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    embedder = load_embedder()
    print(f"  model loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    small = measure(args.also, workdir, args.fresh, embedder) if 0 < args.also < args.articles else None
    big = measure(args.articles, workdir, args.fresh, embedder)
    name = f"{big.articles:,} articles ({big.claims:,} claims)"
    rows = [Row("newsroom_day", name, f"{phase}", "s", seconds, note="measured")
            for phase, seconds in big.phases.items()]
    rows.append(Row("newsroom_day", name, "claims/s", "claims/s", big.claims / big.wall_s,
                    target=f">= {DAY_ARTICLES * big.claims / big.articles / (TARGET_MINUTES * 60):.0f} claims/s",
                    met=big.claims / big.wall_s >= DAY_ARTICLES * big.claims / big.articles / (TARGET_MINUTES * 60),
                    note="measured" + (f"; resumed from {big.resumed_from:,} stored articles" if big.resumed_from else "")))
    resumed = big.resumed_from or (small is not None and small.resumed_from)
    if big.articles < DAY_ARTICLES and not resumed:
        phases, how = project(big, small)
        total = sum(phases.values()) / 60
        day = f"day: {DAY_ARTICLES:,} articles (projected)"
        rows += [Row("newsroom_day", day, phase, "min", seconds / 60, note=f"projected from {big.articles:,} articles")
                 for phase, seconds in phases.items()]
        rows.append(Row("newsroom_day", day, "total", "min", total, target=f"< {TARGET_MINUTES:.0f} min",
                        met=total < TARGET_MINUTES, note=f"PROJECTED from {big.articles:,} articles; {how}"))
    elif big.articles >= DAY_ARTICLES:
        rows.append(Row("newsroom_day", f"day: {big.articles:,} articles", "total", "min", big.wall_s / 60,
                        target=f"< {TARGET_MINUTES:.0f} min", met=big.wall_s / 60 < TARGET_MINUTES and not resumed,
                        note="measured" + (" (resumed: only this run's part)" if resumed else "")))
    report(rows, args.json, title="a day of a newsroom")
    for row in rows:
        if row.note.startswith("PROJECTED"):
            print(f"  {row.case}: {row.value:.0f} min, {row.note}")
    return rows


if __name__ == "__main__":
    main()
