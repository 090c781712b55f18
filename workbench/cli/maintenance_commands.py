"""Looking after claims.db itself: `workbench verify` and `workbench backup`."""

from __future__ import annotations

import click

from ..integrity import verify as verify_database
from . import main
from .options import echo, existing_db_option


@main.command()
@existing_db_option
def verify(db_path: str) -> None:
    """Check claims.db: the file (integrity_check), the append-only triggers and the history's hash chain.

    Names the first altered row of each history and exits with status 1 when anything is wrong.
    A dropped trigger is reported, not recreated (any other command recreates it); a database from
    an older workbench is first brought up to date, after a backup beside it.
    """
    from ..db import APPEND_ONLY_TRIGGERS, open_database  # sqlite-utils: not for `--help` (start-up speed)

    db = open_database(db_path, repair=False)
    try:
        result = verify_database(db, list(APPEND_ONLY_TRIGGERS))
    finally:
        db.close()
    if result.ok:
        counts = ", ".join(f"{count} {table.replace('_', ' ')}" for table, count in result.chained.items())
        echo(f"{db_path}: ok ({counts} chained; triggers in place; integrity_check ok)")
        return
    for problem in result.problems():
        echo(f"{db_path}: {problem}", err=True)
    raise click.exceptions.Exit(1)


@main.command()
@click.argument("target", metavar="PATH", type=click.Path(dir_okay=False))
@existing_db_option
def backup(target: str, db_path: str) -> None:
    """Copy claims.db to PATH, consistently, even while the desk or another command writes to it."""
    from ..db import backup_database, open_database  # sqlite-utils: not for `--help` (start-up speed)

    # migrate=False: a backup copies the database as it is, it never upgrades it first.
    db = open_database(db_path, migrate=False)
    try:
        written = backup_database(db, target)
    finally:
        db.close()
    echo(f"backed up {db_path} to {written}", err=True)
