"""A system's figures must agree with the figures of the chip it is built from.

## What it does
Finds systems that name their chip: a chip column (`| 系统 | 芯片 | 算力 |` with `WSE-2`), a
"N × chip" cell (`8× H100`, `H100 ×8`, `8 颗 H100`), or the vocabulary (CS-3 contains one
WSE-3). For each such system it compares the system's compute, memory, cores and transistors
with N × the chip's own figures stated elsewhere in the note (system memory against the chip's
on-chip, HBM or plain memory), within the precision shown, and only figures of the same
qualifiers (FP16 tensor against FP16 tensor) and the chip's own variant. Power is not compared: a
system draws more than its chips. Figures stated for a number of nodes (cluster tables) are left
to `cluster-total`, and a chip figure is only one the table states for the chip itself (not a
per-node or total figure, nor a figure of a name two rows share).

## Why is this bad?
A system table copied from an older note, or a chip upgraded in one table and not the other,
leaves two figures for the same silicon: `CS-2` with `48GB` when its `WSE-2` has `40GB`.

## Example
| 产品 | 片上存储 | 算力 |
|---|---|---|
| WSE-2 | 40GB | 4 PFLOPS |

| 系统 | 芯片 | 内存 | 算力 |
|---|---|---|---|
| CS-2 | WSE-2 | 48GB | 4 PFLOPS |

Use instead:
| 产品 | 片上存储 | 算力 |
|---|---|---|
| WSE-2 | 40GB | 4 PFLOPS |

| 系统 | 芯片 | 内存 | 算力 |
|---|---|---|---|
| CS-2 | WSE-2 | 40GB | 4 PFLOPS |

## Fix
Rewrites the system's figure to N × the chip's (unsafe: the chip's figure may be the stale one).
"""
from __future__ import annotations

from typing import Iterator

from factlint.facts.intervals import Reading
from factlint.facts.model import Build, Fact, NoteFacts
from factlint.findings import Finding, Severity, more_cells
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.rules._context import claim_location
from factlint.rules._nearest import Run, nearest_in_runs
from factlint.facts.display import number_fix, show, show_span, text_of

# A system attribute -> the chip attributes it is N times (the first present one is preferred).
CHIP_ATTRIBUTES = {
    "compute": ("compute",),
    "memory": ("memory", "on_chip_memory", "hbm_memory"),
    "on_chip_memory": ("on_chip_memory",),
    "hbm_memory": ("hbm_memory", "memory"),
    "cores": ("cores",),
    "transistors": ("transistors",),
}


@rule("system-chip", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def system_chip(doc, ctx) -> Iterator[Finding]:
    facts = ctx.facts
    chips = _ChipFigures(facts)
    for table in facts.tables:
        for record, members in table.records().items():
            if record in table.node_counts or record in table.duplicated:
                continue
            build = table.builds.get(record) or _from_vocabulary(members, ctx.vocab)
            if build is None:
                continue
            name = text_of(members[0].claim.get("entity")) or build.part_name
            for fact in members:
                finding = _compare(ctx, fact, name, build, chips)
                if finding is not None:
                    yield finding


class _ChipFigures:
    """Every chip figure indexed by (chip, variant, attribute, qualifiers, unit), identical
    figures stated in several cells kept once with all their cells: a system looks up only the
    few distinct figures of its chip, so a note that repeats a chip table N times costs N, not N²."""

    def __init__(self, facts: NoteFacts):
        self.index: dict[tuple, dict[tuple, list[Fact]]] = {}
        self.runs: dict[int, Run] = {}
        for table in facts.tables:
            for f in table.facts:
                if not f.sure or f.reading is None or f.role != "value" or f.part \
                        or f.record in table.node_counts or f.identity.scope or f.identity.nodes:
                    continue
                identity, reading = f.identity, f.reading
                key = (identity.entity, identity.variant, text_of(f.claim.get("attribute")),
                       identity.qualifiers, reading.unit)
                figure = (reading.low, reading.high, reading.tolerance, reading.bound)
                self.index.setdefault(key, {}).setdefault(figure, []).append(f)

    def figures(self, chip: str, variant, attribute: str, qualifiers, unit: str) -> list[Run]:
        """The distinct figures the chip states for `attribute`, each as the cells stating it (a
        record names one thing, so none of them is in the system's own record)."""
        out = []
        for cells in self.index.get((chip, variant, attribute, qualifiers, unit), {}).values():
            run = self.runs.get(id(cells))
            if run is None:
                run = self.runs[id(cells)] = Run.of(cells, key=lambda f: f.line)
            out.append(run)
        return out


def _from_vocabulary(members: list[Fact], vocab) -> Build | None:
    """CS-3 contains one WSE-3: what the vocabulary says a system is built from."""
    entity = vocab.entity(text_of(members[0].claim.get("entity")))
    if entity is not None and entity.kind == "system" and entity.contains:
        chip, count = entity.contains
        return Build(norm_key(chip), chip, frozenset(), count, None)
    return None


def _compare(ctx, fact: Fact, system_name: str, build: Build, chips: _ChipFigures) -> Finding | None:
    if fact.role != "value" or fact.part or fact.reading is None or fact.identity is None \
            or fact.identity.scope:
        return None
    attribute = text_of(fact.claim.get("attribute"))
    wanted = CHIP_ATTRIBUTES.get(attribute)
    system: Reading | None = fact.reading if wanted else None
    if system is None:
        return None
    candidates = []       # (the cells stating one chip figure, that figure × count)
    for chip_attribute in wanted:
        for run in chips.figures(build.part, build.part_variant, chip_attribute,
                                 fact.identity.qualifiers, system.unit):
            candidates.append((run, run.items[0].reading.span().times(build.count)))
        if candidates:
            break        # the closest attribute the chip states decides (memory before on-chip memory)
    if not candidates or any(span.meets(system.span()) for _, span in candidates):
        return None
    chip_fact, expected = candidates[0][0].items[0], candidates[0][1]
    claim = fact.claim
    where = "its chip column" if build.source is not None else "the vocabulary"
    times = f"{build.count} × " if build.count != 1 else ""
    chip_label = chip_fact.claim.get("column_label") or chip_fact.claim.get("attribute")
    message = (f"{system_name} {claim['column_label'] or attribute} is {claim['raw']}, but "
               f"{times}{build.part_name} ({chip_label}, line {chip_fact.line}) makes "
               f"{show(expected.mid, system.unit)}.")
    shown, left_off = nearest_in_runs([run for run, _ in candidates], fact.line)
    related = [claim_location(c, "chip figure") for c in shown]
    source_line = f", line {build.source.line}" if build.source is not None else ""
    evidence = (f"{system_name} uses {build.count} × {build.part_name} ({where}{source_line}); "
                + "; ".join(f"{build.count} × {run.items[0].raw} ({_lines(run.items)}) = {show_span(s)}"
                            for run, s in candidates)
                + f"; {claim['raw']} allows {show_span(system.span())}"
                + more_cells(left_off) + ".")
    if build.source is not None:
        related.append(claim_location(build.source, "chip named"))
    return ctx.finding(fact, message, evidence=evidence, related=related, entity=system_name,
                       fix=number_fix(claim, system, [expected.mid]),
                       values=[claim["raw"], build.part, chip_fact.raw],
                       data={"chip": build.part, "count": build.count, "expected": expected.mid})


def _lines(cells: list[Fact]) -> str:
    """`line 41`, or `line 41 and 3 more cells` for a figure the note states several times."""
    more = len(cells) - 1
    return f"line {cells[0].line}" + (f" and {more} more cell{'s' if more != 1 else ''}" if more else "")
