"""Scale-out: the same flow on a 2-worker Dask LocalCluster finds exactly what the default
thread runner finds."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.flows.corpus import FIRST_NOTE, FIXTURES

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]


def test_dask_runner_gives_the_same_findings_as_threads(tmp_path, monkeypatch):
    import functools

    import flows.validate_notes as validate_notes
    from flows.batching import batches
    from flows.validate_notes import run_flow

    # One document per task, so the two Dask workers really share the work (the default batching
    # puts a corpus this small into a single task).
    monkeypatch.setattr(validate_notes, "batches", functools.partial(batches, min_docs=1, min_bytes=1))
    assert len(validate_notes.batches([FIRST_NOTE] * 3)) == 3

    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "clean", raw)
    shutil.copy(FIRST_NOTE, raw / "first-note.md")
    outcomes = {}
    for runner in ("thread", "dask"):
        out = tmp_path / runner
        summary = run_flow(raw, out / "validated", out / "reports", runner=runner,
                           cache_dir=out / "cache")      # separate caches: both really check
        findings = json.loads((out / "validated" / "findings.json").read_text(encoding="utf-8"))
        outcomes[runner] = (summary, findings)
    (thread, thread_findings), (dask, dask_findings) = outcomes["thread"], outcomes["dask"]
    assert dask.cache_misses == thread.cache_misses == 3
    assert thread_findings and dask_findings == thread_findings
    assert dask.findings_by_rule == thread.findings_by_rule
    assert [(s["path"], s["status"]) for s in dask.statuses] == \
        [(s["path"], s["status"]) for s in thread.statuses]
