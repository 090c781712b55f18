"""Getting articles in and looking at them: ingest, demo, articles, claims."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from ..vocab import SOURCE_KINDS
from ..words import plural
from . import main
from .options import (cells, db_option, echo, existing_db_option, json_option,
                      model_option, open_db, rich_progress)

if TYPE_CHECKING:
    from rich.progress import TaskID

def run_with_progress(db, request, model: str | None, on_stored=None):
    """Run the pipeline with progress bars, then say what matching did (and what it finished)."""
    from ..pipeline import finished_message, run_pipeline  # loads numpy and the matcher: not for --help
    from ..queries.sources import sources_with_claims

    # Started at the first bar, after `on_stored` printed: a live progress display would route those
    # stdout lines to stderr.
    progress = rich_progress("")
    tasks: dict[str, TaskID] = {}

    def advance(label: str, done: int, total: int | None) -> None:
        if label == "Splitting into claims":
            return  # quick, and the per-article lines say it
        if not tasks:
            progress.start()
        if label not in tasks:
            tasks[label] = progress.add_task(label, total=total)
        progress.update(tasks[label], completed=done, total=total)

    try:
        result = run_pipeline(db, request, model=model, progress=advance, on_stored=on_stored)
    finally:
        progress.stop()
    for notice in result.notices:
        echo(notice, err=True)
    report = result.report
    if report is not None:
        new = len(set(report.claim_ids) & set(result.new_claims))
        if result.new_claims and sources_with_claims(db) < 2:
            echo(f"Stored {plural(len(result.new_claims), 'new claim')}; there is no other source to match "
                 "them against yet (they are matched when another source is ingested).", err=True)
        elif result.new_claims:
            echo(f"Matched {plural(new, 'new claim')} against the other sources in {report.new_seconds:.1f} s; "
                 f"{plural(report.updated_older, 'older claim')} gained matches ({report.seconds:.1f} s in all).",
                 err=True)
        if result.earlier:
            echo(finished_message(result.finished).capitalize() + ".", err=True)
    return result


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--source", help="Who published it (required unless the file names it).")
@click.option("--kind", type=click.Choice(SOURCE_KINDS), help="The source's kind.")
@click.option("--title", help="The article's headline (one article only).")
@click.option("--url", help="Where the article was published (one article only).")
@click.option("--published", help="Publication date, YYYY-MM-DD (one article only).")
@click.option("--claims", "claims_file", is_flag=True,
              help="PATHS are already-atomic claims (TSV with a header, or JSONL: id, text, source, url, "
                   "date, rating), imported without splitting.")
@click.option("--context", "context_window", type=click.IntRange(0, 10), default=0, show_default=True,
              help="Match each claim together with the N claims before it: for transcripts and "
                   "interviews, where a short sentence names nothing on its own (3 works well).")
@click.option("--no-match", is_flag=True, help="Store only; match later with `workbench match`.")
@db_option
@model_option
def ingest(paths, source, kind, title, url, published, claims_file, context_window, no_match, db_path,
           model) -> None:
    """Split articles into claims and match them against the other sources.

    PATHS are .txt, .md, .html or .jsonl files, directories (searched recursively) or - for stdin.
    Everything is read and checked before anything is stored; each article is its own transaction.
    A page with no article text (a login page, a menu) is refused; a directory lists the files it
    skips (other types, empty, no article text) and goes on.
    """
    from ..pipeline import IngestRequest  # the pipeline loads numpy and the matcher: not for --help

    db = open_db(db_path)
    request = IngestRequest(paths=list(paths), source=source, kind=kind, title=title, url=url,
                            published=published, claims_file=claims_file, context_window=context_window,
                            match=not no_match)
    run_with_progress(db, request, model, on_stored=print_stored)


def print_stored(results) -> None:
    for result in results:
        where = result.origin or "-"
        if result.skipped:
            echo(f"{where}: skipped — {result.skipped}")
        elif result.duplicate:
            echo(f"{where}: already ingested (article {result.article_id}); nothing changed")
        elif result.article_id is None:
            echo(f"{where}: {plural(len(result.claim_ids), 'claim')} imported")
        else:
            echo(f"{where}: article {result.article_id} ({result.source}) — {plural(len(result.claim_ids), 'claim')}")


@main.command()
@db_option
@model_option
@click.option("--no-match", is_flag=True, help="Store only; match later with `workbench match`.")
def demo(db_path, model, no_match) -> None:
    """Load the demo corpus: a dozen articles from ten sources and earlier fact-checks."""
    from ..pipeline import IngestRequest  # the pipeline loads numpy and the matcher: not for --help

    def print_loaded(results) -> None:
        new_claims = [claim_id for result in results for claim_id in result.claim_ids]
        if not new_claims:
            echo(f"The demo corpus is already in {db_path}; nothing changed.")
            return
        articles = sum(1 for r in results if r.article_id is not None and not r.duplicate)
        echo(f"Loaded the demo corpus into {db_path}: {articles} articles, {len(new_claims)} claims.")

    db = open_db(db_path)
    run_with_progress(db, IngestRequest(demo=True, match=not no_match), model, on_stored=print_loaded)


@main.command()
@existing_db_option
@json_option
def articles(db_path, as_json) -> None:
    """List the articles with their source, date and how many claims are reviewed (newest first, as
    in the desk; imported fact-check claims last)."""
    # Imported when the command runs: sqlite-utils and rich stay out of `--help` (start-up speed).
    from rich.console import Console
    from rich.table import Table

    from ..queries import list_articles

    rows = list_articles(open_db(db_path))
    if as_json:
        echo(json.dumps([
            {"id": a.id, "source": a.source, "kind": a.source_kind, "published": a.published, "title": a.title,
             "url": a.url, "external_id": a.external_id, "claims": a.total, "reviewed": a.reviewed}
            for a in rows
        ], ensure_ascii=False, indent=2))
        return
    table = Table(box=None, expand=True)
    table.add_column("id", justify="right")
    table.add_column("source", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("kind", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1)
    table.add_column("claims", justify="right")
    table.add_column("reviewed", justify="right")
    for article in rows:
        table.add_row(*cells(article.id, article.source, article.source_kind, article.published or "",
                             article.title or "(untitled)", article.total, article.reviewed))
    Console(highlight=False).print(table)


@main.command()
@click.argument("article", required=False, type=int)
@click.option("--claimant", default=None, help="Only claims of this claimant, in any article and any spelling.")
@existing_db_option
@json_option
def claims(article, claimant, db_path, as_json) -> None:
    """List claims with their spans, check-worthiness and claimant (of one ARTICLE, or all)."""
    # Imported when the command runs: sqlite-utils and rich stay out of `--help` (start-up speed).
    from rich.console import Console
    from rich.table import Table

    from ..claimant_keys import claimant_key
    from ..queries import article_exists, claims_by_claimant, list_claims

    db = open_db(db_path)
    if article is not None and not article_exists(db, article):
        raise click.ClickException(f"there is no article {article}; `workbench articles` lists them")
    rows = list_claims(db, article)
    if claimant is not None:
        rows = [c for c in claims_by_claimant(db, claimant_key(claimant) or "") if article in (None, c.article_id)]
    if as_json:
        echo(json.dumps([
            {"id": c.id, "article_id": c.article_id, "source": c.source, "start": c.span_start, "end": c.span_end,
             "text": c.text, "claimant": c.claimant, "worthiness": c.worthiness, "features": c.features,
             "external_id": c.external_id, "rating": c.rating}
            for c in rows
        ], ensure_ascii=False, indent=2))
        return
    table = Table("id", "art", "span", "worth", "claimant", "claim", box=None, expand=True)
    for claim in rows:
        table.add_row(*cells(claim.id, claim.article_id, f"{claim.span_start}–{claim.span_end}",
                             f"{claim.worthiness:.2f}", claim.claimant or "", claim.text))
    Console(highlight=False).print(table)
    if not rows and claimant is not None:
        echo("No claims of that claimant: `workbench claims` lists every claim with its claimant.", err=True)
    elif not rows:
        echo("No claims yet: `workbench ingest FILE --source NAME` or `workbench demo`.", err=True)
