"""The same entity and attribute stated differently in two notes.

## What it does
Across every note checked together, compares the figures stated for the same known entity
(one in the vocabulary: WSE-3, H100, CS-3 …) and attribute, for the same node count and year,
after normalising units and within the precision each note shows. Each note's own consensus
is compared with the others'; a note whose figure shares no value with the notes that agree
is reported. Inside one note the same check is `cross-table`.

## Why is this bad?
Notes are read together: a chip that has 4.0T transistors in one note and 4.6T in another leaves
the reader with two facts, and any summary built over the corpus picks one at random.

## Example
`wse3.md`:
| 产品 | 晶体管 |
|---|---|
| WSE-3 | 4.0T |

`compare.md`:
| Chip | Transistors |
|---|---|
| WSE-3 | 4.6T |

Use instead:
`compare.md`:
| Chip | Transistors |
|---|---|
| WSE-3 | 4.0T |

## Fix
None automatic: which note is right needs the source (the `reference-mismatch` rule checks
against the sourced knowledge base).
"""
from __future__ import annotations

from typing import Iterator


from factlint.findings import Finding, Severity
from factlint.rules import rule
from factlint.rules._agreement import Statement, split
from factlint.rules._rows import claim_rows
from factlint.rules._spans import show_span, text_of
from factlint.rules.cross_table import comparable_statements, core_text, subject


@rule("cross-document", severity=Severity.WARNING, scope="corpus", tags=("consistency",))
def cross_document(results, ctx) -> Iterator[Finding]:
    claims = ctx.claims
    if claims is None or claims.empty or claims["path"].nunique() < 2:
        return
    for statements in comparable_statements(claim_rows(claims), ctx.vocab).values():
        if ctx.vocab.entity(text_of(statements[0].item[1]["entity"])) is None:
            continue      # a row label ("科研机构") means different things in different notes
        per_note = _note_statements(statements)
        result = split(per_note)
        if result is None:
            continue
        for outlier in result.outliers:
            yield _finding(ctx, outlier, result)


def _note_statements(statements: list[Statement]) -> list[Statement]:
    """One statement per note: the note's own consensus (its internal disagreements are
    cross-table's to report)."""
    by_path: dict[str, list[Statement]] = {}
    for s in statements:
        by_path.setdefault(s.order[0], []).append(s)
    out = []
    for path, own in sorted(by_path.items()):
        inner = split(own)
        core, common = (inner.core, inner.common) if inner else (tuple(own), own[0].span)
        out.append(Statement(common, (path,) + core[0].order[1:], core, weight=1.0))
    return out


def _finding(ctx, outlier: Statement, result) -> Finding:
    claims: tuple[Statement, ...] = outlier.item
    first = claims[0].item[1]
    others = [s.item[1] for note in result.core for s in note.item]
    other_paths = sorted({text_of(c["path"]) for c in others})
    said = core_text([s for note in result.core for s in note.item])
    message = (f"{subject(first)} is {first['raw']} in {first['path']}, but "
               f"{', '.join(other_paths)} {'says' if len(other_paths) == 1 else 'say'} {said}.")
    evidence = "; ".join(
        [f"{first['path']} line {first['line']}: {first['raw']} ({show_span(outlier.span, 4)})"]
        + [f"{c['path']} line {c['line']}: {c['raw']}" for c in others]
    ) + f"; the other notes allow {show_span(result.common, 4)}."
    related = [c for c in others] + [s.item[1] for s in claims[1:]]
    return ctx.finding(first, message, evidence=evidence, related=related,
                       values=[first["raw"], said], data={"agreed": said, "paths": other_paths})
