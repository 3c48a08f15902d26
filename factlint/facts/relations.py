"""Arithmetic a table asserts, found in its numbers rather than named by its headers.

A cluster sheet has `Nodes`, `CPUs per Node` and `CPU Cores` columns; whatever its headers are
called, `CPU Cores = Nodes × CPUs per Node` holds on its rows. A benchmark table has `MAMF`,
`Theory` and `Efficiency`, and `Efficiency = MAMF ÷ Theory` holds. This module finds such
relations between three numeric fields of a table (columns, or rows of a transposed table):

    X = Y × Z        (units compose: a count times a figure is that figure)
    X % = Y ÷ Z      (a percentage of two figures of one unit)

A relation is accepted only where it cannot be chance: it holds exactly, to the precision every
cell shows (intervals, factlint.facts.intervals), on at least `MIN_HOLDING` records, both
factors take at least two values across them, and it breaks on no more than a quarter of the
records that state all three fields. The records that break it are what a rule reports, with
the arithmetic. A record that breaks it only when its figures are taken as rounded, and holds
when they may be cut short (`64 GB ÷ 24 = 2.67`, written `2.6`), neither holds nor breaks it.
A cell that lists figures of one kind (`80GB/40GB`), sits in a total row or in a row that has
cells beyond the header is left out; so is every record that misses one of the three. A cell of
figures of different kinds (`2路12核，64G内存`) gives each of them a field of its own, one per
unit (the column's cores, the column's memory), when the cell states one figure of that unit.
"""
from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from factlint.facts.intervals import Span
from factlint.facts.model import Fact, TableFacts

MIN_HOLDING = 3            # records a relation must hold on
MAX_BREAKING_SHARE = 0.25  # of the records stating all three fields
MAX_FIELDS = 40            # a wider table is searched on its first 40 numeric fields


@dataclass(frozen=True, slots=True)
class Relation:
    table: int
    kind: str                                   # "product" (X = Y × Z) or "percent" (X = Y ÷ Z × 100 %)
    result: int                                 # field X
    operands: tuple[int, int]                   # fields Y, Z
    holding: tuple[int, ...]                    # records where it holds
    breaking: tuple[tuple[int, Span], ...]      # records where it breaks, with what X should be


# A composite cell's figure of one unit has a field past every real one: `PART_SLOTS × (1 + n) + field`.
PART_SLOTS = 1 << 16


def field_of(slot: int) -> int:
    """The table field (column, or row when transposed) a relation's field is in."""
    return slot % PART_SLOTS


def relations(table: TableFacts) -> list[Relation]:
    """The relations the table's numbers hold (see the module doc), at most one per result field
    and per triple of fields; and those its headers declare (`_declared`)."""
    grid = _grid(table)
    declared = _declared(table, grid)
    if len(table.table.rows) < MIN_HOLDING and table.shape != "entity-columns":
        return declared
    found = _found(table, grid)
    taken = {frozenset((r.result, *r.operands)) for r in found}
    return sorted(found + [r for r in declared if frozenset((r.result, *r.operands)) not in taken],
                  key=lambda r: (r.result, r.operands))


# What a per-part header counts, by its scope: `单芯片 FP16` is one chip's, `Per-GPU FP8` one GPU's.
# Node scopes are cluster-total's (a node count, a per-node figure and a total it checks itself).
PART_COUNTS = {"gpu": "gpus", "chip": "gpus", "card": "gpus"}
MIN_DECLARED = 1           # records a declared relation must hold on (and break on no more)


def _declared(table: TableFacts, grid) -> list[Relation]:
    """`芯片数 × 单芯片 FP16 = 总算力`, `GPUs × Per-GPU memory = Total memory`: a count of parts,
    a figure of one part and a total of the same attribute, named so by the headers. The headers
    say what the arithmetic is, so it needs neither three records nor factors that vary (one
    chip's figure is the same on every row); it must still hold on one record and break on no
    more than it holds on, or the reading of the headers is what is wrong."""
    labels = table.field_labels
    by_field = _records_by_field(grid)
    fields = set(by_field)
    out = []
    for per in fields:
        label = labels.get(per)
        if label is None or label.attribute is None or label.scope not in PART_COUNTS:
            continue
        family = label.attribute.name.removeprefix("total_")
        counts = [c for c in fields if c != per and labels.get(c) is not None
                  and labels[c].attribute is not None and not labels[c].scope
                  and (labels[c].attribute.name == PART_COUNTS[label.scope]
                       or labels[c].attribute.dimension == "entity")]   # `芯片数`: a count of chips
        totals = [t for t in fields if t not in (per, *counts) and labels.get(t) is not None
                  and labels[t].attribute is not None and labels[t].scope in ("", "total")
                  and labels[t].attribute.name.removeprefix("total_") == family]
        if len(counts) != 1 or len(totals) != 1:
            continue                    # two candidates: which is which is a guess
        records = _records(by_field, totals[0], counts[0], per)
        if len(records) < 2:
            continue                    # one record: nothing else shows the headers read right
        relation = _test(table.index, grid, records, totals[0], counts[0], per,
                         min_holding=MIN_DECLARED, declared=True)
        if relation is not None:
            out.append(relation)
    return out


def _records_by_field(grid) -> dict[int, set[int]]:
    by_field: dict[int, set[int]] = {}
    for (r, f) in grid:
        by_field.setdefault(f, set()).add(r)
    return by_field


def _records(by_field: dict[int, set[int]], *fields: int) -> list[int]:
    """The records that state every one of `fields`, in order."""
    return sorted(set.intersection(*(by_field[f] for f in fields)))


def _found(table: TableFacts, grid) -> list[Relation]:
    by_field = _records_by_field(grid)
    units: dict[int, Counter] = {}
    for (_, f), fact in grid.items():
        units.setdefault(f, Counter())[fact.reading.unit] += 1
    fields = [f for f in sorted(by_field) if len(by_field[f]) >= MIN_HOLDING][:MAX_FIELDS]
    if len(fields) < 3:
        return []
    unit = {f: units[f].most_common(1)[0][0] for f in fields}
    found: dict[frozenset, Relation] = {}
    for triple in itertools.combinations(fields, 3):
        for result in triple:
            y, z = (f for f in triple if f != result)
            if _kind(unit[result], unit[y], unit[z]) is None:
                continue               # units that cannot compose: no need to read a record
            records = _records(by_field, result, y, z)
            relation = _test(table.index, grid, records, result, y, z)
            if relation is not None:
                key = frozenset(triple)
                best = found.get(key)
                if best is None or len(relation.holding) > len(best.holding):
                    found[key] = relation
    return list(found.values())


def figure_cells(table: TableFacts) -> dict[tuple[int, int], Fact]:
    """(record, field) -> the fact a relation's field reads in that record (see `_grid`)."""
    return _grid(table)


def _grid(table: TableFacts, parts: bool = True) -> dict[tuple[int, int], Fact]:
    """(record, field) -> the one clean figure of a cell: a single value (no range, no bound),
    stated by the cell alone, in no total row or column; with `parts`, also each figure of a
    composite cell that is the cell's only one in its unit, at its slot (`PART_SLOTS`)."""
    grid = {}
    composite: dict[tuple[int, int, str], list[Fact]] = {}
    for f in table.facts:
        r = f.reading
        if r is None or f.total or r.is_range or r.bound != "=" \
                or r.unit.startswith("?") or f.role not in ("value", "count"):
            continue
        if f.single:
            grid[(f.record, f.field)] = f
        elif parts and f.composite:
            composite.setdefault((f.record, f.field, r.unit), []).append(f)
    units = sorted({unit for _, _, unit in composite})
    for (record, field, unit), found in composite.items():
        if len(found) == 1:
            grid[(record, PART_SLOTS * (1 + units.index(unit)) + field)] = found[0]
    return grid


def _kind(x: str, y: str, z: str) -> str | None:
    """How the units of X, Y and Z may relate, if at all."""
    if x == "%" and y == z and y != "%":
        return "percent"
    if (y == "1" and z == x) or (z == "1" and y == x) or (x == y == z == "1"):
        return "product"
    return None


def _expected(kind: str, y: Span, z: Span, unit: str) -> Span | None:
    if kind == "product":
        return y.times(z, unit)
    q = y.over(z, "%")
    return q.times(100.0) if q is not None else None


def _test(table: int, grid, records: list[int], result: int, y: int, z: int, *,
          min_holding: int = MIN_HOLDING, declared: bool = False) -> Relation | None:
    if len(records) < min_holding:
        return None
    first = grid[(records[0], result)].reading
    kind = _kind(first.unit, grid[(records[0], y)].reading.unit, grid[(records[0], z)].reading.unit)
    if kind is None:
        return None
    holding, breaking = [], []
    for r in records:
        x_r, y_r, z_r = grid[(r, result)].reading, grid[(r, y)].reading, grid[(r, z)].reading
        if _kind(x_r.unit, y_r.unit, z_r.unit) != kind:
            return None
        expected = _expected(kind, y_r.span(), z_r.span(), x_r.unit)
        if expected is None:
            return None
        if expected.meets(x_r.span()):
            holding.append(r)
        elif (cut := _expected(kind, _cut_short(y_r), _cut_short(z_r), x_r.unit)) is not None \
                and cut.meets(_cut_short(x_r)):
            continue                   # rounded it breaks, cut short it holds: no verdict
        else:
            breaking.append((r, expected))
            if not declared and len(breaking) > max(1, int(len(records) * MAX_BREAKING_SHARE)):
                return None            # most of the way through, it is no relation of this table
    if declared:
        if len(holding) < min_holding or len(breaking) > len(holding):
            return None
        return Relation(table, kind, result, (y, z), tuple(holding), tuple(breaking))
    if len(holding) < MIN_HOLDING or len(breaking) > len(records) * MAX_BREAKING_SHARE and len(breaking) > 1:
        return None
    if not _varies(grid, holding, y) or not _varies(grid, holding, z) or _trivial(grid, holding, result, y, z):
        return None
    return Relation(table, kind, result, (y, z), tuple(holding), tuple(breaking))


def _cut_short(reading) -> Span:
    """Every value a figure allows if it may have been cut short rather than rounded: `2.6` is
    2.55-2.7 (a writer who divides 64 by 24 often keeps the digits he sees, 2.6 of 2.666)."""
    span = reading.span()
    if reading.tolerance <= 0 or reading.bound != "=" or reading.is_range:
        return span
    return Span(span.lo, reading.high + 2 * reading.tolerance, span.unit)


def _varies(grid, records: Iterable[int], field: int) -> bool:
    """A factor that takes at least two values: a constant factor (the same 2 on every row)
    makes any two proportional columns look like a product."""
    values = {round(grid[(r, field)].reading.low, 12) for r in records}
    return len(values) >= 2


def _trivial(grid, records, result: int, y: int, z: int) -> bool:
    """X = Y × 1: a factor that is 1 wherever the relation holds says nothing."""
    return all(math.isclose(grid[(r, y)].reading.low, 1.0) or math.isclose(grid[(r, z)].reading.low, 1.0)
               for r in records)


@dataclass(frozen=True, slots=True)
class TotalRecord:
    """A last record that is the sum of the records above it, though no label says so."""
    table: int
    record: int
    holding: tuple[int, ...]                    # fields where it is the sum
    breaking: tuple[tuple[int, Span], ...]      # fields where it is not, with what the sum allows


MIN_SUMMED_FIELDS = 2      # fields the last record must add up in before it counts as a total


def total_record(table: TableFacts) -> TotalRecord | None:
    """The table's last record when it names nothing (an empty label: a record that names a
    product is that product, whatever its numbers) and, in at least two fields, equals the sum of
    every record above it (each field with at least two non-zero parts); the fields where it does
    not are its breaks. A record a total label names is sum-total's already."""
    grid = _grid(table, parts=False)
    records = sorted({r for r, _ in grid})
    if len(records) < 3:
        return None
    last, parts = records[-1], records[:-1]
    name = table.record_names.get(last)
    if name is not None and name.text.strip():
        return None
    holding, breaking = [], []
    for field in sorted({f for r, f in grid if r == last}):
        cells = [grid.get((r, field)) for r in parts]
        if any(c is None for c in cells):
            continue                       # a part missing: no sum to judge
        units = {c.reading.unit for c in cells} | {grid[(last, field)].reading.unit}
        if len(units) != 1 or units & {"%", "x", "year"} or sum(1 for c in cells if c.reading.low) < 2:
            continue
        summed = Span(0.0, 0.0, units.pop())
        for c in cells:
            summed = summed.plus(c.reading.span())
        if summed.meets(grid[(last, field)].reading.span()):
            holding.append(field)
        else:
            breaking.append((field, summed))
    if len(holding) < MIN_SUMMED_FIELDS or len(breaking) > len(holding):
        return None
    return TotalRecord(table.index, last, tuple(holding), tuple(breaking))
