"""`factlint run` exits as the gate does: 0 when every note passes, 1 when one is held back for
its errors (the flow run is then Failed), and its summary line says what happened."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from tests.flows.corpus import FIRST_NOTE, FIXTURES

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]


def _run(tmp_path, raw):
    from factlint.cli import app

    # The run's cache in the test's folder: by default it is the project's .factlint-cache,
    # which would keep these notes' entries and their history's brief after the test.
    env = {"FACTLINT_CACHE_DIR": str(tmp_path / "cache")}
    args = ["run", str(raw), "--out", str(tmp_path / "validated"), "--reports", str(tmp_path / "reports")]
    return CliRunner().invoke(app, args, catch_exceptions=False, env=env)


def test_a_clean_folder_exits_0_and_says_what_it_published(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "clean", raw)
    result = _run(tmp_path, raw)
    assert result.exit_code == 0, result.output
    assert "2 documents, 2 published, 0 held back" in result.output
    assert "claim rows through the expectation suite (passed)" in result.output
    assert "gate failed" not in result.output


def test_a_note_held_back_for_errors_exits_1_without_contradicting_itself(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(FIRST_NOTE, raw / "note.md")
    result = _run(tmp_path, raw)
    assert result.exit_code == 1, result.output
    assert "1 documents, 0 published, 1 held back" in result.output
    assert "no note passed" in result.output and "published version" not in result.output
    assert "gate failed: " in result.output and "at or above fail-on error" in result.output
