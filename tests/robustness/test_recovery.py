"""A version published by a run that was killed before it wrote its history line gets that
line from the next run (#14), rebuilt from the version folder and marked `recovered`."""
from __future__ import annotations

from factlint import history, publish, recovery
from tests.flows.claims_factory import claim, error_at, result


def _publish(out, run_id: str, results) -> None:
    findings = [f for r in results for f in r.findings]
    plan = publish.plan_publication(results, findings, publish.read_published(out), run_id=run_id,
                                    created=f"2026-01-0{run_id[-1]}T00:00:00+00:00", engine={"version": "t"})
    publish.publish(plan, out)


def test_a_version_the_history_does_not_name_gets_its_line_once(tmp_path):
    out = tmp_path / "validated"
    _publish(out, "v1", [result("a.md", claim("a.md", 3, value=8.0))])
    history.append(out / history.HISTORY_FILE, {"run_id": "v1", "published_version": "v1"})
    _publish(out, "v2", [result("a.md", claim("a.md", 3, value=16.0)),
                         result("b.md", claim("b.md", 3, value=9.0), findings=[error_at("b.md", 3)])])
    entry = recovery.record_unrecorded(out, by_run="v3")
    assert entry["published_version"] == "v2" and entry["date"] == "2026-01-02T00:00:00+00:00"
    assert (entry["documents"], entry["published"], entry["held_back"]) == (2, 1, 1)
    assert entry["counts"]["error"] == 1 and sum(entry["findings_by_rule"].values()) == 1
    assert [s["status"] for s in entry["statuses"]] == ["published", "held-back"]
    assert entry["recovered"].endswith("by run v3")
    assert [e["published_version"] for e in history.read(out / history.HISTORY_FILE)] == ["v1", "v2"]
    assert recovery.record_unrecorded(out) is None          # known now: nothing more is added


def test_nothing_is_recorded_before_the_first_publication_or_for_an_unreadable_version(tmp_path):
    out = tmp_path / "validated"
    assert recovery.record_unrecorded(out) is None
    _publish(out, "v1", [result("a.md", claim("a.md", 3, value=8.0))])
    (publish.read_published(out).folder / "findings.json").write_text("{torn", encoding="utf-8")
    assert recovery.record_unrecorded(out) is None
    assert history.read(out / history.HISTORY_FILE) == []
