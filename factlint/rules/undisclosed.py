"""The note gives a value the reference says was never disclosed or announced.

## What it does
Flags values for facts the reference knowledge base marks `not_disclosed` (GPT-4's parameter
count, the WSE-3's chip power) or `not_announced` (WSE-4 and CS-4 specifications as of the
sources). Leaks or rumours of no higher confidence do not make such a value supported; they are
named in the evidence. A cell that itself says its value is a leak or an estimate ("~1.8T
(leaked)", "估计 1T") is honest about it and is not flagged.

## Why is this bad?
A number stated for something nobody has published is a guess presented as a fact. It is not
necessarily wrong, but a reader cannot check it and the note gives no source.

## Example
| 模型 | 参数 |
|------|------|
| GPT-4 | 1T |

Use instead:
| 模型 | 参数 |
|------|------|
| GPT-4 | 未公布 |

## Fix
None automatic: mark the value as an estimate with its source, or write that it is undisclosed.
"""
from __future__ import annotations

import re
from typing import Iterator

from factlint.findings import Finding, Severity
from factlint.reference.match import claims_with_verdict
from factlint.reference.wording import attribute_words, evidence, reference
from factlint.rules import rule

HEDGE = re.compile(r"leak|rumou?r|estimat|unofficial|reportedly|unconfirmed|传闻|传言|泄露|估计|估算|非官方|未证实|据传",
                   re.IGNORECASE)


@rule("undisclosed", severity=Severity.WARNING, tags=("reference",))
def undisclosed(doc, ctx) -> Iterator[Finding]:
    for claim, result in claims_with_verdict(ctx, "undisclosed"):
        if HEDGE.search(str(claim.get("raw") or "")):
            continue      # the note itself says the value is a leak or an estimate
        fact = result.fact
        when = f"as of {fact.as_of}" if fact.as_of else "in the sources"
        message = (f"{claim['entity']} {attribute_words(claim['attribute'])}: the note gives {claim['raw']}, "
                   f"but it is {fact.status.replace('_', ' ')} {when} ({fact.publication}"
                   f"{': ' + fact.qualifier if fact.qualifier else ''})")
        yield ctx.finding(claim, message, evidence=evidence(result), reference=reference(fact),
                          values=[claim["raw"], fact.id], data={"fact": fact.id, "status": fact.status})
