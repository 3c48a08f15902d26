"""Run records: history.jsonl survives a torn append; the summary counts what the run did;
its brief gives what a full read gives, without the statuses, parsing only what was appended."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

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


def test_read_keeps_a_line_with_a_line_separator_and_skips_only_a_line_not_utf8(tmp_path):
    path = tmp_path / "history.jsonl"
    history.append(path, {"run_id": "r1", "reason": "a\u2028b\x85c"})   # written raw, not escaped
    with open(path, "ab") as handle:
        handle.write(b'{"run_id": "r2", "reason": "\xff"}\n')
    history.append(path, {"run_id": "r3"})
    assert [e["run_id"] for e in history.read(path)] == ["r1", "r3"]
    assert history.read(path)[0]["reason"] == "a\u2028b\x85c"


def without_statuses(entries):
    return [{k: v for k, v in e.items() if k != "statuses"} for e in entries]


def run_line(i, notes=3):
    return {"run_id": f"r{i}", "date": f"2026-01-{1 + i % 28:02d}", "counts": {"error": i},
            "published_version": f"v{i}" if i % 2 else None,
            "statuses": [{"path": f"n{j}.md", "status": "published", "reason": "x\u2028y"}
                         for j in range(notes)]}


# What may happen to a history between two runs: appends, a torn append, a torn line
# completed, the file rewritten shorter or replaced by another run's history of the same size.
STEPS = st.lists(st.sampled_from(["append", "tear", "complete", "truncate", "replace",
                                  "read", "lose-brief"]), max_size=14)


@settings(max_examples=150, deadline=None)
@given(steps=STEPS)
def test_runs_with_a_brief_give_what_a_full_read_gives(tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("h")
    path, brief = folder / "history.jsonl", folder / "cache" / "brief.json"
    assert history.runs(path, brief) == []
    for i, step in enumerate(steps):
        if step == "append":
            history.append(path, run_line(i))
        elif step == "tear":                      # a run killed mid-append: no newline
            with open(path, "ab") as handle:
                handle.write(json.dumps(run_line(i)).encode()[:20])
        elif step == "complete":                  # a line written without its newline yet
            with open(path, "ab") as handle:
                handle.write(json.dumps(run_line(i)).encode())
        elif step == "truncate" and path.exists():
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        elif step == "replace" and path.exists():  # same length, other runs
            old = path.read_bytes()
            path.write_bytes(old.replace(b'"r', b'"q'))
        elif step == "lose-brief":
            brief.unlink(missing_ok=True)
        assert history.runs(path, brief) == without_statuses(history.read(path)), steps[:i + 1]
    assert history.runs(path) == without_statuses(history.read(path))


def test_runs_parse_only_the_lines_appended_since(tmp_path, monkeypatch):
    path, brief = tmp_path / "history.jsonl", tmp_path / "brief.json"
    for i in range(40):
        history.append(path, run_line(i, notes=50))
    assert len(history.runs(path, brief)) == 40
    parsed = []
    real = history.json.loads
    monkeypatch.setattr(history.json, "loads", lambda text, **kw: parsed.append(len(text))
                        or real(text, **kw))
    history.append(path, run_line(40, notes=50))
    entries = history.runs(path, brief)
    assert [e["run_id"] for e in entries][-2:] == ["r39", "r40"] and "statuses" not in entries[-1]
    line = len(json.dumps(run_line(40, notes=50), ensure_ascii=False, sort_keys=True))
    # The brief itself, and the one new line: not the 40 before it.
    assert len(parsed) == 2 and parsed[1] == line
    parsed.clear()
    assert history.runs(path, brief) == entries and len(parsed) == 1   # the brief only


def test_a_brief_that_cannot_be_kept_costs_a_full_read_not_the_run(tmp_path):
    path = tmp_path / "history.jsonl"
    history.append(path, run_line(1))
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert history.runs(path, blocked / "brief.json") == without_statuses(history.read(path))
    garbage = tmp_path / "brief.json"
    garbage.write_text('{"format": 1, "size": "x"')
    assert history.runs(path, garbage) == without_statuses(history.read(path))
    assert json.loads(garbage.read_text())["size"] == path.stat().st_size


def test_briefs_of_two_histories_sharing_a_cache_differ(tmp_path):
    one, two = tmp_path / "a" / "history.jsonl", tmp_path / "b" / "history.jsonl"
    assert history.brief_path(tmp_path / "c", one) != history.brief_path(tmp_path / "c", two)
    assert history.brief_path(tmp_path / "c", one).parent == tmp_path / "c"


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
