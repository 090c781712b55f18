"""Train the check-worthiness model (workbench/worthiness_model.py) on CheckThat! 2024 and save it.

    .venv/bin/python benchmarks/train_worthiness.py ../shared/data/checkworthiness-ct24/train.tsv \
        [--dev ../shared/data/checkworthiness-ct24/dev.tsv] [--out models/worthiness-ct24.json] \
        [--vectors-cache /tmp/ct24-vectors]

Inputs per sentence: its all-MiniLM-L6-v2 embedding plus the explainable features of worthiness.py.
The L2 strength and the decision threshold are chosen by 5-fold cross-validation on TRAIN only; the
final model is fitted on all of TRAIN. DEV, when given, is scored once with the chosen model and its
figures are stored in the model file with the training data's SHA-256. Nothing is tuned on DEV.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.embedding import load_embedder  # noqa: E402
from workbench.worthiness_model import (  # noqa: E402
    MODEL_FILE,
    LabelledSentences,
    WorthinessModel,
    best_threshold,
    f1_scores,
    feature_matrix,
    fit_logistic,
    read_checkworthiness_tsv,
    save_model,
    sigmoid,
)

L2_GRID = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
FOLDS = 5
SEED = 20240  # fixed: the same folds every run


def embed(data: LabelledSentences, cache: Path | None) -> np.ndarray:
    """Sentence vectors, cached by the data file's hash (embedding 22,500 sentences takes minutes)."""
    cached = cache / f"{data.sha256}.npy" if cache else None
    if cached and cached.exists():
        return np.load(cached)
    vectors = load_embedder().embed_batch(data.texts)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.save(cached, vectors)
    return vectors


def cross_validate(inputs: np.ndarray, labels: np.ndarray) -> tuple[float, float, dict]:
    """(best L2, best threshold, its CV figures): out-of-fold probabilities for each L2."""
    folds = np.random.default_rng(SEED).permutation(len(labels)) % FOLDS
    best: tuple[float, float, dict] | None = None
    for l2 in L2_GRID:
        out_of_fold = np.zeros(len(labels))
        for k in range(FOLDS):
            train, held = folds != k, folds == k
            w, b, mean, scale = fit_logistic(inputs[train], labels[train], l2)
            out_of_fold[held] = sigmoid(((inputs[held] - mean) / scale) @ w + b)
        threshold = best_threshold(labels, out_of_fold)
        scores = f1_scores(labels, out_of_fold >= threshold)
        print(f"  l2={l2:<6} threshold={threshold:.2f} CV F1={scores['f1']:.4f} "
              f"P={scores['precision']:.4f} R={scores['recall']:.4f}", flush=True)
        if best is None or scores["f1"] > best[2]["f1"]:
            best = (l2, threshold, scores)
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path, help="CheckThat! check-worthiness TSV to train on")
    parser.add_argument("--dev", type=Path, default=None, help="a TSV scored once with the final model")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--vectors-cache", type=Path, default=None, help="folder for cached sentence vectors")
    args = parser.parse_args()

    started = time.perf_counter()
    train = read_checkworthiness_tsv(args.train)
    inputs = np.hstack([embed(train, args.vectors_cache), feature_matrix(train.texts)])
    print(f"{len(train.texts)} training sentences ({int(train.labels.sum())} check-worthy), "
          f"inputs {inputs.shape[1]} wide, read in {time.perf_counter() - started:.0f} s", flush=True)
    l2, threshold, cv = cross_validate(inputs, train.labels)
    weights, bias, mean, scale = fit_logistic(inputs, train.labels, l2)
    meta: dict = {
        "training_data": args.train.name, "training_data_sha256": train.sha256,
        "training_sentences": len(train.texts), "l2": l2, "cross_validation": {"folds": FOLDS, **cv},
    }
    model = WorthinessModel(weights, bias, mean, scale, threshold, load_embedder().name, meta)
    if args.dev:
        dev = read_checkworthiness_tsv(args.dev)
        probabilities = model.probabilities(embed(dev, args.vectors_cache), feature_matrix(dev.texts))
        meta["dev"] = {"data": args.dev.name, "sha256": dev.sha256, "sentences": len(dev.texts),
                       **f1_scores(dev.labels, probabilities >= threshold)}
        print(f"dev: {meta['dev']}")
    save_model(model, args.out)
    print(f"saved {args.out} ({args.out.stat().st_size} bytes): l2={l2} threshold={threshold} "
          f"CV F1={cv['f1']} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
