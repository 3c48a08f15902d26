"""A table cell holds an invisible character: a soft hyphen, a word joiner, a direction mark.

## What it does
Finds cells with invisible Unicode format characters (category Cf: U+00AD soft hyphen, U+200B–U+200F
zero widths and direction marks, U+202A–U+202E and U+2066–U+2069 bidirectional controls, U+2060
word joiner, U+FEFF). factlint reads the cell without them, as a reader sees it; this rule says
they are there.

## Why is this bad?
They are invisible in every editor and renderer, yet a plain search, a diff or another tool reads
`1⁠4nm` (with a word joiner) as `1` and `4nm`: the figure a reader checks is not the one a machine
compares, and a bidirectional control can make a cell display in another order than it is stored.
They usually arrive by copying from a web page or a PDF.

## Example
| Chip | Process |
|------|---------|
| WSE-1 | 1⁠6nm |

Use instead:
| Chip | Process |
|------|---------|
| WSE-1 | 16nm |

## Fix
Safe: the cell without its invisible characters.
"""
from __future__ import annotations

from typing import Iterator

from factlint.findings import Applicability, Finding, Fix, Severity
from factlint.normalise.units import INVISIBLE
from factlint.rules import rule

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error
_TABLE = {ord(ch): None for ch in INVISIBLE}


@rule("invisible-character", severity=Severity.WARNING, fixable=True, tags=("format",))
def invisible_character(doc, ctx) -> Iterator[Finding]:
    for claim in ctx.facts.claims:
        raw = str(claim.get("raw") or "")
        if raw.isascii():
            continue
        found = sorted({ch for ch in raw if ch in INVISIBLE})
        if not found:
            continue
        names = ", ".join(f"U+{ord(ch):04X}" for ch in found)
        clean = raw.translate(_TABLE)
        yield ctx.finding(claim, f"“{clean}” holds invisible characters ({names}); it is read as “{clean}”",
                          evidence="invisible format characters do not show, but other tools read them",
                          fix=Fix(clean, "Remove the invisible characters", Applicability.SAFE, raw),
                          values=[raw, names])
