"""The flow on an external Dask cluster as users start one: `dask scheduler` and two `dask worker`
processes launched from another directory, with no Prefect settings of their own. The run finds
what the default runner finds, the workers never import Prefect, and a note a worker cannot see
fails the run instead of ending it Completed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import factlint
from tests.flows.corpus import FIRST_NOTE, FIXTURES

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

CODE_ROOT = Path(factlint.__file__).resolve().parents[1]     # the checkout under test
START_TIMEOUT = 120


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("dask-cluster-cwd")
    scheduler_file = elsewhere / "scheduler.json"
    dask = str(Path(sys.executable).with_name("dask"))
    # The workers import this checkout's code (as an installed factlint would be found), and
    # nothing tells them of a Prefect server.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PYTHONPATH"] = str(CODE_ROOT)
    common = dict(cwd=elsewhere, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                  start_new_session=True)
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                   "--no-dashboard", "--scheduler-file", str(scheduler_file)], **common)]
    try:
        address = _wait_for_address(scheduler_file, processes[0])
        processes += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--no-dashboard",
                                        "--local-directory", str(elsewhere / f"worker-{i}")], **common)
                      for i in range(2)]
        _wait_for_workers(address, 2)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for_address(scheduler_file: Path, process) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dask scheduler exited with {process.returncode}")
        try:
            return json.loads(scheduler_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    raise RuntimeError("dask scheduler wrote no address")


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, set_as_default=False, timeout=START_TIMEOUT) as client:
        client.wait_for_workers(count, timeout=START_TIMEOUT)


@pytest.fixture()
def corpus(tmp_path, monkeypatch):
    import functools

    import flows.validate_notes as validate_notes
    from flows.batching import batches

    # One note per task, so both workers get work (a corpus this small is one batch by default).
    monkeypatch.setattr(validate_notes, "batches", functools.partial(batches, min_docs=1, min_bytes=1))
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "clean", raw)
    shutil.copy(FIRST_NOTE, raw / "first-note.md")
    return raw


def test_external_cluster_finds_what_the_default_runner_finds(corpus, tmp_path, scheduler_address,
                                                               monkeypatch):
    from distributed import Client

    from flows.validate_notes import run_flow

    monkeypatch.chdir(tmp_path)         # relative paths on the command line, as users type them
    outcomes = {}
    for runner, address in (("thread", None), ("dask", scheduler_address)):
        out = Path(runner)
        summary = run_flow(Path("raw"), out / "validated", out / "reports", runner=runner,
                           dask_address=address, cache_dir=out / "cache")   # both really check
        findings = json.loads((out / "validated" / "findings.json").read_text(encoding="utf-8"))
        outcomes[runner] = (summary, findings)
    (thread, thread_findings), (dask, dask_findings) = outcomes["thread"], outcomes["dask"]
    assert dask.cache_misses == thread.cache_misses == 3
    assert thread_findings and thread.findings_by_rule == dask.findings_by_rule
    # On Dask the notes went out by absolute path (and a fingerprint hashes the path); otherwise
    # the findings are the same.
    assert [_relative(f, tmp_path) for f in dask_findings] == [_relative(f) for f in thread_findings]
    assert {Path(s["path"]).name: s["status"] for s in dask.statuses} == \
        {Path(s["path"]).name: s["status"] for s in thread.statuses}
    with Client(scheduler_address, set_as_default=False) as client:
        imported = client.run(lambda: "prefect" in sys.modules)
    assert len(imported) == 2 and not any(imported.values())      # no Prefect on the workers


def _relative(finding: dict, root: Path | None = None) -> dict:
    text = json.dumps({k: v for k, v in finding.items() if k != "fingerprint"})
    return json.loads(text.replace(json.dumps(f"{root}{os.sep}")[1:-1], "") if root else text)


def test_a_note_the_workers_cannot_see_fails_the_run(corpus, tmp_path, scheduler_address, monkeypatch):
    import flows.validate_notes as validate_notes
    from flows.dask_cluster import WorkerCannotRead
    from flows.validate_notes import run_flow

    # A note only the flow's process sees (as when the workers' machines do not share the folder).
    unseen = tmp_path / "only-here" / "note.md"
    discover = validate_notes.pipeline.discover
    monkeypatch.setattr(validate_notes.pipeline, "discover", lambda roots: [*discover(roots), unseen])
    with pytest.raises(WorkerCannotRead, match="cannot see 1 of 1 notes, first .*only-here"):
        run_flow(corpus, tmp_path / "validated", tmp_path / "reports", runner="dask",
                 dask_address=scheduler_address, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "validated" / "findings.json").exists()     # nothing published
