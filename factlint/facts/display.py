"""Numbers as a reader writes them, and cell texts rewritten with new numbers (for fixes).

What a value *means* (its interval) is factlint.facts.intervals; this module only words values
and rewrites cells, for the rules and the reference matcher alike.
"""
from __future__ import annotations

import math
import re
from typing import Any, Callable, Mapping, Sequence

from factlint.facts.intervals import Reading, Span


def present(value: Any) -> bool:
    """True for a real value (not None / NaN / empty text)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, float):
        return value == value
    return True


def text_of(value: Any) -> str:
    if type(value) is str:
        return value if value.strip() else ""
    return str(value) if present(value) else ""


# ---- readable numbers -----------------------------------------------------------------------

_COUNT_SUFFIXES = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
_PLAIN_UNITS = {"%": "%", "x": "x"}


def number(value: float, digits: int = 3) -> str:
    """A plain readable number: at most `digits` significant digits, no trailing zeros."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{round(value, decimals):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def show(value: float, unit: str, digits: int = 3) -> str:
    """A canonical value the way a reader writes it: `1.024e18, 'FLOP/s'` -> `1.02 EFLOPS`,
    `66.7, 'x'` -> `66.7x`, `1.25e8, 'USD'` -> `$125M`, `4e12, '1'` -> `4T`."""
    from factlint.normalise.units import best_unit, convert, lookup_unit

    if math.isinf(value):
        return number(value)
    if unit.startswith("?"):
        return f"{number(value, digits)} {unit[1:]}"
    if unit in _PLAIN_UNITS:
        return number(value, digits) + _PLAIN_UNITS[unit]
    info = lookup_unit(unit)
    if info is None or info.dimension == "count":
        return _with_count_suffix(value, digits)
    if info.dimension == "money":
        sign = next((p for p in info.prefixes if not p.isalnum()), None)
        amount = _with_count_suffix(abs(value), digits)
        text = f"{sign}{amount}" if sign else f"{amount} {info.symbol}"
        return "-" + text if value < 0 else text
    if info.dimension in ("area", "length"):
        return f"{number(value, digits)} {info.symbol}"      # notes keep mm² and nm at any size
    best = best_unit(value, info.dimension, like=unit) or unit
    return f"{number(convert(value, unit, best), digits)} {best}"


def _with_count_suffix(value: float, digits: int) -> str:
    if value == int(value) and abs(value) < 100_000:
        return f"{int(value):,}"        # a count in full: 128 × 8 = 1,024, not 1.02K
    for scale, suffix in _COUNT_SUFFIXES:
        if abs(value) >= scale:
            return f"{number(value / scale, digits)}{suffix}"
    return number(value, digits)


def show_like(value: float, reading: Reading, digits: int = 4) -> str:
    """A canonical value in the unit a cell writes (`13.5 MiB` for a MiB cell, not `14.16 MB`)."""
    from factlint.normalise.units import convert, lookup_unit

    shown = reading.shown_unit
    info = lookup_unit(shown) if shown else None
    if info is None or info.canonical != reading.unit or info.dimension in ("money", "count"):
        return show(value, reading.unit, digits)
    space = "" if info.symbol in _PLAIN_UNITS else " "
    return f"{number(convert(value, reading.unit, info.symbol), digits)}{space}{info.symbol}"


def show_span_like(span: Span, reading: Reading, digits: int = 4) -> str:
    """`127.5 KiB – 128.5 KiB`, or one value when the span is (nearly) a point."""
    low, high = show_like(span.lo, reading, digits), show_like(span.hi, reading, digits)
    return low if low == high else f"{low} – {high}"


def show_span(span: Span, digits: int = 3) -> str:
    """`7.5-8.5 PFLOPS`, or one number when the interval is (nearly) a point."""
    if math.isinf(span.hi):
        return "≥ " + show(span.lo, span.unit, digits)
    if span.hi - span.lo <= abs(span.mid) * 10 ** -(digits + 1):
        return show(span.mid, span.unit, digits)
    return f"{show(span.lo, span.unit, digits)} – {show(span.hi, span.unit, digits)}"


def show_range(low: float, high: float, unit: str, digits: int = 3) -> str:
    """`128-512 PFLOPS` (one unit when both ends share it), or one value when they are equal."""
    a, b = show(low, unit, digits), show(high, unit, digits)
    if a == b:
        return a
    a_num, _, a_unit = a.partition(" ")
    b_num, _, b_unit = b.partition(" ")
    if a_unit and a_unit == b_unit:
        return f"{a_num}-{b_num} {a_unit}"
    return f"{a}-{b}"


def show_about(span: Span, digits: int = 3) -> str:
    """One readable number for an interval that came out of arithmetic (its middle)."""
    return show(span.mid, span.unit, digits)


_NUMBER_IN_TEXT = re.compile(r"\d[\d,]*(?:\.\d+)?")


def substitute_numbers(raw: str, texts: list[str]) -> str | None:
    """The cell text with its first numbers replaced by `texts` in order, the rest kept as written."""
    matches = list(_NUMBER_IN_TEXT.finditer(raw))[: len(texts)]
    if len(matches) < len(texts):
        return None
    out, cursor = [], 0
    for match, text in zip(matches, texts):
        out.append(raw[cursor:match.start()] + text)
        cursor = match.end()
    return "".join(out) + raw[cursor:]


def replace_numbers(raw: str, new_values: list[float], decimals: int) -> str | None:
    """`64-256 PFLOPS`, [128, 512] -> `128-512 PFLOPS`: same decimals and digit grouping style."""
    grouped = "," in raw
    return substitute_numbers(raw, [f"{v:,.{decimals}f}" if grouped else f"{v:.{decimals}f}"
                                    for v in new_values])


def replace_number(raw: str, new_value: float, decimals: int) -> str | None:
    return replace_numbers(raw, [new_value], decimals)


def rewrite_cell(claim: Mapping[str, Any], reading: Reading, new_values: list[float],
                 formatter: Callable[[float], str] | None = None) -> str | None:
    """The cell text with its numbers set to `new_values` (canonical units), written the way the
    cell writes them: same unit, magnitude word and decimals (`$0.25B` -> `$0.5B`), or with
    `formatter` instead of the cell's decimals (`$0.25B` -> `$0.125B`)."""
    raw = text_of(claim.get("raw"))
    first = _NUMBER_IN_TEXT.search(raw)
    if first is None or reading.low == 0:
        return None
    factor = float(first.group().replace(",", "")) / abs(reading.low)
    if formatter is not None:
        return substitute_numbers(raw, [formatter(abs(v) * factor) for v in new_values])
    decimals = int(claim.get("decimals") or 0)
    return replace_numbers(raw, [round(abs(v) * factor, decimals) for v in new_values], decimals)


def number_fix(claim: Mapping[str, Any], reading: Reading, new_values: list[float]):
    """An unsafe fix that rewrites the cell's numbers, or None when there is nothing to change."""
    from factlint.findings import Applicability, Fix

    raw = text_of(claim.get("raw"))
    replacement = rewrite_cell(claim, reading, new_values)
    if replacement is None or replacement == raw:
        return None
    return Fix(replacement, f"Replace `{raw}` with `{replacement}`", Applicability.UNSAFE, raw)


def lines_text(lines: Sequence[Any]) -> str:
    """`line 41`, `lines 41 and 50`, `lines 82-84`, `lines 41, 50 and 64`."""
    unique = sorted({int(x) for x in lines})
    if not unique:
        return ""
    if len(unique) == 1:
        return f"line {unique[0]}"
    if unique == list(range(unique[0], unique[-1] + 1)) and len(unique) > 2:
        return f"lines {unique[0]}-{unique[-1]}"
    return "lines " + ", ".join(map(str, unique[:-1])) + f" and {unique[-1]}"
