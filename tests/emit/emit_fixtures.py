"""A small fixed report for the emitter tests: two notes (one with a space and CJK in its path),
a clean note, an unreadable one, and findings that exercise every part of the model (related
cells, fixes, references, escaping hazards). Built by hand so a change elsewhere in the pipeline
cannot move a snapshot."""
from __future__ import annotations

import os
import difflib
from pathlib import Path

import pandas as pd
import pytest

from factlint.document import Cell, Document, Row, Table
from factlint.emit import Report
from factlint.findings import Applicability, Finding, Fix, Location, Reference, Severity
from factlint.pipeline import DocumentResult
from factlint.rules import RuleSpec

SNAPSHOTS = Path(__file__).parent / "__snapshots__"

CLUSTER = "notes/集群 clusters.md"
CHIPS = "notes/chips.md"
CLEAN = "notes/clean.md"
BROKEN = "notes/broken.md"

CLUSTER_NOTE = """# 集群规格

| 集群 | 节点 | 每节点 | 总算力 |
|------|------|--------|--------|
| **Andromeda** | 16 | 8 PFLOPS | 64 PLOPS |
| Condor \\| Galaxy | 64 | 8 PFLOPS | 512 PFLOPS |
"""

CHIPS_NOTE = """# Chips

| Chip | Process | Power |
|---|---|---|
| WSE-3 | 5nm | 23 kw |
"""


def _cells(*texts: str, raws: tuple[str, ...] = ()) -> tuple[Cell, ...]:
    raws = raws or texts
    return tuple(Cell(raw, text, i) for i, (raw, text) in enumerate(zip(raws, texts)))


def cluster_document() -> Document:
    table = Table(
        index=1, heading=("集群规格",), header_line=3, end_line=6,
        header=_cells("集群", "节点", "每节点", "总算力"),
        rows=(Row(5, _cells("Andromeda", "16", "8 PFLOPS", "64 PLOPS",
                            raws=("**Andromeda**", "16", "8 PFLOPS", "64 PLOPS"))),
              Row(6, _cells("Condor | Galaxy", "64", "8 PFLOPS", "512 PFLOPS",
                            raws=("Condor \\| Galaxy", "64", "8 PFLOPS", "512 PFLOPS")))),
    )
    return Document(path=CLUSTER, text=CLUSTER_NOTE, encoding="utf-8", sha256="a" * 64,
                    title="集群规格", tables=(table,))


def chips_document() -> Document:
    table = Table(index=1, heading=("Chips",), header_line=3, end_line=5,
                  header=_cells("Chip", "Process", "Power"),
                  rows=(Row(5, _cells("WSE-3", "5nm", "23 kw")),))
    return Document(path=CHIPS, text=CHIPS_NOTE, encoding="utf-8", sha256="b" * 64,
                    title="Chips", tables=(table,))


def clean_document() -> Document:
    return Document(path=CLEAN, text="# Nothing to see\n", encoding="utf-8", sha256="c" * 64)


def claims(n: int) -> pd.DataFrame:
    return pd.DataFrame({"path": ["x"] * n})


def results() -> list[DocumentResult]:
    return [
        DocumentResult(CLUSTER, "a" * 64, cluster_document(), claims(8)),
        DocumentResult(CHIPS, "b" * 64, chips_document(), claims(3)),
        DocumentResult(CLEAN, "c" * 64, clean_document(), claims(0)),
        DocumentResult(BROKEN, "", None, claims(0), error="not valid UTF-8, GB18030 or UTF-16"),
    ]


def findings() -> list[Finding]:
    total = Location(CLUSTER, 5, table=1, row=0, column="总算力", text="64 PLOPS")
    return [
        Finding(
            "cluster-total", Severity.ERROR,
            "总算力 64 PLOPS is not 16 nodes × 8 PFLOPS = 128 PFLOPS.", total,
            related=(Location(CLUSTER, 5, 1, 0, "节点", role="node count", text="16"),
                     Location(CLUSTER, 5, 1, 0, "每节点", role="per-node figure", text="8 PFLOPS")),
            entity="andromeda", attribute="total_compute",
            evidence="16 nodes × 8 PFLOPS (line 5) = 128 PFLOPS, but the table says 64",
            fix=Fix("128 PFLOPS", "Replace `64 PLOPS` with `128 PFLOPS`", Applicability.UNSAFE,
                    original="64 PLOPS"),
            fingerprint="0c1a55e7f00d0001", data={"expected": 128.0, "stated": 64.0}),
        Finding(
            "unit-spelling", Severity.WARNING, "`PLOPS` is not a unit; did you mean `PFLOPS`?",
            Location(CLUSTER, 5, 1, 0, "总算力", text="64 PLOPS"),
            fix=Fix("64 PFLOPS", "Replace `PLOPS` with `PFLOPS`", Applicability.SAFE,
                    original="64 PLOPS"),
            fingerprint="0c1a55e7f00d0002"),
        Finding(
            "cross-table", Severity.ERROR, "Condor | Galaxy is stated as 512 PFLOPS here; "
            "line 12 of another table says 2 EFLOPS.",
            Location(CLUSTER, 6, 1, 1, "总算力", text="512 PFLOPS"),
            related=(Location(CHIPS, 5, 1, 0, "Power", role="other statement", text="23 kw"),),
            fingerprint="0c1a55e7f00d0003"),
        Finding(
            "reference-mismatch", Severity.WARNING,
            "WSE-3 power 23 kw differs from the cited 15 kW (x1.53); 50%, a, b: c.",
            Location(CHIPS, 5, 1, 0, "Power", text="23 kw"),
            entity="wse-3", attribute="power",
            reference=Reference(publication="Cerebras CS-3 datasheet", url="https://example.org/cs3",
                                quote="peak power 23 kW", date="2024-03-13", confidence="high",
                                value="23 kW"),
            fingerprint="0c1a55e7f00d0004"),
        Finding(
            "unparsed-number", Severity.INFO,
            "Cell <script>alert(1)</script> could not be read as a number\r\nsecond line.",
            Location(CHIPS, 3, 1, None, "Process", text="Process"),
            fingerprint="0c1a55e7f00d0005"),
        Finding("malformed-input", Severity.ERROR,
                f"cannot read {BROKEN}: not valid UTF-8, GB18030 or UTF-16",
                Location(BROKEN, 1), attribute="unreadable", fingerprint="0c1a55e7f00d0006"),
    ]


def report(**extra) -> Report:
    return Report(findings(), results(), **extra)


def _noop(doc, ctx):
    return iter(())


def fake_registry() -> dict[str, RuleSpec]:
    """A fixed rule table, so the SARIF snapshot does not change whenever a rule is added."""
    doc = ("Node count × per-node figure must equal the stated total.\n\n## What it does\n"
           "Multiplies the node count by the per-node figure.\n\n## Fix\nNone automatic.")
    return {
        "cluster-total": RuleSpec("cluster-total", Severity.ERROR, doc.splitlines()[0], doc,
                                  False, "document", ("consistency",), _noop),
        "unit-spelling": RuleSpec("unit-spelling", Severity.WARNING, "A misspelt unit.",
                                  "A misspelt unit.\n\nPLOPS for PFLOPS.", True, "document",
                                  ("format",), _noop),
    }


def normalise(text: str) -> str:
    """Volatile parts out of a snapshot: the tool's version."""
    from factlint import __version__

    return text.replace(f'"{__version__}"', '"<version>"')


def assert_snapshot(name: str, text: str) -> None:
    """Compare with tests/emit/__snapshots__/<name>; FACTLINT_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("FACTLINT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"no snapshot {path.name}; run with FACTLINT_UPDATE_SNAPSHOTS=1 and review it")
    expected = path.read_bytes().decode("utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                            f"{name} (snapshot)", f"{name} (now)"))
        pytest.fail(f"{name} differs from its snapshot (FACTLINT_UPDATE_SNAPSHOTS=1 to accept):\n"
                    f"{diff}")
