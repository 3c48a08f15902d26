"""A table value contradicts the cited reference knowledge base.

## What it does
Compares every value that names a known entity and attribute (a chip's process node, a system's
compute, a cluster's node count, a company's revenue for a year) with the cited facts in the
reference knowledge base (`data/reference/`). The comparison allows for the precision both sides
show ("2 PFLOPS" agrees with 1,978.9 TFLOPS), for `~` and one-sided bounds, and for qualified
variants: the value agrees when any variant does (dense or sparse, FP16 or FP8). A misspelt unit
is read through the closest known unit (`8 PLOPS` as 8 PFLOPS) and the evidence says so.

## Why is this bad?
A figure that disagrees with every published value misinforms the reader, usually by a whole
generation or a factor (80 GB where the chip has 44 GB). The finding cites the publication, its
date, the quote and the link, so the correction can be checked in one click.

## Example
| 产品 | 制程 | 片上存储 |
|------|------|----------|
| WSE-1 | 14nm | 18GB |
| WSE-3 | 5nm | 80GB |

Use instead:
| 产品 | 制程 | 片上存储 |
|------|------|----------|
| WSE-1 | 16nm | 18GB |
| WSE-3 | 5nm | 44GB |

## Fix
Unsafe: the referenced value written the note's way (`14nm` -> `16nm`, `8 PLOPS` -> `125 PFLOPS`,
`16-64` -> `16`). A reviewer should confirm which variant the note meant.

## Sources by tier
A source is primary (the vendor's datasheet, a filing, official documentation), secondary
(established trade press, maintained databases such as TechPowerUp's), a mirror (a copy of
another publication) or low (aggregators, blogs, anonymous pages). Only a primary or secondary
fact at high or medium confidence makes an error; the others warn. When sources disagree, the
higher tier decides: a value that matches only the lower one is a warning naming both.

## Known problems
Facts of low confidence (single weak source, or no citable source) give warnings, never errors.
A value the reference lacks is reported by `unverified`, one it withholds by `undisclosed`.
"""
from __future__ import annotations

from typing import Iterator

from factlint.findings import Finding, Severity
from factlint.reference.match import claims_with_verdict
from factlint.reference.wording import (as_written, attribute_words, citation, described, evidence, fix_for,
                                       reference)
from factlint.rules import rule


@rule("reference-mismatch", severity=Severity.ERROR, fixable=True, tags=("reference",))
def reference_mismatch(doc, ctx) -> Iterator[Finding]:
    for claim, result in claims_with_verdict(ctx, "mismatch"):
        fact = result.fact
        # Only a primary or secondary source at high or medium confidence, published (not derived),
        # fails a note; a mirror, a low-tier page or a weak record warns. So does a claim that
        # matches a lower-tier source which a higher tier contradicts: the sources disagree.
        weak = not fact.trusted or result.tier_conflict
        severity = Severity.WARNING if weak and ctx.severity is Severity.ERROR else ctx.severity
        value = described(fact)
        if fact.derived and "derived" not in value:
            value += " (derived)"
        # A cluster's per-node figure is compared with one node system: say so ("Andromeda per-node
        # compute (one CS-2)"), or the message reads as if the cluster total were meant.
        subject = (f"{claim['entity']} per-node {attribute_words(claim['attribute'])} (one {result.node})"
                   if result.node else f"{claim['entity']} {attribute_words(claim['attribute'])}")
        message = (f"{subject}: the note says {as_written(claim)}, "
                   f"but {citation(fact)} gives {value}")
        if result.tier_conflict:
            message += f"; it matches only {citation(result.agreed)} ({result.agreed.tier} source)"
        yield ctx.finding(claim, message, evidence=evidence(result), fix=fix_for(claim, result),
                          reference=reference(fact), severity=severity, values=[claim["raw"], fact.id],
                          data={"fact": fact.id, "reference_value": fact.value_text(),
                                "confidence": fact.confidence, "tier": fact.tier,
                                "reading": result.value.reading if result.value else ""})
