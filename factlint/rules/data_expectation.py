"""A claim about to be published fails a data expectation of the Great Expectations suite.

## What it does
`factlint run` runs the suite in `gx/expectations/claims.json` as a Great Expectations
checkpoint over the claims about to be published to `data/validated/`: the columns and their
types, one canonical unit per dimension (compute is FLOP/s, information is B, ...), a canonical
value on every claim parsed as a number, one claim per cell, positive line numbers, and
plausible ranges (a process node of 1 to 1000 nm, fewer than 10^14 transistors, ...). Every
claim an expectation rejects becomes one finding at its source line; a failure that concerns
the whole table points at the expectation's line in the suite file.

This rule runs in the flow only (`factlint/gx_check.py`), never in `factlint check`: importing
Great Expectations costs seconds the gate should not pay. Its function here is a placeholder
so that `factlint rules` and `factlint explain data-expectation` document it.

## Why is this bad?
A failing expectation means the published dataset would break its own contract: a reader
summing compute in FLOP/s would add watts, or a 5000 nm "process node" (a unit slip) would
enter every chart. So a failing checkpoint blocks publishing altogether; the previous version
stays current.

## Example
| Chip | Process |
|---|---|
| WSE-3 | 5 um |

Use instead:
| Chip | Process |
|---|---|
| WSE-3 | 5 nm |

## Fix
None automatic: correct the cell, or, when the normaliser is wrong, the normaliser; when the
expectation itself is wrong, change `gx/expectations/claims.json` (and say why in the commit).
"""
from __future__ import annotations

from factlint.findings import Severity
from factlint.rules import declared

declared("data-expectation", severity=Severity.ERROR, made_by="factlint.gx_check (the flow's checkpoint)", module=__name__,
         scope="corpus", tags=('data', 'flow-only'))
