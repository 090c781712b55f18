"""One key per claimant across articles, so the desk can group and filter by who said it.

A person is keyed by the surname, folded so the usual transliterations meet ("Volodymyr Zelenskyy",
"Zelenskiy", "Zelensky" -> "zelensky"); a body by its name without articles and nationality words
("the Ukrainian Emergency Service" -> "emergency service"), or by the acronym it is given in brackets; a lower-case
role by its words ("regional officials"). Titles are already resolved to names inside each article
(claimant_resolution.attribute_article), so "the Ukrainian president" reaches here as the person where the
article says who that is.

A surname key can join two people of one name: the key groups, the claimant text still tells them
apart, and the reviewer decides.
"""

from __future__ import annotations

import re
import unicodedata

from .claimant import is_person_like, normalise_apostrophes

# Spellings of one name that transliteration guides disagree on; the folded form is the key.
_FOLDS = ((re.compile(r"(?:yy|iy|ij|ii|yi)$"), "y"), (re.compile(r"^(?:al|el)-"), ""))
_ACRONYM_RE = re.compile(r"\(([A-Z][A-Z.&-]{1,9})\)")
_NOISE = {"the", "a", "an", "of", "mr", "mrs", "ms", "dr", "prof", "sir"}
_NATIONALITY_RE = re.compile(r"^[a-z]+(?:ian|ish|ese|an|ch|i)$")
# Lower-case words that still belong to a body's name ("Freedonia Ministry of Water"): kept.
_PARTICLES = frozenset("al el bin ibn van von de der da di du le la".split())


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word)
    word = "".join(c for c in word if not unicodedata.combining(c)).lower()
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


def claimant_key(claimant: str | None) -> str | None:
    """The grouping key of a claimant as stored; None for none."""
    if not claimant or not claimant.strip():
        return None
    text = normalise_apostrophes(claimant.strip())
    if acronym := _ACRONYM_RE.search(text):
        return acronym.group(1).replace(".", "").lower()
    # "Ukraine's Ministry of Energy" is the Ministry of Energy wherever it is quoted.
    text = re.sub(r"^[A-Z][\w.-]*'s\s+(?=[A-Z])", "", re.sub(r"\s*\([^)]*\)", "", text))
    text = re.sub(r"'s\b", "", text)
    body = bool(re.search(r"\s(?:of|for)\s", text))
    words = [w for w in re.findall(r"[\w.-]+", text) if w.lower().strip(".") not in _NOISE]
    if not words:
        return None
    if text[:1].isupper() and is_person_like(text) and not body and len(words) <= 4 and all(
            w[:1].isupper() or w.lower() in _PARTICLES or w.lower().startswith(("al-", "el-")) for w in words):
        return _fold(words[-1].strip("."))  # a person (or a place, "Kyiv"): the surname
    folded = [_fold(w).replace(".", "") for w in words]
    # "Ukrainian Emergency Service" and "Emergency Service" are one body; "Ukrainian officials" stays a role.
    while len(folded) > 1 and _NATIONALITY_RE.match(folded[0]) and words[1][:1].isupper():
        folded = folded[1:]
        words = words[1:]
    return " ".join(folded)
