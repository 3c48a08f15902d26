"""Cells that state several figures: `1,830 1,980`, `7B,13B,30B,65B`, `92 TOPS, 28nm, ~75W`.

The parser reads the first figure of a cell and keeps the rest as words (`more-numbers`). Here a
cell is cut into its parts at the separators people use for lists (`,` `，` `;` `、` ` / `, or
a space between two complete numbers) and each part is read on its own. A cell whose parts are
figures of one kind is a **list** (several values of one attribute: base and boost clock, model
sizes); a cell whose parts measure different things is a **composite** (a compute figure, a
process node and a power in one "Notable specs" cell). A number broken by a stray space (`13 2`)
is neither: its second part is no complete number, so the cell stays one (mis)reading.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from factlint.normalise.quantity import Quantity, parse_cell

NUMERIC = frozenset({"number", "range", "percent", "money", "ratio"})
# A comma that is no thousands separator (`7B,13B`, `92 TOPS, 28nm`; not `1,024`).
_SEPARATORS = re.compile(r"\s*(?:,(?!\d{3}(?:\D|$))|[，;；、]|\s/\s)\s*")
# Two numbers side by side: the second a complete number (at least three digits, or grouped).
_SIDE_BY_SIDE = re.compile(r"(?<=\d)\s+(?=(?:\d{1,3}(?:,\d{3})+|\d{3,})(?:\.\d+)?(?:\s*[A-Za-z%]+)?(?:\s|$))")


@dataclass(frozen=True, slots=True)
class Parts:
    kind: str                          # "list" or "composite"
    texts: tuple[str, ...]
    quantities: tuple[Quantity, ...]


def _figure(q: Quantity) -> bool:
    return q.kind in NUMERIC and q.status in ("parsed", "unknown-unit") and q.value is not None


@functools.lru_cache(maxsize=8192)
def split_cell(raw: str, header_unit: str | None = None) -> Parts | None:
    """The figures of a cell that states more than one, or None for a cell of one figure."""
    text = raw.strip()
    pieces = [p for p in _SEPARATORS.split(text) if p]
    if len(pieces) < 2 and not _SIDE_BY_SIDE.search(text):
        return None
    if len(pieces) < 2:
        pieces = [p for p in _SIDE_BY_SIDE.split(text) if p]
    if len(pieces) < 2:
        return None
    quantities = tuple(parse_cell(p, header_unit) for p in pieces)
    figures = [q for q in quantities if _figure(q)]
    if len(figures) < 2:
        return None
    dimensions = {q.dimension or q.unit for q in figures}
    kind = "list" if len(dimensions) == 1 else "composite"
    kept = tuple((p, q) for p, q in zip(pieces, quantities) if _figure(q))
    return Parts(kind, tuple(p for p, _ in kept), tuple(q for _, q in kept))
