"""An interface version or link width that the standard does not have (`PCI-Express 54.0 x16`).

## What it does
Looks for cells naming an interface standard with a version (`PCIe 4.0 x16`, `PCI-Express Gen5`,
`CXL 3.1`) and checks them against the standard's published versions and lane counts
(factlint/vocab/standards.yaml). It reports:
- a version far beyond the newest published or announced one (`PCIe 54.0`: PCIe has 1.0 to 8.0),
  with the published versions one keystroke away as the likely meant ones;
- a link width the standard does not define (`PCIe 4.0 x61`).
A version just past the newest (`PCIe 9.0` in a roadmap) is left alone, and so is any number that
carries a unit (`PCIe 128 GB/s` is a bandwidth) or is not written as a version (`PCIe 16`).

## Why is this bad?
The cell reads as a real interface, so nobody looks twice, but it names hardware that does not
exist. It is almost always a slip of the keyboard (`54.0` for `4.0`), and a reader choosing a
server or a riser from the table is misled about what the card needs.

## Example
| 型号 | NVIDIA L40S | NVIDIA L40 |
|---|---|---|
| 总线接口 | PCI-Express 4.0 x16 | PCI-Express 54.0 x16 |

Use instead:
| 型号 | NVIDIA L40S | NVIDIA L40 |
|---|---|---|
| 总线接口 | PCI-Express 4.0 x16 | PCI-Express 4.0 x16 |

## Fix
When exactly one published version is one keystroke away (a digit added, dropped or swapped), the
cell's version is replaced by it (unsafe: the author should confirm); with several candidates the
finding names them and offers no fix.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from factlint.findings import Applicability, Finding, Fix, Location, Severity
from factlint.normalise.units import _edit_distance
from factlint.rules import rule

STANDARDS_PATH = Path(__file__).resolve().parent.parent / "vocab" / "standards.yaml"
OPTIONS: dict = {}
# After the version: a unit means the number is a rate or a size, not a version.
_NOT_A_VERSION = r"(?![\d.])(?!\s*(?:[kMGT]?(?:B|b|T)/s|GT/s|[kMGT]?B\b|W\b|GHz|MHz))"


@dataclass(frozen=True)
class Standard:
    name: str
    pattern: re.Pattern
    versions: tuple[str, ...]
    lanes: frozenset[int]
    newest_major: int


@functools.cache
def standards(path: Path = STANDARDS_PATH) -> tuple[tuple[Standard, ...], int]:
    """The standards and the headroom, validated by schemas/standards.py (a bad file: exit 2).
    Rows that certainly pass it (schemas/standards_rows.py) skip pandera, which a one-note
    check on a warm cache never imports; the others go to pandera, which names the failure."""
    import yaml

    from schemas.standards_rows import COLUMNS, rows_certainly_pass

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = data.get("standards") or []
    if not rows_certainly_pass(rows):
        import pandas as pd

        from factlint.normalise.vocab import _validate
        from schemas.standards import StandardsSchema

        _validate(pd.DataFrame(rows, columns=list(COLUMNS)), StandardsSchema, path)
    found = []
    for row in rows:
        pattern = re.compile(
            rf"(?<![A-Za-z])(?P<std>{row['names']})\s*"
            rf"(?:(?:Gen|第)\s*(?P<gen>\d+)|(?P<ver>\d+\.\d+)){_NOT_A_VERSION}"
            rf"(?:\s*代)?(?:\s*[x×]\s*(?P<lanes>\d+)(?![\d.]))?", re.IGNORECASE)
        versions = tuple(row["versions"])
        found.append(Standard(row["name"], pattern, versions, frozenset(row["lanes"] or ()),
                              max(int(v.split(".")[0]) for v in versions)))
    return tuple(found), int(data.get("headroom", 2))


def likely_meant(version: str, versions: tuple[str, ...]) -> list[str]:
    """Published versions one keystroke from the written one (`54.0` -> 4.0, 5.0)."""
    return [v for v in versions if _edit_distance(version, v) == 1]


@rule("unknown-version", severity=Severity.WARNING, fixable=True, tags=("format",))
def unknown_version(doc, ctx) -> Iterator[Finding]:
    known, headroom = standards()
    # Every body cell, not only the claims: a cell such as `PCIe Gen5 x61` may be read as a row's name.
    claims = {(int(c["line"]), int(c["column"])): c for c in ctx.facts.claims if c.get("column") is not None}
    for table in doc.tables:
        for index, row in enumerate(table.rows):
            for cell in row.cells:
                if not any(ch.isdigit() for ch in cell.text):
                    continue
                matches = [(standard, m) for standard in known for m in standard.pattern.finditer(cell.text)]
                if not matches:     # most cells: no location is built, so a big table stays linear
                    continue
                at = claims.get((row.line, cell.column)) or _location(doc, table, index, row, cell)
                for standard, m in matches:
                    yield from _judge(ctx, at, cell.text, standard, m, headroom)


def _location(doc, table, index: int, row, cell) -> Location:
    header = table.header[cell.column].text if cell.column < len(table.header) else None
    return Location(path=doc.path, line=row.line, table=table.index, row=index,
                    column=header, column_index=cell.column, text=cell.text)


def _judge(ctx, at, raw: str, standard: Standard, m: re.Match, headroom: int) -> Iterator[Finding]:
    written = m.group("ver") or f"{m.group('gen')}.0"
    major = int(written.split(".")[0])
    if major > standard.newest_major + headroom:
        meant = likely_meant(written, standard.versions) if m.group("ver") else []
        shown = raw[m.start():m.end("ver") if m.group("ver") else m.end("gen")]
        hint = f"; did you mean {' or '.join(meant)}?" if meant else ""
        fix = None
        if len(meant) == 1:
            fixed = raw[:m.start("ver")] + meant[0] + raw[m.end("ver"):]
            fix = Fix(fixed, f"Replace `{written}` with `{meant[0]}`", Applicability.UNSAFE, raw)
        yield ctx.finding(
            at, f"{shown} in “{raw}” is no {standard.name} version (published: "
                   f"{standard.versions[0]} to {standard.versions[-1]}){hint}",
            evidence=f"{standard.name} versions: {', '.join(standard.versions)}", fix=fix,
            values=[raw, written], data={"standard": standard.name, "version": written, "meant": meant})
    lanes = m.group("lanes")
    if lanes and standard.lanes and int(lanes) not in standard.lanes:
        widths = ", ".join(f"x{n}" for n in sorted(standard.lanes))
        yield ctx.finding(
            at, f"x{lanes} in “{raw}” is no {standard.name} link width ({widths})",
            evidence=f"{standard.name} link widths: {widths}", values=[raw, f"x{lanes}"],
            data={"standard": standard.name, "lanes": int(lanes)})
