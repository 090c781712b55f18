"""The int8 model: built on this machine from the packaged all-MiniLM-L6-v2, never downloaded.

`build_int8_model` converts the verified packaged weights to OpenVINO and quantizes them to int8 with
NNCF (static: activation ranges calibrated on the demo corpus's claims, so the int8 kernels of
AVX-512 VNNI do the arithmetic). The result goes into models/all-MiniLM-L6-v2-int8 (git-ignored) with
a manifest of every file's SHA-256, checked on every load like the packaged model's pinned sums.

Two processes may start the build at once (two first uses): a lock file lets one build while the
other waits, and the build is written into a temporary folder renamed into place only when complete,
so no reader ever sees half a model.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..config import INT8_MODEL
from ..errors import ModelError
from .integrity import PACKAGED_SHA256, packaged_model_path, sha256_of, verify_model_folder
from .model import quiet_libraries

MANIFEST = "manifest.json"
MODEL_XML = "openvino_model.xml"
TOKENIZER = "tokenizer.json"
MAX_TOKENS = 256  # the packaged sentence_bert_config.json's max_seq_length, as sentence-transformers truncates
CALIBRATION_BATCH = 16
REBUILD = "run `workbench models build`"
SOURCE = "model.safetensors"

Report = Callable[[str], None]


def stderr_line(message: str) -> None:
    """The default progress report: a line on stderr (sys.stderr looked up now: the desk captures it)."""
    print(message, file=sys.stderr, flush=True)


def models_dir() -> Path:
    """Where built models go: WORKBENCH_MODELS_DIR, else the checkout's models/ folder."""
    configured = os.environ.get("WORKBENCH_MODELS_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "models"


def int8_folder() -> Path:
    return models_dir() / INT8_MODEL


def demo_claim_texts() -> list[str]:
    """The demo corpus's claims as the workbench splits them, then its fact-checks: real claims of our
    own, used to calibrate the int8 model and as the benchmark's default texts."""
    import csv  # the demo files are read only when calibrating or benchmarking (start-up speed)

    from ..demo import article_file, claims_file
    from ..splitting import split_claims

    texts: list[str] = []
    with article_file().open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            texts.extend(claim.text for claim in split_claims(article["text"], article.get("title")))
    with claims_file().open(encoding="utf-8", newline="") as handle:
        texts.extend(row["text"] for row in csv.DictReader(handle, delimiter="\t"))
    return texts


def verify_int8_folder(folder: Path) -> dict[str, Any]:
    """The manifest of a built int8 model whose every file matches it; ModelError naming the file if not."""
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = {str(name): str(digest) for name, digest in manifest["files"].items()}
        source = manifest["source_sha256"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelError(f"the int8 model's manifest cannot be read ({type(error).__name__}); {REBUILD}",
                         path=str(manifest_path)) from error
    if source != PACKAGED_SHA256[SOURCE]:
        raise ModelError(f"the int8 model was built from other weights than the installed package's; {REBUILD}",
                         path=str(manifest_path))
    verify_model_folder(folder, files, remedy=REBUILD, label="the built int8 model",
                        ignored=frozenset({MANIFEST}))
    return manifest


def ensure_int8_model(report: Report = stderr_line) -> Path:
    """The verified int8 model folder, built first if there is none (a tampered one is refused, not
    silently rebuilt: the user decides)."""
    folder = int8_folder()
    if not folder.exists():
        build_int8_model(report=report)
    verify_int8_folder(folder)
    return folder


def build_int8_model(*, force: bool = False, report: Report = stderr_line) -> Path:
    """Build models/all-MiniLM-L6-v2-int8 unless a sound one is there (`force`: build it again)."""
    folder = int8_folder()
    folder.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(folder.parent / f".{INT8_MODEL}.lock"):
        if folder.exists() and not force:
            try:
                verify_int8_folder(folder)
                return folder  # another process built it while we waited, or it was there already
            except ModelError as error:
                report(f"rebuilding the int8 model: {error}")
        started = time.perf_counter()
        report(f"building the int8 model {INT8_MODEL} from the packaged weights into {folder} "
               "(once; about a minute)…")
        partial = Path(tempfile.mkdtemp(prefix=f".{INT8_MODEL}.partial-", dir=folder.parent))
        try:
            write_int8_model(partial, report)
            replace_folder(partial, folder)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        report(f"built {INT8_MODEL} in {time.perf_counter() - started:.0f} s")
    return folder


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes, released when the holder exits, even killed."""
    import fcntl  # POSIX only, and only needed while building

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def replace_folder(partial: Path, folder: Path) -> None:
    """Rename the finished build into place; an older build is moved aside first and then deleted."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        os.rename(folder, old)
    os.rename(partial, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_int8_model(target: Path, report: Report) -> None:
    """Convert, calibrate and quantize into `target`, then write the manifest last."""
    # openvino, nncf and torch are imported only to build (start-up speed; they take seconds).
    import nncf
    import numpy as np
    import openvino as ov
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

    source = packaged_model_path()  # every packaged file verified first
    report("  1/3 converting the packaged weights to OpenVINO")
    quiet_libraries()
    transformer: Any = SentenceTransformer(str(source), device="cpu")[0].auto_model
    transformer.eval()
    tokenizer = Tokenizer.from_file(str(source / TOKENIZER))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]") or 0, pad_token="[PAD]")

    def features(texts: list[str]) -> dict[str, Any]:
        encodings = tokenizer.encode_batch(texts)
        return {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}

    import torch  # present with sentence-transformers; convert_model traces the torch module

    example = {name: torch.from_numpy(array) for name, array in features(["A first claim.", "A second."]).items()}
    # Tracing warns about shapes taken as constants: the padding checks of a decoder, not used here.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        converted = ov.convert_model(transformer, example_input=example)
    texts = demo_claim_texts()
    report(f"  2/3 calibrating int8 on {len(texts)} demo claims")
    batches = [features(texts[i:i + CALIBRATION_BATCH]) for i in range(0, len(texts), CALIBRATION_BATCH)]
    nncf.set_log_level(logging.ERROR)
    # NNCF draws progress bars on stdout; stdout belongs to the command's output (JSON, tables).
    with contextlib.redirect_stdout(io.StringIO()):
        quantized = nncf.quantize(converted, nncf.Dataset(batches), model_type=nncf.ModelType.TRANSFORMER,
                                  subset_size=len(batches))
    report("  3/3 saving and checksumming")
    # compress_to_fp16=False: the layers left in float keep fp32 precision, as in the packaged model.
    ov.save_model(quantized, str(target / MODEL_XML), compress_to_fp16=False)
    shutil.copyfile(source / TOKENIZER, target / TOKENIZER)
    files = {path.name: sha256_of(path) for path in sorted(target.iterdir()) if path.is_file()}
    manifest = {
        "model": INT8_MODEL, "source_sha256": PACKAGED_SHA256[SOURCE], "files": files,
        "max_tokens": MAX_TOKENS, "calibration_texts": len(texts),
        "built_with": {"openvino": ov.get_version(), "nncf": nncf.__version__},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
