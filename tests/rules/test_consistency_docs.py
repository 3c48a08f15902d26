"""The documentation of each consistency rule is executable: its Example gives a finding of that
rule and its "Use instead:" gives none (cross-document's example needs two notes: see
test_cross_document.py)."""
from __future__ import annotations


import pytest

from factlint.pipeline import check_document
from factlint.rules import load_rules
from factlint.config import Settings

RULES = ("ratio-column", "cluster-total", "system-chip", "cross-table", "sum-total", "growth-rate")


def _examples(rule_id: str) -> tuple[str, str]:
    doc = load_rules()[rule_id].doc
    example = doc.split("## Example", 1)[1].split("## Fix", 1)[0]
    failing, passing = example.split("Use instead:", 1)
    return failing.strip() + "\n", passing.strip() + "\n"


def _findings(tmp_path, rule_id: str, text: str):
    note = tmp_path / "example.md"
    note.write_text(text, encoding="utf-8")
    settings = Settings(select=(rule_id,))
    result = check_document(note, settings)
    return [f for f in result.findings if f.rule == rule_id and f.severity.value != "info"]


@pytest.mark.parametrize("rule_id", RULES)
def test_example_fails_and_use_instead_passes(tmp_path, rule_id):
    failing, passing = _examples(rule_id)
    assert _findings(tmp_path, rule_id, failing), f"{rule_id}: the Example gives no finding"
    assert not _findings(tmp_path, rule_id, passing), f"{rule_id}: 'Use instead' is still flagged"
