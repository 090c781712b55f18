"""`workbench eval news --misses`: the queries whose counterparts the matcher did not put first, and why.

For each such query: the claim, each gold counterpart with where it stands (its rank and score among the
stored matches, the row it is folded under when it is a copy, or, when it was not stored at all, the
score the matcher gives the pair, so a reader can tell "ranked too low" from "never a candidate"), and
the matches that outranked the best counterpart.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from ..lexical import lexical_scores
from ..matching.candidates import Corpus, pool_entry
from ..matching.scoring import fused_score

TOP = 3  # the hit rate measured: a counterpart among the first TOP rows


def _model(db: Database) -> str | None:
    row = db.execute("SELECT model FROM match_runs ORDER BY matched_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def pair_scores(db: Database, corpus: Corpus, claim_id: int, others: list[int]) -> dict[int, dict]:
    """What the matcher scores each of `others` as a match of `claim_id` (fused, cosine, word share),
    whether or not it was a candidate: the same pool entry rank() builds."""
    ids = corpus.load(others)
    corpus.load([claim_id])
    if not ids:
        return {}
    cosines = corpus.vectors_of(ids) @ corpus.vectors_of([claim_id])[0]
    lexical = lexical_scores(db, corpus.text_of(claim_id), [*ids, claim_id])
    own = lexical.get(claim_id, 0.0)
    found = {}
    for other, cosine in zip(ids, cosines):
        entry = pool_entry(corpus, claim_id, other, float(cosine), lexical.get(other, 0.0), own)
        found[other] = {"score": round(fused_score(entry, "hybrid"), 4), "cosine": round(float(cosine), 4),
                        "word_share": round(entry.lexical_share, 4)}
    return found


def _row(db: Database, claim_id: int) -> dict:
    row = db.execute("SELECT c.text, s.name FROM claims c JOIN sources s ON s.id = c.source_id WHERE c.id = ?",
                     [claim_id]).fetchone()
    return {"claim_id": claim_id, "source": row[1], "text": row[0]} if row else {"claim_id": claim_id}


def query_misses(db: Database, queries: list[dict], ids_of: Callable[[dict], set[int]], *,
                 top: int = TOP) -> list[dict]:
    """Every mapped query with no counterpart at rank 1, those missing the top `top` first; `ids_of`
    gives the claims a gold item (source, title, text) became."""
    model = _model(db)
    corpus = Corpus(db, model) if model else None
    misses: list[dict] = []
    for query in queries:
        qids = sorted(ids_of(query))
        if not qids:
            continue
        counterparts = [(c, sorted(ids_of(c))) for c in query.get("counterparts", [])]
        every = {i for _, ids in counterparts for i in ids}
        # The query's own claim (of its twins) whose matches place a counterpart best.
        rows_of = {q: db.execute("SELECT other_claim_id, rank, score, copy_of FROM matches WHERE claim_id = ? "
                                 "ORDER BY rank", [q]).fetchall() for q in qids}

        def first(q: int) -> int:
            return next((r[1] for r in rows_of[q] if r[0] in every), 10**6)

        qid = min(qids, key=first)
        best = first(qid)
        if best == 1:
            continue
        rows = rows_of[qid]
        at = {r[0]: r for r in rows}
        scored = pair_scores(db, corpus, qid, sorted(every - set(at))) if corpus else {}
        listed = []
        for item, ids in counterparts:
            entry: dict = {"source": item.get("source"), "text": item.get("text")}
            if not ids:
                entry["stored"] = "not a claim (the gold sentence maps to no stored claim)"
            else:
                cid = min(ids, key=lambda i: at[i][1] if i in at else 10**6)
                if cid in at:
                    entry.update(claim_id=cid, rank=at[cid][1], score=round(at[cid][2], 4),
                                 copy_of=at[cid][3])
                else:
                    entry.update(claim_id=cid, rank=None, **scored.get(cid, {}))
            listed.append(entry)
        outranked = [{**_row(db, r[0]), "rank": r[1], "score": round(r[2], 4), "copy_of": r[3]}
                     for r in rows if r[1] < best][: max(top, 5)]
        misses.append({"query": {**_row(db, qid), "title": query.get("title")}, "hit_at_3": best <= top,
                       "best_counterpart_rank": best if best < 10**6 else None, "stored_matches": len(rows),
                       "counterparts": listed, "outranked_by": outranked})
    misses.sort(key=lambda m: (bool(m["hit_at_3"]), int(m["query"]["claim_id"])))
    return misses


def miss_lines(misses: list[dict]) -> list[str]:
    """The misses in words, as `workbench eval news --misses` prints them (through echo, which shows
    control characters as \\uXXXX)."""
    lines = [f"{sum(not m['hit_at_3'] for m in misses)} queries with no counterpart in the top {TOP}, "
             f"{sum(m['hit_at_3'] for m in misses)} more with none at rank 1:"]
    for m in misses:
        q = m["query"]
        where = m["best_counterpart_rank"]
        lines.append("")
        lines.append(f"{'MISS top 3' if not m['hit_at_3'] else 'miss rank 1'}  claim {q['claim_id']} "
                     f"({q.get('source', '')}): {q.get('text', '')}")
        lines.append(f"  best counterpart at rank {where if where else '-- (none stored)'} "
                     f"of {m['stored_matches']} stored")
        for c in m["counterparts"]:
            if "stored" in c:
                state = c["stored"]
            elif c.get("rank") is not None:
                state = f"rank {c['rank']}, score {c['score']:.3f}" + (
                    f", a copy folded under {c['copy_of']}" if c.get("copy_of") else "")
            else:
                state = (f"not stored; would score {c.get('score', float('nan')):.3f} "
                         f"(cosine {c.get('cosine', float('nan')):.3f}, words {c.get('word_share', 0):.2f})")
            lines.append(f"  counterpart [{state}] ({c.get('source') or ''}): {c.get('text') or ''}")
        for o in m["outranked_by"]:
            lines.append(f"  above it: rank {o['rank']}, score {o['score']:.3f} ({o.get('source', '')}): "
                         f"{o.get('text', '')}")
    return lines


