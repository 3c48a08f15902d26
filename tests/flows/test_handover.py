"""A flow run lets go of its notes when it ends: Prefect's log and event workers keep the
context they started in for the life of the process, and the first run starts them inside its
own tasks, so every task value that holds the notes is handed over (flows.handover)."""
from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.handover import Handed, handed
from tests.flows.corpus import FIRST_NOTE, FIXTURES

REPO = Path(__file__).resolve().parents[2]


def test_a_handed_value_is_taken_once():
    box = Handed([1, 2])
    assert box.take() == [1, 2]
    with pytest.raises(RuntimeError):
        box.take()
    assert Handed(None).take() is None


def test_handed_keeps_the_signature_prefect_reads_parameters_from():
    def check(paths: list[Path], settings=None, *, jobs: int = 2) -> int:
        return len(paths)

    wrapped = handed(check)
    assert inspect.signature(wrapped).parameters == inspect.signature(check).parameters
    assert wrapped([Path("a")]).take() == 1


# A fresh process, as a deployment's run has: its first run is the one that starts Prefect's
# workers, inside that run's tasks. Results support weak references; none may outlive the run.
AFTER_ONE_RUN = """
import gc, sys, weakref
from pathlib import Path
from factlint import cache
from flows.validate_notes import run_flow

kept = []
flatten = cache.flatten
def watched(batches):
    batch = flatten(batches)
    kept.extend(weakref.ref(r) for r in batch.results)
    return batch
cache.flatten = watched
raw, work = Path(sys.argv[1]), Path(sys.argv[2])
run_flow(raw, work / "validated", work / "reports", cache_dir=work / "cache")
gc.collect()
print(len(kept), sum(ref() is not None for ref in kept))
"""


@pytest.mark.flow
@pytest.mark.usefixtures("prefect_harness")
def test_no_note_s_result_outlives_the_first_run_of_a_process(tmp_path):
    from prefect.settings import PREFECT_API_URL

    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "clean", raw)
    shutil.copy(FIRST_NOTE, raw / "first.md")
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    out = subprocess.run([sys.executable, "-c", AFTER_ONE_RUN, str(raw), str(tmp_path / "work")],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    watched, alive = map(int, out.stdout.split()[-2:])
    assert watched == 3 and alive == 0
