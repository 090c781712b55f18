"""Who and what: the embedding model and the reviewer, from flags, the environment or the config file.

The database path is a click option (`--db`, `WORKBENCH_DB`) in workbench/cli/options.py. The reviewer's
name is asked once (the desk) and remembered in $XDG_CONFIG_HOME/workbench/config.toml (default
~/.config); `--reviewer` and WORKBENCH_REVIEWER override it.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

from .errors import WorkbenchError

# The packaged all-MiniLM-L6-v2 as shipped (fp32, torch), and the int8 copy built from it into models/
# by `workbench models build` (OpenVINO, calibrated on the demo claims): the default, as it embeds
# several times faster at the same retrieval quality (README, Performance). Vectors are stored per model
# name, so the two never mix.
FP32_MODEL = "all-MiniLM-L6-v2"
INT8_MODEL = "all-MiniLM-L6-v2-int8"
DEFAULT_MODEL = INT8_MODEL
DEVICES = ("auto", "cpu", "cuda")


def model_name(explicit: str | None = None) -> str:
    """The embedding model: the flag, else WORKBENCH_MODEL, else the int8 build of all-MiniLM-L6-v2."""
    return explicit or os.environ.get("WORKBENCH_MODEL") or DEFAULT_MODEL


def device_name(explicit: str | None = None) -> str:
    """Where a torch model runs: the flag, else WORKBENCH_DEVICE, else auto (a GPU when torch sees one)."""
    device = (explicit or os.environ.get("WORKBENCH_DEVICE") or "auto").strip().lower()
    if device not in DEVICES:
        raise WorkbenchError(f"unknown device {device!r} (from --device or WORKBENCH_DEVICE); use one of "
                             f"{', '.join(DEVICES)}")
    return device


def config_path() -> Path:
    """$XDG_CONFIG_HOME/workbench/config.toml, ~/.config/workbench/config.toml without it."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "workbench" / "config.toml"


def remembered_reviewer() -> str | None:
    """The name saved by `remember_reviewer` (None when there is none yet)."""
    path = config_path()
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise WorkbenchError(f"cannot read the settings ({error}); fix the file or delete it",
                             path=str(path)) from error
    name = settings.get("reviewer")
    return name.strip() or None if isinstance(name, str) else None


def remember_reviewer(name: str) -> Path:
    """Save the reviewer's name for next time (written whole, then renamed: never half a file)."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".toml.partial")
    # A JSON string is a valid TOML basic string (same escapes), so any name round-trips.
    partial.write_text(f"reviewer = {json.dumps(name.strip())}\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def reviewer_name(explicit: str | None = None) -> str | None:
    """Who is deciding: the flag, else WORKBENCH_REVIEWER, else the remembered name; None when nobody
    said (the desk then asks; `workbench mark` says how to tell it). Never the login name silently:
    on a shared or container login every verdict would say "root"."""
    for name in (explicit, os.environ.get("WORKBENCH_REVIEWER")):
        if name and name.strip():
            return name.strip()
    return remembered_reviewer()


def login_name() -> str:
    """The login name: the editor's default in `workbench import-review`."""
    try:
        return os.getlogin()
    except OSError:
        import getpass  # only when os.getlogin has no terminal to ask (cron, containers)

        return getpass.getuser()
