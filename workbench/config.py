"""Where things live: the database path and the embedding model, from flags or the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = "claims.db"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_TOP_K = 5


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database path: the flag, else WORKBENCH_DB, else ./claims.db."""
    return Path(explicit or os.environ.get("WORKBENCH_DB") or DEFAULT_DB)


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
        import getpass

        return getpass.getuser()
