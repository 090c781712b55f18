"""Commands of the workbench CLI (filled in by its own module owner)."""

from __future__ import annotations

