"""How reviewers agree: verdicts per reviewer, and Cohen's kappa for each pair on the claims both judged.

A reviewer's verdict on a claim is their latest row for it; a cleared one (label NULL) does not count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from sqlite_utils import Database

from .vocab import VERDICT_LABELS


@dataclass(frozen=True)
class PairAgreement:
    reviewer_a: str
    reviewer_b: str
    claims: int  # judged by both
    agreed: int
    kappa: float | None  # None: undefined (no shared claims, or both always used one same label)

    @property
    def observed(self) -> float | None:
        return self.agreed / self.claims if self.claims else None


def reviewer_labels(db: Database) -> dict[str, dict[int, str]]:
    """reviewer -> {claim_id: that reviewer's current label}."""
    labels: dict[str, dict[int, str]] = {}
    for reviewer, claim_id, label in db.execute(
"SELECT reviewer, claim_id, label FROM reviewer_verdicts ORDER BY reviewer, claim_id"
    ).fetchall():
        if label is not None:
            labels.setdefault(reviewer, {})[claim_id] = label
    return labels


def verdicts_per_reviewer(db: Database) -> dict[str, dict[str, int]]:
    """reviewer -> {label: claims, ..., "total": claims} from each reviewer's own latest verdicts."""
    result = {}
    for reviewer, judged in reviewer_labels(db).items():
        counts = Counter(judged.values())
        result[reviewer] = {label: counts.get(label, 0) for label in VERDICT_LABELS}
        result[reviewer]["total"] = len(judged)
    return result


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of paired labels: (p_o - p_e) / (1 - p_e); None when p_e is 1 or no pairs."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def pairwise_agreement(db: Database) -> list[PairAgreement]:
    """Cohen's kappa for every pair of reviewers who judged at least one claim in common."""
    labels = reviewer_labels(db)
    result = []
    for a, b in combinations(sorted(labels), 2):
        shared = sorted(labels[a].keys() & labels[b].keys())
        if not shared:
            continue
        pairs = [(labels[a][c], labels[b][c]) for c in shared]
        result.append(PairAgreement(a, b, len(pairs), sum(1 for x, y in pairs if x == y), cohen_kappa(pairs)))
    return result
