"""The `workbench` command: a thin layer over the core modules.

Only click and the standard library are imported here and in the command modules' top level;
each command imports what it needs when it runs, so `workbench --help` answers at once.
"""

from __future__ import annotations

import os
import sqlite3

import click

from .. import __version__
from ..errors import WorkbenchError
from ..safe_text import visible
from .options import DB_HELP, GROUP_KEY, MODEL_HELP, REVIEWER_HELP, device_option, jobs_option


class WorkbenchGroup(click.Group):
    """Turns WorkbenchError into one line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkbenchError as error:
            raise click.ClickException(visible(str(error))) from error
        except sqlite3.DatabaseError as error:  # a damaged file met mid-command: nothing was written
            raise click.ClickException(visible(f"the database cannot be read ({error}); `workbench verify` "
                                               "checks it")) from error


@click.group(cls=WorkbenchGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None, help=DB_HELP)
@click.option("--model", default=None, help=MODEL_HELP)
@click.option("--reviewer", default=None, help=REVIEWER_HELP)
@device_option
@jobs_option
@click.pass_context
def main(ctx: click.Context, db_path: str | None, model: str | None, reviewer: str | None, device: str | None,
         jobs: int | None) -> None:
    """Claim Workbench: split articles into claims, match them across sources, record verdicts.

    Run with no command to open the review desk. --db, --model and --reviewer go before or after the
    command.
    """
    ctx.meta[GROUP_KEY] = {"db_path": db_path, "model": model, "reviewer": reviewer}
    if device:  # every embedder of this process reads it, the desk's workers too (config.device_name)
        os.environ["WORKBENCH_DEVICE"] = device
    if jobs:  # read where a batch is matched (matching/batches.py), the desk's workers too
        os.environ["WORKBENCH_JOBS"] = str(jobs)
    if ctx.invoked_subcommand is None:
        # ctx.invoke fills defaults only, so the environment is read here as the command would.
        ctx.invoke(main.commands["review"], db_path=db_path or os.environ.get("WORKBENCH_DB") or "claims.db",
                   model=model, reviewer=reviewer)


# Each module adds its commands to `main`.
from . import (  # noqa: E402,F401
    compare_command,
    corpus_commands,
    eval_commands,
    export_commands,
    maintenance_commands,
    match_commands,
    model_commands,
    review_command,
    verdict_commands,
)
