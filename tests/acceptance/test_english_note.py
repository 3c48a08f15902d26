"""Issue 4's own note: English, correct values, other wording and shapes, aliases. It gives no
reference finding at warning or above; the same note with one value changed is caught on its line."""
from __future__ import annotations

from pathlib import Path

import pytest

from factlint.pipeline import check_document

NOTE = Path(__file__).resolve().parents[1] / "fixtures" / "notes" / "wse3-correct-en.md"
REFERENCE_RULES = {"reference-mismatch", "attribute-confusion", "undisclosed"}


def _serious(findings, rules=None):
    return [f for f in findings if f.severity.value in ("error", "warning")
            and (rules is None or f.rule in rules)]


def test_correct_english_note_is_clean():
    result = check_document(NOTE)
    assert result.error is None
    serious = _serious(result.findings)
    assert not serious, [(f.rule, f.location.line, f.message) for f in serious]
    checked = result.claims[(result.claims.entity == "WSE-3") & (result.claims.status == "parsed")]
    assert len(checked) >= 10   # the aliases resolved: the note really was read as WSE-3


@pytest.mark.parametrize("old,new,rule", [
    ("| On-chip SRAM | 44 GB |", "| On-chip SRAM | 80 GB |", "reference-mismatch"),
    ("| AI cores | 900,000 |", "| AI cores | 850,000 |", "reference-mismatch"),
    ("| CS-3 | WSE-3 | 125 PFLOPS | 44 GB | 2024 |", "| CS-3 | WSE-3 | 125 PFLOPS | 40 GB | 2024 |",
     "reference-mismatch"),
    ("Cores | 900K | 16,896 | 53x", "Cores | 900K | 16,896 | 35x", "ratio-column"),
    ("| L2 cache | 50 MB |", "| L2 cache | 80 GB |", "attribute-confusion"),
])
def test_one_changed_value_is_caught_on_its_line(tmp_path, old, new, rule):
    text = NOTE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    changed = tmp_path / "changed.md"
    changed.write_text(text.replace(old, new), encoding="utf-8")
    found = _serious(check_document(changed).findings, {rule})
    assert [f.location.line for f in found] == [line], [(f.location.line, f.message) for f in found]
