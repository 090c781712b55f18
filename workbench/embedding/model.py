"""The Embedder interface and the sentence-transformers model behind it.

torch and sentence-transformers are imported inside `SentenceTransformerEmbedder.__init__`, never at
module import, so that `workbench --help` and the TUI's first paint stay instant.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from ..config import FP32_MODEL, device_name
from ..errors import ModelError
from .integrity import packaged_model_path

# The names under which the packaged fp32 copy is used (and verified) instead of asking the Hub.
PACKAGED_NAMES = {FP32_MODEL, f"sentence-transformers/{FP32_MODEL}"}


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str
    batch_size: int

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray: ...


def quiet_libraries() -> None:
    """Library progress bars and log lines would scribble over the review desk's screen."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from transformers.utils import logging as transformers_logging  # torch-heavy (start-up speed)

    transformers_logging.disable_progress_bar()


def vector_space(embedder: Embedder) -> str:
    """The model whose vectors `embedder` gives: its own name, or the model it approximates (the int8
    build gives all-MiniLM-L6-v2's), so a classifier trained on those vectors may use it."""
    return str(getattr(embedder, "vector_space", embedder.name))


def torch_device(requested: str) -> str:
    """"cpu" or "cuda" for torch: auto takes a GPU when torch sees one; cuda without one is an error."""
    import torch  # only once a model loads (start-up speed); sentence-transformers has imported it by then

    if requested == "cpu":
        return "cpu"
    available = torch.cuda.is_available()
    if requested == "cuda" and not available:
        raise ModelError(f"--device cuda: torch {torch.__version__} sees no CUDA GPU on this machine; "
                         "use --device cpu or --device auto (or unset WORKBENCH_DEVICE)")
    return "cuda" if available else "cpu"


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
    """A sentence-transformers model (fp32) on the device asked for: `device` is auto, cpu or cuda,
    None meaning --device / WORKBENCH_DEVICE."""

    def __init__(self, name: str = FP32_MODEL, *, batch_size: int = 64, device: str | None = None):
        self.name = name
        self.batch_size = batch_size
        requested = device_name(device)
        if name in PACKAGED_NAMES:
            location = str(packaged_model_path())
            # The packaged copy is complete: never let the Hub be asked (it is unreachable here).
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            self.name = FP32_MODEL
        else:
            location = name  # the user's own model: not pinned, they chose it
        try:
            quiet_libraries()
            # Imported here, not at the top: torch takes seconds to import (start-up speed).
            from sentence_transformers import SentenceTransformer

            self.device = torch_device(requested)
            self.model: Any = SentenceTransformer(location, device=self.device)
        except ModelError:
            raise
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

