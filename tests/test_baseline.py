"""Baselines: matched by fingerprint (not line), count-aware, stale entries reported, the file
deterministic and readable, a bad file a ConfigError."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from factlint.baseline import (apply_baseline, build_baseline, finding_key, load_baseline,
                               render_baseline, write_baseline)
from factlint.errors import ConfigError
from factlint.findings import Finding, Location, Severity, fingerprint


def _finding(line: int, values=("64 PLOPS",), rule="cluster-total", path="notes/a.md",
             entity="andromeda", attribute="total_compute", message="m") -> Finding:
    return Finding(rule, Severity.ERROR, message, Location(path, line), entity=entity,
                   attribute=attribute, fingerprint=fingerprint(rule, path, entity, attribute, values))


def test_a_baselined_finding_stays_baselined_when_lines_move(tmp_path):
    path = write_baseline([_finding(10)], tmp_path / "baseline.json")
    new, old, stale = apply_baseline([_finding(42)], load_baseline(path))
    assert (new, [f.location.line for f in old], stale) == ([], [42], [])


def test_new_findings_are_those_not_in_the_baseline():
    baseline = build_baseline([_finding(10)])
    other = _finding(11, values=("512 PFLOPS",))
    new, old, stale = apply_baseline([_finding(10), other], baseline)
    assert new == [other] and len(old) == 1 and stale == []


def test_matching_counts_occurrences():
    twice_now = [_finding(10), _finding(20)]
    new, old, stale = apply_baseline(twice_now, build_baseline([_finding(10)]))
    assert [f.location.line for f in old] == [10] and [f.location.line for f in new] == [20]
    new, old, stale = apply_baseline([_finding(10)], build_baseline(twice_now))
    assert new == [] and len(old) == 1
    assert len(stale) == 1 and stale[0]["count"] == 1          # one of the two is gone


def test_stale_entries_describe_what_disappeared():
    gone = _finding(5, values=("1 EFLOPS",), message="Total 1 EFLOPS is wrong.")
    new, old, stale = apply_baseline([], build_baseline([gone]))
    assert stale == [{"fingerprint": gone.fingerprint, "rule": "cluster-total", "path": "notes/a.md",
                      "entity": "andromeda", "attribute": "total_compute",
                      "message": "Total 1 EFLOPS is wrong.", "count": 1}]


def test_stale_entries_come_in_the_baseline_files_order():
    gone = [_finding(1, values=(v,), path=p, rule=r, message=f"{p} {r} {v}")
            for p in ("notes/b.md", "notes/a.md") for r in ("unit-spelling", "cluster-total")
            for v in ("x", "y")]
    _, _, stale = apply_baseline([], build_baseline(gone))
    file_order = [e["fingerprint"] for e in json.loads(render_baseline(gone))["findings"]]
    assert [e["fingerprint"] for e in stale] == file_order
    assert [(e["path"], e["rule"]) for e in stale][::2] == [
        ("notes/a.md", "cluster-total"), ("notes/a.md", "unit-spelling"),
        ("notes/b.md", "cluster-total"), ("notes/b.md", "unit-spelling")]


def test_file_is_sorted_deterministic_and_readable(tmp_path):
    findings = [_finding(3, values=(v,), path=p, message=f"{p} {v}")
                for p in ("notes/b.md", "notes/a.md") for v in ("x", "y")] + [_finding(9, values=("x",), path="notes/b.md")]
    text = render_baseline(findings)
    assert text == render_baseline(list(reversed(findings)))
    payload = json.loads(text)
    assert payload["version"] == 1
    entries = payload["findings"]
    assert [(e["path"], e["rule"], e["fingerprint"]) for e in entries] == \
        sorted((e["path"], e["rule"], e["fingerprint"]) for e in entries)
    assert len(entries) == 4 and sorted(e["count"] for e in entries) == [1, 1, 1, 2]
    assert set(entries[0]) == {"fingerprint", "rule", "path", "entity", "attribute", "message", "count"}
    path = write_baseline(findings, tmp_path / "sub" / "b.json")
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in path.parent.iterdir()] == ["b.json"]     # no temporary file left


def test_a_finding_without_fingerprint_still_gets_a_stable_key():
    bare = replace(_finding(1), fingerprint="")
    assert finding_key(bare) == finding_key(replace(bare, location=Location("notes/a.md", 99)))
    new, old, _ = apply_baseline([bare], build_baseline([bare]))
    assert new == [] and old == [bare]


def test_round_trip_and_hand_merged_duplicates(tmp_path):
    f = _finding(1)
    payload = json.loads(render_baseline([f]))
    payload["findings"] = payload["findings"] * 2           # two hand-merged files
    (tmp_path / "b.json").write_text(json.dumps(payload), encoding="utf-8")
    loaded = load_baseline(tmp_path / "b.json")
    assert loaded[f.fingerprint].count == 2


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json", "not a readable JSON file"),
    ('[]', "expected an object with a 'findings' list"),
    ('{"version": 2, "findings": []}', "version 2 is not 1"),
    ('{"version": 1, "findings": [3]}', r"findings\[0\]: expected an object"),
    ('{"version": 1, "findings": [{"rule": "r", "path": "p"}]}', "'fingerprint' must be a non-empty string"),
    ('{"version": 1, "findings": [{"fingerprint": "f", "rule": "r", "path": "p", "count": 0}]}',
     "'count' must be a positive integer"),
    ('{"version": 1, "findings": [{"fingerprint": "f", "rule": "r", "path": "p", "colour": 1}]}',
     "unknown key 'colour'"),
    ('{"version": 1, "findings": [{"fingerprint": "f", "rule": "r", "path": "p", "entity": 3}]}',
     "'entity' must be a string or null"),
])
def test_bad_baseline_file_is_a_config_error(tmp_path, content, message):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_baseline(path)
