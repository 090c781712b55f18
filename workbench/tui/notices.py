"""Core errors in key handlers become one visible line: the desk never crashes on its database."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..errors import WorkbenchError

Notify = Callable[..., None]


@contextmanager
def errors_as_notice(notify: Notify, *, kept: str = "", title: str = "Not recorded") -> Iterator[None]:
    """Show a WorkbenchError or an sqlite3 error (e.g. "database is locked") as one line and go on.

    kept: what the reviewer still has (their draft, say), added to the line so they need not retype it.
    """
    try:
        yield
    except (WorkbenchError, sqlite3.Error) as error:
        first = (str(error).splitlines() or [type(error).__name__])[0]
        if isinstance(error, sqlite3.Error):
            first = f"claims.db: {first}"
        notify(first + (f" — {kept}" if kept else ""), title=title, severity="error", timeout=8)
