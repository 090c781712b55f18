"""The review desk: a Textual UI over claims.db. `make_app` is the one way to build it."""

from __future__ import annotations


def make_app(db_path, *, reviewer: str | None = None, model: str | None = None, finish_earlier: bool = False):
    """Build the review desk for a claims database (imported lazily so `import workbench.tui` is cheap)."""
    from .app import make_app as build  # start-up speed: Textual loads only when a desk is built

    return build(db_path, reviewer=reviewer, model=model, finish_earlier=finish_earlier)
