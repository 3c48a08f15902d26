"""A claim that breaks the published claims contract (schemas/claims.py).

## What it does
Every run validates the claims it extracted against `ClaimsSchema`, the pandera model that is
also the contract of `data/validated/claims.parquet`: column types, allowed statuses, kinds and
bounds, positive line numbers, a canonical value on every parsed number. A claim that fails is
reported at its cell, with the check it failed.

## Why is this bad?
Downstream consumers read the published claims by that contract. A claim that breaks it means
factlint misread the cell (a bug to report) or the vocabulary maps it to something impossible;
either way its numbers cannot be trusted.

## Example
| Chip | Cores |
|---|---|
| WSE-3 | 900,000 |

Use instead:
The same table: this rule fires on factlint's own defects, not on a note's wording, so the
example above passes and there is no note that should fail it.

## Fix
None in the note: report the cell and the failed check as a factlint bug.
"""
from __future__ import annotations

from factlint.findings import Severity
from factlint.rules import declared

declared("claims-contract", severity=Severity.ERROR, made_by="factlint.pipeline (contract_findings)", module=__name__,
         scope="corpus", tags=())
