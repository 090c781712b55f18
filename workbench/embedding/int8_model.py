"""The int8 all-MiniLM-L6-v2 on the CPU through OpenVINO: the workbench's default embedder.

It computes what sentence-transformers computes for the packaged model (the same tokenizer file,
truncation at 256 tokens, mean pooling over real tokens, L2 normalisation) with int8 weights and
activations; vectors are stored under their own name, never mixed with the fp32 model's.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..config import FP32_MODEL, INT8_MODEL
from .int8_build import MAX_TOKENS, MODEL_XML, TOKENIZER, Report, ensure_int8_model, stderr_line
from .model import check_vectors

DIMENSIONS = 384  # all-MiniLM-L6-v2's hidden size: a build with other weights is refused by its manifest


class Int8Embedder:
    """all-MiniLM-L6-v2 quantized to int8 (built into models/ on first use), run by OpenVINO."""

    name = INT8_MODEL
    # The vector space it approximates: models trained on fp32 vectors (check-worthiness) accept it.
    vector_space = FP32_MODEL

    def __init__(self, *, batch_size: int = 64, threads: int | None = None, report: Report = stderr_line):
        """`threads`: OpenVINO's inference threads (default: one per physical core)."""
        self.batch_size = batch_size
        folder = ensure_int8_model(report)
        # openvino and tokenizers are imported here, not at the top (start-up speed).
        import openvino as ov
        from tokenizers import Tokenizer

        self.tokenizer: Any = Tokenizer.from_file(str(folder / TOKENIZER))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")
        config: dict[str, Any] = {"PERFORMANCE_HINT": "LATENCY"}
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        compiled = ov.Core().compile_model(str(folder / MODEL_XML), "CPU", config)
        self.inputs = {port.get_any_name() for port in compiled.inputs}
        self.request: Any = compiled.create_infer_request()
        self.lock = threading.Lock()  # one infer request: the desk's workers take turns

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors in the order of `texts`; inside, batches of similar length (little padding)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        with self.lock:
            for start in range(0, len(order), self.batch_size):
                chosen = order[start:start + self.batch_size]
                vectors[chosen] = self.pooled([texts[i] for i in chosen])
        return check_vectors(vectors, self.name)

    def pooled(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        features = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}
        hidden = self.request.infer({k: v for k, v in features.items() if k in self.inputs})[0]
        mask = features["attention_mask"][..., None].astype(np.float32)
        mean = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        norms = np.linalg.norm(mean, axis=1, keepdims=True)
        return mean / np.maximum(norms, 1e-12)
