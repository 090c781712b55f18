"""Turning claims into vectors, one module per job:

- model: the Embedder interface, the sentence-transformers model behind it (imported lazily, so the
  CLI starts without torch), and the check that every vector is finite;
- integrity: the SHA-256 of every file of the packaged model, verified before it is loaded;
- store: vectors per (claim, model) in claims.db, so unchanged text is never embedded twice.

A deterministic fake for unit tests lives in tests/fakes.py, not here.
"""

from .integrity import PACKAGED_SHA256, packaged_model_path, sha256_of, verify_model_folder
from .model import PACKAGED_NAMES, Embedder, SentenceTransformerEmbedder, check_vectors, load_embedder
from .store import (CancelCheck, ProgressCallback, blob_to_vector, claims_needing_embeddings, embedding_text,
                    ensure_embeddings, load_vectors, text_hash, vector_to_blob)

__all__ = [
    "PACKAGED_NAMES", "PACKAGED_SHA256", "CancelCheck", "Embedder", "ProgressCallback",
    "SentenceTransformerEmbedder", "blob_to_vector", "check_vectors", "claims_needing_embeddings",
    "embedding_text", "ensure_embeddings", "load_embedder", "load_vectors", "packaged_model_path",
    "sha256_of", "text_hash", "vector_to_blob", "verify_model_folder",
]
