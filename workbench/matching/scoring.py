"""What a match is scored with: the settings, the fusion weights, staleness and the fused score."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date

from ..config import DEFAULT_MODEL
from ..vocab import DEFAULT_MIN_SCORE


# Fused score = dense_weight * cosine + lexical_weight * (bm25 / own bm25) - time_weight * staleness,
# chosen on the 2022 CheckThat! Task 2A/2B train qrels and checked on dev (docs/matching.md).
FUSION_WEIGHTS = {"dense": 1.0, "lexical": 0.4, "time": 0.2}
# What the claims' articles and figures say against one story (stories.py): subtracted, never added, so
# the fused score stays at most (dense + lexical x share) / (dense + lexical), the form incremental.py
# bounds. Articles of one or two claims (a fact-check collection, CheckThat!) tell no story, so there
# only the figure term acts. Chosen on the real-news dev set (docs/evaluating-on-your-news.md), checked on
# CheckThat! 2022 dev: 0.3 puts a story's own reports above another event's near-copies; a larger figure
# weight finds more counterparts but hides more unflagged matches (0.3: top-3 38/39, flagged 17.6%).
CONTEXT_WEIGHTS = {"other_story": 0.3, "other_fact": 0.1}
# Staleness: 1 - exp(-days between the two claims' articles / TIME_SCALE_DAYS); 0 when a date is unknown,
# so claims of the same days (or of unknown date) are not penalised and the score stays cosine-like.
TIME_SCALE_DAYS = 365.0

CANDIDATES = 50  # per method, before fusion
RERANK_DEPTH = 20
QUERY_CHUNK = 256  # claims per matrix product: 256 x 20k floats at a time, never all x all


@dataclass(frozen=True)
class MatchSettings:
    k: int = 5
    method: str = "hybrid"  # or "dense", "lexical"
    model: str = DEFAULT_MODEL  # embedder.name
    reranker: str | None = None

    def as_dict(self) -> dict:
        """The settings in force, stored with each verdict."""
        return {**asdict(self), "fusion": dict(FUSION_WEIGHTS) if self.method == "hybrid" else None}

    @classmethod
    def from_dict(cls, data: dict) -> "MatchSettings":
        return cls(int(data.get("k", cls.k)), data.get("method") or cls.method, data.get("model") or cls.model,
                   data.get("reranker") or None)


@dataclass(frozen=True)
class Candidate:
    claim_id: int
    score: float
    dense: float | None
    lexical: float | None
    rerank: float | None = None


@dataclass(frozen=True)
class PoolEntry:
    """One candidate before fusion, with every signal the fused score is made of."""

    claim_id: int
    dense: float | None
    lexical: float | None  # bm25, higher is better
    lexical_share: float  # bm25 / bm25 of the claim against its own text, in [0, 1]
    staleness: float = 0.0  # see staleness(): 0 same days or unknown, towards 1 years apart
    other_story: float = 0.0  # stories.py: 1 when the two articles share no name, 0 same story or unknown
    other_fact: float = 0.0  # stories.py: 1 when the claim gives figures and the other none for the same things


def day_number(published: str | None) -> float:
    """Days since 0001-01-01 of an ISO date (or timestamp); NaN when there is none."""
    if not published:
        return float("nan")
    try:
        return float(date.fromisoformat(published[:10]).toordinal())
    except ValueError:
        return float("nan")


def staleness(published: str | float | None, other: str | float | None, scale: float | None = None) -> float:
    """How far apart in time two claims were published: 0 the same day (or a date unknown), towards 1 years apart."""
    a = published if isinstance(published, float) else day_number(published)
    b = other if isinstance(other, float) else day_number(other)
    if a != a or b != b:  # NaN
        return 0.0
    return 1.0 - math.exp(-abs(a - b) / (scale or TIME_SCALE_DAYS))


def fused_score(entry: PoolEntry, method: str) -> float:
    if method == "dense":
        return entry.dense if entry.dense is not None else -1.0
    if method == "lexical":
        return entry.lexical or 0.0
    # Divided by the weights of the two similarities so that an identical claim of the same day scores 1.
    fused = (FUSION_WEIGHTS["dense"] * (entry.dense or 0.0) + FUSION_WEIGHTS["lexical"] * entry.lexical_share
             - FUSION_WEIGHTS["time"] * entry.staleness - CONTEXT_WEIGHTS["other_story"] * entry.other_story
             - CONTEXT_WEIGHTS["other_fact"] * entry.other_fact)
    return fused / (FUSION_WEIGHTS["dense"] + FUSION_WEIGHTS["lexical"])
