"""The summary's stale baseline entries: each one listed, in a fixed order, in text and JSON."""
from __future__ import annotations

import json
import random

import pytest

from factlint.baseline import apply_baseline, build_baseline
from factlint.emit import render
from factlint.findings import Finding, Location, Severity, fingerprint

from emit_fixtures import report


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
