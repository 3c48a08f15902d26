"""Run records: history.jsonl survives a torn append; the summary counts what the run did."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from factlint import cache, history, publish
from factlint.findings import Location, Severity
from tests.flows.claims_factory import claim, error_at, result


def test_append_and_read_skip_a_torn_line(tmp_path):
    path = tmp_path / "history.jsonl"
    history.append(path, {"run_id": "r1"})
    with open(path, "a", encoding="utf-8") as handle:      # a run killed mid-append
        handle.write('{"run_id": "r2", "cou')
    history.append(path, {"run_id": "r3"})
    assert [e["run_id"] for e in history.read(path)] == ["r1", "r3"]
    assert history.read(tmp_path / "missing.jsonl") == []


def test_run_ids_sort_by_time_and_differ():
    early = history.new_run_id(datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    late = history.new_run_id(datetime(2026, 1, 2, 3, 4, 6, tzinfo=timezone.utc))
    assert early.startswith("20260102T030405Z-") and early < late
    assert history.new_run_id(datetime(2026, 1, 1, tzinfo=timezone.utc)) != \
        history.new_run_id(datetime(2026, 1, 1, tzinfo=timezone.utc))


def summary_of_two_documents(blocked=False):
    ok = result("a.md", claim("a.md", 3))
    bad = result("b.md", claim("b.md", 3), findings=[error_at("b.md", 3)])
    findings = ok.findings + bad.findings
    plan = publish.plan_publication([ok, bad], findings, None, run_id="r1", created="t")
    expectations = ({"success": False, "failed": 1, "failed_names": ["unique-cell"]} if blocked
                    else {"success": True, "failed": 0, "failed_names": []})
    start = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    return history.summarise(plan, expectations, cache.CacheStats(["a.md"], ["b.md"]),
                             started=start, finished=start.replace(second=7),
                             published_version=None if blocked else "r1", dataset="out"), findings


def test_summary_counts_and_history_entry():
    summary, _ = summary_of_two_documents()
    assert (summary.documents, summary.published, summary.held_back, summary.claims) == (2, 1, 1, 1)
    assert summary.findings_by_severity == {"error": 1, "warning": 0, "info": 0}
    assert summary.findings_by_rule == {"cluster-total": 1}
    assert (summary.cache_hits, summary.cache_misses, summary.blocked) == (1, 1, None)
    entry = summary.history_entry()
    assert entry["date"] == "2026-01-02T03:04:05+00:00" and entry["counts"]["error"] == 1
    assert [(s["path"], s["status"]) for s in entry["statuses"]] == [("a.md", "published"),
                                                                      ("b.md", "held-back")]
    json.dumps(entry)
    assert "1 published, 1 held back; 1 errors" in str(summary)


def test_a_failed_checkpoint_is_reported_as_blocking():
    summary, findings = summary_of_two_documents(blocked=True)
    assert summary.blocked.startswith("1 data expectation(s) failed (unique-cell)")
    text = history.markdown_summary(summary, findings)
    assert "**Publishing blocked:**" in text and "publishing blocked" in str(summary)


def test_markdown_summary_lists_held_back_documents_and_worst_findings_first():
    summary, findings = summary_of_two_documents()
    info = error_at("a.md", 9, "unit-spelling")
    info = type(info)(rule=info.rule, severity=Severity.INFO, message="a | b",
                      location=Location("a.md", 9))
    text = history.markdown_summary(summary, [info, *findings])
    assert "| `b.md` | 1 error finding: cluster-total at line 3 | — |" in text
    rows = [line for line in text.splitlines() if line.startswith("| error") or line.startswith("| info")]
    assert rows[0].startswith("| error | cluster-total | `b.md:3`")
    assert rows[1] == "| info | unit-spelling | `a.md:9` | a \\| b |"
