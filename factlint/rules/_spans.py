"""Numbers as intervals: what a claim can mean given the precision it shows.

A cell that says `8 PFLOPS` means anything in [7.5, 8.5] PFLOPS; `4.0T` means [3.95T, 4.05T].
The consistency rules never compare with a fixed epsilon: they propagate these intervals
through the arithmetic (×, ÷, +) and call two statements consistent when the intervals meet.

Values are kept in the claim's canonical unit. A unit the parser did not know (`PLOPS`) is
read as the unit the parser suggests for it (`PFLOPS`) when there is one, so a misspelt cell
still takes part in the arithmetic; otherwise it is only comparable with cells that use the
very same token (`8 PLOPS` vs `2 PLOPS`).
"""
from __future__ import annotations

import math
import operator
import re
from typing import Any, Callable, Mapping, NamedTuple

import pandas as pd

NUMERIC_KINDS = ("number", "range", "percent", "ratio", "money", "year")
INF = math.inf


def present(value: Any) -> bool:
    """True for a real value (not None / NaN / NA / empty text)."""
    if value is None:
        return False
    # Claim rows hold plain str / float / int: answer those without pandas (pd.isna on a
    # scalar costs a microsecond, and the rules ask about a million times on a big note).
    kind = type(value)
    if kind is str:
        return value.strip() != ""
    if kind is float:
        return value == value          # NaN is the only float unequal to itself
    if kind is int or kind is bool:
        return True
    if isinstance(value, str):
        return value.strip() != ""
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):
        return True


def text_of(value: Any) -> str:
    if type(value) is str:
        return value if value.strip() else ""
    return str(value) if present(value) else ""


# Span and Reading are named tuples, not frozen dataclasses: the rules build a few hundred per
# note, and a frozen dataclass costs three times as much to construct.
class Span(NamedTuple):
    """[lo, hi] in `unit`: every value a claim (or a computation on claims) allows."""
    lo: float
    hi: float
    unit: str

    @property
    def mid(self) -> float:
        if math.isinf(self.hi):
            return self.lo
        if math.isinf(self.lo):
            return self.hi
        return (self.lo + self.hi) / 2

    def meets(self, other: "Span") -> bool:
        """The two intervals share a value (units must match: different units never meet)."""
        return self.unit == other.unit and self.lo <= other.hi and other.lo <= self.hi

    def intersect(self, other: "Span") -> "Span | None":
        if not self.meets(other):
            return None
        return Span(max(self.lo, other.lo), min(self.hi, other.hi), self.unit)

    def times(self, factor: "Span | float", unit: str | None = None) -> "Span":
        f = factor if isinstance(factor, Span) else Span(factor, factor, "1")
        products = [self.lo * f.lo, self.lo * f.hi, self.hi * f.lo, self.hi * f.hi]
        products = [0.0 if math.isnan(p) else p for p in products]
        return Span(min(products), max(products), unit or self.unit)

    def over(self, divisor: "Span | float", unit: str | None = None) -> "Span | None":
        """self ÷ divisor, or None when the divisor may be zero."""
        d = divisor if isinstance(divisor, Span) else Span(divisor, divisor, "1")
        if d.lo <= 0 <= d.hi:
            return None
        inverse = Span(1 / d.hi if not math.isinf(d.hi) else 0.0,
                       1 / d.lo if not math.isinf(d.lo) else 0.0, d.unit)
        return self.times(inverse, unit)

    def plus(self, other: "Span") -> "Span":
        return Span(self.lo + other.lo, self.hi + other.hi, self.unit)


class Reading(NamedTuple):
    """A claim read as numbers: the value (or both ends of a range) and its rounding."""
    low: float
    high: float
    tolerance: float
    unit: str                   # canonical unit, or "?TOKEN" for a token nobody knows
    bound: str = "="
    shown_unit: str | None = None   # the unit to write numbers in when talking about this cell
    dimension: str | None = None

    @property
    def is_range(self) -> bool:
        return self.high != self.low

    def span(self) -> Span:
        """Every value the whole cell allows."""
        lo, hi = self.low - self.tolerance, self.high + self.tolerance
        if self.bound in (">", ">="):
            hi = INF
        elif self.bound in ("<", "<="):
            lo = min(0.0, lo) if self.low >= 0 else -INF
        return Span(lo, hi, self.unit)

    def ends(self) -> tuple[Span, Span]:
        """The low end and the high end, each with its rounding (both the same for a single value)."""
        whole = self.span()
        low = Span(whole.lo, self.low + self.tolerance if self.is_range else whole.hi, self.unit)
        high = Span(self.high - self.tolerance if self.is_range else whole.lo, whole.hi, self.unit)
        return low, high


# What a claim's reading depends on. The rules read each claim several times, and notes repeat
# figures, so readings are kept by these values (a reading is immutable, so sharing it is safe).
_READ_INPUTS = ("kind", "status", "bound", "canonical_value", "canonical_value_high", "canonical_unit",
                "dimension", "tolerance", "unit", "value", "value_high", "token", "decimals")
_read_inputs = operator.itemgetter(*_READ_INPUTS)
_READ_MEMO_LIMIT = 50_000
_read_memo: dict[tuple, Reading | None] = {}


def read_claim(claim: Mapping[str, Any]) -> Reading | None:
    """The numbers a claim states, in comparable units; None when it states no number."""
    if claim.get("kind") not in NUMERIC_KINDS:
        return None
    try:
        key = _read_inputs(claim)
        reading = _read_memo.get(key, _UNREAD)
    except (KeyError, TypeError):          # a partial mapping, or an unhashable value
        return _read_claim(claim)
    if reading is _UNREAD:
        if len(_read_memo) >= _READ_MEMO_LIMIT:
            _read_memo.clear()
        reading = _read_memo[key] = _read_claim(claim)
    return reading


_UNREAD = object()


def _read_claim(claim: Mapping[str, Any]) -> Reading | None:
    kind = claim.get("kind")
    status = claim.get("status")
    if kind not in NUMERIC_KINDS:
        return None
    bound = text_of(claim.get("bound")) or "="
    if bound == "~":
        widen = 2.0          # "about 8" is looser than "8": allow a whole unit of the last digit
    else:
        widen = 1.0
    if status == "parsed" and present(claim.get("canonical_value")):
        low = float(claim["canonical_value"])
        high = float(claim["canonical_value_high"]) if present(claim.get("canonical_value_high")) else low
        unit = text_of(claim.get("canonical_unit")) or text_of(claim.get("dimension")) or "1"
        tol = float(claim.get("tolerance") or 0.0) * widen
        return Reading(low, high, tol, unit, bound, text_of(claim.get("unit")) or None,
                       text_of(claim.get("dimension")) or None)
    if status == "unknown-unit" and present(claim.get("value")):
        token = text_of(claim.get("token")) or text_of(claim.get("unit"))
        low = float(claim["value"])
        high = float(claim["value_high"]) if present(claim.get("value_high")) else low
        suggested = _suggested_reading(token, low, high, claim, bound, widen)
        if suggested is not None:
            return suggested
        tol = _tolerance_as_written(claim) * widen
        return Reading(low, high, tol, f"?{token}", bound, token or None)
    return None


def _tolerance_as_written(claim: Mapping[str, Any]) -> float:
    """Half a unit of the last digit shown, in the cell's own (unknown) unit."""
    tol = claim.get("tolerance")
    if present(tol) and float(tol) > 0:
        return float(tol)
    decimals = int(claim.get("decimals") or 0)
    return 0.5 * 10 ** -decimals


def _suggested_reading(token: str, low: float, high: float, claim, bound: str,
                       widen: float) -> Reading | None:
    """Read `8 PLOPS` as `8 PFLOPS` when the unit table knows what the token was meant to be."""
    from factlint.normalise.units import lookup_unit, suggest_unit

    meant = suggest_unit(token) if token else None
    info = lookup_unit(meant) if meant else None
    if info is None or not info.canonical:
        return None
    tol = _tolerance_as_written(claim) * info.factor * widen
    return Reading(low * info.factor, high * info.factor, tol, info.canonical, bound, info.symbol,
                   info.dimension)


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
    for scale, suffix in _COUNT_SUFFIXES:
        if abs(value) >= scale:
            return f"{number(value / scale, digits)}{suffix}"
    return number(value, digits)


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
