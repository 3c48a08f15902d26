"""A unit that measures something other than its attribute: bandwidth in PB, power in kWh, memory in GB/s.

## What it does
Compares the dimension of each cell's unit with the dimension its attribute has in the
vocabulary (`factlint/vocab/attributes.yaml`): bandwidth is a rate of bytes (B/s), memory a
number of bytes (B), power a rate of energy (W), compute a rate of operations (FLOP/s), and so
on. A cell whose unit has another measured dimension is reported. Cells that state no unit,
percentages and ratios (relative figures fit any attribute), note columns (whose text may
mention any quantity) and attributes without a measured dimension (counts, names, statuses)
are left alone. A unit given once in a column header (`Bandwidth (TB)`) is reported once, at the
header, with the cells that use it as related locations. A column whose cells all measure one
other dimension, under a label that names its attribute only by a word inside it (`FP16
weights`: compute from `FP16`, every cell in GB), says the label was misread, and is left alone.

## Why is this bad?
A unit of the wrong dimension is either a typo (`21 PB` for `21 PB/s`) or a figure in the wrong
row or column (an energy figure under power). Either way the cell cannot be compared with the
same attribute elsewhere in the note or in the reference, and the reader is misled about what
was measured.

## Example
| Parameter | Value |
|---|---|
| Memory bandwidth | 21 PB |
| Power | 15 kWh |

Use instead:
| Parameter | Value |
|---|---|
| Memory bandwidth | 21 PB/s |
| Power | 15 kW |

## Fix
None automatic: the unit may be wrong (`PB` for `PB/s`) or the figure may belong to another
attribute. The message names the unit of the same prefix in the expected dimension when there
is one (`PB` -> `PB/s`, `kWh` -> `kW`, `mm` -> `mm²`).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator


from factlint.document import Document
from factlint.findings import Finding, Location, Severity
from factlint.normalise.quantity import parse_cell
from factlint.normalise.units import lookup_unit, unit_table, units_of
from factlint.normalise.vocab import Attribute
from factlint.rules import rule
from factlint.rules._context import claim_location

Claim = dict

# Dimensions with units; an attribute or a value outside this set is never judged.
MEASURED = {"compute", "information", "bandwidth", "transfer_rate", "power", "energy", "frequency",
            "length", "area", "time", "money"}
# What a value of each dimension is, for messages ("21 PB is a capacity, but bandwidth is measured in B/s").
DIMENSION_NAMES = {
    "compute": "a compute rate", "information": "a capacity", "bandwidth": "a data rate",
    "transfer_rate": "a transfer rate", "power": "a power", "energy": "an energy",
    "frequency": "a frequency", "length": "a length", "area": "an area", "time": "a duration",
    "money": "an amount of money",
}

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error


def counterpart(unit: str, dimension: str) -> str | None:
    """The unit of `dimension` spelt like `unit` with a rate, an hour or a square added or
    removed: PB -> PB/s, GB/s -> GB, kWh -> kW, mm -> mm². None when there is no such unit."""
    wanted = {unit + "/s", unit.removesuffix("/s"), unit + "h", unit.removesuffix("h"),
              unit + "²", unit.removesuffix("²")} - {unit}
    for candidate in units_of(dimension):
        if candidate.symbol in wanted:
            return candidate.symbol
    return None


@rule("dimension", severity=Severity.WARNING, tags=("units",))
def dimension(doc: Document, ctx) -> Iterator[Finding]:
    from_header: dict[tuple[int, int], list[tuple[Claim, Attribute]]] = defaultdict(list)
    in_cells: dict[tuple[int, int], list] = defaultdict(list)
    for fact in ctx.facts.facts:
        claim = fact.claim
        if fact.part or claim["status"] != "parsed" or claim["dimension"] not in MEASURED or \
                fact.role != "value":
            continue   # a note column's text may mention any quantity
        if fact.label is not None and claim["dimension"] in fact.label.alternatives:
            continue   # the label also names what the cell measures (`Memory BW`, `HBM 带宽`)
        if claim["dimension"] == "money":
            continue   # money under a hardware label is a price or a business segment (`Compute | $4,210`), not a unit slip
        attribute = ctx.vocab.attribute(claim["attribute"])
        if attribute is None or attribute.dimension not in MEASURED or \
                attribute.dimension == claim["dimension"]:
            continue
        if parse_cell(claim["raw"]).unit is None:   # the unit comes from the column header
            from_header[(claim["table"], claim["column"])].append((claim, attribute))
            continue
        in_cells[(claim["table"], claim["column"])].append((fact, attribute))
    # What each column measures somewhere, read once (not once per column with a mismatch).
    measured = {(f.claim["table"], f.claim["column"], f.claim["dimension"]) for f in ctx.facts.facts} \
        if in_cells else set()
    for (table_no, column), cells in in_cells.items():
        if _header_misread(measured, table_no, column, cells):
            continue
        for fact, attribute in cells:
            claim = fact.claim
            message, evidence, data = _mismatch(claim["raw"], claim["unit"], claim["dimension"], attribute)
            yield ctx.finding(claim, message, evidence=evidence, values=[claim["raw"], claim["unit"]],
                              data=data)
    tables = {t.index: t for t in doc.tables}
    for (table_no, column), cells in from_header.items():
        table = tables[table_no]
        header = next((c for c in table.header if c.column == column), None)
        if header is None:
            continue
        first, attribute = cells[0]
        message, evidence, data = _mismatch(f"The header “{header.text}”", first["unit"],
                                            first["dimension"], attribute, says="gives")
        at = Location(path=doc.path, line=table.header_line, table=table_no, column=header.text,
                      column_index=header.column,
                      text=header.text)
        yield ctx.finding(at, message, evidence=f"{evidence}; {len(cells)} cell(s) below use it",
                          related=[claim_location(c, "cell in the header's unit") for c, _ in cells],
                          attribute=attribute.name, values=[header.text, first["unit"]], data=data)


def _header_misread(measured: set, table_no: int, column: int, cells: list) -> bool:
    """A column whose cells all measure one other dimension, under a label that names the
    attribute only by a word inside it (`FP16 weights`: compute from `FP16`, cells in GB): it is
    the label that was misread, not every cell, so the rule says nothing."""
    label = cells[0][0].label
    if label is None or label.headed or len(cells) < 2:
        return False
    if len({fact.claim["dimension"] for fact, _ in cells}) != 1:
        return False
    return (table_no, column, cells[0][1].dimension) not in measured


def _mismatch(subject: str, unit: str, dimension: str, attribute: Attribute,
              says: str = "is") -> tuple[str, str, dict]:
    """(message, evidence, data) for `subject` stated in `unit` of `dimension`."""
    hint = counterpart(unit, attribute.dimension)
    wanted = unit_table().dimensions.get(attribute.dimension)
    measured_in = f"measured in {wanted.canonical}" if wanted and wanted.canonical else \
        DIMENSION_NAMES.get(attribute.dimension, attribute.dimension)
    what = DIMENSION_NAMES.get(dimension, dimension)
    info = lookup_unit(unit)
    message = (f"{subject} {says} {what if says == 'is' else f'{unit}, {what}'}, but {attribute.name} "
               f"is {measured_in}" + (f"; did you mean {hint}?" if hint else "."))
    evidence = (f"{unit} is a unit of {dimension}{f' ({info.canonical})' if info else ''}; the "
                f"vocabulary gives {attribute.name} the dimension {attribute.dimension}")
    return message, evidence, {"unit": unit, "unit_dimension": dimension,
                               "attribute_dimension": attribute.dimension, "suggestion": hint}
