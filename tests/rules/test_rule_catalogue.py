"""Guards the catalogue: every rule is documented, has cases that pass and fail, and ids are stable."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from factlint.rules import load_rules

CASES_DIR = Path(__file__).parent / "cases"
REQUIRED_HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Fix")
# Rules whose findings come from the framework rather than from Markdown cases of their own.
# cross-document compares two notes, which a one-note YAML case cannot express: its failing and
# passing cases live in tests/rules/test_cross_document.py.
FRAMEWORK_RULES = {"suppression", "data-expectation", "claims-contract", "cross-document", "unreadable-path"}


def _case_files():
    return {yaml.safe_load(p.read_text(encoding="utf-8"))["rule"]: p for p in CASES_DIR.glob("*.yml")}


def test_registry_is_not_empty():
    assert len(load_rules()) >= 10


@pytest.mark.parametrize("rule_id", sorted(load_rules()))
def test_rule_is_documented(rule_id):
    spec = load_rules()[rule_id]
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id)
    assert spec.summary and spec.summary.endswith(".")
    for heading in REQUIRED_HEADINGS:
        assert heading in spec.doc, f"{rule_id}: missing {heading!r}"
    assert "Use instead:" in spec.doc, f"{rule_id}: the example needs a 'Use instead:' part"
    assert spec.module.rsplit(".", 1)[-1] == rule_id.replace("-", "_")


@pytest.mark.parametrize("rule_id", sorted(set(load_rules()) - FRAMEWORK_RULES))
def test_rule_has_failing_and_passing_cases(rule_id):
    files = _case_files()
    assert rule_id in files, f"no tests/rules/cases/{rule_id}.yml"
    cases = yaml.safe_load(files[rule_id].read_text(encoding="utf-8"))["cases"]
    assert any(c.get("expect") for c in cases.values()), "needs a failing case"
    assert any(not c.get("expect") for c in cases.values()), "needs a passing case"


def test_every_case_file_names_a_registered_rule():
    unknown = set(_case_files()) - set(load_rules())
    assert not unknown
