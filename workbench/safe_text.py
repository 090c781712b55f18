"""Text that came from outside, made safe to print, link and embed: one home for the rules.

Articles, notes, source names and file names come from anyone. Printed as they are, an ESC
sequence rewrites the reader's clipboard (OSC 52) or terminal; linked as they are, a `javascript:`
url runs in the reader's browser; embedded in a `<script>` block, `</script>` ends it. Only the
standard library is imported here, so the CLI can use it without slowing `workbench --help`.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls except tab and newline (a carriage return can overwrite a printed line), DEL, C1
# (0x9b is CSI on 8-bit terminals), and lone surrogates (a file name that is not UTF-8 carries
# them, and printing one raises UnicodeEncodeError).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# What ingest removes from stored text: the same, but carriage returns are newlines there and
# surrogates are refused, not cleaned.
_STORABLE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")
_WEB_URL = re.compile(r"https?://[^\s<>\"'`\x00-\x1f\x7f]+\Z", re.IGNORECASE)


def visible(text: str) -> str:
    r"""Text for a terminal: every control character shown as \uXXXX, so nothing in it executes.

    The \uXXXX form is also a valid JSON escape of the same character, so JSON output stays JSON.
    """
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def remove_controls(text: str) -> tuple[str, int]:
    """Text without control characters (tab and newlines kept), and how many were removed."""
    cleaned, count = _STORABLE_CONTROL.subn("", text)
    return cleaned, count


def is_web_url(url: str | None) -> bool:
    """An http(s) url with no spaces, quotes or controls: the only kind we store, link or export."""
    return bool(url) and _WEB_URL.match(url or "") is not None


def script_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON that is safe inside an HTML `<script>` block: <, > and & written as \\u003c, \\u003e, \\u0026.

    The escapes mean the same to any JSON parser, but `</script>` or `<!--` can no longer appear.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    # U+2028/9 end a line in JavaScript before ES2019, and C1 controls (json.dumps leaves them raw)
    # act on a terminal that shows the file: written as \uXXXX they mean the same to any JSON reader.
    text = _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# What a spreadsheet would run as a formula, read back by editor_review from the editor's file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """'=1+2' -> "'=1+2": a spreadsheet shows the text instead of running it (OWASP CSV injection).

    A value that starts with the apostrophe itself gets one too, so that unneutralise gives back
    exactly what was exported (a claim reading "'=x" survives the editor round trip).
    """
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """A cell as it was before neutralise: what the editor's spreadsheet gives back."""
    if len(value) > 1 and value[0] == "'" and value[1] in (*FORMULA_STARTS, "'"):
        return value[1:]
    return value
