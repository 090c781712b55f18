"""Seconds per MB of claim splitting, on the inputs that once made it quadratic.

    python benchmarks/splitting.py [OUT.json] [--runs N]

Cases: a 5 MB one-paragraph prose file, 1 MB of "Mr. ", and a normal multi-paragraph corpus (the
demo articles, repeated). The old path (one pysbd call per paragraph, no sentence cut) is timed on
small inputs where it still finishes, beside the current one. Medians of N runs; JSON to OUT or stdout.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from workbench import splitting
from workbench.ingest import demo_articles

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


def run(runs: int, log: Callable[[str], None]) -> dict[str, dict]:
    results: dict[str, dict] = {}
    cases = [
        ("prose_one_paragraph_5mb", lambda: prose(5 * MB)),
        ("mr_dot_1mb", lambda: "Mr. " * (MB // 4)),
        ("multi_paragraph_corpus_1mb", lambda: corpus(MB)),
    ]
    for name, make in cases:
        results[name] = timed(make(), runs)
        log(f"{name}: {results[name]}")
    # The old path is quadratic: compare on inputs where it still finishes in seconds.
    for name, text in [("prose_one_paragraph_50kb", prose(50_000)), ("mr_dot_32kb", "Mr. " * 8_000)]:
        now = timed(text, runs)
        with old_path():
            before = timed(text, runs)
        results[name] = {"now": now, "old_path": before}
        log(f"{name}: now {now}, old path {before}")
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", help="write the JSON here (default: stdout)")
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the median is reported")
    args = parser.parse_args(argv)
    results = {"runs": args.runs, "cases": run(args.runs, lambda line: print(line, file=sys.stderr))}
    text = json.dumps(results, indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
