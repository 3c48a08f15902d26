"""A value belongs to a different attribute of the same entity.

## What it does
When a value disagrees with the reference for its own attribute but matches, within precision,
a cited fact for another attribute of the same entity in the same dimension, the note has most
likely put the number under the wrong heading: the H100's 80 GB is its HBM capacity, while its
on-chip SRAM is the 50 MB L2 cache.

## Why is this bad?
The number is real, so it survives a casual check, but the comparison it feeds is wrong: a table
that sets a wafer's on-chip SRAM against a GPU's off-chip HBM overstates the GPU by three orders
of magnitude.

## Example
| 指标 | WSE-3 | H100 |
|------|-------|------|
| 片上存储 | 44GB | 80GB |

Use instead:
| 指标 | WSE-3 | H100 |
|------|-------|------|
| 片上存储 | 44GB | 50MB |
| HBM | — | 80GB |

## Fix
None automatic: either the label or the value must change, and only the author knows which
comparison was meant.
"""
from __future__ import annotations

from typing import Iterator

from factlint.findings import Finding, Severity
from factlint.reference.match import claims_with_verdict
from factlint.reference.wording import attribute_words, citation, described, evidence, reference
from factlint.rules import rule


@rule("attribute-confusion", severity=Severity.WARNING, tags=("reference",))
def attribute_confusion(doc, ctx) -> Iterator[Finding]:
    for claim, result in claims_with_verdict(ctx, "confusion"):
        fact = result.fact
        entity, claimed = claim["entity"], claim["attribute"]
        own = [f for f in ctx.kb.facts(entity, claimed) if f.is_stated]
        actual = f"; its {attribute_words(claimed)} is {described(own[0])}" if own else ""
        message = (f"{entity} {attribute_words(claimed)}: {claim['raw']} is its "
                   f"{attribute_words(fact.attribute)} ({fact.qualifier or fact.value_text()}, {citation(fact)})"
                   f"{actual}")
        yield ctx.finding(claim, message, evidence=evidence(result), reference=reference(fact),
                          values=[claim["raw"], fact.id],
                          data={"fact": fact.id, "matched_attribute": fact.attribute})
