"""The trained check-worthiness model: logistic regression over a claim's sentence embedding and the
explainable features of worthiness.py.

Why this shape: the rule score ranks well at the top but cannot learn what fact-checkers actually pick;
the CheckThat! 2024 sentences can teach it, and a linear model over the embedding we already compute
costs one dot product per claim. It is saved as JSON (never a pickle: loading it runs no code) with the
SHA-256 of its training data and its metrics, in models/ beside the code. The features stay in the
claim's record, so the desk still shows why a claim ranks where it does.

numpy only: the CLI never imports torch for this; vectors come from the caller (the embedder).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence, Union

import numpy as np

from .db import write
from .embedding import embedding_text, load_embedder, load_vectors, vector_space
from .errors import InputError, ModelError
from .worthiness import assess

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .embedding import Embedder

MODEL_FILE = Path(__file__).resolve().parent.parent / "models" / "worthiness-ct24.json"
FORMAT = "workbench-worthiness-logreg/1"

# The explainable part of the input, each scaled to about [0, 1]; the names are stored in the model file.
FEATURE_NAMES = ("rule_score", "numbers", "dates", "entities", "attributed", "events", "rhetoric",
                 "emphasis", "words")


def feature_vector(text: str, features: dict, rule_score: float) -> list[float]:
    """The explainable features of one sentence, as worthiness.assess found them."""
    def count(key: str, cap: int = 3) -> float:
        return min(len(features.get(key) or []), cap) / cap

    words = len(text.split())
    return [
        float(rule_score), count("numbers"), count("dates"), count("entities"),
        1.0 if features.get("attribution") else 0.0, count("events"), count("rhetoric"), count("emphasis"),
        min(math.log1p(words) / math.log1p(60), 1.0),
    ]


def sentence_features(text: str, claimant: str | None = None) -> list[float]:
    """feature_vector for a bare sentence (training and evaluation data have no stored features)."""
    worth = assess(text, claimant)
    return feature_vector(text, worth.features, worth.score)


@dataclass
class WorthinessModel:
    """Standardised inputs [embedding | features] -> P(check-worthy) by a logistic regression."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float
    embedding_model: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def dimensions(self) -> int:
        return int(self.weights.shape[0]) - len(FEATURE_NAMES)

    def probabilities(self, vectors: np.ndarray, features: np.ndarray) -> np.ndarray:
        """P(check-worthy) per row; vectors are the embedder's (normalised) sentence vectors."""
        inputs = np.hstack([np.asarray(vectors, dtype=np.float64), np.asarray(features, dtype=np.float64)])
        if inputs.shape[1] != self.weights.shape[0]:
            raise ModelError(f"the worthiness model expects {self.dimensions}-dimensional vectors of "
                             f"{self.embedding_model}; got {inputs.shape[1] - len(FEATURE_NAMES)}")
        return sigmoid(((inputs - self.mean) / self.scale) @ self.weights + self.bias)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "embedding_model": self.embedding_model, "features": list(FEATURE_NAMES),
            "threshold": self.threshold, "bias": self.bias,
            "weights": [round(float(w), 7) for w in self.weights],
            "mean": [round(float(m), 7) for m in self.mean],
            "scale": [round(float(s), 7) for s in self.scale],
            **self.meta,
        }


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def fit_logistic(inputs: np.ndarray, labels: np.ndarray, l2: float, *, iterations: int = 25
                 ) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """(weights, bias, mean, scale) by Newton's method on the L2-penalised log loss (deterministic)."""
    mean = inputs.mean(axis=0)
    scale = inputs.std(axis=0)
    scale[scale < 1e-8] = 1.0
    x = np.hstack([(inputs - mean) / scale, np.ones((len(inputs), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = sigmoid(x @ w)
        gradient = x.T @ (p - labels) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return w[:-1], float(w[-1]), mean, scale


def f1_scores(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of the positive class."""
    tp = float(np.sum(predicted & (labels == 1)))
    precision = tp / max(float(np.sum(predicted)), 1.0)
    recall = tp / max(float(np.sum(labels == 1)), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def best_threshold(labels: np.ndarray, probabilities: np.ndarray) -> float:
    """The cut on P(check-worthy) that maximises F1 of the positive class."""
    candidates = np.round(np.arange(0.20, 0.81, 0.01), 2)
    return float(max(candidates, key=lambda t: f1_scores(labels, probabilities >= t)["f1"]))


# --- data ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LabelledSentences:
    texts: list[str]
    labels: np.ndarray  # 1 = check-worthy
    sha256: str


def read_checkworthiness_tsv(path: str | Path) -> LabelledSentences:
    """CheckThat! check-worthiness TSV: a header, then Sentence_id <TAB> Text <TAB> class_label (Yes/No)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read it ({error.strerror}); pass a CheckThat! TSV with --data",
                         path=str(path)) from error
    lines = raw.decode("utf-8-sig", errors="replace").splitlines()
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or [c.strip().lower() for c in rows[0][-2:]] != ["text", "class_label"]:
        raise InputError("expected the header Sentence_id<TAB>Text<TAB>class_label", path=str(path), line=1)
    texts: list[str] = []
    labels: list[int] = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < 3 or row[-1].strip() not in {"Yes", "No"}:
            raise InputError("expected 3 tab-separated fields ending in Yes or No", path=str(path), line=number)
        texts.append("\t".join(row[1:-1]).strip())
        labels.append(1 if row[-1].strip() == "Yes" else 0)
    if not texts:
        raise InputError("holds no labelled sentences", path=str(path))
    return LabelledSentences(texts, np.asarray(labels, dtype=np.int64), hashlib.sha256(raw).hexdigest())


def feature_matrix(texts: Sequence[str]) -> np.ndarray:
    return np.asarray([sentence_features(t) for t in texts], dtype=np.float64)


# --- the saved model -------------------------------------------------------------------------------

def save_model(model: WorthinessModel, path: str | Path = MODEL_FILE) -> None:
    Path(path).write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")


def load_model(path: str | Path = MODEL_FILE) -> WorthinessModel:
    """Read a model file written by save_model; one clear line when it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or list(data["features"]) != list(FEATURE_NAMES):
            raise ValueError("another format")
        weights = np.asarray(data["weights"], dtype=np.float64)
        mean = np.asarray(data["mean"], dtype=np.float64)
        scale = np.asarray(data["scale"], dtype=np.float64)
        if not (weights.shape == mean.shape == scale.shape) or not np.all(np.isfinite(weights)):
            raise ValueError("inconsistent sizes")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelError(f"is not a worthiness model of this version ({error}); retrain it with "
                         "benchmarks/train_worthiness.py", path=str(path)) from error
    known = {"format", "embedding_model", "features", "threshold", "bias", "weights", "mean", "scale"}
    return WorthinessModel(weights, float(data["bias"]), mean, scale, float(data["threshold"]),
                           str(data["embedding_model"]), {k: v for k, v in data.items() if k not in known})


_loaded: dict[Path, WorthinessModel] = {}


def default_model() -> WorthinessModel:
    """The committed model, read once per process (a few ms: JSON of some thousand numbers)."""
    if MODEL_FILE not in _loaded:
        _loaded[MODEL_FILE] = load_model(MODEL_FILE)
    return _loaded[MODEL_FILE]


# --- scoring stored claims -------------------------------------------------------------------------

VectorSource = Union["Embedder", Mapping[int, np.ndarray]]


def model_id(model: WorthinessModel) -> str:
    """Names the model in each claim it scored: its training data's hash, short."""
    return f"ct24-logreg-{str(model.meta.get('training_data_sha256', 'unknown'))[:12]}"


def score_claims(db: Database, embedder_or_vectors: VectorSource, claim_ids: Iterable[int] | None = None,
                 *, model: WorthinessModel | None = None) -> int:
    """Replace the rule score of claims by the trained model's probability; returns how many changed.

    Runs once the claims' sentence vectors exist (after embedding): the rule score and its features,
    computed at split time, stay in the claim's features (`rule_score`, and the explaining lists), and
    the model that scored it is named there too. `claim_ids=None` scores every claim this model has not
    scored yet. An embedder of another model than the one trained on scores nothing. Imported claims
    (already atomic, no rule score) are left as they are. Vectors: a mapping claim id -> vector, or an Embedder, whose stored vectors are used where they embed the bare text.
    """
    model = model or default_model()
    if not isinstance(embedder_or_vectors, Mapping) and vector_space(embedder_or_vectors) != model.embedding_model:
        return 0  # another model's vectors mean nothing to these weights: the rule score stays
    name = model_id(model)
    wanted = None if claim_ids is None else {int(c) for c in claim_ids}
    # Only claims this model has not scored: a second call (every match runs one) reads almost nothing.
    # Given claims, only those are read (a match of one article must not scan every claim's features).
    only = "" if wanted is None else "AND id IN (SELECT value FROM json_each(?))"
    rows = db.query(
        f"""SELECT id, text, context, worthiness, features FROM claims
            WHERE json_extract(features, '$.model.name') IS NOT ? AND json_extract(features, '$.imported') IS NULL
            {only} ORDER BY id""",
        [name] if wanted is None else [name, json.dumps(sorted(wanted))],
    )
    todo = [(row, json.loads(row["features"] or "{}")) for row in rows]
    if not todo:
        return 0
    vectors: dict[int, np.ndarray] = {}
    if isinstance(embedder_or_vectors, Mapping):
        vectors = {int(k): np.asarray(v) for k, v in embedder_or_vectors.items()}
    else:
        bare = [row["id"] for row, _ in todo if embedding_text(row["text"], row["context"]) == row["text"]]
        ids, matrix = load_vectors(db, embedder_or_vectors.name, bare)
        vectors = {int(i): matrix[n] for n, i in enumerate(ids)}
        missing = [row for row, _ in todo if row["id"] not in vectors]
        if missing:
            fresh = embedder_or_vectors.embed_batch([row["text"] for row in missing])
            vectors.update({row["id"]: fresh[n] for n, row in enumerate(missing)})
    todo = [(row, features) for row, features in todo if row["id"] in vectors]
    if not todo:
        return 0
    inputs = np.vstack([vectors[row["id"]] for row, _ in todo])
    explained = np.asarray([feature_vector(row["text"], features, float(features.get("rule_score", row["worthiness"])))
                            for row, features in todo])
    probabilities = model.probabilities(inputs, explained)
    with write(db):
        for (row, features), p in zip(todo, probabilities):
            features.setdefault("rule_score", row["worthiness"])
            features["model"] = {"name": name, "threshold": model.threshold}
            db.execute("UPDATE claims SET worthiness = ?, features = ? WHERE id = ?",
                       [round(float(p), 4), json.dumps(features), row["id"]])
    return len(todo)


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """The committed model on a labelled TSV: F1, precision and recall of the check-worthy class."""
    started = time.perf_counter()
    data = read_checkworthiness_tsv(path)
    before_load = time.perf_counter()
    model = load_model(MODEL_FILE)
    loaded = time.perf_counter() - before_load
    embedder = load_embedder(model.embedding_model)
    probabilities = model.probabilities(embedder.embed_batch(data.texts), feature_matrix(data.texts))
    return {"data": str(path), "sentences": len(data.texts), "positives": int(data.labels.sum()),
            "model": model_id(model), "threshold": model.threshold,
            **f1_scores(data.labels, probabilities >= model.threshold),
            "load_seconds": round(loaded, 4), "seconds": round(time.perf_counter() - started, 2)}
