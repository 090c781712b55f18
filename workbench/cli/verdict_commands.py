"""Verdicts from the command line: mark, history, import-review (the editor round trip), stats."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from ..config import reviewer_name
from ..vocab import STATUSES, VERDICT_LABELS
from . import main
from .options import (PrefixChoice, cells, db_option, echo, existing_db_option, json_option, model_option,
                      open_db, reviewer_option)

EVIDENCE_HELP = (
    "Evidence, repeatable: a claim id (as listed by `workbench matches CLAIM`), #N for this claim's "
    "match of rank N, or an http(s) url."
)


@main.command()
@click.argument("claim_id", metavar="CLAIM", type=int)
@click.argument("label", type=PrefixChoice(VERDICT_LABELS, case_sensitive=False))
@click.option("--note", default="", help="Why: what the evidence shows.")
@click.option("--evidence", "evidence", multiple=True, metavar="MATCH_OR_URL", help=EVIDENCE_HELP)
@reviewer_option
@model_option
@db_option
def mark(claim_id: int, label: str, note: str, evidence: tuple[str, ...], reviewer: str | None,
         model: str | None, db_path: str) -> None:
    """Record a verdict on CLAIM: corroborated, disputed or unverified (a unique beginning will do).

    \b
    workbench mark 12 disputed --note "A2 says four injured" --evidence '#1' --evidence 31
    workbench mark 12 corroborated --evidence https://example.org/statement
    """
    from ..verdicts import decide  # sqlite-utils: kept out of `workbench --help` (start-up speed)

    who = reviewer_name(reviewer)
    if who is None:
        raise click.ClickException("who is deciding? pass --reviewer NAME, set WORKBENCH_REVIEWER, or open "
                                   "the desk once (`workbench review`) to have your name remembered")
    db = open_db(db_path)
    verdict = decide(db, claim_id, label.lower(), who, note=note, evidence=evidence, model=model)
    count = len(verdict.evidence)
    cited = f", {count} evidence item{'s' if count != 1 else ''}" if count else ""
    echo(f"claim {claim_id}: {verdict.label} (verdict {verdict.id}, by {verdict.reviewer}{cited})")


@main.command()
@click.argument("claim_id", metavar="CLAIM", type=int)
@json_option
@existing_db_option
def history(claim_id: int, as_json: bool, db_path: str) -> None:
    """Every verdict on CLAIM, oldest first, and the editor's decisions."""
    # sqlite-utils: kept out of `workbench --help` (start-up speed)
    from ..editor_review import decisions_for
    from ..verdicts import claim_heading
    from ..verdicts import history as verdict_history

    db = open_db(db_path)
    claim = claim_heading(db, claim_id)
    rows = verdict_history(db, claim_id)
    decisions = decisions_for(db, claim_id)
    if as_json:
        echo(json.dumps({"claim_id": claim_id, "verdicts": [asdict(v) for v in rows],
                               "editor_decisions": [asdict(d) for d in decisions]},
                              ensure_ascii=False, indent=2))
        return
    echo(f"claim {claim_id} ({claim.source}, {claim.article_title or 'untitled'}): \u201c{claim.text}\u201d")
    if not rows:
        echo("  no verdicts yet")
    for verdict in rows:
        what = verdict.label or "pending"
        if verdict.action == "undo":
            what = f"undo of {verdict.undoes} -> {what}"
        elif verdict.action == "clear":
            what = "cleared -> pending"
        echo(f"  #{verdict.id}  {verdict.decided_at}  {verdict.reviewer}  {what}")
        if verdict.note:
            echo(f"      note: {verdict.note}")
        for item in verdict.evidence:
            if item.get("claim_id") is not None:
                echo(f"      evidence: claim {item['claim_id']} ({item.get('source')}): "
                           f"\u201c{item.get('text')}\u201d {item.get('url') or ''}".rstrip())
            else:
                echo(f"      evidence: {item.get('url')}")
    for decision in decisions:
        verb = "approved" if decision.approved else "returned"
        who = f" by {decision.editor}" if decision.editor else ""
        note = f": {decision.note}" if decision.note else ""
        echo(f"  editor {verb}{who} verdict #{decision.verdict_id} at {decision.decided_at}{note}")


@main.command("import-review")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(dir_okay=False))
@click.option("--editor", default=None, envvar="WORKBENCH_EDITOR",
              help="Who decided (or set WORKBENCH_EDITOR; default: your login name).")
@db_option
def import_review_command(csv_file: str, editor: str | None, db_path: str) -> None:
    """Record the editor's decisions from a CSV made by `workbench export --format csv`.

    Fill editor_decision with approve or return (and editor_note) and import the file. Importing
    the same file again changes nothing; rows that match no claim are reported by line, never guessed.
    Exits with status 1 when any row was not recorded.
    """
    # sqlite-utils: kept out of `workbench --help` (start-up speed)
    from ..config import login_name
    from ..editor_review import import_review

    db = open_db(db_path)
    report = import_review(db, csv_file, editor=editor or login_name())
    for line, message in report.warnings:
        echo(f"{csv_file}:{line}: warning: {message}", err=True)
    for line, message in report.problems:
        echo(f"{csv_file}:{line}: {message}", err=True)
    if report.pending:
        lines = ", ".join(str(line) for line in report.pending[:5]) + (", ..." if len(report.pending) > 5 else "")
        echo(f"{csv_file}: {len(report.pending)} decisions on claims that had no verdict yet were skipped "
             f"(lines {lines}); mark those claims first", err=True)
    approved = sum(1 for _, _, d in report.recorded if d == "approve")
    returned = len(report.recorded) - approved
    echo(f"recorded {len(report.recorded)} editor decisions ({approved} approved, {returned} returned); "
               f"{len(report.already)} already imported; {report.undecided} rows without a decision")
    if report.problems:
        raise click.ClickException(f"{len(report.problems)} rows not recorded (listed above)")


@main.command()
@click.option("--reviewers", is_flag=True, help="Add verdicts per reviewer and Cohen's kappa per pair.")
@json_option
@existing_db_option
def stats(reviewers: bool, as_json: bool, db_path: str) -> None:
    """Claims per verdict, per source and per article (current verdicts)."""
    # sqlite-utils: kept out of `workbench --help` (start-up speed)
    from ..export.records import editor_counts, load_export, status_counts

    db = open_db(db_path)
    data = load_export(db)
    result: dict = {"verdicts": status_counts(data.records), "editor": editor_counts(data.records),
                    "sources": [], "articles": []}
    by_source: dict[str, list[dict]] = {}
    for record in data.records:
        by_source.setdefault(record["source"]["name"], []).append(record)
    for name in sorted(by_source):
        records = by_source[name]
        result["sources"].append({"source": name, "kind": records[0]["source"]["kind"],
                                  "claims": len(records), **status_counts(records)})
    for article, records in data.by_article():
        result["articles"].append({"article_id": article["id"], "title": article["display_title"],
                                   "source": article["source"], "claims": len(records),
                                   **status_counts(records)})
    if reviewers:
        from ..agreement import pairwise_agreement, verdicts_per_reviewer  # sqlite-utils (start-up speed)

        result["reviewers"] = verdicts_per_reviewer(db)
        result["agreement"] = [
            {"reviewers": [p.reviewer_a, p.reviewer_b], "claims": p.claims, "agreed": p.agreed,
             "kappa": None if p.kappa is None else round(p.kappa, 4)}
            for p in pairwise_agreement(db)
        ]
    if as_json:
        echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_stats(result, STATUSES)


def _print_stats(result: dict, statuses: tuple[str, ...]) -> None:
    # rich and sqlite-utils: kept out of `workbench --help` (start-up speed)
    from rich.console import Console
    from rich.table import Table

    from ..export.common import LABEL_SIGNS

    console = Console()
    total = Table(title="Claims by verdict")
    total.add_column("verdict")
    total.add_column("claims", justify="right")
    for status in statuses:
        total.add_row(*cells(status, result["verdicts"][status]))
    total.add_row(*cells("total", sum(result["verdicts"].values())), style="bold")
    console.print(total)
    console.print(f"Editor: {result['editor']['signed_off']} signed off, {result['editor']['returned']} returned "
                  "(decisions on the current verdict)", markup=False)
    legend = "  ".join(f"{LABEL_SIGNS[s]} {s}" for s in statuses)
    for key, title, first in (("sources", "By source", "source"), ("articles", "By article", "title")):
        # Narrow number columns first and the name last, cut to the terminal's width, so each row
        # stays on one line even in 80 columns.
        table = Table(title=title, caption=legend)
        if key == "articles":
            table.add_column("id", justify="right", no_wrap=True, min_width=3)
        for column in ("claims", *statuses):
            table.add_column(LABEL_SIGNS.get(column, column), justify="right")
        table.add_column(first)
        room = max(20, console.width - 44)
        for row in result[key]:
            row_cells = [str(row["article_id"])] if key == "articles" else []
            row_cells += [str(row[c]) for c in ("claims", *statuses)]
            name = str(row[first] or "")
            table.add_row(*cells(*row_cells, name if len(name) <= room else name[:room - 1] + "\u2026"))
        console.print(table)
    if "reviewers" in result:
        table = Table(title="Verdicts per reviewer")
        table.add_column("reviewer")
        for column in (*VERDICT_LABELS, "total"):
            table.add_column(column, justify="right")
        for name, counts in sorted(result["reviewers"].items()):
            table.add_row(*cells(name, *(counts[c] for c in (*VERDICT_LABELS, "total"))))
        console.print(table)
        if result["agreement"]:
            pairs = Table(title="Agreement (Cohen's kappa, claims both judged)")
            for column in ("reviewers", "claims", "agreed", "kappa"):
                pairs.add_column(column, justify="left" if column == "reviewers" else "right")
            for pair in result["agreement"]:
                kappa = "n/a" if pair["kappa"] is None else f"{pair['kappa']:.2f}"
                pairs.add_row(*cells(" & ".join(pair["reviewers"]), pair["claims"], pair["agreed"], kappa))
            console.print(pairs)
        else:
            console.print("No two reviewers have judged the same claim yet, so there is no agreement to show.")
