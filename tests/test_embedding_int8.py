"""The int8 default embedder: built here from the packaged weights, checksummed, close to fp32; --device."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.config import DEFAULT_MODEL, FP32_MODEL, INT8_MODEL
from workbench.embedding import (Int8Embedder, SentenceTransformerEmbedder, ensure_embeddings, int8_folder,
                                 load_embedder, load_vectors, verify_int8_folder)
from workbench.errors import ModelError, WorkbenchError
from workbench.ingest import ingest_text

ROOT = Path(__file__).resolve().parent.parent

# Our own sentences: three paraphrase pairs and unrelated claims, as a newsroom would store them.
SENTENCES = [
    "A drone struck a power station in the port city on Tuesday night.",
    "On Tuesday night a power station in the port city was hit by a drone.",
    "The regional council voted 31 to 12 to raise bus fares by ten percent.",
    "Bus fares will rise by ten percent after a 31-12 vote in the regional council.",
    "The minister said unemployment fell to 4.2 percent in March.",
    "Unemployment dropped to 4.2% in March, according to the minister.",
    "The new bridge over the river will open to traffic in September.",
    "Heavy snow closed every school in the northern valley for two days.",
    "The football club signed a goalkeeper from a rival team for 3 million euros.",
    "Doctors at the city hospital performed the country's first hand transplant.",
]


@pytest.fixture(scope="module")
def fp32_embedder():
    return load_embedder(FP32_MODEL)


def test_the_default_is_the_int8_build_and_the_fp32_name_stays_exact(real_embedder, fp32_embedder):
    assert DEFAULT_MODEL == INT8_MODEL == real_embedder.name
    assert isinstance(real_embedder, Int8Embedder)
    assert isinstance(fp32_embedder, SentenceTransformerEmbedder) and fp32_embedder.name == FP32_MODEL
    verify_int8_folder(int8_folder())  # the build the session uses passes its own manifest


def test_int8_vectors_are_finite_normalised_and_close_to_fp32(real_embedder, fp32_embedder):
    int8 = real_embedder.embed_batch(SENTENCES)
    fp32 = fp32_embedder.embed_batch(SENTENCES)
    assert int8.shape == fp32.shape == (len(SENTENCES), 384) and int8.dtype == np.float32
    assert np.isfinite(int8).all()
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    cosines = (int8 * fp32).sum(axis=1)
    assert cosines.min() >= 0.97, cosines
    # Nearest neighbours agree: each sentence's closest other sentence is the same under both models,
    # and for the three paraphrase pairs it is the paraphrase.
    int8_similarity, fp32_similarity = int8 @ int8.T, fp32 @ fp32.T
    np.fill_diagonal(int8_similarity, -1.0)
    np.fill_diagonal(fp32_similarity, -1.0)
    assert list(int8_similarity.argmax(axis=1)) == list(fp32_similarity.argmax(axis=1))
    assert list(int8_similarity.argmax(axis=1)[:6]) == [1, 0, 3, 2, 5, 4]


def test_a_batch_gives_each_text_the_vector_it_gets_alone(real_embedder):
    # Length-sorted batches inside embed_batch must hand every vector back to its own text.
    together = real_embedder.embed_batch(SENTENCES[::-1])
    alone = np.vstack([real_embedder.embed_batch([text]) for text in SENTENCES[::-1]])
    assert ((together * alone).sum(axis=1) > 0.999).all()


def test_int8_and_fp32_vectors_are_stored_under_their_own_names(db, real_embedder, fp32_embedder):
    ids = ingest_text(db, " ".join(SENTENCES[:6]), source="Town Hall").claim_ids
    assert ensure_embeddings(db, real_embedder) == len(ids)
    assert ensure_embeddings(db, fp32_embedder) == len(ids)  # int8 vectors never stand in for fp32
    assert ensure_embeddings(db, real_embedder) == 0
    int8_ids, int8 = load_vectors(db, INT8_MODEL)
    fp32_ids, fp32 = load_vectors(db, FP32_MODEL)
    assert list(int8_ids) == list(fp32_ids) == ids
    assert ((int8 * fp32).sum(axis=1) >= 0.97).all()


def built_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the session's int8 build in a models folder of the test's own."""
    source = int8_folder()
    models = tmp_path / "models"
    shutil.copytree(source, models / source.name)
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(models))
    return models / source.name


def test_a_corrupt_built_file_is_refused_naming_it(tmp_path, monkeypatch, real_embedder):
    copy = built_copy(tmp_path, monkeypatch)
    with (copy / "openvino_model.bin").open("r+b") as handle:
        handle.seek(4096)
        byte = handle.read(1)
        handle.seek(4096)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelError) as caught:
        Int8Embedder()
    message = str(caught.value)
    assert "openvino_model.bin" in message and "SHA-256" in message and "workbench models build" in message
    assert "\n" not in message
    result = CliRunner().invoke(main, ["models", "verify"])
    assert result.exit_code == 1 and "openvino_model.bin" in result.output


def test_a_replaced_tokenizer_an_added_file_or_a_lost_manifest_is_refused(tmp_path, monkeypatch, real_embedder):
    copy = built_copy(tmp_path, monkeypatch)
    tokenizer = copy / "tokenizer.json"
    original = tokenizer.read_text(encoding="utf-8")
    # Still a tokenizer the library loads: only the checksum can tell.
    tokenizer.write_text(original.replace('"[UNK]"', '"[UNK2]"', 1), encoding="utf-8")
    with pytest.raises(ModelError, match="tokenizer.json.*workbench models build"):
        Int8Embedder()
    tokenizer.write_text(original, encoding="utf-8")
    (copy / "extra.xml").write_text("<net/>", encoding="utf-8")
    with pytest.raises(ModelError, match="extra.xml is not part of the built int8 model"):
        Int8Embedder()
    (copy / "extra.xml").unlink()
    Int8Embedder()  # sound again
    (copy / "manifest.json").unlink()
    with pytest.raises(ModelError, match="manifest.json.*workbench models build"):
        Int8Embedder()


@pytest.mark.slow
def test_two_processes_building_at_once_leave_one_sound_model(tmp_path):
    """Two first uses at once: one builds, the other waits for it; nothing half-built is ever in place."""
    env = {**os.environ, "WORKBENCH_MODELS_DIR": str(tmp_path / "models"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "workbench", "models", "build"]
    builders = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    outputs = [builder.communicate(timeout=900) for builder in builders]
    assert [builder.returncode for builder in builders] == [0, 0], outputs
    assert sum(err.count("building the int8 model") for _, err in outputs) == 1  # the lock let one build
    assert all("ok (3 files verified" in out for out, _ in outputs)
    folder = tmp_path / "models" / INT8_MODEL
    verify_int8_folder(folder)
    assert sorted(p.name for p in folder.parent.iterdir() if p.is_dir()) == [INT8_MODEL]  # no partial build left


def test_cuda_without_a_gpu_is_one_clear_line(monkeypatch):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU: --device cuda is honoured (test_the_device_is_honoured)")
    monkeypatch.setenv("WORKBENCH_DEVICE", "auto")  # restored after the test: --device sets it for the process
    with pytest.raises(ModelError) as caught:
        SentenceTransformerEmbedder(FP32_MODEL, device="cuda")
    assert "--device cuda" in str(caught.value) and "\n" not in str(caught.value)
    result = CliRunner().invoke(main, ["--device", "cuda", "--model", FP32_MODEL, "match"])
    assert result.exit_code == 1 and "no CUDA GPU" in result.output


def test_the_device_is_honoured(monkeypatch):
    import torch

    monkeypatch.setenv("WORKBENCH_DEVICE", "cpu")
    assert str(SentenceTransformerEmbedder(FP32_MODEL).model.device) == "cpu"
    monkeypatch.setenv("WORKBENCH_DEVICE", "auto")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert SentenceTransformerEmbedder(FP32_MODEL).device == expected
    monkeypatch.setenv("WORKBENCH_DEVICE", "cuda")
    with pytest.raises(ModelError, match="runs on the CPU only.*--model all-MiniLM-L6-v2 --device cuda"):
        load_embedder()
    monkeypatch.setenv("WORKBENCH_DEVICE", "tpu")
    with pytest.raises(WorkbenchError, match="unknown device 'tpu'"):
        load_embedder()
