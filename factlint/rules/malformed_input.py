"""A table or file that factlint could only read in part.

## What it does
Reports what ingest noticed while reading a note: rows with more or fewer cells than the
header (ragged rows), a code fence or YAML front matter that is never closed, an empty file.
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
    for problem in doc.problems:
        yield ctx.finding(Location(path=doc.path, line=max(problem.line, 1)), problem.message,
                          attribute=problem.kind, values=[problem.kind, problem.message])
