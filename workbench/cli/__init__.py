"""The `workbench` command: a thin layer over the core modules.

Only click and the standard library are imported here and in the command modules' top level;
each command imports what it needs when it runs, so `workbench --help` answers at once.
"""

from __future__ import annotations

import click

from .. import __version__
from ..errors import WorkbenchError


class WorkbenchGroup(click.Group):
    """Turns WorkbenchError into one line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkbenchError as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=WorkbenchGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Claim Workbench: split articles into claims, match them across sources, record verdicts.

    Run with no command to open the review desk.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(main.commands["review"])


# Each module adds its commands to `main`.
from . import (  # noqa: E402,F401
    compare_command,
    corpus_commands,
    eval_commands,
    export_commands,
    match_commands,
    review_command,
    verdict_commands,
)
