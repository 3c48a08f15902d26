"""Determinism: the same input gives byte-identical JSON and SARIF, whether checked twice, in
another order of discovery, or across a process pool instead of one process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import generate
from factlint.emit import render
from factlint.gate import run_check
from factlint.pipeline import POOL_MIN_FILES

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Enough generated notes (every rule's kind of error) for the process pool to start."""
    root = tmp_path_factory.mktemp("corpus")
    generate.generate_corpus(root, POOL_MIN_FILES + 8, seed=11)
    return root


def _outputs(root: Path, jobs: int) -> tuple[str, str]:
    outcome = run_check([root], None, jobs=jobs)
    return render("json", outcome, fail_on="error"), render("sarif", outcome, fail_on="error")


def test_two_runs_give_identical_json_and_sarif(corpus):
    first = _outputs(corpus, jobs=1)
    assert first == _outputs(corpus, jobs=1)
    assert '"findings": []' not in first[0]             # the corpus does have findings to order


def test_process_pool_gives_the_same_bytes_as_one_process(corpus):
    assert _outputs(corpus, jobs=2) == _outputs(corpus, jobs=1)


def test_cli_output_is_byte_identical_across_processes(corpus, tmp_path):
    """Separate processes (new hash seeds, new pool) write the same files."""
    outputs = []
    for run in range(2):
        json_out, sarif_out = tmp_path / f"{run}.json", tmp_path / f"{run}.sarif"
        env = {**os.environ, "PYTHONHASHSEED": str(run + 1)}
        subprocess.run([sys.executable, "-m", "factlint", "check", ".", "-f", "json", "-o", str(json_out),
                        "-f", "sarif", "-o", str(sarif_out), "--fail-on", "never"],
                       cwd=corpus, env=env, check=True, capture_output=True)
        outputs.append((json_out.read_bytes(), sarif_out.read_bytes()))
    assert outputs[0] == outputs[1]
