"""A system's figures must agree with the figures of the chip it is built from.

## What it does
Finds systems that name their chip: a chip column (`| 系统 | 芯片 | 算力 |` with `WSE-2`), a
"N × chip" cell (`8× H100`, `H100 ×8`, `8 颗 H100`), or the vocabulary (CS-3 contains one
WSE-3). For each such system it compares the system's compute, memory, cores and transistors
with N × the chip's own figures stated elsewhere in the note (system memory against the chip's
on-chip, HBM or plain memory), within the precision shown. Power is not compared: a system draws
more than its chips. Figures stated for a number of nodes (cluster tables) are left to
`cluster-total`.

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

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Iterable, Iterator

from factlint.findings import Finding, Severity, more_cells
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.rules._context import claim_location
from factlint.rules._nearest import Run, nearest_in_runs
from factlint.rules._records import node_counts, variant
from factlint.rules._rows import Claim, cell_key, claim_rows, group
from factlint.rules._spans import Reading, number_fix, present, read_claim, show, show_span, text_of

# A system attribute -> the chip attributes it is N times (the first present one is preferred).
CHIP_ATTRIBUTES = {
    "compute": ("compute",),
    "memory": ("memory", "on_chip_memory", "hbm_memory"),
    "on_chip_memory": ("on_chip_memory",),
    "hbm_memory": ("hbm_memory", "memory"),
    "cores": ("cores",),
    "transistors": ("transistors",),
}
_TIMES = r"\s*(?:×|x|X|\*|颗|块|个|张|片)\s*"
_COUNT_FIRST = re.compile(r"^\s*(\d+)" + _TIMES + r"(.+?)\s*$")
_COUNT_LAST = re.compile(r"^\s*(.+?)\s*(?:×|x|X|\*)\s*(\d+)\s*$")


@dataclass(frozen=True)
class Build:
    """What a system is made of: `count` × `chip`, and where the note (or vocabulary) says so."""
    chip: str                       # entity key of the chip
    chip_name: str                  # as written
    count: int
    source: Claim | None            # the cell naming the chip; None when the vocabulary says it


class Names:
    """Entity look-ups for one run: `match_entity` scans every alias, so each text is read once."""

    def __init__(self, vocab):
        self.vocab = vocab
        self._entities: dict[str, object] = {}

    def entity(self, text: str):
        if text not in self._entities:
            self._entities[text] = self.vocab.match_entity(text) if text else None
        return self._entities[text]

    def key(self, text: str) -> str:
        """One spelling per entity: the vocabulary id, else the text without markup and spacing."""
        entity = self.entity(text)
        return norm_key(entity.id if entity else text)


def parse_build(text: str) -> tuple[str, int] | None:
    """`WSE-2` -> (WSE-2, 1); `8× H100` / `H100 x8` / `8 颗 H100` -> (H100, 8)."""
    text = text.strip()
    if not text:
        return None
    for pattern, count_group, name_group in ((_COUNT_FIRST, 1, 2), (_COUNT_LAST, 2, 1)):
        match = pattern.match(text)
        if match and match.group(name_group).strip():
            return match.group(name_group).strip(), int(match.group(count_group))
    return text, 1


@rule("system-chip", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def system_chip(doc, ctx) -> Iterator[Finding]:
    claims, names = claim_rows(ctx.claims), Names(ctx.vocab)
    counts = node_counts(claims, ctx.vocab)
    standalone = [c for c in claims if c["index"] not in counts and present(c.get("entity"))]
    systems = _systems(standalone, names)
    chips = _ChipFigures((c for c in standalone if cell_key(c) not in systems or systems[cell_key(c)][2]),
                         names)
    for key, row_claims in group(standalone, cell_key).items():
        name, _, _ = systems.get(key, (text_of(row_claims[0]["entity"]), None, True))
        build = systems[key][1] if key in systems else _from_vocabulary(name, names)
        if build is None:
            continue
        for claim in row_claims:
            finding = _compare(ctx, claim, name, build, chips, key)
            if finding is not None:
                yield finding


class _ChipFigures:
    """Every chip figure indexed by (chip, attribute, variant, unit), identical figures stated in
    several cells kept once with all their cells: a system row looks up only the few distinct
    figures of its chip, so a note that repeats a chip table N times costs N, not N²."""

    def __init__(self, claims: Iterable[Claim], names: "Names"):
        self.index: dict[tuple, dict[tuple, list[tuple[Claim, Reading]]]] = {}
        self.rows: dict[int, set[tuple]] = {}      # id(cells) -> the rows those cells are in
        self.runs: dict[int, Run] = {}             # id(cells) -> the cells with their lines
        for claim in claims:
            reading = read_claim(claim)
            if reading is None:
                continue
            key = (names.key(text_of(claim["entity"])), claim.get("attribute"), variant(claim), reading.unit)
            figure = (reading.low, reading.high, reading.tolerance, reading.bound)
            self.index.setdefault(key, {}).setdefault(figure, []).append((claim, reading))

    def figures(self, chip: str, attribute: str, measured, unit: str, row: tuple, line: int) -> list[Run]:
        """The distinct figures the chip states for `attribute`, each as the cells stating it
        outside the system's own row (`row`, on `line`)."""
        out = []
        for cells in self.index.get((chip, attribute, measured, unit), {}).values():
            run = self._run(cells)
            if row in self._rows(cells):
                run = _without_row(run, row, line)
            if run.items:
                out.append(run)
        return out

    def _rows(self, cells: list[tuple[Claim, Reading]]) -> set[tuple]:
        found = self.rows.get(id(cells))
        if found is None:
            found = self.rows[id(cells)] = {cell_key(c) for c, _ in cells}
        return found

    def _run(self, cells: list[tuple[Claim, Reading]]) -> Run:
        found = self.runs.get(id(cells))
        if found is None:
            found = self.runs[id(cells)] = Run.of(cells, key=lambda cell: cell[0]["line"])
        return found


def _without_row(run: Run, row: tuple, line: int) -> Run:
    """The run without the cells of `row`. A table row is one source line, so in a run in line
    order its cells sit together: cut them out instead of testing every cell."""
    if not run.ascending:
        return Run.of([cell for cell in run.items if cell_key(cell[0]) != row], key=lambda cell: cell[0]["line"])
    start, end = bisect_left(run.lines, line), bisect_right(run.lines, line)
    kept = [i for i in range(start, end) if cell_key(run.items[i][0]) != row]
    items = [*run.items[:start], *(run.items[i] for i in kept), *run.items[end:]]
    lines = [*run.lines[:start], *(run.lines[i] for i in kept), *run.lines[end:]]
    return Run(items, lines, True)


def _systems(rows: list[Claim], names: Names) -> dict[tuple, tuple[str, Build, bool]]:
    """(table, row) -> (system name, what it is built from, whether the row's entity is right) for
    rows that name their chip: a chip column or a `N × chip` cell. `| DGX H100 | 8x H100 |` may
    have been read as the H100 itself (its label contains the chip's name): the label is then the
    system's name and the row's entity is not the chip's."""
    known = {names.key(text_of(c["entity"])) for c in rows}
    out = {}
    for key, row_claims in group(rows, cell_key).items():
        entity = text_of(row_claims[0]["entity"])
        build = _named_chip(row_claims, names, known)
        if build is None:
            continue
        if build.chip != names.key(entity):
            out[key] = (entity, build, True)
            continue
        label = text_of(row_claims[0].get("row_label"))
        if label and norm_key(label) != build.chip:
            out[key] = (label, build, False)
    return out


def misread_rows(rows: list[Claim], vocab) -> set[tuple]:
    """Rows whose entity is the chip their own chip column names (`| DGX H100 | 8x H100 |` read
    as the H100): their figures are the system's, not the chip's."""
    return {key for key, (_, _, right) in _systems(rows, Names(vocab)).items() if not right}


def _named_chip(row_claims: list[Claim], names: Names, known: set[str]) -> Build | None:
    """The chip a row names in a chip column or a `N × chip` cell."""
    for claim in sorted(row_claims, key=lambda c: c["column"]):
        is_chip_column = claim.get("attribute") == "chip"
        parsed = parse_build(text_of(claim.get("raw")))
        if parsed is None or (not is_chip_column and parsed[1] == 1):
            continue      # outside a chip column only `N × chip` names a build
        name, count = parsed
        key, entity = names.key(name), names.entity(name)
        # A chip the vocabulary knows, or one the note itself describes in a row of its own.
        if (entity is not None and entity.kind == "chip") or key in known:
            return Build(key, name, count, claim)
    return None


def _from_vocabulary(system: str, names: Names) -> Build | None:
    """CS-3 contains one WSE-3: what the vocabulary says a system is built from."""
    entity = names.vocab.entity(system) or names.entity(system)
    if entity is not None and entity.kind == "system" and entity.contains:
        chip, count = entity.contains
        return Build(names.key(chip), chip, count, None)
    return None


def _compare(ctx, claim: Claim, system_name: str, build: Build, chips: _ChipFigures, row: tuple) -> Finding | None:
    attribute = text_of(claim.get("attribute"))
    wanted = CHIP_ATTRIBUTES.get(attribute)
    system = read_claim(claim) if wanted else None
    if system is None:
        return None
    candidates = []       # (the cells stating one chip figure, that figure × count)
    measured = variant(claim)
    for chip_attribute in wanted:
        for run in chips.figures(build.chip, chip_attribute, measured, system.unit, row, int(claim["line"])):
            candidates.append((run, run.items[0][1].span().times(build.count)))
        if candidates:
            break        # the closest attribute the chip states decides (memory before on-chip memory)
    if not candidates or any(span.meets(system.span()) for _, span in candidates):
        return None
    chip_claim, expected = candidates[0][0].items[0][0], candidates[0][1]
    where = "its chip column" if build.source is not None else "the vocabulary"
    times = f"{build.count} × " if build.count != 1 else ""
    message = (f"{system_name} {claim['column_label'] or attribute} is {claim['raw']}, but "
               f"{times}{build.chip_name} ({chip_claim['column_label'] or chip_claim['attribute']}, "
               f"line {chip_claim['line']}) makes {show(expected.mid, system.unit)}.")
    shown, left_off = nearest_in_runs([run for run, _ in candidates], int(claim["line"]))
    related = [claim_location(c, "chip figure") for c, _ in shown]
    evidence = (f"{system_name} uses {build.count} × {build.chip_name} ({where}"
                f"{', line ' + str(build.source['line']) if build.source is not None else ''}); "
                + "; ".join(f"{build.count} × {run.items[0][0]['raw']} ({_lines(run.items)}) = {show_span(s)}"
                            for run, s in candidates)
                + f"; {claim['raw']} allows {show_span(system.span())}"
                + more_cells(left_off) + ".")
    if build.source is not None:
        related.append(claim_location(build.source, "chip named"))
    return ctx.finding(claim, message, evidence=evidence, related=related, entity=system_name,
                       fix=number_fix(claim, system, [expected.mid]),
                       values=[claim["raw"], build.chip, chip_claim["raw"]],
                       data={"chip": build.chip, "count": build.count, "expected": expected.mid})


def _lines(cells: list[tuple[Claim, Reading]]) -> str:
    """`line 41`, or `line 41 and 3 more cells` for a figure the note states several times."""
    more = len(cells) - 1
    return f"line {cells[0][0]['line']}" + (f" and {more} more cell{'s' if more != 1 else ''}" if more else "")
