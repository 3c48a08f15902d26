"""The first real note, end to end: what issues 3 and 4 say must and must not be flagged.

This reads data/raw/ on purpose (it is the acceptance test of the real input); rule tests
use their own YAML cases.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from factlint.gate import run_check
from factlint.pipeline import check_document

NOTE = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"
PLOPS_LINES = [39, 40, 41, 42, 64, 74, 75, 76, 82, 83, 95, 138, 148, 183]


@pytest.fixture(scope="module")
def result():
    return check_document(NOTE)


def _at(result, rule, line=None, min_severity="info"):
    ranks = {"info": 1, "warning": 2, "error": 3}
    return [f for f in result.findings if f.rule == rule and (line is None or f.location.line == line)
            and ranks[f.severity.value] >= ranks[min_severity]]


def test_no_rule_crashes(result):
    assert not [f.message for f in result.findings if "crashed" in f.message]


def test_every_plops_is_a_unit_spelling_warning_with_fix(result):
    found = _at(result, "unit-spelling")
    lines = sorted({f.location.line for f in found})
    assert lines == PLOPS_LINES
    for f in found:
        assert f.severity.value == "warning"
        assert f.fix is not None and "PFLOPS" in f.fix.replacement and "PLOPS" not in f.fix.replacement


def test_andromeda_total_contradicts_cluster_table(result):
    found = _at(result, "cluster-total", 95, "error")
    assert found, [(f.location.line, f.message) for f in _at(result, "cluster-total")]
    related = {loc.line for f in found for loc in f.related}
    assert 94 in related and related & {82, 83, 84}


def test_jax_supported_but_in_development(result):
    assert _at(result, "status-contradiction", 127, "warning")


@pytest.mark.parametrize("line", [51, 62, 185, 60, 61, 141, 84, 169, 170, 171, 172, 161, 162, 163, 74, 75])
def test_consistent_figures_are_not_flagged(result, line):
    noisy = [f for f in result.findings if f.location.line == line
             and f.severity.value in ("error", "warning")
             and f.rule not in ("unit-spelling", "reference-mismatch", "attribute-confusion", "undisclosed")]
    assert not noisy, [(f.rule, f.message) for f in noisy]


def test_gate_exit_code_reflects_errors(tmp_path):
    outcome = run_check([NOTE])
    assert any(f.severity.value == "error" for f in outcome.findings)


# --- mutations: each one must be caught on the line that was changed ---------------------
MUTATIONS = [
    ("ratio", "| **面积** | 46225mm² | 814mm² | 57x |", "| **面积** | 46225mm² | 814mm² | 75x |",
     "ratio-column", 60),
    ("total", "| **128 节点** | 1 EFLOPS | 超大模型 |", "| **128 节点** | 3 EFLOPS | 超大模型 |",
     "cluster-total", 84),
    ("share", "| **药企** | 20% | 药物发现 |", "| **药企** | 25% | 药物发现 |", "sum-total", 171),
    ("system memory", "| **CS-2** | WSE-2 | 4 PLOPS | 40GB | 20kW | 2021 |",
     "| **CS-2** | WSE-2 | 4 PLOPS | 48GB | 20kW | 2021 |", "system-chip", 74),
    ("growth", "| **2025** | $0.5B | +100% | 100+ |", "| **2025** | $0.5B | +150% | 100+ |",
     "growth-rate", 162),
    ("unit", "| **功耗** | 15kW | TDP |", "| **功耗** | 15KW | TDP |", "unit-spelling", 54),
]


@pytest.mark.parametrize("what,old,new,rule,line", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutation_is_caught_on_its_line(tmp_path, what, old, new, rule, line):
    text = NOTE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    mutated = tmp_path / "mutated.md"
    mutated.write_text(text.replace(old, new), encoding="utf-8")
    before = {(f.rule, f.location.line, f.message) for f in check_document(NOTE).findings}
    after = check_document(mutated).findings
    new_findings = [f for f in after if (f.rule, f.location.line, f.message) not in before
                    and f.rule == rule and f.severity.value in ("error", "warning")]
    if what == "share":
        # sum-total reports the column once (at its last share, line 172) with every part related.
        assert any(line in {f.location.line, *(loc.line for loc in f.related)} for f in new_findings), \
            [(f.rule, f.location.line, f.message) for f in after if f.rule == rule]
        return
    assert any(f.location.line == line for f in new_findings), \
        [(f.rule, f.location.line, f.message) for f in after if f.rule == rule]
