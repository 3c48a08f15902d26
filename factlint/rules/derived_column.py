"""A column that the table computes from two others must hold on every row.

## What it does
Finds the arithmetic a table asserts in its own numbers, whatever its headers say: one numeric
column (or row, in a table with products across the header) that is the product of two others
(`CPU Cores = Nodes × CPUs per Node`, `L1 Total = L1/Unit × Units`) or their ratio as a
percentage (`Efficiency = MAMF ÷ Theory`). A relation counts only when it holds exactly, to the
precision each cell shows, on at least three rows, both factors vary from row to row, and it
breaks on at most a quarter of the rows; then each row that breaks it is reported at the
computed cell, with the arithmetic. A cell of figures of different kinds (`2路12核，64G内存`)
takes part with each figure (the column's cores, the column's memory). A row that breaks the
relation only if its figures were rounded, not cut short (`2.6` written for 64 ÷ 24), is no
break. Rows with a missing, listed or misaligned cell, and total rows, take no part. Where the headers themselves declare the product (a count of parts, one
part's figure and a total of the same attribute: `芯片数`, `单芯片 FP16`, `总算力`; `GPUs`,
`Per-GPU memory`, `Total memory`), two rows are enough and the factors need not vary: it must
hold on one and break on no more rows than it holds on. Node count × per-node figure of a
cluster is also `cluster-total`'s, which explains it in its own terms; both may report one
broken row.

## Why is this bad?
When every other row of a cluster sheet or a spec table multiplies out and one does not, one of
its three cells was mistyped or copied from another row, and anything summed or compared from
that row is off.

## Example
| Type | Nodes | CPUs per Node | CPU Cores |
|---|---|---|---|
| Standard | 186 | 128 | 23,808 |
| Large memory | 7 | 128 | 896 |
| GPU | 29 | 128 | 3,172 |
| Login | 4 | 128 | 512 |

Use instead:
| Type | Nodes | CPUs per Node | CPU Cores |
|---|---|---|---|
| Standard | 186 | 128 | 23,808 |
| Large memory | 7 | 128 | 896 |
| GPU | 29 | 128 | 3,712 |
| Login | 4 | 128 | 512 |

## Fix
Rewrites the computed cell to the product (or ratio) of its row's factors (unsafe: a factor may
be the mistyped cell).
"""
from __future__ import annotations

from typing import Iterator

from factlint.facts.display import lines_text, number_fix, show, show_like, show_span_like
from factlint.facts.model import TableFacts
from factlint.facts.relations import Relation, field_of, figure_cells, relations
from factlint.findings import Finding, Severity
from factlint.rules import rule
from factlint.rules._context import claim_location

# How many rows that hold the relation a finding names as related cells.
HOLDING_SHOWN = 4


@rule("derived-column", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def derived_column(doc, ctx) -> Iterator[Finding]:
    for table in ctx.facts.tables:
        found = ctx.facts.memo(f"relations:{table.index}", lambda _, t=table: relations(t))
        if not found:
            continue
        cells = figure_cells(table)
        for relation in found:
            for record, expected in relation.breaking:
                yield _finding(ctx, table, relation, cells, record, expected)


def _name(table: TableFacts, slot: int, cell) -> str:
    """The field's label; for one figure of a composite cell, with the unit it is in (`配置 (GB)`)."""
    field = field_of(slot)
    label = table.field_labels.get(-(field + 1)) if table.shape == "entity-columns" else table.field_labels.get(field)
    name = label.text if label is not None else f"field {field + 1}"
    return f"{name} ({cell.reading.shown_unit or cell.reading.unit})" if slot != field else name


def _said(cell) -> str:
    """What the cell states: its text, or for one figure of a composite cell that figure."""
    return cell.raw if cell.single else show_like(cell.reading.low, cell.reading)


def _finding(ctx, table: TableFacts, relation: Relation, cells, record: int, expected) -> Finding:
    x, (y_field, z_field) = cells[(record, relation.result)], relation.operands
    y, z = cells[(record, y_field)], cells[(record, z_field)]
    x_name, y_name, z_name = (_name(table, f, cells[(record, f)]) for f in (relation.result, y_field, z_field))
    op = "×" if relation.kind == "product" else "÷"
    value = y.reading.low * z.reading.low if relation.kind == "product" else y.reading.low / z.reading.low * 100
    # A composite cell's figure is not the whole cell, and a figure off by a thousand or more has a
    # wrong unit rather than wrong digits (`960flops` for 960 GFLOPS): no rewrite of its number.
    gross = bool(value and x.reading.low) and not 1e-3 < value / x.reading.low < 1e3
    fix = number_fix(x.claim, x.reading, [value]) if x.single and not gross else None
    shown = fix.replacement if fix is not None else \
        show(value, x.reading.unit) if gross else show_like(value, x.reading)   # as the cell writes it
    formula = f"{x_name} = {y_name} {op} {z_name}"
    holding = [cells[(r, relation.result)] for r in relation.holding]
    message = (f"{x_name} is {_said(x)} on line {x.line}, but {y_name} {op} {z_name} = {_said(y)} {op} "
               f"{_said(z)} = {shown}; the table's other {_rows_hold(len(relation.holding))} {formula}.")
    evidence = (f"{_said(y)} ({show_span_like(y.reading.span(), y.reading, 5)}) {op} "
                f"{_said(z)} ({show_span_like(z.reading.span(), z.reading, 5)})"
                + (" × 100%" if relation.kind == "percent" else "")
                + f" = {show_span_like(expected, x.reading)}; {_said(x)} allows "
                f"{show_span_like(x.reading.span(), x.reading)}; "
                f"{formula} holds on {lines_text([h.line for h in holding])}.")
    related = [claim_location(y, y_name), claim_location(z, z_name)] + \
        [claim_location(h, f"{x_name} that holds") for h in holding[:HOLDING_SHOWN]]
    return ctx.finding(x, message, evidence=evidence, related=related,
                       fix=fix,
                       values=[x.raw, formula],
                       data={"formula": formula, "expected": [expected.lo, expected.hi],
                             "holding_lines": [h.line for h in holding]})


def _rows_hold(n: int) -> str:
    return "row holds" if n == 1 else f"{n} rows hold"
