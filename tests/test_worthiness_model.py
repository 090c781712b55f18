"""The trained check-worthiness model: its data reader, its fit, its file (JSON, never a pickle), its use
on stored claims, and `workbench eval checkworthiness`. Sentences are written for this test."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from fakes import HashingEmbedder

from workbench.db import open_database
from workbench.errors import InputError, ModelError
from workbench.ingest import ingest_text
from workbench.worthiness_model import (FEATURE_NAMES, MODEL_FILE, WorthinessModel, default_model, f1_scores,
                                        fit_logistic, load_model, read_checkworthiness_tsv, save_model,
                                        score_claims, sentence_features)

CONCRETE = "The city council spent $4.2 million on 18 new buses in March 2023."
OPINION = "I think we all deserve a better future together."
TSV = (
    "Sentence_id\tText\tclass_label\n"
    f"1\t{CONCRETE}\tYes\n"
    "2\tUnemployment fell to 3.9 percent last year, the lowest since 1969.\tYes\n"
    "3\tThe senator voted against the 2019 farm bill twice.\tYes\n"
    f"4\t{OPINION}\tNo\n"
    "5\tThank you all very much for being here tonight.\tNo\n"
    "6\tWe are going to keep fighting for you.\tNo\n"
)


def write(tmp_path, text: str, name: str = "data.tsv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_checkthat_tsv_and_hashes_the_file(tmp_path):
    data = read_checkworthiness_tsv(write(tmp_path, TSV))
    assert data.texts[0] == CONCRETE and list(data.labels) == [1, 1, 1, 0, 0, 0]
    assert len(data.sha256) == 64


@pytest.mark.parametrize("text, where", [
    ("id\tsentence\tlabel\n1\tx\tYes\n", ":1:"),
    ("Sentence_id\tText\tclass_label\n1\tfine\tYes\n2\tno label here\n", ":3:"),
    ("Sentence_id\tText\tclass_label\n", "no labelled sentences"),
])
def test_bad_tsv_is_one_line_naming_file_and_line(tmp_path, text, where):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as error:
        read_checkworthiness_tsv(path)
    assert str(path) in str(error.value) and where in str(error.value) and "\n" not in str(error.value)


def test_explainable_features_are_those_of_worthiness():
    features = sentence_features(CONCRETE)
    assert len(features) == len(FEATURE_NAMES)
    assert features[FEATURE_NAMES.index("numbers")] > 0 and features[FEATURE_NAMES.index("dates")] > 0
    assert sentence_features(OPINION)[FEATURE_NAMES.index("rhetoric")] > 0


def test_fit_separates_separable_data_and_f1_counts_the_positive_class():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 5))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(float)
    w, b, mean, scale = fit_logistic(x, y, l2=1.0)
    predicted = (((x - mean) / scale) @ w + b) > 0
    assert f1_scores(y, predicted)["f1"] > 0.95
    assert f1_scores(np.array([1, 0, 1]), np.array([True, True, False])) == {"f1": 0.5, "precision": 0.5,
                                                                             "recall": 0.5}


def test_model_file_is_json_and_round_trips(tmp_path):
    model = WorthinessModel(np.arange(4, dtype=float) / 10, 0.5, np.zeros(4), np.ones(4), 0.4, "m",
                            {"training_data_sha256": "ab" * 32})
    path = tmp_path / "w.json"
    save_model(model, path)
    data = json.loads(path.read_text(encoding="utf-8"))  # plain JSON: loading it runs no code
    assert data["training_data_sha256"] == "ab" * 32 and data["features"] == list(FEATURE_NAMES)
    again = load_model(path)
    assert np.allclose(again.weights, model.weights) and again.threshold == 0.4


def test_a_file_that_is_not_a_model_is_one_clear_line(tmp_path):
    path = write(tmp_path, '{"format": "something else"}', "bad.json")
    with pytest.raises(ModelError, match="retrain it"):
        load_model(path)


def test_committed_model_names_its_data_and_metrics():
    model = default_model()
    assert MODEL_FILE.suffix == ".json" and MODEL_FILE.stat().st_size < 200_000
    assert len(model.meta["training_data_sha256"]) == 64
    assert model.meta["cross_validation"]["f1"] > 0.5
    assert model.embedding_model == "all-MiniLM-L6-v2" and model.dimensions == 384


def test_score_claims_keeps_rule_score_and_features_and_drops_nothing(tmp_path):
    db = open_database(tmp_path / "claims.db")
    result = ingest_text(db, f"{CONCRETE} {OPINION}", source="Wire A")
    before = {row["id"]: json.loads(row["features"]) for row in db.query("SELECT id, features FROM claims")}
    rng = np.random.default_rng(2)
    vectors = {cid: rng.normal(size=384) / 20 for cid in result.claim_ids}
    assert score_claims(db, vectors, result.claim_ids) == 2
    assert score_claims(db, vectors, result.claim_ids) == 0  # already scored by this model
    rows = list(db.query("SELECT id, worthiness, features FROM claims ORDER BY id"))
    assert len(rows) == 2  # low scores are stored, never dropped
    for row in rows:
        features = json.loads(row["features"])
        assert features["rule_score"] >= 0 and features["model"]["name"].startswith("ct24-logreg-")
        assert features["numbers"] == before[row["id"]]["numbers"]  # what explains the score stays
        assert 0.0 <= row["worthiness"] <= 1.0


def test_another_embedding_model_leaves_the_rule_score(tmp_path):
    db = open_database(tmp_path / "claims.db")
    result = ingest_text(db, CONCRETE, source="Wire A")
    assert score_claims(db, HashingEmbedder(), result.claim_ids) == 0


def test_real_model_ranks_a_checkable_fact_above_an_opinion(tmp_path, real_embedder):
    db = open_database(tmp_path / "claims.db")
    result = ingest_text(db, f"{CONCRETE}\n\n{OPINION}", source="Wire A")
    assert score_claims(db, real_embedder, result.claim_ids) == 2
    concrete, opinion = [row["worthiness"] for row in db.query("SELECT worthiness FROM claims ORDER BY id")]
    assert concrete > default_model().threshold > opinion


def test_eval_checkworthiness_cli_prints_f1_precision_recall(tmp_path):
    path = write(tmp_path, TSV)
    done = subprocess.run([sys.executable, "-m", "workbench", "eval", "checkworthiness", "--data", str(path),
                           "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["sentences"] == 6 and result["positives"] == 3
    assert {"f1", "precision", "recall"} <= set(result) and result["f1"] >= 0.8
    bad = subprocess.run([sys.executable, "-m", "workbench", "eval", "checkworthiness", "--data",
                          str(write(tmp_path, "nothing\n", "bad.tsv"))], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "bad.tsv:1:" in bad.stderr
