"""Cell text -> typed Quantity. Tokenises the cell itself and asks pint only for unit factors."""
from __future__ import annotations

from dataclasses import dataclass


# kind: what shape the cell has
KINDS = ("number", "range", "percent", "ratio", "money", "year", "date", "status", "same",
         "missing", "text")
# status: how far we understood it
STATUSES = ("parsed", "missing", "text", "unknown-unit", "unparseable")
BOUNDS = ("=", "~", ">=", ">", "<=", "<")


@dataclass(frozen=True, slots=True)
class Quantity:
    raw: str
    kind: str = "text"
    status: str = "text"
    value: float | None = None          # in `unit` as written (after magnitude words: 90 万 -> 900000)
    value_high: float | None = None     # upper end of a range
    bound: str = "="
    unit: str | None = None             # normalised unit symbol ("PFLOPS", "GB", "mm²", "kW", "nm") or the unknown token
    canonical_value: float | None = None
    canonical_value_high: float | None = None
    canonical_unit: str | None = None   # one per dimension: FLOP/s, B, B/s, W, nm, mm², s, 1, USD, %, x, year
    dimension: str | None = None        # compute, information, bandwidth, power, length, area, time, count, money, percent, ratio, year, date, energy
    tolerance: float = 0.0              # half a unit of the last digit shown, in canonical units
    reason: str = ""                    # for status unknown-unit / unparseable
    token: str | None = None            # the token not understood (e.g. "PLOPS")
    token_start: int | None = None      # its offset in raw
    per: str | None = None              # the per-unit of money ("$2M/节点" -> "节点")
    text: str | None = None             # status mark / categorical text ("✅", "相同", "InfiniBand")
    decimals: int = 0                   # decimals shown in the number ("4.0T" -> 1)


def parse_cell(text: str, header_unit: str | None = None) -> Quantity:
    """Parse one cell. Never raises. `header_unit` is the unit from the column header
    (`TDP (W)`) applied to bare numbers."""
    raise NotImplementedError
