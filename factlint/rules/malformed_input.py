"""A table or file that factlint could only read in part.

## What it does
Reports what ingest noticed while reading a note where it loses or hides data: a row with
non-empty cells beyond the header's last column (they belong to no column and are not read), a
code fence or YAML front matter that is never closed, an empty file. A row with fewer cells than
the header is legal GFM (the missing cells are empty) and is reported only where it visibly
drops data: in a table with products across the header, a row that gives values for clearly
fewer products than the other rows (two or more, and at least a quarter of them, missing).
A file that cannot be decoded at all is reported by the gate with the same id.

## Why is this bad?
A ragged row shifts values under the wrong header, so a number is read as another attribute;
an unclosed fence hides every table after it. factlint keeps such rows and reports them
rather than dropping them silently, but a reviewer should fix the source.

## Example
| Chip | Process | Transistors |
|---|---|---|
| WSE-2 | 7nm | 2.6T | 2021 |

Use instead:
| Chip | Process | Transistors | Year |
|---|---|---|---|
| WSE-2 | 7nm | 2.6T | 2021 |

## Fix
None automatic: add the missing header or cell, or close the fence.
"""
from __future__ import annotations

from typing import Iterator

from factlint.findings import Finding, Location, Severity
from factlint.rules import rule


@rule("malformed-input", severity=Severity.WARNING)
def malformed_input(doc, ctx) -> Iterator[Finding]:
    rows = _rows_by_line(ctx.facts)
    for problem in doc.problems:
        evidence = ""
        if problem.kind == "ragged-row" and problem.line in rows:
            evidence = _ragged(*rows[problem.line])
            if not evidence:
                continue          # legal GFM, or nothing lost
        yield ctx.finding(Location(path=doc.path, line=max(problem.line, 1)), problem.message,
                          evidence=evidence, attribute=problem.kind, values=[problem.kind, problem.message])


def _rows_by_line(facts) -> dict[int, tuple]:
    out = {}
    for table in facts.tables if facts is not None else ():
        for row in table.table.rows:
            out[row.line] = (table, row)
    return out


def _ragged(table, row) -> str:
    """Why a row with another number of cells than the header loses data, or "" when it does not."""
    width = len(table.table.header)
    cells = row.cells
    if len(cells) > width:
        extra = [c.text for c in cells[width:] if c.text.strip()]
        return (f"cells beyond the header's {width} columns are not read: "
                + ", ".join(f"“{t}”" for t in extra)) if extra else ""
    if table.shape != "entity-columns":
        return ""
    missing = width - len(cells)
    full = sum(1 for r in table.table.rows if r.cells and len(r.cells) >= width)
    if missing >= 2 and missing >= (width - 1) / 4 and full >= len(table.table.rows) / 2:
        return (f"the row gives values for {len(cells) - 1} of the {width - 1} products across the "
                f"header; the other rows give all of them")
    return ""
