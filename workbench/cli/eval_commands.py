"""`workbench eval retrieval` and `workbench eval news`: measure the matcher on a claim-retrieval benchmark,
the whole workbench on labelled real news."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import DatabaseError
from ..vocab import MATCH_METHODS
from . import main
from .options import echo, model_option, rich_progress


@main.group(name="eval")
def eval_group() -> None:
    """Measure the workbench on public benchmarks."""


@eval_group.command()
@click.option("--collection", required=True, type=click.Path(dir_okay=False),
              help="Verified claims: TSV with a header (vclaim_id, vclaim, title, ...).")
@click.option("--queries", required=True, type=click.Path(dir_okay=False),
              help="Input claims: TSV without header, query_id <TAB> text.")
@click.option("--qrels", required=True, type=click.Path(dir_okay=False),
              help="TREC qrels: query_id 0 doc_id 1. Only these queries are run.")
@click.option("--k", default=5, show_default=True, type=click.IntRange(1, 100),
              help="Matches kept per claim in the product (metrics always look at the top 10).")
@click.option("--method", type=click.Choice(MATCH_METHODS), default="hybrid", show_default=True)
@model_option
@click.option("--reranker", default=None, help="A sentence-transformers cross-encoder name or path (default: off).")
@click.option("--context-window", default=3, show_default=True, type=click.IntRange(0, 20),
              help="Transcript lines (ids <transcript>_<line>) get this many preceding lines as context.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="Keep the evaluation in this NEW database file (default: a temporary in-memory one).")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False), default=None,
              help="Vector cache file (default: ~/.cache/workbench/embeddings.sqlite).")
@click.option("--no-cache", is_flag=True, help="Embed everything afresh and remember nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def retrieval(collection, queries, qrels, k, method, model, reranker, context_window, db_path, cache_path,
              no_cache, as_json) -> None:
    """Ingest COLLECTION and QUERIES as claims of two sources, match them, and score against QRELS."""
    # numpy, sqlite-utils and the harness: kept out of `workbench --help` (start-up speed)
    from ..embedding import load_embedder
    from ..evaluation.cache import default_cache_path
    from ..evaluation.harness import run_retrieval
    from ..matching import MatchSettings

    db = None
    if db_path:
        if Path(db_path).exists() and Path(db_path).stat().st_size > 0:
            raise DatabaseError("already exists; evaluation only writes into a new database file",
                                path=db_path)
        from ..db import open_database  # sqlite-utils (start-up speed)

        db = open_database(db_path)
    cache = None if no_cache else Path(cache_path) if cache_path else default_cache_path()
    embedder = load_embedder(model)
    settings = MatchSettings(k=k, method=method, model=embedder.name, reranker=reranker)
    with rich_progress("embedding") as bar:
        task = bar.add_task("embedding", total=None)
        result = run_retrieval(
            collection, queries, qrels, embedder=embedder, settings=settings, db=db, cache=cache,
            context_window=context_window, progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        echo(json.dumps(result.as_dict(), indent=2))
        return
    echo(f"{result.queries} queries against {result.documents} verified claims "
               f"({method}, {embedder.name}{', reranker ' + reranker if reranker else ''})")
    for name, value in result.metrics.items():
        echo(f"  {name:<10} {value:.4f}")
    echo(f"  wall time  {result.seconds:.1f} s (matching {result.match_seconds:.2f} s; "
               f"one new claim {result.one_claim_seconds or 0:.3f} s)")


@eval_group.command()
@click.option("--corpus", required=True, type=click.Path(dir_okay=False),
              help="The articles: JSONL, one {text, title, source, kind, url, published} a line.")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False),
              help="Their labels (docs/evaluating-on-your-news.md).")
@model_option
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="Keep the ingested corpus in this NEW database file (default: a temporary in-memory one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@click.option("--misses", is_flag=True,
              help="Also list each query with no counterpart at rank 1: its counterparts' ranks and scores, "
                   "and what outranked them.")
def news(corpus, gold_path, model, db_path, as_json, misses) -> None:
    """Ingest a labelled news CORPUS as `workbench ingest` does and score it against GOLD: furniture
    leaks, recall of checkable sentences, claimants, matches and conflict flags."""
    # Start-up speed: the model loader and the evaluation (numpy, the matcher) are not for --help.
    from ..embedding import load_embedder
    from ..evaluation.news import read_gold, report_lines, run_news
    from ..evaluation.news_misses import miss_lines

    read_gold(gold_path)  # a bad gold file is refused before the model loads
    db = None
    if db_path:
        if Path(db_path).exists() and Path(db_path).stat().st_size > 0:
            raise DatabaseError("already exists; evaluation only writes into a new database file", path=db_path)
        from ..db import open_database  # sqlite-utils: not for --help

        db = open_database(db_path)
    report = run_news(corpus, gold_path, embedder=load_embedder(model), db=db, misses=misses)
    if as_json:
        echo(json.dumps(report.as_dict(), indent=2))
        return
    for line in report_lines(report):
        echo(line)
    if misses:
        echo()
        for line in miss_lines(report.misses or []):
            echo(line)


@eval_group.command()
@click.option("--data", required=True, type=click.Path(dir_okay=False),
              help="CheckThat! check-worthiness TSV: Sentence_id <TAB> Text <TAB> class_label (Yes/No).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
def checkworthiness(data, as_json) -> None:
    """Score the trained check-worthiness model on DATA: F1, precision and recall of the Yes class."""
    from ..worthiness_model import evaluate_file  # loads numpy and the model: not for --help

    result = evaluate_file(data)
    if as_json:
        echo(json.dumps(result, indent=2))
        return
    echo(f"{result['sentences']} sentences ({result['positives']} check-worthy), model {result['model']}, "
         f"threshold {result['threshold']:.2f}")
    for name in ("f1", "precision", "recall"):
        echo(f"  {name:<10} {result[name]:.4f}")
    echo(f"  wall time  {result['seconds']:.1f} s (model load {result['load_seconds'] * 1000:.1f} ms)")
