"""A figure whose unit lost (or gained) its prefix: `960flops` among `Gflops`, `5.8 W` among `kW`.

## What it does
Looks at each column (or each row of a table with products across the header) whose figures of
one kind sit within one order of magnitude of each other, and finds a cell whose unit is another
prefix of the same unit and whose value is at least a hundred times off from all of them, while
its number read in the column's usual unit lands among them: `960flops` is 960 FLOP/s, a
billionth of the `960Gflops` and `2.35Tflops` around it, and 960 Gflops is right among them. At
least three such figures must agree for a column to have a usual scale; a column whose figures
span more than thirty times is not judged.

## Why is this bad?
A dropped `G` or a `W` for `kW` changes a figure a thousandfold or a billionfold while the number
still looks right, so a reader copies it, and every sum, ratio or comparison built on it is off.

## Example
| Name | Cores | Node peak |
|---|---|---|
| Cluster A | 64 | 2.35Tflops |
| Cluster B | 24 | 960Gflops |
| Cluster C | 24 | 960flops |
| Cluster D | 24 | 422Gflops |

Use instead:
| Name | Cores | Node peak |
|---|---|---|
| Cluster A | 64 | 2.35Tflops |
| Cluster B | 24 | 960Gflops |
| Cluster C | 24 | 960Gflops |
| Cluster D | 24 | 422Gflops |

## Fix
Writes the column's usual unit for the cell's (unsafe: the number may be the wrong part).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterator

from factlint.facts.display import show
from factlint.facts.model import Fact
from factlint.findings import Applicability, Finding, Fix, Severity
from factlint.normalise.units import lookup_unit
from factlint.rules import rule
from factlint.rules._context import claim_location

MEASURED = frozenset({"compute", "information", "bandwidth", "power", "energy", "frequency", "time"})
MIN_PEERS = 3
MAX_SPREAD = 30.0          # the column's own figures, highest ÷ lowest
MIN_OFF = 100.0            # how far the cell must be from every one of them

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error


@rule("unit-prefix", severity=Severity.WARNING, fixable=True, tags=("units",))
def unit_prefix(doc, ctx) -> Iterator[Finding]:
    for table in ctx.facts.tables:
        for members in table.fields().values():
            yield from _field(ctx, [f for f in members if _judged(f)])


def _judged(f: Fact) -> bool:
    r = f.reading
    return r is not None and f.single and not f.total and r.bound == "=" and not r.is_range \
        and r.dimension in MEASURED and r.low > 0 and bool(r.shown_unit)


def _field(ctx, figures: list[Fact]) -> Iterator[Finding]:
    if len(figures) < MIN_PEERS + 1:
        return
    by_unit = Counter(f.reading.unit for f in figures)
    unit = by_unit.most_common(1)[0][0]
    figures = [f for f in figures if f.reading.unit == unit]
    for cell in figures:
        peers = [f for f in figures if f is not cell]
        values = sorted(f.reading.low for f in peers)
        if len(peers) < MIN_PEERS or values[-1] / values[0] > MAX_SPREAD:
            continue
        low, high = values[0], values[-1]
        value = cell.reading.low
        if low / MIN_OFF < value < high * MIN_OFF:
            continue
        written = Counter(f.reading.shown_unit for f in peers)
        if cell.reading.shown_unit in written:
            continue          # a unit the others use too: a wrong number, not a lost prefix
        for usual, _ in written.most_common():
            meant = _reread(cell, usual)
            if meant is not None and low / 2 <= meant <= high * 2:
                yield _finding(ctx, cell, peers, usual, meant, low, high)
                break


def _number(raw: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", raw)
    return float(m.group().replace(",", "")) if m else None


def _reread(cell: Fact, usual: str) -> float | None:
    """The cell's number read in the column's usual unit, in canonical units."""
    info, number = lookup_unit(usual), _number(str(cell.raw))
    if info is None or number is None:
        return None
    return number * info.factor


def _finding(ctx, cell: Fact, peers: list[Fact], usual: str, meant: float, low: float, high: float) -> Finding:
    written = cell.reading.shown_unit
    value = cell.reading.low
    times = value / meant
    factor = f"{_power(1 / times)} times smaller" if times < 1 else f"{_power(times)} times larger"
    around = f"{show(low, cell.reading.unit)}–{show(high, cell.reading.unit)}"
    column = cell.claim.get("column_label") or cell.claim.get("row_label") or "its column"
    message = (f"{cell.raw} is {factor} than the other figures of {column} ({around}): "
               f"is it {_replaced(str(cell.raw), written, usual) or usual}?")
    evidence = (f"{cell.raw} reads as {show(value, cell.reading.unit)}; the {len(peers)} others are "
                f"{around}, written in {usual}; read in {usual}, {cell.raw} is {show(meant, cell.reading.unit)}, "
                f"among them.")
    replacement = _replaced(str(cell.raw), written, usual)
    fix = Fix(replacement, f"Replace `{cell.raw}` with `{replacement}`", Applicability.UNSAFE, str(cell.raw)) \
        if replacement else None
    return ctx.finding(cell, message, evidence=evidence, fix=fix,
                       related=[claim_location(p, "same column") for p in peers[:4]],
                       values=[str(cell.raw), usual], data={"unit": written, "usual": usual})


def _power(x: float) -> str:
    exponent = round(math.log10(x))
    return f"10^{exponent}" if exponent > 3 else f"{10 ** exponent:,}"


def _replaced(raw: str, written: str | None, usual: str) -> str | None:
    """The cell with its unit as the column writes it, keeping the cell's own spelling style."""
    if not written:
        return None
    m = re.search(r"(?<=[\d\s])([A-Za-zµμ/]+)\s*$", raw)
    if m is None:
        return None
    return raw[:m.start()] + _styled(m.group(1), usual)


def _styled(token: str, usual: str) -> str:
    """`flops` -> `Gflops` when the column writes `Gflops`: the prefix the others use, in the
    cell's own letter case for the rest."""
    info_token, info_usual = lookup_unit(token), lookup_unit(usual)
    if info_token is None or info_usual is None:
        return usual
    prefix_len = len(usual) - len(token) if usual.lower().endswith(token.lower()) else None
    if prefix_len is not None and prefix_len > 0:
        return usual[:prefix_len] + token
    return usual
