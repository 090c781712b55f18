"""Seconds per MB of claim splitting, on the inputs that once made it quadratic.

    python benchmarks/splitting.py [--mb M] [--runs N] [--json OUT]

Cases: an M MB one-paragraph prose file (default 5), 1 MB of "Mr. ", and a normal multi-paragraph
corpus (the demo articles, repeated, 1 MB); with M < 1 these two shrink to M MB as well. The old path
(one pysbd call per paragraph, no sentence cut) is timed on small inputs where it still finishes,
beside the current one: that ratio is the baseline. Medians of N runs; prints a table, --json writes it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from common import Row, report  # noqa: E402
from workbench import splitting  # noqa: E402
from workbench.ingest import demo_articles  # noqa: E402

MB = 1_000_000
PLACES = ["Kherson", "Odesa", "Lviv", "Kharkiv", "Dnipro", "Poltava", "Sumy", "Mykolaiv"]


def prose(size: int, seed: int = 1) -> str:
    """One paragraph of varied news sentences with numbers, dates, places and titles."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        place, n = rng.choice(PLACES), rng.randint(2, 900)
        sentence = rng.choice([
            f"Officials in {place} said {n} people were moved on May {n % 28 + 1}. ",
            f"Mr. Hrytsenko, the mayor of {place}, said the repairs would cost {n} million. ",
            f"About {n * 10:,} homes lost power for {n % 30 + 2} hours, the U.S. embassy said. ",
            f"Repair crews restored {n % 90 + 5} percent of the lines by Sunday, according to Dr. Melnyk. ",
        ])
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)  # whole sentences: a paragraph cut mid-sentence reads as a headline


def corpus(size: int) -> str:
    """The demo articles, paragraphs intact, repeated to `size` characters."""
    texts = [article.text for article in demo_articles()]
    out: list[str] = []
    length = 0
    while length < size:
        for text in texts:
            out.append(text)
            length += len(text) + 2
    return "\n\n".join(out)


@contextmanager
def old_path() -> Iterator[None]:
    """Splitting as it was: each paragraph whole to pysbd, sentences never cut."""
    saved = splitting.CHUNK_AT, splitting.MAX_SENTENCE
    splitting.CHUNK_AT = splitting.MAX_SENTENCE = 10**12
    try:
        yield
    finally:
        splitting.CHUNK_AT, splitting.MAX_SENTENCE = saved


def timed(text: str, runs: int) -> dict[str, float | int]:
    seconds = []
    claims = 0
    for _ in range(runs):
        started = time.perf_counter()
        claims = len(splitting.split_claims(text))
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    return {"bytes": len(text.encode()), "claims": claims, "seconds": round(median, 3),
            "seconds_per_mb": round(median / (len(text.encode()) / MB), 2)}


def run(runs: int, log: Callable[[str], None], mb: float = 5.0) -> list[Row]:
    rows: list[Row] = []
    small = min(1.0, mb)
    cases = [
        (f"prose, one paragraph, {mb:g} MB", lambda: prose(int(mb * MB))),
        (f"'Mr. ' repeated, {small:g} MB", lambda: "Mr. " * int(small * MB // 4)),
        (f"demo articles repeated, {small:g} MB", lambda: corpus(int(small * MB))),
    ]
    for name, make in cases:
        result = timed(make(), runs)
        log(f"{name}: {result}")
        rows.append(Row("splitting", name, "seconds per MB", "s/MB", float(result["seconds_per_mb"]), runs=runs,
                        note=f"{result['claims']} claims"))
    # The old path is quadratic: compare on inputs where it still finishes in seconds.
    for name, text in [("prose, one paragraph, 50 KB", prose(50_000)), ("'Mr. ' repeated, 32 KB", "Mr. " * 8_000)]:
        now = timed(text, runs)
        with old_path():
            before = timed(text, runs)
        log(f"{name}: now {now}, old path {before}")
        rows.append(Row("splitting", name, "seconds per MB", "s/MB", float(now["seconds_per_mb"]),
                        baseline=float(before["seconds_per_mb"]),
                        ratio=float(before["seconds"]) / max(float(now["seconds"]), 1e-9), runs=runs,
                        note="baseline: the old path (one pysbd call per paragraph)"))
    return rows


def main(argv: list[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", help="write the JSON here (same as --json)")
    parser.add_argument("--json", help="write the rows here")
    parser.add_argument("--mb", type=float, default=5.0, help="size of the long one-paragraph case, MB")
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the median is reported")
    args = parser.parse_args(argv)
    rows = run(args.runs, lambda line: print(line, file=sys.stderr), args.mb)
    report(rows, args.json or args.out, title="splitting")
    return rows


if __name__ == "__main__":
    main()
