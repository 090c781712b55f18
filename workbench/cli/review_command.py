"""`workbench review`: open the review desk (also what `workbench` with no command does)."""

from __future__ import annotations

from ..tui import make_app
from . import main
from .options import db_option, model_option, reviewer_option


@main.command()
@db_option
@reviewer_option
@model_option
def review(db_path: str, reviewer: str | None, model: str | None) -> None:
    """Open the review desk: walk the claims, weigh the evidence, mark verdicts."""
    make_app(db_path, reviewer=reviewer, model=model, finish_earlier=True).run()
