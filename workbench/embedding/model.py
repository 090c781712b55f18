"""The Embedder interface and the sentence-transformers model behind it, loaded once per process.

torch and sentence-transformers are imported inside `SentenceTransformerEmbedder.__init__`, never at
module import, so that `workbench --help` and the TUI's first paint stay instant.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from ..config import DEFAULT_MODEL, model_name
from ..errors import ModelError
from .integrity import packaged_model_path

# The names under which the packaged copy is used (and verified) instead of asking the Hub.
PACKAGED_NAMES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str
    batch_size: int

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray: ...


def check_vectors(vectors: np.ndarray, model: str) -> np.ndarray:
    """The vectors, if every value is finite: a NaN stored once poisons every later match (and the
    matcher's argpartition), so a model that emits one is refused before anything is written."""
    if not np.isfinite(vectors).all():
        rows = int((~np.isfinite(vectors)).any(axis=tuple(range(1, vectors.ndim))).sum()) if vectors.ndim > 1 else 1
        raise ModelError(f"model {model!r} produced NaN or infinite values for {rows} of {len(vectors)} texts; "
                         "nothing was stored. The model files are broken or the model is not a sentence "
                         "embedding model: pass another with --model")
    return vectors


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU (or whatever device torch picks)."""

    def __init__(self, name: str = DEFAULT_MODEL, *, batch_size: int = 64, device: str | None = None):
        self.name = name
        self.batch_size = batch_size
        if name in PACKAGED_NAMES:
            location = str(packaged_model_path())
            # The packaged copy is complete: never let the Hub be asked (it is unreachable here).
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            self.name = DEFAULT_MODEL
        else:
            location = name  # the user's own model: not pinned, they chose it
        # Library progress bars and log lines would scribble over the review desk's screen.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            # Imported here, not at the top: torch takes seconds to import (start-up speed).
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()

            self.model: Any = SentenceTransformer(location, device=device)
        except Exception as error:  # the library raises many kinds; the user needs one line
            raise ModelError(
                f"cannot load sentence-transformers model {name!r} ({type(error).__name__}: "
                f"{str(error).splitlines()[0] if str(error) else ''}); pass a local path or a "
                "Hub name reachable from here with --model"
            ) from error

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return check_vectors(np.asarray(vectors, dtype=np.float32), self.name)


_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder(name: str | None = None) -> Embedder:
    """Load (once per process) the named model; None means WORKBENCH_MODEL or the packaged default."""
    name = model_name(name)
    with _cache_lock:
        if name not in _cache:
            _cache[name] = SentenceTransformerEmbedder(name)
        return _cache[name]
