"""The documentation of the unit, format and trend rules is executable: each docstring's Example
gives at least one finding of its rule and its "Use instead:" gives none, at any severity."""
from __future__ import annotations


import pytest

from factlint.pipeline import check_document
from factlint.rules import load_rules
from factlint.config import Settings

RULES = ("unit-spelling", "dimension", "range-order", "unparsed-number", "status-contradiction",
         "forecast", "generation-trend")


def _examples(rule_id: str) -> tuple[str, str]:
    example = load_rules()[rule_id].doc.split("## Example", 1)[1].split("## Fix", 1)[0]
    failing, passing = example.split("Use instead:", 1)
    return failing.strip() + "\n", passing.strip() + "\n"


def _findings(tmp_path, rule_id: str, text: str) -> list:
    note = tmp_path / "example.md"
    note.write_text(text, encoding="utf-8")
    settings = Settings(select=(rule_id,))
    return [f for f in check_document(note, settings).findings if f.rule == rule_id]


@pytest.mark.parametrize("rule_id", RULES)
def test_example_fails_and_use_instead_passes(tmp_path, rule_id):
    failing, passing = _examples(rule_id)
    assert _findings(tmp_path, rule_id, failing), f"{rule_id}: the Example gives no finding"
    assert not _findings(tmp_path, rule_id, passing), f"{rule_id}: 'Use instead' is still flagged"


@pytest.mark.parametrize("rule_id", [r for r in RULES if load_rules()[r].fixable])
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
