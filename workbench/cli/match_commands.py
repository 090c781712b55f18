"""`workbench match` and `workbench matches`: compute and show each claim's matches in other sources."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from ..errors import WorkbenchError
from ..vocab import MATCH_METHODS
from ..words import plural
from . import main
from .options import (db_option, echo, existing_db_option, json_option, model_option,
                      open_db, rich_progress)


@main.command()
@click.option("--all", "match_all", is_flag=True, help="Re-match every claim, not only the new ones.")
@click.option("--k", default=None, type=click.IntRange(1, 100),
              help="Matches kept per claim.  [default: the last `match` under this model's, else 5]")
@click.option("--method", type=click.Choice(MATCH_METHODS), default=None,
              help="hybrid: cosine fused with bm25; dense: cosine only; lexical: bm25 only.  "
                   "[default: the last `match` under this model's, else hybrid]")
@model_option
@click.option("--reranker", default=None,
              help="A sentence-transformers cross-encoder (name or path) that reorders the best candidates. "
                   "Default: the last `match` under this model's, else off (fully offline).")
@click.option("--no-reranker", is_flag=True, help="Turn off a reranker given to an earlier `match`.")
@db_option
def match(match_all, k, method, model, reranker, no_reranker, db_path) -> None:
    """Match new claims (or --all) against the claims of every other source.

    The settings given here are kept (per model) and used by every later match that names none:
    ingesting, the desk, and a plain `workbench match`. Without --all, claims matched before keep
    their results until a new claim enters them; --all re-matches everything with these settings.
    """
    # Imported when the command runs, not at the top: numpy and the model stay out of `--help` (start-up speed).
    from ..embedding import load_embedder
    from ..matching import MatchSettings, match_claims, pending_claim_ids, save_settings, saved_settings
    from ..queries.sources import has_claims

    db = open_db(db_path)
    embedder = load_embedder(model)
    settings = None  # the saved settings (or the defaults), unchanged
    if k is not None or method is not None or reranker is not None or no_reranker:
        base = saved_settings(db, embedder.name) or MatchSettings(model=embedder.name)
        settings = MatchSettings(k=k if k is not None else base.k, method=method or base.method,
                                 model=embedder.name, reranker=None if no_reranker else (reranker or base.reranker))
    if not has_claims(db):
        echo("No claims to match yet: `workbench ingest FILE --source NAME` or `workbench demo`.")
        return
    claim_ids = None if match_all else pending_claim_ids(db, embedder.name)
    if claim_ids == []:
        if settings is not None:
            save_settings(db, settings)
            echo("Every claim is already matched; the settings are kept for new claims "
                       "(use --all to re-match everything with them).")
            return
        echo("Every claim is already matched; use --all to match them again.")
        return
    with rich_progress("matching") as bar:
        task = bar.add_task("matching", total=None)
        report = match_claims(db, embedder, claim_ids, settings=settings,
                              progress=lambda done, total: bar.update(task, completed=done, total=total))
    for notice in report.notices:
        echo(f"Note: {notice}")
    used = report.settings
    older = f", {plural(report.updated_older, 'older claim')} gained new matches" if report.updated_older else ""
    echo(f"Matched {plural(report.matched, 'claim')} ({plural(report.rows, 'match', 'matches')}, k={used.k}, "
         f"{used.method}"
               f"{', reranker ' + used.reranker if used.reranker else ''}, {embedder.name}){older} "
               f"in {report.seconds:.1f} s.")


@main.command()
@click.argument("claim_id", type=int)
@click.option("--min-score", type=float, default=None,
              help="Hide weaker matches (default: the workbench's data-chosen minimum; 0 shows all).")
@json_option
@existing_db_option
def matches(claim_id, min_score, as_json, db_path) -> None:
    """Show the matches of CLAIM_ID in other sources, best first."""
    # Imported when the command runs: numpy and sqlite-utils stay out of `--help` (start-up speed).
    from ..matching import DEFAULT_MIN_SCORE, is_matched, matches_for
    from ..queries import claim_text
    from ..relation import StoryCheck, assess, claim_published

    db = open_db(db_path)
    text = claim_text(db, claim_id)
    if text is None:
        raise WorkbenchError(f"there is no claim {claim_id}; `workbench claims` lists them")
    threshold = DEFAULT_MIN_SCORE if min_score is None else min_score
    found = matches_for(db, claim_id, min_score=threshold)
    # What differs between the claim and each match (another number, date or place) is what a
    # reviewer checks first, so it is printed with the match and kept in the JSON.
    # Only a shown match about the same event can conflict (relation.py): its relation says so.
    published = claim_published(db, claim_id)
    stories = StoryCheck(db, claim_id, [view.other_claim_id for view in found])
    assessed = {view.other_claim_id: assess(text, view.text, view.score, published=published,
                                            other_published=view.published, rating=view.rating,
                                            other_story=stories.of(view.other_claim_id)) for view in found}
    signals = {other: assessment.signals for other, assessment in assessed.items()}
    if as_json:
        echo(json.dumps(
            [{**asdict(view), "relation": assessed[view.other_claim_id].relation,
              "signals": [asdict(sig) for sig in signals[view.other_claim_id]]} for view in found],
            indent=2, ensure_ascii=False))
        return
    echo(f"Claim {claim_id}: {text}")
    if not found:
        echo(f"  no matches with score >= {threshold:.2f}" if is_matched(db, claim_id)
                   else "  not matched yet; run `workbench match`")
        return
    for view in found:
        why = []
        if view.dense_score is not None:
            why.append(f"cosine {view.dense_score:.2f}")
        if view.lexical_score:
            why.append(f"bm25 {view.lexical_score:.1f}")
        if view.rerank_score is not None:
            why.append(f"rerank {view.rerank_score:.2f}")
        folded = f" · copy of claim {view.copy_of}" if view.copy_of is not None else ""
        echo(f"  {view.rank}. [{view.score:.2f}] claim {view.other_claim_id} · {view.source} "
             f"({view.source_kind}) · {', '.join(why)} · {assessed[view.other_claim_id].relation}{folded}")
        echo(f"     {view.text}")
        for signal in signals[view.other_claim_id]:
            echo(f"     {'!' if signal.conflict else '='} {signal.message}")
        if view.article_title or view.article_url:
            echo(f"     {view.article_title or ''} {view.article_url or ''}".rstrip())
