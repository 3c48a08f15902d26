"""A suppression comment without a reason, or one that suppresses nothing.

## What it does
Checks the `<!-- factlint-disable-next-line RULE[,RULE] -- reason -->` comments (and their
`factlint-disable-line` and `factlint-disable-next-table` forms) of every note:
- a comment with no reason after ` -- ` is reported ("suppression needs a reason"); it still
  suppresses;
- a comment that silences no finding, or names a rule that has no finding on its target line,
  is reported ("unused suppression").
The findings come from the gate after the rules have run (`factlint/suppress.py`), since only
then is it known what each comment silenced; this module documents the id and lets the
`severity`, `select` and `ignore` settings name it.

## Why is this bad?
A suppression without a reason hides a finding and gives the next reader no way to judge
whether the exception still holds. An unused suppression is worse than none: the number it
guarded has changed or moved, and the comment would silently swallow a new, real finding on
that line.

## Example
<!-- factlint-disable-next-line range-order -->
| 参数 | 规格 |
|------|------|
| 节点数 | 16-64 |

Use instead:
| 参数 | 规格 |
|------|------|
| 节点数 | 16-64 |

## Fix
None automatic: write the reason after ` -- `, or delete the comment (or the rule from it) once
it suppresses nothing.
"""
from __future__ import annotations

from factlint.findings import Severity
from factlint.rules import declared

declared("suppression", severity=Severity.WARNING, made_by="factlint.suppress (apply_suppressions)", module=__name__,
         scope="document", tags=('framework',))
