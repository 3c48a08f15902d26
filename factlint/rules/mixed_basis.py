"""One column compares dense tensor figures with sparse ones.

## What it does
Asks the knowledge base which published figure each value of a column agrees with (tables with
the same header row, one per generation under headings, count as one table). When one
product's figure agrees only with its dense tensor figure and another's only with its sparse one
(2:4 structured sparsity, NVIDIA's "with sparsity"), the column compares figures on two bases. The
finding is at each sparse figure (read without its footnote, a figure is taken as dense) and names
the product's dense figure; the dense cells are related.

## Why is this bad?
A sparse figure is twice the dense one. In a column of A100 312 TFLOPS (dense) and H100 1,979
TFLOPS (sparse) the H100 looks 6.3 times as fast as the A100, where it is 3.2 times (989 / 312),
and every ratio or total taken over the column carries the error.

## Example
| GPU | FP16 Tensor |
|-----|-------------|
| A100 | 312 TFLOPS |
| H100 | 1,979 TFLOPS |

Use instead:
| GPU | FP16 Tensor (dense) |
|-----|---------------------|
| A100 | 312 TFLOPS |
| H100 | 989 TFLOPS |

## Fix
None automatic: the author picks the basis (and says it in the header); the message gives the
product's dense figure.

## Known problems
Only figures whose basis the knowledge base establishes count: each must agree with exactly one
of its product's dense and sparse figures for the same number format. A header that states the
basis (`sparse`, `稀疏`, a `*` footnote), and a cell that marks its own (`989 TFLOPS*`), are left
to reference-mismatch.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from factlint.facts.labels import qualifiers_of
from factlint.findings import Finding, Severity
from factlint.reference.match import agrees, matched
from factlint.reference.wording import described, reference
from factlint.rules import rule

BASES = ("dense", "sparse")


@rule("mixed-basis", severity=Severity.WARNING, tags=("reference",))
def mixed_basis(doc, ctx) -> Iterator[Finding]:
    if ctx.kb is None or ctx.facts is None:
        return
    # A note often splits one table by generation under headings (`## Hopper`, `## Ampere`) with the
    # same header row: those tables are one comparison, so their columns are grouped together.
    shapes = {t.index: tuple(c.text.strip() for c in t.header) for t in doc.tables}
    columns: dict[tuple, list] = defaultdict(list)
    for fact, result in matched(ctx.facts, ctx.kb):
        basis = _basis(fact, result)
        if basis is not None:
            identity, table = fact.identity, fact.claim["table"]
            label = fact.label.text if fact.label is not None else ""
            key = (shapes.get(table, table), label, identity.attribute, identity.scope, identity.period)
            columns[key].append((fact, result, basis))
    for rows in columns.values():
        if len({fact.identity.entity for fact, _, _ in rows}) < 2:
            continue
        by_basis = {b: [r for r in rows if r[2] == b] for b in BASES}
        if not all(by_basis.values()):
            continue
        # The sparse figures are the ones to mark: read without its footnote, a figure is taken as
        # dense, so an unmarked sparse one doubles what the column says of its product.
        fewer, other = "sparse", "dense"
        others = by_basis[other]
        example = others[0][0].claim
        for fact, result, _ in by_basis[fewer]:
            claim = fact.claim
            counterpart = _counterpart(result, other)
            instead = f" ({other}: {described(counterpart)})" if counterpart is not None else ""
            message = (f"{claim['entity']}: {claim['raw']} is the {fewer} figure{instead}, but "
                       f"{example['entity']}'s {example['raw']} in the same column is {other}: the column "
                       f"mixes dense and sparse figures")
            basis_of = "; ".join(f"{f.claim['entity']} {f.claim['raw']} agrees with {r.fact.publication}'s "
                                 f"{r.fact.qualifier}" for f, r, _ in (*by_basis[fewer][:2], *others[:2]))
            yield ctx.finding(fact, message, evidence=basis_of, related=[f for f, _, _ in others],
                              reference=reference(result.fact), values=[claim["raw"], result.fact.id],
                              data={"basis": fewer, "fact": result.fact.id})


def _basis(fact, result) -> str | None:
    """`dense` or `sparse` when the figure agrees with its product's figure on one basis only."""
    if result.verdict != "agree" or result.fact is None or result.value is None:
        return None
    marks = {"dense", "sparse", "star"}
    if fact.identity.qualifiers & marks or qualifiers_of(str(fact.claim.get("raw") or "")) & marks:
        return None                     # the label or the cell (`989 TFLOPS*`) states the basis
    mine = qualifiers_of(result.fact.qualifier or "")
    basis = next((b for b in BASES if b in mine), None)
    if basis is None:
        return None
    opposite = "sparse" if basis == "dense" else "dense"
    if any(agrees(result.value, other) for other in _on_basis(result, opposite)):
        return None                     # agrees on both bases (a rounding of either): unsure
    return basis


def _counterpart(result, basis: str):
    """The product's figure on the other basis, for the same number format."""
    return next((other for other in _on_basis(result, basis) if other.is_numeric), None)


def _on_basis(result, basis: str):
    """The matched product's reference figures on `basis` for the matched figure's number format."""
    formats = qualifiers_of(result.fact.qualifier or "") - {"dense", "sparse", "tensor"}
    for other in result.candidates:
        theirs = qualifiers_of(other.qualifier or "")
        if other.entity == result.fact.entity and basis in theirs and theirs & formats:
            yield other
