"""`workbench export`: verdicts as CSV, JSONL, Markdown, HTML or ClaimReview JSON-LD."""

from __future__ import annotations

import click

from ..vocab import EXPORT_FORMATS, STATUSES
from ..words import plural
from . import main
from .options import echo, existing_db_option, open_db


@main.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="What to write.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="The file to write (default: stdout).")
@click.option("--article", "article_id", type=int, default=None, help="Only the claims of this article id.")
@click.option("--source", default=None, help="Only the claims of this source (its name).")
@click.option("--verdict", "verdicts", type=click.Choice(STATUSES), multiple=True,
              help="Only claims whose current verdict is this (repeatable; 'pending': for review, not yet "
                   "judged; 'evidence': imported fact-checks and statements; 'not for review': under the review floor).")
@click.option("--include-pending", is_flag=True,
              help="csv: also the claims waiting for review (by default the editors' CSV holds decided claims).")
@click.option("--since", default=None, metavar="DATE",
              help="Only claims whose current verdict was decided on or after DATE: YYYY-MM-DD (from "
                   "00:00 UTC) or a date-time such as 2025-04-05T13:00+02:00 (no offset: UTC).")
@click.option("--publisher", envvar="WORKBENCH_PUBLISHER", default=None,
              help="ClaimReview: the organisation publishing the reviews (or set WORKBENCH_PUBLISHER).")
@click.option("--publisher-url", envvar="WORKBENCH_PUBLISHER_URL", default=None,
              help="ClaimReview: its web address (or set WORKBENCH_PUBLISHER_URL).")
@click.option("--review-url", envvar="WORKBENCH_REVIEW_URL", default=None, metavar="TEMPLATE",
              help="ClaimReview: each review's url, {claim_id} filled in (or set WORKBENCH_REVIEW_URL; "
                   "default: the publisher url with #claim-ID).")
@existing_db_option
def export(fmt: str, out_path: str | None, article_id: int | None, source: str | None,
           verdicts: tuple[str, ...], include_pending: bool, since: str | None, publisher: str | None,
           publisher_url: str | None, review_url: str | None, db_path: str) -> None:
    """Export verdicts for editors (csv, markdown, html) or other tools (jsonl, claimreview).

    \b
    workbench export --format html --out report.html
    workbench export --format csv --verdict disputed > disputed.csv
    WORKBENCH_PUBLISHER="Example Checks" workbench export --format claimreview --out reviews.json

    csv and claimreview hold decided claims (csv: --include-pending adds those waiting for review);
    html, markdown and jsonl every claim. ClaimReview's pre-flight check prints on stderr what Google
    would reject, each problem once, and suggests short forms for claims longer than Google shows.
    Nothing decided yet: a valid empty file, a line on stderr saying what to do, and exit 0.
    """
    # sqlite-utils and the renderers: not for `--help` (start-up speed)
    from ..export import nothing_decided, write_export

    db = open_db(db_path)
    count = write_export(
        db, fmt, out_path, article_id=article_id, source=source, verdict=verdicts or None, since=since,
        publisher=publisher, publisher_url=publisher_url, review_url=review_url,
        warn=lambda line: echo(f"claimreview: {line}", err=True), include_pending=include_pending,
    )
    # Exit 0: the file is valid and complete (an empty list or a header row); a quiet day is no failure
    # for a scheduled publish job, and the person at the terminal reads what to do.
    if nothing_decided(fmt, count, verdicts, include_pending, since):
        more = " or pass --include-pending" if fmt == "csv" else ""
        echo(f"no decided claims to export; mark claims in the desk (`workbench review`){more}", err=True)
    if out_path is not None:
        noun = "review" if fmt == "claimreview" else "claim"
        echo(f"wrote {plural(count, noun)} to {out_path}", err=True)
