"""`workbench eval news`: measure the workbench on labelled real news (docs/evaluating-on-your-news.md).

A corpus of articles (JSONL, as `workbench ingest` reads it) goes through the product's own ingest
path into a fresh database; the gold labels, keyed by sentence TEXT (never by claim id, so they survive
any change to the splitter), are then mapped to the stored claims and scored: page furniture that
became claims, recall of checkable sentences, claimants, and the matches and conflict flags between
outlets. The figures follow the real-news-dev scorer's definitions, so the two agree on one database.
"""

from __future__ import annotations

import difflib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from ..db import memory_database
from ..embedding import Embedder
from ..errors import InputError
from ..matching import DEFAULT_MIN_SCORE, matches_for
from ..queries import claim_text
from ..relation import StoryCheck, assess, claim_published
from .news_misses import query_misses

LABELS = "FLOHB"  # checkable fact, low-value fact, opinion, headline, boilerplate
RATIO = 0.6  # difflib ratio at which a gold sentence and a claim are the same sentence
MIN_CONTAINED = 20  # a contained text this short ("share") only counts if it is half the other
_STOP = {"the", "a", "an", "mr", "ms", "mrs", "dr", "of", "s"}


@dataclass
class NewsReport:
    """The figures, each as [count, out of] so a reader sees the sizes behind every share."""

    figures: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    misses: list[dict] | None = None  # with --misses: the queries without a counterpart at rank 1

    def as_dict(self) -> dict:
        return {**self.figures, "seconds": self.seconds, **({"misses": self.misses} if self.misses is not None else {})}


def read_gold(path: str | Path) -> dict:
    """The gold file, checked: a JSON object with "claims" (each: source, title, text, label)."""
    origin = str(path)
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise InputError("no such file; pass the gold labels with --gold", path=origin) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"is not a JSON file ({error}); see docs/evaluating-on-your-news.md",
                         path=origin) from error
    if not isinstance(gold, dict) or not isinstance(gold.get("claims"), list):
        raise InputError('needs a JSON object with a "claims" list; see docs/evaluating-on-your-news.md',
                         path=origin)
    for number, claim in enumerate(gold["claims"], start=1):
        if not isinstance(claim, dict) or not all(isinstance(claim.get(k), str) for k in ("source", "text")):
            raise InputError(f'claim {number} needs "source" and "text" strings', path=origin)
        if claim.get("label") not in set(LABELS):
            raise InputError(f"claim {number} has label {claim.get('label')!r}; use one of F, L, O, H, B",
                             path=origin)
    for key in ("articles", "queries", "conflicts"):
        if not isinstance(gold.setdefault(key, []), list):
            raise InputError(f'"{key}" must be a list', path=origin)
    return gold


def ingest_corpus(db: Database, corpus: str, embedder: Embedder) -> list[int]:
    """The product's own ingest path, as `workbench ingest` runs it: split and store, then match.

    The one place the evaluation enters the product; returns the stored article ids in corpus order.
    """
    from ..pipeline import IngestRequest, run_pipeline  # the pipeline loads numpy and the matcher

    result = run_pipeline(db, IngestRequest(paths=[corpus]), embedder=embedder)
    return result.article_ids


def run_news(corpus: str, gold_path: str, *, embedder: Embedder, db: Database | None = None,
             min_score: float = DEFAULT_MIN_SCORE, misses: bool = False) -> NewsReport:
    """Ingest CORPUS into `db` (a fresh in-memory one by default) and score it against the gold;
    with `misses`, also list the queries whose counterpart is not at rank 1 (news_misses)."""
    gold = read_gold(gold_path)
    db = db if db is not None else memory_database()
    started = time.perf_counter()
    article_ids = ingest_corpus(db, corpus, embedder)
    ingest_seconds = time.perf_counter() - started
    report = score_news(db, gold, min_score=min_score)
    if misses:
        report.misses = query_misses(db, gold["queries"], map_stored(db, gold).ids_of)
    report.seconds = {"ingest": round(ingest_seconds, 2),
                      "per_article": round(ingest_seconds / max(1, len(article_ids)), 3),
                      "scoring": round(time.perf_counter() - started - ingest_seconds, 2)}
    return report


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def pair_score(gold: str, claim: str) -> float | None:
    """How well a gold sentence and a claim correspond, or None when they are different sentences."""
    r = ratio(gold, claim)
    short, long_ = sorted((gold.strip(), claim.strip()), key=len)
    if short and short in long_ and (len(short) >= MIN_CONTAINED or len(short) >= len(long_) / 2):
        return max(r, len(short) / len(long_))
    return r if r >= RATIO else None


def claimant_ok(expected: str, got: str | None) -> bool:
    """Lenient: "the Prime Minister (Jane Doe)" accepts either name; containment or half the words shared."""
    if not got:
        return False
    alternatives = [expected, *re.findall(r"\(([^)]*)\)", expected), re.sub(r"\s*\([^)]*\)", "", expected)]
    ours = _name_tokens(got)
    for alternative in alternatives:
        theirs = _name_tokens(alternative)
        if not theirs or not ours:
            continue
        a, b = " ".join(theirs), " ".join(ours)
        if a in b or b in a or len(set(theirs) & set(ours)) / len(set(theirs) | set(ours)) >= 0.5:
            return True
    return False


def _name_tokens(name: str) -> list[str]:
    plain = name.lower().replace("’", "'").replace("'s", "")
    return [t for t in re.findall(r"[a-z0-9]+", plain) if t not in _STOP]


def _stored(db: Database) -> tuple[dict, dict, dict]:
    """Articles by (source, title) and by url; claims by id; matches by claim id, best first."""
    articles: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in db.query("SELECT a.id, s.name AS source, a.title, a.url FROM articles a "
                        "JOIN sources s ON s.id = a.source_id"):
        articles[(row["source"], (row["title"] or "").strip())].append(row["id"])
        if row["url"]:
            articles[("url", row["url"])].append(row["id"])
    claims = {row["id"]: row for row in db.query("SELECT id, article_id, text, claimant FROM claims")}
    matches: dict[int, list[dict]] = defaultdict(list)
    for row in db.query("SELECT claim_id, other_claim_id, rank, score FROM matches ORDER BY claim_id, rank"):
        matches[row["claim_id"]].append(row)
    return articles, claims, matches


def map_gold(gold_claims: list[dict], claims: dict, articles: dict) -> dict[int, int]:
    """Gold sentence index -> claim id, one to one within each article, best pair first."""
    by_article: dict[int, list[dict]] = defaultdict(list)
    for claim in claims.values():
        by_article[claim["article_id"]].append(claim)
    mapping: dict[int, int] = {}
    golds: dict[int, list[int]] = defaultdict(list)
    for gi, g in enumerate(gold_claims):
        for aid in articles.get((g["source"], (g.get("title") or "").strip())) or articles.get(("url", g.get("url")), []):
            golds[aid].append(gi)
    for aid, indices in golds.items():
        pairs = [(s, gi, c["id"]) for gi in indices for c in by_article.get(aid, [])
                 if (s := pair_score(gold_claims[gi]["text"], c["text"])) is not None]
        used_g: set[int] = set()
        used_c: set[int] = set()
        for _, gi, cid in sorted(pairs, key=lambda p: -p[0]):
            if gi not in used_g and cid not in used_c:
                used_g.add(gi)
                used_c.add(cid)
                mapping[gi] = cid
    return mapping


def conflict_flags(db: Database, claim_ids: Iterable[int]) -> dict[int, dict[int, bool]]:
    """Claim id -> {matched claim id: flagged?}, from the same assessment `workbench matches` shows
    (and the real-news-dev scorer reads): the signals with both publication dates, the fact-check
    rating, and a conflict flag only where the relation is one (a shown match about one event)."""
    flags = {}
    for cid in claim_ids:
        text, published = claim_text(db, cid) or "", claim_published(db, cid)
        found = matches_for(db, cid, min_score=0)
        stories = StoryCheck(db, cid, [m.other_claim_id for m in found])
        flags[cid] = {m.other_claim_id: bool(assess(text, m.text, m.score, published=published,
                                                    other_published=m.published, rating=m.rating,
                                                    other_story=stories.of(m.other_claim_id)).conflicts)
                      for m in found}
    return flags


@dataclass
class GoldMap:
    """The gold labels laid over the stored claims: which claims each gold item became."""

    gclaims: list[dict]
    claims: dict
    matches: dict[int, list[dict]]
    mapping: dict[int, int]
    twins: dict[int, set[int]]
    key_to_gi: dict[tuple, int]

    def ids_of(self, item: dict) -> set[int]:
        """The claims a gold item (source, title, text) became: none, one, or a sentence and its repeats."""
        gi = self.key_to_gi.get((item.get("source"), (item.get("title") or "").strip(), item.get("text")))
        return self.twins[self.mapping[gi]] if gi is not None and gi in self.mapping else set()


def map_stored(db: Database, gold: dict) -> GoldMap:
    """Map the gold labels to the claims and matches stored in `db`."""
    urls = {(a.get("source"), (a.get("title") or "").strip()): a.get("url") for a in gold["articles"]}
    gclaims = [{**g, "url": urls.get((g["source"], (g.get("title") or "").strip()))} for g in gold["claims"]]
    articles, claims, matches = _stored(db)
    mapping = map_gold(gclaims, claims, articles)
    key_to_gi = {(g["source"], (g.get("title") or "").strip(), g["text"]): gi for gi, g in enumerate(gclaims)}
    # A sentence printed twice in one article is one gold item; the second claim of it is the same item.
    by_text: dict[tuple[int, str], list[int]] = defaultdict(list)
    for c in claims.values():
        by_text[(c["article_id"], c["text"])].append(c["id"])
    twins = {cid: set(by_text[(claims[cid]["article_id"], claims[cid]["text"])]) for cid in mapping.values()}
    return GoldMap(gclaims, claims, matches, mapping, twins, key_to_gi)


def score_news(db: Database, gold: dict, *, min_score: float = DEFAULT_MIN_SCORE) -> NewsReport:
    """Score the claims and matches in `db` against the gold labels."""
    stored = map_stored(db, gold)
    gclaims, claims, matches, mapping, twins = (stored.gclaims, stored.claims, stored.matches, stored.mapping,
                                                stored.twins)
    ids_of = stored.ids_of

    labels = Counter(g["label"] for g in gclaims)
    mapped = Counter(gclaims[gi]["label"] for gi in mapping)
    furniture_lines = labels["B"] + labels["H"]
    out: dict = {"claims_in_db": len(claims), "gold_sentences": len(gclaims),
                 "mapped_by_label": {lab: [mapped[lab], labels[lab]] for lab in LABELS},
                 "furniture_leaks": {"B": [mapped["B"], labels["B"]], "H": [mapped["H"], labels["H"]],
                                     "total": [mapped["B"] + mapped["H"], furniture_lines]},
                 "f_recall": [mapped["F"], labels["F"]],
                 "claims_not_in_gold": len(set(claims) - set().union(*twins.values()))}

    expected = [gi for gi, g in enumerate(gclaims) if g["label"] in "FLO" and g.get("claimant_expected")]
    right = [gi for gi in expected if gi in mapping
             and claimant_ok(gclaims[gi]["claimant_expected"], claims[mapping[gi]]["claimant"])]
    none_expected = [gi for gi, g in enumerate(gclaims)
                     if g["label"] in "FLO" and not g.get("claimant_expected") and gi in mapping]
    out["claimant"] = {"correct_of_mapped": [len(right), sum(gi in mapping for gi in expected)],
                       "correct_of_all_expected": [len(right), len(expected)],
                       "spurious_when_none_expected": [sum(bool(claims[mapping[gi]]["claimant"]) for gi in none_expected),
                                                       len(none_expected)]}

    rows = []
    for query in gold["queries"]:
        qids = ids_of(query)
        if not qids:
            continue
        counterparts = [ids_of(c) for c in query.get("counterparts", [])]
        every = set().union(*counterparts)
        rankings = [[m["other_claim_id"] for m in matches.get(qid, [])] for qid in qids]
        # What the evidence list shows: the matches at or above the display minimum, copies folded
        # under their row included; the first 5 rows are one independent source each.
        shown = [[m["other_claim_id"] for m in matches.get(qid, []) if m["score"] >= min_score] for qid in qids]
        rows.append((any(set(r[:1]) & every for r in rankings), any(set(r[:3]) & every for r in rankings),
                     sum(any(set(r) & ids for r in rankings) for ids in counterparts if ids), len(counterparts),
                     sum(any(set(r) & ids for r in shown) for ids in counterparts if ids),
                     sum(any(set(r[:5]) & ids for r in rankings) for ids in counterparts if ids)))
    every_counterpart = sum(r[3] for r in rows)
    out["queries"] = {"mapped": [len(rows), len(gold["queries"])],
                      "hit_at_1": [sum(r[0] for r in rows), len(rows)],
                      "hit_at_3": [sum(r[1] for r in rows), len(rows)],
                      "counterparts_in_matches": [sum(r[2] for r in rows), every_counterpart],
                      "counterparts_shown": [sum(r[4] for r in rows), every_counterpart],
                      "counterparts_in_top_5": [sum(r[5] for r in rows), every_counterpart]}

    flags = conflict_flags(db, [cid for cid, found in matches.items() if found])
    tp = fp = fn = found_pairs = 0
    for pair in gold["conflicts"]:
        qids, oids = ids_of(pair.get("query", {})), ids_of(pair.get("counterpart", {}))
        seen = [flags[q][o] for q in qids for o in oids if o in flags.get(q, {})]
        seen += [flags[o][q] for q in qids for o in oids if q in flags.get(o, {})]
        if not seen:
            continue
        found_pairs += 1
        disagree = pair.get("judgement") == "disagree"
        tp += seen[0] and disagree
        fp += seen[0] and not disagree
        fn += (not seen[0]) and disagree
    out["conflicts"] = {"gold_pairs": len(gold["conflicts"]), "pairs_found_in_matches": found_pairs,
                        "precision": [tp, tp + fp], "recall": [tp, tp + fn]}
    scores = {(m["claim_id"], m["other_claim_id"]): m["score"] for found in matches.values() for m in found}
    every_flag = [(key, flag) for cid, others in flags.items() for key, flag in
                  (((cid, other), f) for other, f in others.items())]
    above = [flag for key, flag in every_flag if scores.get(key, 0) >= min_score]
    out["flagged_share"] = {"all_matches": [sum(f for _, f in every_flag), len(every_flag)],
                            "shown_matches": [sum(above), len(above)], "min_score": min_score}
    return NewsReport(out)


def share(pair: list[int]) -> str:
    count, total = pair
    return f"{count}/{total} = {100 * count / total:.1f}%" if total else f"{count}/0"


def report_lines(report: NewsReport) -> list[str]:
    """The figures in words, one line each, as `workbench eval news` prints them."""
    f = report.figures
    leaks = f["furniture_leaks"]
    q, c, fs = f["queries"], f["conflicts"], f["flagged_share"]
    return [
        f"{f['claims_in_db']} claims; {f['gold_sentences']} gold sentences ("
        + ", ".join(f"{lab} {f['mapped_by_label'][lab][1]}" for lab in LABELS) + ")",
        f"furniture leaks (B/H sentences that became claims): {share(leaks['total'])} of furniture lines "
        f"(B {leaks['B'][0]}/{leaks['B'][1]}, H {leaks['H'][0]}/{leaks['H'][1]})",
        f"recall of checkable (F) sentences: {share(f['f_recall'])}",
        f"claimant accuracy: {share(f['claimant']['correct_of_mapped'])} of attributed sentences that are "
        f"claims ({share(f['claimant']['correct_of_all_expected'])} of all); a claimant where none is "
        f"expected: {share(f['claimant']['spurious_when_none_expected'])}",
        f"queries mapped: {q['mapped'][0]}/{q['mapped'][1]}; a counterpart at rank 1: {share(q['hit_at_1'])}, "
        f"in the top 3: {share(q['hit_at_3'])}; counterparts among the stored matches: "
        f"{share(q['counterparts_in_matches'])}",
        f"counterparts visible in the evidence list (score >= {f['flagged_share']['min_score']:.2f}): "
        f"{share(q['counterparts_shown'])}; in its first 5 rows: {share(q['counterparts_in_top_5'])}",
        f"conflict flags on the {c['pairs_found_in_matches']} gold pairs found in the matches (of "
        f"{c['gold_pairs']}): precision {share(c['precision'])}, recall {share(c['recall'])}",
        f"matches flagged: {share(fs['all_matches'])} of all stored; {share(fs['shown_matches'])} of those "
        f"shown (score >= {fs['min_score']:.2f})",
        f"ingest {report.seconds.get('ingest', 0):.1f} s ({report.seconds.get('per_article', 0):.2f} s per "
        f"article), scoring {report.seconds.get('scoring', 0):.1f} s",
    ]
