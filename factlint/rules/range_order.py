"""A range whose low end is larger than its high end (`64-16`).

## What it does
Reports range cells (`16-64`, `300–700 W`, `2 PB - 500 TB`, `64至16`) whose first end is larger
than the second, compared in canonical units (so `2 PB - 500 TB` is reversed, `500 TB - 2 PB` is
not). There is no precision tolerance: both ends are written side by side at the precision the
author chose, so `3-2` is reversed. A year range written short (`2024-25`) is not reversed.

## Why is this bad?
A reversed range is read in two ways: some readers take the first number as the minimum, code
that parses it gets a negative width, and a check that compares the range with a total or a
reference picks the wrong end.

## Example
| 参数 | 规格 |
|------|------|
| 节点数 | 64-16 |

Use instead:
| 参数 | 规格 |
|------|------|
| 节点数 | 16-64 |

## Fix
Swaps the two ends and keeps everything else (units, separators, spacing): `64-16` becomes
`16-64`, `700–300 W` becomes `300–700 W`, `2 PB - 500 TB` becomes `500 TB - 2 PB`. The fix is
safe: the set of values the cell states is unchanged.
"""
from __future__ import annotations

import re
from typing import Iterator

from factlint.document import Document
from factlint.findings import Applicability, Finding, Fix, Severity
from factlint.normalise.units import format_quantity
from factlint.rules import rule

_NUMBER = r"(?:[$¥€£]\s*)?\d[\d,]*(?:\.\d+)?"
_UNIT = r"[^\d\s\-–—~～至到]+?"
RANGE_TEXT = re.compile(
    rf"(?P<a>(?P<a_num>{_NUMBER})(?P<a_unit>\s*{_UNIT})??)"
    rf"(?P<sep>\s*(?:-|–|—|~|～|至|到|to)\s*)"
    rf"(?P<b>(?P<b_num>{_NUMBER})(?P<b_unit>\s*{_UNIT}(?=$|[\s(（,，;；]))?)")

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error


def swapped(text: str) -> str | None:
    """The cell text with the range's two ends swapped, or None when the range cannot be found.
    A unit written on the first end travels with its number; a single trailing unit stays put."""
    m = RANGE_TEXT.search(text)
    if m is None:
        return None
    if m.group("a_unit"):      # each end carries its own unit (or only the first does)
        first, second = m.group("b"), m.group("a")
    else:                      # one unit after both ends: it stays at the end
        first = m.group("b_num") + (m.group("a_unit") or "")
        second = m.group("a_num") + (m.group("b_unit") or "")
    return text[:m.start()] + first + m.group("sep") + second + text[m.end():]


def _plain_range(raw: str) -> bool:
    """The cell is a range and nothing else, with both ends in one unit: `128k~1m` (k and m) or
    `15T tokens ~8B: 2023/3` are no ranges whose order can be judged."""
    m = RANGE_TEXT.fullmatch(raw.strip().rstrip("。.;；"))
    if m is None:
        return False
    a, b = (m.group("a_unit") or "").strip(), (m.group("b_unit") or "").strip()
    if not (a and b) or a.casefold() == b.casefold():
        return True
    from factlint.normalise.units import lookup_unit        # `2 PB - 500 TB`: one dimension, two prefixes
    ua, ub = lookup_unit(a), lookup_unit(b)
    return ua is not None and ub is not None and ua.dimension == ub.dimension


def _short_year_range(low: float, high: float) -> bool:
    """`2024-25` means 2024-2025, not a range down to 25."""
    return 1800 <= low <= 2200 and low == int(low) and 0 <= high < 100 and high == int(high) \
        and high > low % 100


def _ends(claim) -> tuple[float, float] | None:
    """(first end, second end) in canonical units when known, else as written."""
    for low_col, high_col in (("canonical_value", "canonical_value_high"), ("value", "value_high")):
        low, high = claim[low_col], claim[high_col]
        if low is not None and high is not None:
            return float(low), float(high)
    return None


def _shown(value: float, unit) -> str:
    return format_quantity(float(value), unit if isinstance(unit, str) else None, grouping=True)


@rule("range-order", severity=Severity.WARNING, fixable=True, tags=("format",))
def range_order(doc: Document, ctx) -> Iterator[Finding]:
    for claim in ctx.facts.claims:
        ends = _ends(claim) if claim["kind"] == "range" else None
        if ends is None:
            continue
        low, high = ends
        # No precision tolerance: both ends are written side by side, so `3-2` is reversed
        # even though each end alone is only known to ±0.5. Only float noise is ignored.
        if low - high <= 1e-9 * max(abs(low), abs(high)) or _short_year_range(low, high):
            continue
        raw = str(claim["raw"])
        if not _plain_range(raw):
            continue
        first, second = _shown(claim["value"], claim["unit"]), _shown(claim["value_high"], claim["unit"])
        unit_changed = isinstance(claim["unit"], str) and claim["unit"] != claim["canonical_unit"] \
            and not raw.endswith(claim["unit"])
        replacement = swapped(raw)
        fix = Fix(replacement, f"Swap the ends: `{replacement}`", Applicability.SAFE, raw) \
            if replacement and replacement != raw else None
        yield ctx.finding(
            claim,
            f"The range {raw} runs from high to low: its first end, {first}, is larger than its "
            f"second, {second}.",
            evidence=f"{raw}: {first} > {second}"
                     + (f" (in {claim['canonical_unit']}: {low:g} > {high:g})" if unit_changed else ""),
            fix=fix, values=[raw], data={"low": low, "high": high})
