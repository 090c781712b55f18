"""Getting articles in and looking at them: ingest, demo, articles, claims."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from . import main
from .options import db_option, json_option, model_option, open_db, rich_progress

if TYPE_CHECKING:
    from rich.progress import TaskID

# Kept in step with db.SOURCE_KINDS by tests/test_architecture.py (importing db here would slow --help).
KINDS = ("outlet", "official", "wire", "fact-check", "other")


def run_with_progress(db, request, model: str | None, on_stored=None):
    """Run the pipeline with progress bars, then say what matching did (and what it finished)."""
    from ..pipeline import finished_message, run_pipeline  # loads numpy and the matcher: not for --help

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
        click.echo(notice, err=True)
    report = result.report
    if report is not None:
        new = len(set(report.claim_ids) & set(result.new_claims))
        if result.new_claims:
            click.echo(f"Matched {new} new claims against the other sources in {report.new_seconds:.1f} s; "
                       f"{report.updated_older} older claims gained matches ({report.seconds:.1f} s in all).",
                       err=True)
        if result.earlier:
            click.echo(finished_message(result.finished).capitalize() + ".", err=True)
    return result


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--source", help="Who published it (required unless the file names it).")
@click.option("--kind", type=click.Choice(KINDS), help="The source's kind.")
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
        if result.duplicate:
            click.echo(f"{where}: already ingested (article {result.article_id}); nothing changed")
        elif result.article_id is None:
            click.echo(f"{where}: {len(result.claim_ids)} claims imported")
        else:
            click.echo(f"{where}: article {result.article_id} ({result.source}) — "
                       f"{len(result.claim_ids)} claims")


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
            click.echo(f"The demo corpus is already in {db_path}; nothing changed.")
            return
        articles = sum(1 for r in results if r.article_id is not None and not r.duplicate)
        click.echo(f"Loaded the demo corpus into {db_path}: {articles} articles, {len(new_claims)} claims.")

    db = open_db(db_path)
    run_with_progress(db, IngestRequest(demo=True, match=not no_match), model, on_stored=print_loaded)


def article_label(row: dict) -> str:
    if row["title"]:
        return row["title"]
    return f"(imported claim {row['external_id']})" if row["external_id"] else "(untitled)"


@main.command()
@db_option
@json_option
def articles(db_path, as_json) -> None:
    """List the articles with their source, date and how many claims are reviewed."""
    db = open_db(db_path)
    rows = list(db.query(
        """SELECT a.id, s.name AS source, s.kind, a.published, a.title, a.url,
                  MAX(c.external_id) AS external_id, COUNT(c.id) AS claims,
                  SUM(CASE WHEN v.label IS NOT NULL THEN 1 ELSE 0 END) AS reviewed
           FROM articles a JOIN sources s ON s.id = a.source_id
           LEFT JOIN claims c ON c.article_id = a.id
           LEFT JOIN current_verdicts v ON v.claim_id = c.id
           GROUP BY a.id ORDER BY a.published, a.id"""
    ))
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, expand=True)
    table.add_column("id", justify="right")
    table.add_column("source", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("kind", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1)
    table.add_column("claims", justify="right")
    table.add_column("reviewed", justify="right")
    for row in rows:
        table.add_row(str(row["id"]), row["source"], row["kind"], row["published"] or "",
                      article_label(row), str(row["claims"]), str(row["reviewed"] or 0))
    Console(highlight=False).print(table)


@main.command()
@click.argument("article", required=False, type=int)
@db_option
@json_option
def claims(article, db_path, as_json) -> None:
    """List claims with their spans, check-worthiness and claimant (of one ARTICLE, or all)."""
    db = open_db(db_path)
    where, params = ("WHERE c.article_id = ?", [article]) if article is not None else ("", [])
    if article is not None and not db.execute("SELECT 1 FROM articles WHERE id = ?", [article]).fetchone():
        raise click.ClickException(f"there is no article {article}; `workbench articles` lists them")
    rows = list(db.query(
        f"""SELECT c.id, c.article_id, s.name AS source, c.span_start AS start, c.span_end AS end,
                   c.text, c.claimant, c.worthiness, c.features, c.external_id, c.rating
            FROM claims c JOIN sources s ON s.id = c.source_id {where}
            ORDER BY c.article_id, c.position""",
        params,
    ))
    for row in rows:
        row["features"] = json.loads(row["features"])
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("id", "art", "span", "worth", "claimant", "claim", box=None, expand=True)
    for row in rows:
        table.add_row(str(row["id"]), str(row["article_id"]), f"{row['start']}–{row['end']}",
                      f"{row['worthiness']:.2f}", row["claimant"] or "", Text(row["text"]))
    Console(highlight=False).print(table)
    if not rows:
        click.echo("No claims yet: `workbench ingest FILE --source NAME` or `workbench demo`.", err=True)
