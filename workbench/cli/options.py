"""Options shared by the commands, and the helpers that turn them into core objects."""

from __future__ import annotations

import click

from ..safe_text import visible

db_option = click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), envvar="WORKBENCH_DB", default="claims.db",
    show_default=True, help="The claims database (or set WORKBENCH_DB).",
)
model_option = click.option(
    "--model", "model", envvar="WORKBENCH_MODEL", default=None,
    help="Any sentence-transformers name or path (or set WORKBENCH_MODEL); default: the packaged "
         "all-MiniLM-L6-v2.",
)
reviewer_option = click.option(
    "--reviewer", default=None, envvar="WORKBENCH_REVIEWER",
    help="Who is deciding (or set WORKBENCH_REVIEWER; default: the name the desk remembered).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def open_db(db_path: str):
    """Open claims.db, or fail with one line naming the file."""
    from ..db import open_database

    db = open_database(db_path)
    if db.migration_backup is not None:
        echo(f"backed up {db_path} to {db.migration_backup} before upgrading it", err=True)
    return db


def rich_progress(description: str):
    """A rich progress bar on stderr, so stdout stays clean for pipes."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=False,
    )


def echo(message: str = "", *, err: bool = False) -> None:
    """Every line the CLI prints: stored and typed text may hold terminal escapes (OSC 52 rewrites the
    clipboard); they are shown as \\uXXXX, never sent to the terminal."""
    click.echo(visible(message), err=err)


def cells(*values: object) -> list:
    """Table cells that Rich shows as they are: no markup (`[link=...]`, `[/]`), no control characters."""
    from rich.text import Text  # rich is imported only by the commands that draw tables

    return [Text(visible("" if value is None else str(value))) for value in values]
