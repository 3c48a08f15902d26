"""THE meaning of a stated number: the interval of values its text allows.

Every rule and the reference matcher read values through this module, so a cell means the same
thing to all of them. Decisions:

- **Precision.** `8 PFLOPS` allows [7.5, 8.5] PFLOPS and `4.0T` [3.95T, 4.05T]: half a unit of
  the last digit shown either side (`Quantity.tolerance`, in canonical units). A range `16-64`
  allows [15.5, 64.5] as a whole; its ends are read with `ends()`.
- **Approximate** (`~8`, `约 8`, `about 8`): the wider of one whole unit of the last digit and
  5 % of the value: `~8` allows [7, 9], `~4,500` allows [4,275, 4,725].
- **Bounds**: `>= 8` / `8+` / `50+` allow [7.5, inf); `<= 8` allows (-inf, 8.5].
- **Touching.** Two intervals agree when they share more than a boundary point: `5` (4.5-5.5)
  and `4` (3.5-4.5) are different numbers, as a reader takes them. An exact value (an interval of
  zero width, as a reference fact or a count may be) agrees with an interval that contains it,
  boundaries included.
- **Misspelt units.** A token the unit table does not know is read as the unit it suggests
  (`8 PLOPS` as 8 PFLOPS) only when the token has at least four characters, so that closeness
  means something (`PLOPS` is PFLOPS; the `CS` of `16 CS-2` is no centimetre); the reading says
  so. Otherwise the interval is in the token itself (`?TF`) and only meets cells written with the
  same token.
- **Units.** Intervals of different canonical units never meet.

Arithmetic propagates the intervals (`times`, `over`, `plus`), so a computed figure carries
the precision of every operand: `128 × 8 PFLOPS` allows [960, 1,088] PFLOPS and agrees with
`1 EFLOPS` ([0.5, 1.5] EFLOPS).
"""
from __future__ import annotations

import math
from typing import NamedTuple

INF = math.inf
APPROXIMATE_SHARE = 0.05         # `~x`: at least 5 % of x either side
MIN_MISSPELT_LENGTH = 4          # a shorter unknown token is never read as a known unit


# Span and Reading are named tuples, not frozen dataclasses: a note builds a few hundred, and a
# frozen dataclass costs three times as much to construct.
class Span(NamedTuple):
    """[lo, hi] in `unit`: every value a statement (or a computation on statements) allows."""
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

    @property
    def is_point(self) -> bool:
        return self.hi == self.lo

    def meets(self, other: "Span") -> bool:
        """The two share a value (see the module doc: touching boundaries count only for a point)."""
        if self.unit != other.unit:
            return False
        if self.is_point or other.is_point:
            return self.lo <= other.hi and other.lo <= self.hi
        return self.lo < other.hi and other.lo < self.hi

    def intersect(self, other: "Span") -> "Span | None":
        if not self.meets(other):
            return None
        return Span(max(self.lo, other.lo), min(self.hi, other.hi), self.unit)

    def contains(self, value: float) -> bool:
        return self.lo <= value <= self.hi

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


def total(spans, unit: str) -> Span:
    """The sum of several spans (the interval every combination of their values can make)."""
    out = Span(0.0, 0.0, unit)
    for span in spans:
        out = out.plus(span)
    return out


class Reading(NamedTuple):
    """A cell read as numbers: the value (or both ends of a range) and its rounding."""
    low: float
    high: float
    tolerance: float
    unit: str                       # canonical unit, or "?TOKEN" for a token nobody knows
    bound: str = "="
    shown_unit: str | None = None   # the unit to write numbers in when talking about this cell
    dimension: str | None = None
    misread: str = ""               # "reading PLOPS as PFLOPS" when the unit was a guess

    @property
    def is_range(self) -> bool:
        return self.high != self.low

    def span(self) -> Span:
        """Every value the whole cell allows."""
        lo, hi = self.low - self.tolerance, self.high + self.tolerance
        if self.bound in (">", ">="):
            hi = INF
        elif self.bound in ("<", "<="):
            lo = -INF
        return Span(lo, hi, self.unit)

    def ends(self) -> tuple[Span, Span]:
        """The low end and the high end, each with its rounding (both the same for one value)."""
        whole = self.span()
        low = Span(whole.lo, self.low + self.tolerance if self.is_range else whole.hi, self.unit)
        high = Span(self.high - self.tolerance if self.is_range else whole.lo, whole.hi, self.unit)
        return low, high


NUMERIC_KINDS = frozenset({"number", "range", "percent", "ratio", "money", "year"})


def approximate_tolerance(tolerance: float, low: float, high: float) -> float:
    """The tolerance of `~x`: one whole unit of the last digit, or 5 % of x, whichever is wider."""
    return max(2 * tolerance, APPROXIMATE_SHARE * max(abs(low), abs(high)))


def read(kind: str | None, status: str | None, *, value=None, value_high=None,
         canonical_value=None, canonical_value_high=None, canonical_unit=None, dimension=None,
         tolerance=0.0, bound=None, unit=None, token=None, decimals=0) -> Reading | None:
    """The interval a parsed cell states; None when it states no number."""
    if kind not in NUMERIC_KINDS:
        return None
    bound = bound or "="
    if status == "parsed" and _present(canonical_value):
        low = float(canonical_value)
        high = float(canonical_value_high) if _present(canonical_value_high) else low
        tol = float(tolerance or 0.0)
        if bound == "~":
            tol = approximate_tolerance(tol, low, high)
        return Reading(low, high, tol, canonical_unit or dimension or "1", bound, unit or None,
                       dimension or None)
    if status == "unknown-unit" and _present(value):
        low = float(value)
        high = float(value_high) if _present(value_high) else low
        as_written = float(tolerance) if _present(tolerance) and float(tolerance) > 0 \
            else 0.5 * 10 ** -int(decimals or 0)
        token = token or unit or ""
        guessed = _misspelt(token)
        if guessed is not None:
            factor, canonical, symbol, dim = guessed
            low, high, tol = low * factor, high * factor, as_written * factor
            if bound == "~":
                tol = approximate_tolerance(tol, low, high)
            return Reading(low, high, tol, canonical, bound, symbol, dim,
                           misread=f"reading {token} as {symbol}")
        tol = approximate_tolerance(as_written, low, high) if bound == "~" else as_written
        return Reading(low, high, tol, f"?{token}", bound, token or None)
    return None


def read_claim(claim) -> Reading | None:
    """The interval a claim row (a dict of the claims contract) states."""
    get = claim.get
    return read(get("kind"), get("status"), value=get("value"), value_high=get("value_high"),
                canonical_value=get("canonical_value"), canonical_value_high=get("canonical_value_high"),
                canonical_unit=get("canonical_unit"), dimension=get("dimension"),
                tolerance=get("tolerance"), bound=get("bound"), unit=get("unit"),
                token=get("token"), decimals=get("decimals"))


def _misspelt(token: str):
    """(factor, canonical unit, symbol, dimension) of the unit a misspelt token means, or None."""
    if len(token) < MIN_MISSPELT_LENGTH:
        return None
    from factlint.normalise.units import lookup_unit, suggest_unit

    meant = suggest_unit(token)
    info = lookup_unit(meant) if meant else None
    if info is None or not info.canonical:
        return None
    return float(info.factor), info.canonical, info.symbol, info.dimension


def _present(value) -> bool:
    return value is not None and value == value
