"""The same entity and attribute stated differently in two notes.

## What it does
Across every note checked together, compares the figures stated for the same known entity
(one in the vocabulary: WSE-3, H100, CS-3 …) and attribute, for the same node count and year,
after normalising units and within the precision each note shows. Each note's own consensus
is compared with the others'; a note whose figure shares no value with the notes that agree
is reported, naming the first few agreeing notes and how many there are in all (a
figure a thousand notes share does not list a thousand paths). Inside one note the same check
is `cross-table`.

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

from dataclasses import dataclass
from typing import Iterator

from factlint.facts.intervals import Span
from factlint.findings import MAX_RELATED, Finding, Severity
from factlint.rules import rule
from factlint.rules._agreement import Statement, comparable_statements, split, subject
from factlint.facts.display import show_span, text_of


# A figure many notes agree on would otherwise list every one of them in each finding: the
# message names a few, the evidence and related cells a few more, and says how many there are.
NAMED_IN_MESSAGE = 3
LISTED = MAX_RELATED
# What a finding needs of a claim; the corpus step holds these for every note at once.
KEPT_FIELDS = ("path", "table", "row", "column", "line", "column_label", "raw", "entity", "attribute")


def note_statements(doc, ctx) -> list[tuple[tuple, Statement]]:
    """The per-note step: for each fact the note states about a vocabulary entity, the note's
    own consensus as one statement (its internal disagreements are cross-table's to report)."""
    out = []
    for key, statements in comparable_statements(ctx.facts).items():
        first = statements[0].item
        if ctx.vocab.entity(text_of(first.claim.get("entity"))) is None:
            continue      # a row label ("科研机构") means different things in different notes
        said = subject(first)
        slim = [Statement(s.span, s.order, (s.item.index, _kept(s.item.claim, said), None)) for s in statements]
        out.append((key, _consensus(slim)))
    return out


@rule("cross-document", severity=Severity.WARNING, scope="corpus", tags=("consistency",),
      collect=note_statements)
def cross_document(results, ctx) -> Iterator[Finding]:
    """`ctx.claims`: every note's (key, statement) pairs from `note_statements`."""
    by_fact: dict[tuple, list[Statement]] = {}
    for key, statement in ctx.claims or ():
        by_fact.setdefault(key, []).append(statement)
    for per_note in by_fact.values():
        if len({s.order[0] for s in per_note}) < 2:
            continue
        result = split(per_note)
        if result is None:
            continue
        if result.outliers:
            agreed = _Agreed.of(result)
            for outlier in result.outliers:
                yield _finding(ctx, outlier, agreed)


def _kept(claim: dict, said: str) -> dict:
    return {**{k: claim.get(k) for k in KEPT_FIELDS}, "subject": said}


def core_text(statements) -> str:
    return " / ".join(sorted({text_of(s.item[1]["raw"]) for s in statements}))


def _consensus(own: list[Statement]) -> Statement:
    inner = split(own)
    core, common = (inner.core, inner.common) if inner else (tuple(own), own[0].span)
    return Statement(common, core[0].order, core, weight=1.0)


@dataclass(frozen=True)
class _Agreed:
    """What the notes that agree say, worked out once for all the outliers of one fact (a fact
    stated in thousands of notes must not be walked again for each note that differs)."""
    said: str
    paths: tuple[str, ...]        # every agreeing note
    cells: tuple[dict, ...]       # the first LISTED of their cells
    cell_count: int
    common: Span

    @classmethod
    def of(cls, result) -> "_Agreed":
        statements = [s for note in result.core for s in note.item]
        cells = [s.item[1] for s in statements]
        return cls(core_text(statements), tuple(sorted({text_of(c["path"]) for c in cells})),
                   tuple(cells[:LISTED]), len(cells), result.common)


def _finding(ctx, outlier: Statement, agreed: _Agreed) -> Finding:
    claims: tuple[Statement, ...] = outlier.item
    first = claims[0].item[1]
    paths = agreed.paths
    named = ", ".join(paths[:NAMED_IN_MESSAGE])
    if len(paths) > NAMED_IN_MESSAGE:
        named += f" and {len(paths) - NAMED_IN_MESSAGE} other notes"
    message = (f"{first['subject']} is {first['raw']} in {first['path']}, but "
               f"{named} {'says' if len(paths) == 1 else 'say'} {agreed.said}.")
    listed = [f"{c['path']} line {c['line']}: {c['raw']}" for c in agreed.cells]
    if agreed.cell_count > LISTED:
        listed.append(f"{agreed.cell_count - LISTED} more cells in {len(paths)} notes in all")
    evidence = "; ".join(
        [f"{first['path']} line {first['line']}: {first['raw']} ({show_span(outlier.span, 4)})"]
        + listed) + f"; the other notes allow {show_span(agreed.common, 4)}."
    related = list(agreed.cells) + [s.item[1] for s in claims[1:]]
    return ctx.finding(first, message, evidence=evidence, related=related,
                       values=[first["raw"], agreed.said],
                       data={"agreed": agreed.said, "paths": list(paths[:LISTED]),
                             "agreeing_notes": len(paths)})
