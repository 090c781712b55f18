"""Options shared by the commands, and the helpers that turn them into core objects."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from ..config import DEVICES
from ..safe_text import visible

DB_HELP = "The claims database (or set WORKBENCH_DB)."
MODEL_HELP = ("Any sentence-transformers name or path (or set WORKBENCH_MODEL); default: "
              "all-MiniLM-L6-v2-int8, built from the packaged all-MiniLM-L6-v2 (all-MiniLM-L6-v2: the fp32 one).")
GROUP_KEY = "workbench.given"  # ctx.meta: what `workbench --db X --model Y` said before the command


def from_group(ctx: click.Context, param: click.Parameter, value):
    """`workbench --db X claims` means `workbench claims --db X`: a value given before the command counts
    unless the command's own flag says otherwise (an environment variable does not)."""
    name = param.name or ""
    if ctx.get_parameter_source(name) in (ParameterSource.COMMANDLINE, ParameterSource.PROMPT):
        return value
    given = ctx.meta.get(GROUP_KEY, {}).get(name)
    return value if given is None else given


def existing_database(ctx: click.Context, param: click.Parameter, value):
    """For commands that only read: a mistyped --db is one line, never a new empty database."""
    path = from_group(ctx, param, value)
    if not Path(path).exists():
        raise click.ClickException(visible(f"no database at {path}; run `workbench ingest` or "
                                           "`workbench demo` first"))
    return path


def database_option(*, must_exist: bool):
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), envvar="WORKBENCH_DB", default="claims.db",
        show_default=True, help=DB_HELP, callback=existing_database if must_exist else from_group,
    )


db_option = database_option(must_exist=False)  # commands that write: ingest, demo, match, mark, review
existing_db_option = database_option(must_exist=True)  # commands that only read
model_option = click.option("--model", "model", envvar="WORKBENCH_MODEL", default=None, help=MODEL_HELP,
                            callback=from_group)
REVIEWER_HELP = "Who is deciding (or set WORKBENCH_REVIEWER; default: the name the desk remembered)."
reviewer_option = click.option("--reviewer", default=None, envvar="WORKBENCH_REVIEWER", help=REVIEWER_HELP,
                               callback=from_group)
device_option = click.option(
    "--device", type=click.Choice(DEVICES, case_sensitive=False), envvar="WORKBENCH_DEVICE", default=None,
    help="Where a torch model embeds (or set WORKBENCH_DEVICE); default auto: a GPU when there is one. The "
         "int8 default always runs on the CPU.")
jobs_option = click.option(
    "--jobs", type=click.IntRange(min=1), envvar="WORKBENCH_JOBS", default=None,
    help="Processes that match a large batch (10,000 claims or more) at once (or set WORKBENCH_JOBS); "
         "default: one per core.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


class PrefixChoice(click.Choice):
    """A choice that also takes a unique beginning, any case: `mark 2 corrob`, `mark 2 D`."""

    def convert(self, value, param, ctx):
        text = str(value).lower()
        starts = [choice for choice in map(str, self.choices) if choice.lower().startswith(text)]
        if text and len(starts) == 1:
            return starts[0]
        return super().convert(value, param, ctx)


def open_db(db_path: str):
    """Open claims.db, or fail with one line naming the file."""
    from ..db import open_database  # sqlite-utils: kept out of `workbench --help` (start-up speed)

    db = open_database(db_path)
    if db.migration_backup is not None:
        echo(f"backed up {db_path} to {db.migration_backup} before upgrading it", err=True)
    return db


def rich_progress(description: str):
    """A rich progress bar on stderr, so stdout stays clean for pipes."""
    # rich: kept out of `workbench --help` (start-up speed)
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
