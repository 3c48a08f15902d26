"""The summary's stale baseline entries (each one listed, in a fixed order, in text and JSON) and
its coverage line (only when the caller measured coverage; emitters never load the KB)."""
from __future__ import annotations

import json
import random
import sys

import pytest

from factlint.baseline import apply_baseline, build_baseline
from factlint.emit import Report, render
from factlint.emit import sarif
from factlint.emit.summary import summarise
from factlint.findings import Finding, Location, Severity, fingerprint

from emit_fixtures import fake_registry, findings, report, results


def _gone(path: str, rule: str, value: str, message: str) -> Finding:
    return Finding(rule, Severity.ERROR, message, Location(path, 3), entity="andromeda",
                   attribute="total_compute",
                   fingerprint=fingerprint(rule, path, "andromeda", "total_compute", [value]))


GONE = [_gone("notes/b.md", "cluster-total", "1 EFLOPS", "Total 1 EFLOPS is wrong."),
        _gone("notes/a.md", "unit-spelling", "PLOPS", "`PLOPS` is not a unit."),
        _gone("notes/a.md", "cluster-total", "2 EFLOPS", "Total 2 EFLOPS is wrong.")]


def _stale() -> list[dict]:
    _, _, stale = apply_baseline([], build_baseline(GONE))
    return stale


def test_text_lists_every_stale_entry_after_the_summary():
    text = render("text", report(stale_baseline=_stale()))
    summary, _, block = text.partition("\nStale baseline entries")
    assert "3 stale baseline entries" in summary and summary.rstrip().splitlines()[-1].startswith("Gate:")
    lines = block.splitlines()[1:]
    expected = sorted(GONE, key=lambda f: (f.location.path, f.rule, f.fingerprint))
    assert lines == [f"    {f.location.path}: {f.rule} [{f.fingerprint}] entity andromeda, "
                     f"attribute total_compute: {f.message}" for f in expected]


def test_json_lists_stale_entries_with_a_count():
    summary = json.loads(render("json", report(stale_baseline=_stale())))["summary"]
    assert summary["stale_baseline_count"] == 3
    assert [(e["path"], e["rule"], e["message"]) for e in summary["stale_baseline"]] == [
        ("notes/a.md", "cluster-total", "Total 2 EFLOPS is wrong."),
        ("notes/a.md", "unit-spelling", "`PLOPS` is not a unit."),
        ("notes/b.md", "cluster-total", "Total 1 EFLOPS is wrong.")]
    assert all(set(e) == {"fingerprint", "rule", "path", "entity", "attribute", "message", "count"}
               for e in summary["stale_baseline"])


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_stale_listing_does_not_depend_on_the_entries_order(fmt):
    shuffled = _stale()
    random.Random(3).shuffle(shuffled)
    assert render(fmt, report(stale_baseline=shuffled)) == render(fmt, report(stale_baseline=_stale()))


def test_without_stale_entries_there_is_no_block():
    text = render("text", report())
    assert "Stale baseline" not in text and "stale baseline" not in text
    summary = json.loads(render("json", report()))["summary"]
    assert (summary["stale_baseline"], summary["stale_baseline_count"]) == ([], 0)


@pytest.mark.parametrize("coverage, line", [
    ({"numeric_claims": 84, "checked": 73, "share": 0.869},
     "Coverage: 73 of 84 numeric claims checked against a source (87%)."),
    ({"numeric_claims": 1, "checked": 1, "share": 1.0},
     "Coverage: 1 of 1 numeric claim checked against a source (100%)."),
    ({"numeric_claims": 0, "checked": 0, "share": 0.0},
     "Coverage: 0 of 0 numeric claims checked against a source."),
])
def test_text_states_coverage_when_given(coverage, line):
    lines = render("text", report(coverage=coverage)).splitlines()
    assert lines[lines.index(line) - 1].startswith("Checked ")


def test_coverage_is_read_from_the_outcome_when_present_and_optional_otherwise():
    class Outcome:                       # a gate outcome from before the attribute existed
        findings, results = findings(), results()

    assert "Coverage" not in render("text", Outcome())
    assert json.loads(render("json", Outcome()))["summary"]["coverage"] is None
    Outcome.coverage = {"numeric_claims": 10, "checked": 4, "share": 0.4, "agree": 3, "mismatch": 1}
    assert "Coverage: 4 of 10 numeric claims checked against a source (40%)." in render("text", Outcome())
    assert json.loads(render("json", Outcome()))["summary"]["coverage"] == Outcome.coverage


def test_sarif_carries_coverage_in_the_run_properties_only_when_given():
    def run(rep):
        summary = summarise(rep.findings, rep.results, coverage=getattr(rep, "coverage", None))
        return json.loads(sarif.render(rep.findings, rep.results, summary,
                                       registry=fake_registry()))["runs"][0]

    assert "properties" not in run(report())
    coverage = {"numeric_claims": 84, "checked": 73, "share": 0.869}
    assert run(report(coverage=coverage))["properties"] == {"coverage": coverage}
    assert "coverage" in json.loads(render("sarif", report(coverage=coverage)))["runs"][0]["properties"]


def test_rendering_coverage_does_not_load_the_knowledge_base(monkeypatch):
    monkeypatch.delitem(sys.modules, "factlint.reference.kb", raising=False)
    coverage = {"numeric_claims": 2, "checked": 1, "share": 0.5}
    for fmt in ("text", "json", "sarif", "junit", "github"):
        render(fmt, Report(findings(), results(), coverage=coverage))
    assert "factlint.reference.kb" not in sys.modules
