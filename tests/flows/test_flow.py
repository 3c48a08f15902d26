"""The validate-notes flow end to end, under the Prefect test server. Flow runs cost seconds
each, so one scenario of four runs over the same folders feeds every test in this module:

1. two clean notes (English, Chinese)        -> both published
2. nothing changed                            -> both served from the cache
3. the Chinese note replaced by the first real note (it has errors)
                                              -> held back, its run-1 claims stay published
4. a note with a 5000 nm process node added  -> the checkpoint fails, nothing is published
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.flows.corpus import FIRST_NOTE, FIXTURES

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

IMPLAUSIBLE = """# Process notes

| Chip | Process | Year |
|------|---------|------|
| Acme Q1 | 5000nm | 2023 |
"""


@dataclass
class Scenario:
    raw: Path
    out: Path
    reports: Path
    summaries: list
    published: list          # read_published(out) after each run
    claims: list             # the published claims after each run


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, prefect_harness):
    from factlint import cache, publish
    from flows.validate_notes import run_flow

    root = tmp_path_factory.mktemp("flow")
    raw, out, reports = root / "raw", root / "validated", root / "reports"
    shutil.copytree(FIXTURES / "clean", raw)
    source = root / "engine-source"      # pinned: others edit factlint/ while tests run
    source.mkdir()
    (source / "engine.py").write_text("VERSION = 1\n")
    steps = [lambda: None,
             lambda: None,
             lambda: shutil.copy(FIRST_NOTE, raw / "芯片笔记.md"),
             lambda: (raw / "implausible.md").write_text(IMPLAUSIBLE, encoding="utf-8")]
    result = Scenario(raw, out, reports, [], [], [])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "ENGINE_SOURCE_DIRS", (source,))
        for step in steps:
            step()
            result.summaries.append(run_flow(raw, out, reports, cache_dir=root / "cache"))
            dataset = publish.read_published(out)
            result.published.append(dataset)
            result.claims.append(dataset.claims())
    return result


def test_a_clean_corpus_is_published(scenario):
    first = scenario.summaries[0]
    assert (first.documents, first.published, first.held_back, first.errors) == (2, 2, 0, 0)
    assert first.published_version == first.run_id == scenario.published[0].version
    paths = set(scenario.claims[0]["path"])
    assert paths == {str(scenario.raw / "accelerators-en.md"), str(scenario.raw / "芯片笔记.md")}
    assert first.claims == len(scenario.claims[0]) > 0
    assert first.expectations["success"] is True


def test_a_second_run_with_no_change_is_served_from_the_cache(scenario):
    first, second = scenario.summaries[:2]
    assert (first.cache_hits, first.cache_misses) == (0, 2)
    assert (second.cache_hits, second.cache_misses) == (2, 0)
    pd.testing.assert_frame_equal(scenario.claims[1], scenario.claims[0])


def test_a_document_with_errors_is_held_back_and_keeps_its_last_good_version(scenario):
    second, third = scenario.summaries[1], scenario.summaries[2]
    changed = str(scenario.raw / "芯片笔记.md")
    status = {s["path"]: s for s in third.statuses}
    assert status[changed]["status"] == "held-back"
    assert status[changed]["reason"].startswith(f"{status[changed]['errors']} error finding")
    assert status[changed]["version"] == second.run_id          # the last version it passed in
    assert (third.cache_hits, third.cache_misses) == (1, 1)
    kept = scenario.claims[2][scenario.claims[2]["path"] == changed].reset_index(drop=True)
    before = scenario.claims[0][scenario.claims[0]["path"] == changed].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, before)
    manifest = scenario.published[2].manifest
    assert manifest["run_id"] == third.run_id
    assert manifest["inputs"][changed] == _sha256(FIRST_NOTE)
    entry = scenario.published[2].document(changed)
    assert entry["kept_sha256"] == _sha256(FIXTURES / "clean" / "芯片笔记.md")


def test_a_failing_checkpoint_blocks_publishing_and_becomes_findings(scenario):
    third, fourth = scenario.summaries[2], scenario.summaries[3]
    assert fourth.published_version is None and "plausible-process-node" in fourth.blocked
    assert scenario.published[3].version == third.run_id          # the dataset did not move
    assert fourth.findings_by_rule["data-expectation"] == 1
    report = (scenario.reports / "runs" / fourth.run_id / "index.html").read_text(encoding="utf-8")
    assert "data-expectation" in report and "plausible-process-node" in report
    history = [json.loads(line) for line in (scenario.out / "history.jsonl").read_text().splitlines()]
    assert [h["run_id"] for h in history] == [s.run_id for s in scenario.summaries]
    assert history[-1]["blocked"] == fourth.blocked and history[-1]["expectations_success"] is False


def test_every_run_writes_its_report_artifact_and_data_docs(scenario):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    for summary in scenario.summaries:
        assert (scenario.reports / "runs" / summary.run_id / "index.html").is_file()
    assert summary.report == str(scenario.reports / "index.html")
    assert (scenario.reports / "data-docs" / "index.html").is_file()
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["factlint-run"])))
    texts = {a.flow_run_id: a.data for a in artifacts}
    assert {str(s.prefect_flow_run_id) for s in scenario.summaries} <= set(map(str, texts))
    last = texts[next(k for k in texts if str(k) == scenario.summaries[-1].prefect_flow_run_id)]
    assert "**Publishing blocked:**" in last and "data-expectation" in last


def _sha256(path: Path) -> str:
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_great_expectations_validates_only_claims_it_has_not_passed(scenario):
    first, second, third, fourth = scenario.summaries
    assert (first.expectations["rows"], first.expectations["carried"]) == (first.claims, 0)
    # nothing changed, then a note held back whose run-1 claims are carried forward
    for later in (second, third):
        assert (later.expectations["rows"], later.expectations["carried"]) == (0, later.claims)
        assert later.expectations["success"] is True and later.expectations["evaluated"] == 0
    added = scenario.claims[2]["path"].nunique() + 1 == fourth.documents
    new_rows = fourth.expectations["rows"]
    assert added and 0 < new_rows < fourth.claims == third.claims + new_rows
    assert fourth.expectations["carried"] == third.claims


def test_every_run_says_where_its_time_went(scenario):
    for summary in scenario.summaries:
        assert {"check", "corpus", "plan", "expectations", "publish", "report"} <= set(summary.timings)
        assert all(seconds >= 0 for seconds in summary.timings.values())
    history = [json.loads(line) for line in (scenario.out / "history.jsonl").read_text().splitlines()]
    assert all("publish" in h["timings"] for h in history)


def test_the_run_state_follows_fail_on_like_the_gate(scenario):
    """Clean runs complete; a run that holds a note back for its errors, or whose checkpoint
    blocks publishing, ends Failed in Prefect, with the reason as the state's message."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        states = [client.read_flow_run(s.prefect_flow_run_id).state for s in scenario.summaries]
    assert [s.type.value for s in states] == ["COMPLETED", "COMPLETED", "FAILED", "FAILED"]
    first, _, third, fourth = scenario.summaries
    assert first.failed is None
    assert third.failed == states[2].message
    assert f"{third.errors} error finding(s) at or above fail-on error" in third.failed
    assert "1 document(s) held back" in third.failed
    assert fourth.failed.startswith("publishing blocked: ") and "plausible-process-node" in fourth.failed
    history = [json.loads(line) for line in (scenario.out / "history.jsonl").read_text().splitlines()]
    assert [h["failed"] for h in history] == [s.failed for s in scenario.summaries]


def test_every_run_leaves_a_table_of_its_documents_and_a_link_to_its_report(scenario):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["factlint-documents", "factlint-report"])))
    last = str(scenario.summaries[-1].prefect_flow_run_id)
    mine = {a.key: a for a in artifacts if str(a.flow_run_id) == last}
    assert set(mine) == {"factlint-documents", "factlint-report"}
    rows = json.loads(mine["factlint-documents"].data)
    statuses = {row["document"]: row["status"] for row in rows}
    assert statuses[str(scenario.raw / "芯片笔记.md")] == "held-back"
    assert len(rows) == scenario.summaries[-1].documents
    report_uri = (scenario.reports / "index.html").resolve().as_uri()
    assert mine["factlint-report"].data.endswith(f"]({report_uri})")     # a link artifact
