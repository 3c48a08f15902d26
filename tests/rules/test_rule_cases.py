"""One generic runner for every rule's YAML cases (tests/rules/cases/<rule-id>.yml).

Each case is a Markdown `note:` (saved as UTF-8, or in the case's `encoding:`) and the findings
it must give, as projections (line, column, severity); a case may pin `message` or `evidence`
substrings too.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factlint.pipeline import check_document
from factlint.config import Settings

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases():
    for path in sorted(CASES_DIR.glob("*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in (spec.get("cases") or {}).items():
            yield pytest.param(spec["rule"], spec.get("config") or {}, case,
                               id=f"{spec['rule']}/{name}")


def _settings(rule_id: str, config: dict, case: dict) -> Settings:
    options = {**config, **(case.get("config") or {})}
    return Settings(select=(rule_id,), rule_options={rule_id: options} if options else {})


@pytest.mark.parametrize("rule_id,config,case", list(_load_cases()))
def test_rule_case(rule_id, config, case, tmp_path):
    note = tmp_path / case.get("filename", "note.md")
    note.write_bytes(case["note"].encode(case.get("encoding", "utf-8")))   # a case may be saved in another
    result = check_document(note, _settings(rule_id, config, case))
    assert result.error is None, result.error
    found = [f for f in result.findings if f.rule == rule_id]
    crashed = [f.message for f in result.findings if "crashed" in f.message]
    assert not crashed, crashed
    got = sorted((f.location.line, f.location.column, f.severity.value) for f in found)
    want = sorted((e["line"], e.get("column"), e["severity"]) for e in case.get("expect") or [])
    assert got == want, "\n".join(f"{f.location.line} {f.location.column}: {f.message}" for f in found)
    for e in case.get("expect") or []:
        match = [f for f in found if (f.location.line, f.location.column) == (e["line"], e.get("column"))]
        for key in ("message", "evidence"):
            if key in e:
                assert any(e[key] in getattr(f, key) for f in match), [getattr(f, key) for f in match]
        if "fix" in e:
            assert any(f.fix and f.fix.replacement == e["fix"] for f in match), \
                [f.fix for f in match]
