"""`workbench compare`: the relation and difference signals of any two sentences, for scripts and tests."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

import click

from . import main
from .options import echo, json_option


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-24") from None


@main.command()
@click.argument("text_a")
@click.argument("text_b")
@click.option("--date-a", callback=_day, help="Publication date of TEXT A (YYYY-MM-DD): resolves 'Friday', 'yesterday'.")
@click.option("--date-b", callback=_day, help="Publication date of TEXT B (YYYY-MM-DD).")
@json_option
def compare(text_a: str, text_b: str, date_a: str | None, date_b: str | None, as_json: bool) -> None:
    """Compare two sentences: relation (supports / conflicts / related) and each signal with both values.

    The two are taken as a shown match (as if the matcher paired them); publication dates further
    apart than the relation's limit, or two kinds of event, make them merely related.
    """
    from ..relation import assess  # start-up speed: the facts and signals are not for --help

    assessment = assess(text_a, text_b, None, published=date_a, other_published=date_b)
    if as_json:
        echo(json.dumps({"relation": assessment.relation, "signals": [asdict(s) for s in assessment.signals]},
                        indent=2, ensure_ascii=False))
        return
    echo(f"relation: {assessment.relation}")
    if not assessment.signals:
        echo("no signals: nothing comparable found in both")
    for signal in assessment.signals:
        mark = "!" if signal.conflict else "="
        echo(f"{mark} {signal.kind}: {signal.message}")  # echo shows control characters as \uXXXX
