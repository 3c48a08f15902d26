"""A figure labelled per SM, per core or per link is the whole chip's.

## What it does
Takes each figure whose label says it is for one part of a chip (`L2缓存容量(每SM)`, `Bandwidth per
link`, `Cache per core`) and asks the knowledge base about the chip as a whole. When the figure
agrees with the chip's own published figure for that attribute, the label's "per part" is wrong:
the value is the total, not one part's share.

## Why is this bad?
Read as labelled, the chip would hold the figure once per part: 50 MB of L2 per SM on a GPU with
132 SMs is 6.6 GB of L2, more than a hundred times what it has. Anything computed from the row
(totals, per-part comparisons) inherits the error.

## Example
| 参数 | H100 SXM5 |
|------|-----------|
| L2缓存容量(每SM) | 50MB |

Use instead:
| 参数 | H100 SXM5 |
|------|-----------|
| L2缓存容量 | 50MB |

## Fix
None automatic: either the label loses its "per part" or the value becomes one part's share; only
the author knows which was meant.

## Known problems
Only chips the knowledge base knows, and figures that agree with a whole-chip fact that is not
itself stated per part, are checked. Figures per node, per GPU or per system are other rules'
business (a cluster's per-node figure is its node system's).
"""
from __future__ import annotations

from typing import Iterator

from factlint.facts.labels import scope_of
from factlint.findings import Finding, Severity
from factlint.reference.match import match_fact
from factlint.reference.wording import attribute_words, citation, described, reference
from factlint.rules import rule

# Parts of a chip: a figure for one of them is a fraction of the chip's.
PART_SCOPES = {"sm": "SM", "core": "core", "link": "link"}


@rule("whole-as-part", severity=Severity.WARNING, tags=("reference",))
def whole_as_part(doc, ctx) -> Iterator[Finding]:
    if ctx.kb is None or ctx.facts is None:
        return
    # One finding per label: the label is what is wrong, once, however many products share it.
    by_label: dict[tuple, list] = {}
    for fact in ctx.facts.facts:
        whole = _whole_figure(fact, ctx.kb)
        if whole is not None:
            by_label.setdefault((fact.claim["table"], fact.label.text), []).append((fact, whole))
    for group in by_label.values():
        fact, whole = group[0]
        claim, part = fact.claim, PART_SCOPES[fact.identity.scope]
        more = f" (and {len(group) - 1} more figures of this label)" if len(group) > 1 else ""
        message = (f"{claim['entity']} {attribute_words(claim['attribute'])} per {part}: {claim['raw']} is the "
                   f"whole chip's figure ({citation(whole)}: {described(whole)}), not one {part}'s{more}")
        evidence = "; ".join(f"{f.claim['entity']} {f.claim['raw']} = {w.value_text()} {w.unit} for the whole "
                             f"chip ({w.publication})" for f, w in group[:6])
        yield ctx.finding(fact, message, reference=reference(whole), values=[claim["raw"], whole.id],
                          related=[f for f, _ in group[1:]],
                          evidence=f"the label `{fact.label.text}` states them per {part}; {evidence}",
                          data={"fact": whole.id, "scope": fact.identity.scope, "figures": len(group)})


def _whole_figure(fact, kb):
    """The knowledge base's whole-chip fact a per-part figure agrees with, or None."""
    identity = fact.identity
    if identity is None or identity.scope not in PART_SCOPES or not fact.sure or fact.part \
            or fact.role != "value" or not fact.claim.get("entity") or not fact.claim.get("attribute"):
        return None
    if fact.label is None or scope_of(fact.label.text) != identity.scope:
        return None                     # the part is not what the label itself says (`SM(CU)数` counts SMs)
    result = match_fact(fact, kb)
    whole = result.fact if result is not None else None
    if whole is None or result.verdict != "agree" or whole.derived or scope_of(whole.qualifier or ""):
        return None
    return whole
