"""A numeric value has nothing in the reference knowledge base to be checked against.

## What it does
Reports, at info level, each numeric value that names a known entity (one of the vocabulary's
products, systems, models or companies, not a bare row label) and an attribute for which the
reference knowledge base holds no applicable fact (no fact at all, none for that period, or none
in a comparable unit). Together with `factlint refs` it shows how much of a note was checked.

## Why is this bad?
It is not: an unverified value may well be right. It marks where the fact check stops, so a
reviewer knows which figures still rest on the note alone.

## Example
| 产品 | 功耗 |
|------|------|
| TPU v5p | 450W |

Use instead:
| 产品 | 算力 |
|------|------|
| TPU v5p | 459 TFLOPS |

## Fix
None: add a cited fact to `data/reference/` (through the curation file) if one exists.
"""
from __future__ import annotations

from typing import Iterator

from factlint.findings import Finding, Severity
from factlint.reference.match import claims_with_verdict, is_known_entity
from factlint.reference.wording import attribute_words
from factlint.rules import rule


@rule("unverified", severity=Severity.INFO, tags=("reference",))
def unverified(doc, ctx) -> Iterator[Finding]:
    for claim, result in claims_with_verdict(ctx, "no_reference"):
        if result.value is None or not result.value.is_numeric:
            continue
        if not is_known_entity(claim["entity"], ctx.vocab, ctx.kb):
            continue
        message = (f"{claim['entity']} {attribute_words(claim['attribute'])} {claim['raw']}: "
                   f"no reference value to check it against")
        yield ctx.finding(claim, message, evidence=result.note, values=[claim["raw"]])
