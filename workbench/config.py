"""Who and what: the embedding model and the reviewer, from flags or the environment.

The database path is a click option (`--db`, `WORKBENCH_DB`) in workbench/cli/options.py.
"""

from __future__ import annotations

import os

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def model_name(explicit: str | None = None) -> str:
    """The embedding model: the flag, else WORKBENCH_MODEL, else the packaged all-MiniLM-L6-v2."""
    return explicit or os.environ.get("WORKBENCH_MODEL") or DEFAULT_MODEL


def reviewer_name(explicit: str | None = None) -> str:
    """Who is deciding: the flag, else WORKBENCH_REVIEWER, else the login name."""
    if explicit:
        return explicit
    if os.environ.get("WORKBENCH_REVIEWER"):
        return os.environ["WORKBENCH_REVIEWER"]
    try:
        return os.getlogin()
    except OSError:
        import getpass  # only without a login terminal (cron, containers); cheap, kept beside its one use

        return getpass.getuser()
