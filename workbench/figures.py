"""Figures: when two numbers stated for one thing can both be right, and what each counts.

The comparison behind the "numbers" signal (signals.py): figures are paired by what they count
(facts_compare.counted: "dead", "injured", "km", "EUR"), converted to one unit, and equal within rounding
("17km" and "17.2 km"), a hedge ("about 10,000" and "10,100") or compatible bounds ("over 5,000" and
"more than 5,500"). No Signal here: signals.py says what the outcome means to a reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from . import facts, facts_compare


@dataclass(frozen=True)
class Count:
    """A quantity with what it counts (facts_compare.counted) and its value in that key's unit."""

    quantity: facts.Quantity
    key: str | None
    factor: float


@dataclass(frozen=True)
class FigureComparison:
    """The outcome for two sentences: figures that differ (as written), figures that agree, whether
    every figure on both sides found its match, and a figure counting two different things."""

    differ_ours: list[str]
    differ_theirs: list[str]
    same: list[str]
    complete: bool
    counted_apart: tuple[str, str] | None


def counts(text: str) -> tuple[Count, ...]:
    """The figures of a text with what each counts; dozens and hundreds left out."""
    found = []
    for quantity in facts.read(text).quantities:  # read once, whoever else compares this text
        if not quantity.vague:
            key, factor = facts_compare.counted(text, quantity)
            found.append(Count(quantity=quantity, key=key, factor=factor))
    return tuple(_range_start(text, count, found[i + 1] if i + 1 < len(found) else None)
                 for i, count in enumerate(found))


def _range_start(text: str, count: Count, following: Count | None) -> Count:
    """"4.75-5%", "4.75 to 5 percent": the first figure of a range counts what the second counts."""
    if count.key is None and following is not None and following.key is not None and re.fullmatch(
            r"\s*(?:-|–|to|and)\s*", text[count.quantity.end:following.quantity.start]):
        return replace(count, key=following.key, factor=following.factor)
    return count


def number_text(quantity: facts.Quantity) -> str:
    """"4.5%", "1200", "130 million": one spelling per value, so that equal numbers compare equal."""
    value = quantity.value
    scale = ""
    for word, size in (("trillion", 10**12), ("billion", 10**9), ("million", 10**6)):
        if value >= size:
            value, scale = value / size, f" {word}"
            break
    number = f"{value:.12g}"
    return number + ("%" if quantity.unit == "%" else scale)


def _decimals(value: float) -> int:
    text = f"{value:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _within_rounding(x: float, y: float) -> bool:
    """17 and 17.2: the finer figure rounds to the coarser. 2,000 and 2,053: a figure with one
    significant digit stands for anything within half its last place."""
    coarse, fine = (x, y) if _decimals(x) <= _decimals(y) else (y, x)
    places = _decimals(coarse)
    if _decimals(fine) == places + 1 and round(fine, places) == coarse:  # 17.2 is "17", 4.75 is not "5"
        return True
    for one, other in ((x, y), (y, x)):
        digits = f"{one:.0f}".rstrip("0")
        if one >= 1000 and one == int(one) and len(digits) == 1:
            step = 10 ** (len(f"{one:.0f}") - 1)
            if abs(other - one) < step / 2:
                return True
    return False


def _hedge_tolerance(q: facts.Quantity) -> float:
    """How far "about 75" reaches: half its last significant place (75: 0.5, 180: 5, 10,000:
    5,000), at most a tenth of it, so "nearly 80" meets 77 and "about 75" does not meet 72."""
    digits = f"{q.value:.6f}".rstrip("0").rstrip(".")
    whole = digits.split(".")[0]
    if "." in digits:
        place = 10.0 ** -len(digits.split(".")[1])
    else:
        place = 10.0 ** (len(whole) - len(whole.rstrip("0")))
    return min(place / 2 if place > 1 else place, 0.1 * abs(q.value))


def compatible(a: facts.Quantity, b: facts.Quantity) -> bool:
    """Whether two figures for one thing can both be right: equal, within rounding or a hedge
    ("about", "nearly"), or within each other's bounds. A floor ("more than 5,000", "at least 4")
    meets a figure or floor up to half as large again; a much larger figure is a later or other count."""
    if a.vague or b.vague:
        return True
    if a.bound and b.bound:
        if a.bound != "most" and b.bound != "most":
            return max(a.value, b.value) <= 1.5 * min(a.value, b.value)
        if a.bound == "most" and b.bound == "most":
            return True
        floor, ceiling = (a, b) if b.bound == "most" else (b, a)
        return floor.value < ceiling.value or (floor.bound == "least" and floor.value == ceiling.value)
    if a.bound or b.bound:
        bounded, plain = (a, b) if a.bound else (b, a)
        slack = _hedge_tolerance(plain) if plain.approximate else 0.0
        if bounded.bound == "most":
            return plain.value - slack <= bounded.value
        above = plain.value + slack >= bounded.value if bounded.bound == "least" else plain.value + slack > bounded.value
        return above and plain.value <= 1.5 * bounded.value
    if a.value == b.value:
        return True
    if a.approximate or b.approximate:
        return abs(a.value - b.value) <= max(_hedge_tolerance(q) for q in (a, b) if q.approximate)
    return _within_rounding(a.value, b.value)


def compare_figures(ours: Sequence[Count], theirs: Sequence[Count]) -> FigureComparison:
    """Figures compared by what they count; bare figures only when each side has exactly one."""
    mine: dict[str | None, list[facts.Quantity]] = {}
    other: dict[str | None, list[facts.Quantity]] = {}
    shown: dict[facts.Quantity, facts.Quantity] = {}
    for side, found in ((mine, ours), (other, theirs)):
        for count in found:
            # A converted figure is as precise as it was written: 9.6 miles is 15.4 km, not 15.4464.
            value = count.quantity.value
            scaled = replace(count.quantity, value=value if count.factor == 1 else round(value * count.factor,
                                                                                         _decimals(value)))
            shown[scaled] = count.quantity
            side.setdefault(count.key, []).append(scaled)
    differ_ours: list[str] = []
    differ_theirs: list[str] = []
    same: list[str] = []
    unpaired = set(mine) ^ set(other)
    for unit in [u for u in mine if u in other]:
        a, b = mine[unit], other[unit]
        if unit is None and (len(a) != 1 or len(b) != 1):
            unpaired.add(unit)
            continue
        only_a = [q for q in a if not any(compatible(q, r) for r in b)]
        only_b = [r for r in b if not any(compatible(q, r) for q in a)]
        if only_a or only_b:
            unpaired.add(unit)
        if only_a and only_b:
            differ_ours += [as_written(shown[q]) for q in only_a if as_written(shown[q]) not in differ_ours]
            differ_theirs += [as_written(shown[q]) for q in only_b if as_written(shown[q]) not in differ_theirs]
        same += [number_text(shown[q]) for q in a if q not in only_a and number_text(shown[q]) not in same]
    return FigureComparison(differ_ours, differ_theirs, same, not unpaired, _counted_apart(ours, theirs))


def as_written(q: facts.Quantity) -> str:
    """The figure as the reviewer compares it: "2900", "5.5%", "130 million", with a bound or hedge
    word when there is one ("more than 2900", "about 75")."""
    word = {"above": "more than ", "least": "at least ", "most": "up to "}.get(q.bound or "", "")
    return word + ("about " if q.approximate else "") + number_text(q)


def _counted_apart(ours: Sequence[Count], theirs: Sequence[Count]) -> tuple[str, str] | None:
    """"45,000 consumers" and "45,000 residents": the same figure for things that may differ."""
    their_keys = {c.key for c in theirs}
    for a in ours:
        for b in theirs:
            if (a.key and b.key and a.key != b.key and a.key not in their_keys and a.quantity.value == b.quantity.value
                    and a.quantity.unit and b.quantity.unit and a.quantity.unit != b.quantity.unit):
                return a.quantity.text, b.quantity.text
    return None
