"""Demo corpus loaded by ``workbench demo``.

Data only: twelve short fictional news articles (``articles.jsonl``) and a handful of
earlier, already-atomic fact-checks (``factchecks.tsv``). See ``README.md`` in this folder
for which claims agree, conflict or stand alone.
"""

from pathlib import Path

DEMO_DIR = Path(__file__).parent


def article_file() -> Path:
    """The demo articles: one JSON object per line (text, title, source, kind, url, published)."""
    return DEMO_DIR / "articles.jsonl"


def claims_file() -> Path:
    """Earlier fact-checks as tab-separated claims (id, text, source, url, date, rating)."""
    return DEMO_DIR / "factchecks.tsv"
