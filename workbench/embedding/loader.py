"""One embedder per (model, device) and process: the int8 default or any sentence-transformers model."""

from __future__ import annotations

import threading

from ..config import INT8_MODEL, device_name, model_name
from ..errors import ModelError
from .int8_model import Int8Embedder
from .model import Embedder, SentenceTransformerEmbedder

_cache: dict[tuple[str, str], Embedder] = {}
_cache_lock = threading.Lock()


def load_embedder(name: str | None = None) -> Embedder:
    """Load (once per process) the named model; None means WORKBENCH_MODEL or the int8 default. The
    device is --device / WORKBENCH_DEVICE (auto, cpu, cuda)."""
    name = model_name(name)
    device = device_name()
    with _cache_lock:
        if (name, device) not in _cache:
            _cache[(name, device)] = new_embedder(name, device)
        return _cache[(name, device)]


def new_embedder(name: str, device: str) -> Embedder:
    if name != INT8_MODEL:
        return SentenceTransformerEmbedder(name, device=device)
    if device == "cuda":
        raise ModelError(f"{INT8_MODEL} (the default) runs on the CPU only; to embed on the GPU pass "
                         "--model all-MiniLM-L6-v2 --device cuda (its vectors are stored under that name)")
    return Int8Embedder()
