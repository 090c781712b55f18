"""`workbench models build` and `workbench models verify`: the int8 model built here from the packaged
weights (workbench/embedding/int8_build.py)."""

from __future__ import annotations

import click

from ..errors import ModelError
from . import main
from .options import echo


@main.group()
def models() -> None:
    """The int8 embedding model, built on this machine from the packaged all-MiniLM-L6-v2."""


@models.command()
@click.option("--force", is_flag=True, help="Build again even if a sound build is there.")
def build(force: bool) -> None:
    """Build models/all-MiniLM-L6-v2-int8 (OpenVINO int8, calibrated on the demo claims), once.

    The first command that embeds builds it too; this does it ahead, e.g. at install. Nothing is
    downloaded: the packaged weights are verified, converted and quantized here, and every file of the
    result is recorded with its SHA-256 in manifest.json, checked on every load.
    """
    # numpy, openvino and torch: imported only when building (start-up speed)
    from ..embedding import build_int8_model, verify_int8_folder

    folder = build_int8_model(force=force, report=lambda line: echo(line, err=True))
    manifest = verify_int8_folder(folder)
    echo(f"{folder}: ok ({len(manifest['files'])} files verified against manifest.json)")


@models.command()
def verify() -> None:
    """Check the built int8 model's files against its manifest (exit 1 naming the first bad file)."""
    from ..embedding import int8_folder, verify_int8_folder  # numpy: not for `--help` (start-up speed)

    folder = int8_folder()
    if not folder.exists():
        raise ModelError("no int8 model here; run `workbench models build`", path=str(folder))
    manifest = verify_int8_folder(folder)
    echo(f"{folder}: ok ({len(manifest['files'])} files verified against manifest.json)")
