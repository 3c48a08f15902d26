"""Shares must add up to 100 % and a total row must equal the sum of its rows.

## What it does
- A share column (占比, 份额, share, % of total) whose rows are parts of one whole must sum to
  100 % within the rounding shown: four integer percentages may be off by 4 × 0.5 = 2 points.
  A sum above 100 % is always wrong; a sum below 100 % is reported too, since the missing part
  needs its own row (其他 / other). The same holds for a share row in a transposed table.
- A total row (合计, 总计, total, sum, 全部) must equal the sum of the rows above it in every
  numeric column, and a total column the sum of the other numeric columns of its row, after
  unit normalisation and within the summed rounding. `N/A` and empty parts count as none.
- A last row that no label calls a total but that is the sum of the rows above in at least two
  columns is one: its other columns must add up too.
Growth rates, ratios, years and process nodes are never summed.

## Why is this bad?
Shares that do not add up mean a part was mistyped or left out, so every part may be misread;
a wrong total row is the figure readers quote.

## Example
| 客户类型 | 占比 |
|---|---|
| 科研机构 | 40% |
| 科技巨头 | 30% |
| 药企 | 25% |
| 政府 | 10% |

Use instead:
| 客户类型 | 占比 |
|---|---|
| 科研机构 | 40% |
| 科技巨头 | 30% |
| 药企 | 20% |
| 政府 | 10% |

## Fix
For a total row: rewrite it to the sum of its parts (unsafe: a part may be the wrong one). Shares
get no automatic fix: which part is wrong needs a human, so the column is reported once, with
every part as a related cell and the sum in the evidence.
"""
from __future__ import annotations

from typing import Iterator

from factlint.facts.intervals import Reading, Span, total
from factlint.facts.labels import is_other_label, is_total_label, read_label
from factlint.facts.model import Fact, TableFacts
from factlint.findings import Finding, Severity
from factlint.rules import rule
from factlint.rules._context import claim_location
from factlint.facts.display import number, number_fix, show, show_span, text_of

NOT_SUMMED_DIMENSIONS = frozenset({"percent", "ratio", "year", "date", "length"})
NOT_SUMMED_ATTRIBUTES = frozenset({"growth", "share", "price", "process_node", "year", "ratio"})


@rule("sum-total", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def sum_total(doc, ctx) -> Iterator[Finding]:
    for table in ctx.facts.tables:
        grid = _grid(table)
        if not grid:
            continue
        label_column = table.entity_field if table.entity_field is not None else 0
        yield from _shares(ctx, table, grid, label_column)
        labelled = yield from _total_rows(ctx, table, grid, label_column)
        yield from _total_columns(ctx, table, grid, label_column)
        if not labelled:
            yield from _found_total(ctx, table)


def _grid(table: TableFacts) -> dict[tuple[int, int], Fact]:
    """(row, column) -> the cell's (first) fact."""
    return {(f.claim["row"], f.claim["column"]): f for f in table.facts if f.part == 0}


def _row_label(table: TableFacts, row: int, label_column: int) -> str:
    cells = table.table.rows[row].cells
    return text_of(cells[label_column].text) if label_column < len(cells) else ""


# ---- shares -------------------------------------------------------------------------------------

def _is_share(label, vocab) -> bool:
    attribute = vocab.match_attribute(label) if label else None
    return attribute is not None and attribute.name == "share"


def _shares(ctx, table: TableFacts, grid, label_column: int) -> Iterator[Finding]:
    """A share column (the header says share) or a share row (the label says it) must sum to 100 %."""
    headers = table.table.header
    for column, header in enumerate(headers):
        if column != label_column and _is_share(header.text, ctx.vocab):
            line = [(f, _row_label(table, r, label_column)) for (r, c), f in sorted(grid.items()) if c == column]
            yield from _check_shares(ctx, table, line, f"column {header.text}")
    for row in range(len(table.table.rows)):
        label = _row_label(table, row, label_column)
        if _is_share(label, ctx.vocab):
            line = [(f, headers[c].text if c < len(headers) else "")
                    for (r, c), f in sorted(grid.items()) if r == row and c != label_column]
            yield from _check_shares(ctx, table, line, f"row {label}")


def _check_shares(ctx, table: TableFacts, line: list[tuple[Fact, str]], where: str) -> Iterator[Finding]:
    totals = [f for f, label in line if is_total_label(label)]
    parts = [(f, label) for f, label in line if not is_total_label(label)]
    if len({f.period for f, _ in parts} - {None}) > 1:
        return             # one share per period is a series, not parts of one whole
    readings = [f.reading for f, _ in parts]
    if len(parts) < 2 or any(r is None or r.unit != "%" for r in readings):
        return             # a text or non-percent part: not a clean list of shares
    summed = total((r.span() for r in readings), "%")
    if summed.meets(Span(100.0, 100.0, "%")):
        return
    stated = sum(r.low for r in readings)
    has_other = any(is_other_label(label) for _, label in parts)
    if stated > 100:
        why = f"{number(stated - 100)} points too many"
    elif has_other:
        why = f"{number(100 - stated)} points missing, though there is an other row"
    else:
        why = f"{number(100 - stated)} points missing and no 'other' row"
    terms = " + ".join(text_of(f.raw) for f, _ in parts)
    evidence = (f"{terms} = {number(stated)}%; with each part's rounding the sum lies in "
                f"{show_span(summed, 4)}, which does not include 100%.")
    # One defect, one finding: at the total cell when the line has one, else at its last part;
    # every part is a related location, since which one is wrong needs a human.
    at = totals[-1] if totals else max((f for f, _ in parts), key=lambda f: (f.line, f.claim["row"], f.claim["column"]))
    related = [claim_location(f, "share") for f, _ in parts if f is not at]
    message = (f"The shares in {where} add up to {number(stated)}%, not 100% "
               f"({why}); one of its {len(parts)} parts is wrong or missing.")
    yield ctx.finding(at, message, evidence=evidence, related=related,
                      values=[where.split(" ", 1)[1], terms],
                      data={"sum": stated, "low": summed.lo, "high": summed.hi,
                            "parts": [text_of(f.raw) for f, _ in parts]})


# ---- total rows and columns --------------------------------------------------------------------

def _summable(f: Fact) -> bool:
    r = f.reading
    return r is not None and f.role in ("value", "count") and text_of(f.claim.get("dimension")) not in NOT_SUMMED_DIMENSIONS \
        and text_of(f.claim.get("attribute")) not in NOT_SUMMED_ATTRIBUTES and r.bound == "=" \
        and not r.is_range and not (f.label is not None and f.label.scope not in ("", "total"))


def _part(f: Fact | None) -> Reading | str | None:
    """A part's reading; "none" for a cell that states none (`N/A`, `-`, empty); None for a part
    that is text, a range or a bound (the sum cannot be decided)."""
    if f is None or f.claim.get("kind") == "missing":
        return "none"
    return f.reading if _summable(f) else None


def _total_rows(ctx, table: TableFacts, grid, label_column: int):
    """Check the rows a total label names; returns whether the table has one."""
    rows = table.table.rows
    totals = [r for r in range(len(rows)) if is_total_label(_row_label(table, r, label_column))]
    for row in totals:
        start = max((r for r in totals if r < row), default=-1)   # subtotals are not counted twice
        for (r, column), stated in sorted(grid.items()):
            if r != row or column == label_column:
                continue
            parts = [(grid.get((p, column)), p) for p in range(start + 1, row) if rows[p].cells]
            yield from _check_total(ctx, stated, parts, f"column {stated.claim.get('column_label')}")
    return bool(totals)


def _found_total(ctx, table: TableFacts) -> Iterator[Finding]:
    """A last row (or column) the numbers show to be a total, though no label says so."""
    from factlint.facts.relations import total_record

    found = total_record(table)
    if found is None or not found.breaking:
        return
    cells = {(f.record, f.field): f for f in table.facts if f.part == 0}
    above = sorted({f.record for f in table.facts if f.record != found.record})
    names = [_field_name(table, f) for f in found.holding]
    for field, summed in found.breaking:
        stated = cells[(found.record, field)]
        parts = [cells[(r, field)] for r in above if (r, field) in cells]
        value = sum(p.reading.low for p in parts)
        terms = " + ".join(text_of(p.raw) for p in parts)
        message = (f"The last row adds up the rows above it in {', '.join(names)}, but in "
                   f"{_field_name(table, field)} it says {stated.raw} where they add up to "
                   f"{show(value, stated.reading.unit)}.")
        evidence = (f"{terms} = {show(value, stated.reading.unit, 4)} (with rounding {show_span(summed, 4)}); "
                    f"{stated.raw} allows {show_span(stated.reading.span(), 4)}; the row is the sum of the rows "
                    f"above in {', '.join(names)}.")
        yield ctx.finding(stated, message, evidence=evidence,
                          related=[claim_location(p, "part") for p in parts],
                          fix=number_fix(stated.claim, stated.reading, [value]),
                          values=[stated.raw, show(value, stated.reading.unit)],
                          data={"sum": value, "stated": stated.reading.low, "found_by": "numbers"})


def _field_name(table: TableFacts, field: int) -> str:
    key = -(field + 1) if table.shape == "entity-columns" else field
    label = table.field_labels.get(key)
    return label.text if label is not None else f"field {field + 1}"


def _total_columns(ctx, table: TableFacts, grid, label_column: int) -> Iterator[Finding]:
    headers = table.table.header
    for column, header in enumerate(headers):
        if column == label_column or not is_total_label(header.text):
            continue
        for (row, c), stated in sorted(grid.items()):
            if c != column or is_total_label(_row_label(table, row, label_column)):
                continue
            parts = [(grid.get((row, p)), p) for p in range(len(headers))
                     if p not in (column, label_column) and (row, p) in grid
                     and read_label(headers[p].text, ctx.vocab).scope in ("",)]
            yield from _check_total(ctx, stated, parts, f"row {_row_label(table, row, label_column)}")


def _check_total(ctx, stated_fact: Fact, parts: list[tuple[Fact | None, int]], where: str) -> Iterator[Finding]:
    if not _summable(stated_fact):
        return
    stated = stated_fact.reading
    readings = [_part(f) for f, _ in parts]
    present = [(f, r) for (f, _), r in zip(parts, readings) if isinstance(r, Reading)]
    if any(r is None for r in readings) or len(present) < 2 or any(r.unit != stated.unit for _, r in present):
        return             # a part that is text, a range or another unit: cannot decide
    span = total((r.span() for _, r in present), stated.unit)
    if span.meets(stated.span()):
        return
    value = sum(r.low for _, r in present)
    terms = " + ".join(text_of(f.raw) for f, _ in present)
    message = (f"The total in {where} says {stated_fact.raw}, but its parts add up to "
               f"{show(value, stated.unit)}.")
    evidence = (f"{terms} = {show(value, stated.unit, 4)} (with rounding {show_span(span, 4)}); "
                f"{stated_fact.raw} allows {show_span(stated.span(), 4)}.")
    yield ctx.finding(stated_fact, message, evidence=evidence,
                      related=[claim_location(f, "part") for f, _ in present],
                      fix=number_fix(stated_fact.claim, stated, [value]),
                      values=[stated_fact.raw, show(value, stated.unit)],
                      data={"sum": value, "stated": stated.low})
