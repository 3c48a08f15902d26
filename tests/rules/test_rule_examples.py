"""Each rule's documentation is executable: its Example gives a finding of that rule and its
"Use instead:" gives none (cross-document's example needs two notes: see test_cross_document.py;
the reference rules' examples are tested in tests/reference)."""
from __future__ import annotations

import pytest

from factlint.config import Settings
from factlint.pipeline import check_document
from factlint.rules import load_rules

# The consistency rules may add an info finding to either table (growth-rate names the value a
# first year's growth implies): only warnings and errors count for them.
CONSISTENCY_RULES = ("ratio-column", "cluster-total", "system-chip", "cross-table", "sum-total", "growth-rate")
# The unit, format and trend rules: a finding at any severity counts.
UNIT_AND_TREND_RULES = ("unit-spelling", "dimension", "range-order", "unparsed-number",
                        "status-contradiction", "forecast", "generation-trend")
CASES = [(r, False) for r in CONSISTENCY_RULES] + [(r, True) for r in UNIT_AND_TREND_RULES]


def _examples(rule_id: str) -> tuple[str, str]:
    example = load_rules()[rule_id].doc.split("## Example", 1)[1].split("## Fix", 1)[0]
    failing, passing = example.split("Use instead:", 1)
    return failing.strip() + "\n", passing.strip() + "\n"


def _findings(tmp_path, rule_id: str, text: str, with_info: bool = True) -> list:
    note = tmp_path / "example.md"
    note.write_text(text, encoding="utf-8")
    settings = Settings(select=(rule_id,))
    return [f for f in check_document(note, settings).findings
            if f.rule == rule_id and (with_info or f.severity.value != "info")]


@pytest.mark.parametrize("rule_id, with_info", CASES)
def test_example_fails_and_use_instead_passes(tmp_path, rule_id, with_info):
    failing, passing = _examples(rule_id)
    assert _findings(tmp_path, rule_id, failing, with_info), f"{rule_id}: the Example gives no finding"
    assert not _findings(tmp_path, rule_id, passing, with_info), f"{rule_id}: 'Use instead' is still flagged"


@pytest.mark.parametrize("rule_id", [r for r in UNIT_AND_TREND_RULES if load_rules()[r].fixable])
def test_fixable_rules_fix_their_own_example(tmp_path, rule_id):
    """A fixable rule offers fixes on its Example, and applying them leaves nothing to flag."""
    failing, _ = _examples(rule_id)
    lines = failing.splitlines()
    fixes = [f for f in _findings(tmp_path, rule_id, failing) if f.fix is not None]
    assert fixes, f"{rule_id}: its Example has no fix"
    for f in fixes:
        line = lines[f.location.line - 1]
        assert f.fix.original in line, (f.fix, line)
        lines[f.location.line - 1] = line.replace(f.fix.original, f.fix.replacement, 1)
    assert not _findings(tmp_path, rule_id, "\n".join(lines) + "\n")
