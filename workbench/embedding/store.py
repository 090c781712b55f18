"""Vectors in claims.db: one per (claim, model), as little-endian float32 blobs, with the hash of the
text they embed so that unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable

import numpy as np
from sqlite_utils import Database

from ..db import query_rows, write
from .model import Embedder, check_vectors

# progress(done, total) is called after each batch; cancel() returning True stops between batches.
ProgressCallback = Callable[[int, int], None]
CancelCheck = Callable[[], bool]
# Model batches per embed call (and per transaction): fewer, larger calls, progress still often.
CALL_BATCHES = 4


def vector_to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def blob_to_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")


def embedding_text(text: str, context: str | None) -> str:
    """What is embedded for a claim: its text, preceded by its context when it has one."""
    return f"{context} {text}" if context else text


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def claims_needing_embeddings(db: Database, model: str,
                              claim_ids: Iterable[int] | None = None) -> list[tuple[int, str, str]]:
    """(claim id, text to embed, its hash) for claims with no vector for `model` or a stale one.

    Given claim ids, only those claims are read (filtered in SQL): one new article costs its own claims.
    """
    wanted = "" if claim_ids is None else "WHERE c.id IN (SELECT value FROM json_each(?))"
    params: list = [model] if claim_ids is None else [model, json.dumps(sorted({int(c) for c in claim_ids}))]
    rows = query_rows(db,
        f"""SELECT c.id, c.text, c.context, e.content_hash AS stored_hash
            FROM claims c LEFT JOIN embeddings e ON e.claim_id = c.id AND e.model = ?
            {wanted} ORDER BY c.id""",
        params,
    )
    todo = []
    for row in rows:
        to_embed = embedding_text(row["text"], row["context"])
        digest = text_hash(to_embed)
        if digest != row["stored_hash"]:
            todo.append((row["id"], to_embed, digest))
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

    Claims go to the model longest first, so each batch holds texts of about one length and little
    padding (in claim-id order a batch padded to 2.3x its real tokens). Each call embeds CALL_BATCHES
    of the model's batches and is committed on its own, so a cancelled or interrupted run keeps what
    it finished.
    """
    todo = sorted(claims_needing_embeddings(db, embedder.name, claim_ids), key=lambda row: -len(row[1]))
    total = len(todo)
    if progress:
        progress(0, total)
    done = 0
    step = max(1, embedder.batch_size) * CALL_BATCHES
    for offset in range(0, total, step):
        if cancel and cancel():
            break
        batch = todo[offset:offset + step]
        # Checked here too, whatever the embedder: a NaN must never reach the table.
        vectors = check_vectors(embedder.embed_batch([text for _, text, _ in batch]), embedder.name)
        rows = sorted(zip(batch, vectors), key=lambda pair: pair[0][0])  # written in claim order
        with write(db):
            db.table("embeddings").upsert_all(
                (
                    {
                        "claim_id": claim_id,
                        "model": embedder.name,
                        "content_hash": digest,
                        "dimensions": int(vector.shape[0]),
                        "vector": vector_to_blob(vector),
                    }
                    for (claim_id, _, digest), vector in rows
                ),
                pk=("claim_id", "model"),
            )
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def load_vectors(db: Database, model: str, claim_ids: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(claim ids, matrix of their vectors) for `model`, in claim-id order; given ids, only those are read."""
    if claim_ids is None:
        rows = query_rows(db, "SELECT claim_id, vector FROM embeddings WHERE model = ? ORDER BY claim_id",
                          [model])
    else:
        rows = query_rows(db,
            """SELECT claim_id, vector FROM embeddings
               WHERE model = ? AND claim_id IN (SELECT value FROM json_each(?)) ORDER BY claim_id""",
            [model, json.dumps(sorted({int(c) for c in claim_ids}))])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.fromiter((row["claim_id"] for row in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(row["vector"] for row in rows), dtype="<f4").reshape(len(rows), -1)
    return ids, matrix
