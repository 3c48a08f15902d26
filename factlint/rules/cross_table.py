"""The same entity and attribute stated twice in one note must agree.

## What it does
Collects every figure the note states for the same fact anywhere in its tables, and reports the
cells that share no value with the consistent majority. The same fact means the same identity
(factlint.facts): the same entity and variant (`H100 NVL` is not the `H100 SXM`), the same
attribute with the same qualifiers (FP16 tensor dense is not FP16 vector, CUDA cores are not
tensor cores), the same scope (per node is not per GPU), period and node count. Each figure is
read as the interval its precision allows after normalising units and magnitude words
(`900,000` = `900K` = `90 万`). Figures whose identity the table does not establish (a name two
rows share, a label that names no attribute, a format left ambiguous, a cell listing several
figures) are not compared.

## Why is this bad?
Two different numbers for one fact mean at least one of them is wrong, and a reader cannot tell
which; whatever is built on the note (a comparison, a forecast) inherits the error.

## Example
| 产品 | 晶体管 | 算力 |
|---|---|---|
| WSE-3 | 4.0T | 125 PFLOPS |

| 指标 | WSE-3 | H100 |
|---|---|---|
| 晶体管 | 4.6T | 80B |

Use instead:
| 产品 | 晶体管 | 算力 |
|---|---|---|
| WSE-3 | 4.0T | 125 PFLOPS |

| 指标 | WSE-3 | H100 |
|---|---|---|
| 晶体管 | 4.0T | 80B |

## Fix
When two or more cells agree and one differs, the fix rewrites the odd one to the agreed text
(unsafe: the majority can be wrong too). With one cell against one, none is automatic.
"""
from __future__ import annotations

from typing import Iterator

from factlint.facts.model import Fact
from factlint.findings import Applicability, Finding, Fix, Severity, more_cells, nearest
from factlint.rules import rule
from factlint.rules._agreement import (Split, Statement, comparable_statements, core_text, describe,
                                       lines_text, split, subject)
from factlint.facts.display import text_of


@rule("cross-table", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def cross_table(doc, ctx) -> Iterator[Finding]:
    for statements in comparable_statements(ctx.facts).values():
        if len({(s.item.table, s.item.record, s.item.field) for s in statements}) < 2:
            continue
        result = split(statements)
        if result is None or not result.outliers:
            continue
        for outlier in result.outliers:
            yield _finding(ctx, outlier, result)


def _finding(ctx, outlier: Statement, result: Split) -> Finding:
    f: Fact = outlier.item
    # A fact repeated all over a big note: name the nearest agreeing cells only, count the rest.
    shown, left_off = nearest(result.core, f.line, key=lambda s: s.item.line)
    shown_lines = [s.item.line for s in shown]
    said = core_text(result.core)
    verb = "says" if len(result.core) == 1 else "say"
    lines = lines_text(shown_lines) + (f" and {left_off} more cells" if left_off else "")
    message = f"{subject(f)} is {f.raw} on line {f.line}, but {lines} {verb} {said}."
    evidence = "; ".join(
        [f"line {f.line}: {describe(f)}"] + [f"line {s.item.line}: {describe(s.item)}" for s in shown]
    ) + more_cells(left_off) + "; no value satisfies both."
    fix = None
    if len(result.core) >= 2 and len({text_of(s.item.raw) for s in result.core}) == 1:
        replacement = text_of(result.core[0].item.raw)
        fix = Fix(replacement, f"Replace `{f.raw}` with `{replacement}` as stated on {lines}",
                  Applicability.UNSAFE, text_of(f.raw))
    return ctx.finding(f, message, evidence=evidence, related=[s.item for s in shown],
                       fix=fix, values=[f.raw, said],
                       data={"stated": f.raw, "agreed": said, "agreed_lines": shown_lines})
