"""Cells that state several figures: `1,830 1,980`, `7B,13B`, `92 TOPS, 28nm, ~75W`, `80GB/40GB`.

The parser reads the first figure of a cell and keeps the rest as words (`more-numbers`). Here a
cell is cut into its parts at the separators people use for lists (`,` `，` `;` `、` ` / `, a
space between two complete numbers, or a slash after a unit when the parts are of one kind:
`80GB/40GB`) and each part is read on its own. A cell whose parts are
figures of one kind is a **list** (several values of one attribute: base and boost clock, model
sizes); a cell whose parts measure different things is a **composite** (a compute figure, a
process node and a power in one "Notable specs" cell). A number broken by a stray space (`13 2`)
is neither: its second part is no complete number, so the parser reads no figure from the
cell and `unparsed-number` reports it.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from factlint.normalise.quantity import SIDE_BY_SIDE as _SIDE_BY_SIDE, Quantity, parse_cell

NUMERIC = frozenset({"number", "range", "percent", "money", "ratio"})
# A comma that is no thousands separator (`7B,13B`, `92 TOPS, 28nm`; not `1,024`).
_SEPARATORS = re.compile(r"\s*(?:,(?!\d{3}(?:\D|$))|[，;；、]|\s/\s)\s*")
# A slash between a unit and the next figure (not `GB/s`, `1/2` or `$2M/节点`): variants of one
# kind (`80GB/40GB`, `5nm/3nm`), or two figures of different kinds under a header that pairs them
# (`单核峰值性能/单核内存`: `37Gflops/4GB` is a core's peak and its memory).
_VARIANTS = re.compile(r"(?<=[A-Za-z%])/(?=\d)")


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
    for splitter in (_SEPARATORS, _SIDE_BY_SIDE, _VARIANTS):
        pieces = [p for p in splitter.split(text) if p]
        if len(pieces) >= 2:
            parts = _parts(pieces, header_unit)
            return parts
    return None


def _parts(pieces: list[str], header_unit: str | None) -> Parts | None:
    quantities = tuple(parse_cell(p, header_unit) for p in pieces)
    figures = [q for q in quantities if _figure(q)]
    if len(figures) < 2:
        return None
    dimensions = {q.dimension or q.unit for q in figures}
    kind = "list" if len(dimensions) == 1 else "composite"
    kept = tuple((p, q) for p, q in zip(pieces, quantities) if _figure(q))
    return Parts(kind, tuple(p for p, _ in kept), tuple(q for _, q in kept))
