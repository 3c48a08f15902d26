"""Issue 4's acceptance on the first real note: what the reference checks must and must not flag.

Reads data/raw/ on purpose (the real input), like tests/acceptance; it needs the whole pipeline."""
from __future__ import annotations

from pathlib import Path

import pytest

from factlint.pipeline import check_document

NOTE = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"
REFERENCE_RULES = ("reference-mismatch", "attribute-confusion", "undisclosed")

FLAGGED = [
    # line, column, referenced value, fix
    (39, "制程", "16 nm", "16nm"),                          # WSE-1 14nm
    (41, "片上存储", "44 GB", "44GB"),                      # WSE-3 80GB, every place the note says it
    (52, "规格", "44 GB", "44GB"),
    (63, "WSE-3", "44 GB", "44GB"),
    (75, "内存", "44 GB", "44GB"),                          # CS-3
    (139, "Cerebras", "44 GB", "44GB"),
    (149, "Cerebras", "44 GB", "44GB"),
    (41, "算力", "125 PFLOPS", "125 PFLOPS"),               # WSE-3 / CS-3 8 PLOPS
    (64, "WSE-3", "125 PFLOPS", "125 PFLOPS"),
    (75, "算力", "125 PFLOPS", "125 PFLOPS"),
    (138, "Cerebras", "125 PFLOPS", "125 PFLOPS"),
    (148, "Cerebras", "125 PFLOPS", "125 PFLOPS"),
    (183, "数值", "125 PFLOPS", "125 PFLOPS"),
    (148, "TPU v5p", "459 TFLOPS", "459 TFLOPS"),           # TPU v5p 2 PLOPS and 128 GB
    (149, "TPU v5p", "95 GB", "95GB"),
    (94, "规格", "16", "16"),                               # Andromeda: 16-64 nodes, compute, network
    (95, "规格", "120 PFLOPS", "120 PFLOPS"),
    (97, "规格", "Cerebras SwarmX fabric + 100 GbE", "Cerebras SwarmX fabric + 100 GbE"),
]
NOT_FLAGGED = [
    (41, "晶体管"), (50, "规格"), (62, "WSE-3"), (182, "数值"),  # 4.0T transistors
    (51, "规格"),                                            # 900,000 cores
    (53, "规格"),                                            # 21 PB/s
    (49, "规格"), (60, "WSE-3"), (184, "数值"),                # 46225 mm²
    (60, "H100"), (61, "H100"), (62, "H100"), (139, "H100"),  # H100 814 mm², 80B, 16896 cores, 80 GB HBM
]


@pytest.fixture(scope="module")
def findings():
    result = check_document(NOTE)
    assert result.error is None
    return [f for f in result.findings if f.rule in REFERENCE_RULES + ("unverified",)]


@pytest.mark.parametrize("line,column,value,fix", FLAGGED, ids=[f"{f[0]}-{f[1]}" for f in FLAGGED])
def test_flagged_with_citation(findings, line, column, value, fix):
    found = [f for f in findings if (f.location.line, f.location.column) == (line, column)
             and f.rule == "reference-mismatch"]
    assert len(found) == 1, [(f.rule, f.message) for f in findings if f.location.line == line]
    finding = found[0]
    assert finding.severity.value == "error"
    assert finding.reference.value == value
    assert finding.reference.url.startswith("https://") and finding.reference.quote
    assert finding.reference.publication in finding.message
    assert finding.fix.replacement == fix


@pytest.mark.parametrize("line,column", NOT_FLAGGED, ids=[f"{n[0]}-{n[1]}" for n in NOT_FLAGGED])
def test_right_figures_are_not_flagged(findings, line, column):
    assert not [f.message for f in findings if (f.location.line, f.location.column) == (line, column)]


def test_the_misspelt_unit_is_read_and_said(findings):
    finding = next(f for f in findings if (f.location.line, f.location.column) == (41, "算力"))
    assert "reading PLOPS as PFLOPS" in finding.evidence


def test_h100_hbm_under_on_chip_memory_is_a_confusion_not_an_error(findings):
    at = [(f.rule, f.severity.value) for f in findings if (f.location.line, f.location.column) == (63, "H100")]
    assert at == [("attribute-confusion", "warning")]


def test_unannounced_and_undisclosed_are_warnings(findings):
    undisclosed = {(f.location.line, f.location.column) for f in findings if f.rule == "undisclosed"}
    assert {(105, "参数"), (54, "规格"), (42, "制程"), (76, "算力")} <= undisclosed
    assert all(f.severity.value == "warning" for f in findings if f.rule == "undisclosed")
