"""Turning claims into vectors, one module per job:

- model: the Embedder interface, the fp32 sentence-transformers model behind it (imported lazily, so
  the CLI starts without torch), the device it runs on, and the check that every vector is finite;
- int8_build: the int8 model built locally from the packaged weights into models/, with its manifest;
- int8_model: that int8 model run by OpenVINO, the default embedder;
- loader: one embedder per (model, device) and process;
- integrity: the SHA-256 of every file of the packaged model, verified before it is loaded;
- store: vectors per (claim, model) in claims.db, so unchanged text is never embedded twice.

A deterministic fake for unit tests lives in tests/fakes.py, not here.
"""

from .int8_build import build_int8_model, demo_claim_texts, int8_folder, verify_int8_folder
from .int8_model import Int8Embedder
from .integrity import PACKAGED_SHA256, packaged_model_path, sha256_of, verify_model_folder
from .loader import load_embedder
from .model import PACKAGED_NAMES, Embedder, SentenceTransformerEmbedder, check_vectors, vector_space
from .store import (CancelCheck, ProgressCallback, blob_to_vector, claims_needing_embeddings, embedding_text,
                    ensure_embeddings, load_vectors, text_hash, vector_to_blob)

__all__ = [
    "PACKAGED_NAMES", "PACKAGED_SHA256", "CancelCheck", "Embedder", "Int8Embedder", "ProgressCallback",
    "SentenceTransformerEmbedder", "blob_to_vector", "build_int8_model", "check_vectors",
    "claims_needing_embeddings", "demo_claim_texts", "embedding_text", "ensure_embeddings", "int8_folder",
    "load_embedder", "load_vectors", "packaged_model_path", "sha256_of", "text_hash", "vector_space",
    "vector_to_blob", "verify_int8_folder", "verify_model_folder",
]
