"""Ranking metrics as the CheckThat! 2022 Task 2 scorer computes them.

Per query, documents are sorted by score descending, ties by document id descending. AP@k divides by
R, the number of relevant documents in the qrels (not min(R, k)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Ranking = Sequence[tuple[str, float]]  # (doc id, score)


def sort_ranking(ranking: Ranking) -> list[str]:
    """Doc ids best first: score descending, ties by doc id descending."""
    return [doc for doc, _ in sorted(ranking, key=lambda pair: (pair[1], pair[0]), reverse=True)]


def average_precision(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    for i, doc in enumerate(ranked, start=1):
        if doc in relevant:
            return 1.0 / i
    return 0.0


def precision_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return sum(1 for doc in ranked[:k] if doc in relevant) / k


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        return 0.0
    return sum(1 for doc in ranked[:k] if doc in relevant) / len(relevant)


def evaluate(run: Mapping[str, Ranking], qrels: Mapping[str, set[str]]) -> dict[str, float]:
    """MAP@1/3/5/10, MRR, P@5 and Recall@10 over the queries of `qrels` (a query with no run scores 0)."""
    names = ["MAP@1", "MAP@3", "MAP@5", "MAP@10", "MRR", "P@5", "Recall@10"]
    totals = dict.fromkeys(names, 0.0)
    for query, relevant in qrels.items():
        ranked = sort_ranking(run.get(query, []))
        for k in (1, 3, 5, 10):
            totals[f"MAP@{k}"] += average_precision(ranked, relevant, k)
        totals["MRR"] += reciprocal_rank(ranked, relevant)
        totals["P@5"] += precision_at(ranked, relevant, 5)
        totals["Recall@10"] += recall_at(ranked, relevant, 10)
    count = len(qrels)
    return {name: (value / count if count else 0.0) for name, value in totals.items()}
