"""Our own notes in the layouts real people write (tests/notes/, see its README): each note gives
exactly the errors and warnings its YAML lists, and the correct notes give none."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factlint.findings import Severity
from factlint.pipeline import check_document

NOTES = Path(__file__).resolve().parents[1] / "notes"
GATED = (Severity.ERROR, Severity.WARNING)


def _cases():
    for spec in sorted(NOTES.glob("*.yml")):
        yield pytest.param(spec, id=spec.stem)


def test_the_set_covers_both_languages_and_both_outcomes():
    specs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in NOTES.glob("*.yml")]
    assert len(specs) >= 30
    assert {s["lang"] for s in specs} == {"en", "zh"}
    assert sum(1 for s in specs if not s["expect"]) >= 15          # correct notes no rule may flag
    assert sum(1 for s in specs if s["expect"]) >= 15


@pytest.mark.parametrize("spec_path", list(_cases()))
def test_note_gives_exactly_its_expected_findings(spec_path):
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    note = spec_path.with_suffix(".md")
    result = check_document(note)
    assert result.error is None, result.error
    found = [f for f in result.findings if f.severity in GATED]
    got = sorted((f.rule, f.location.line, f.location.column, f.severity.value) for f in found)
    want = sorted((e["rule"], e["line"], e.get("column"), e["severity"]) for e in spec["expect"] or [])
    assert got == want, "\n".join(f"{f.location.line} {f.rule} [{f.location.column}] {f.message}" for f in found)
