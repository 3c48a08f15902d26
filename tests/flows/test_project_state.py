"""A run keeps its state in the project being checked (the folder of its pyproject.toml with
[tool.factlint], else the working directory), never beside the engine: one project's run must
not write into another checkout, or into site-packages."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import factlint
from factlint import cache
from tests.flows.corpus import FIXTURES

ENGINE_ROOT = Path(factlint.__file__).resolve().parents[1]


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A project with its own configuration, run from a folder below it."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "clean", root / "notes")
    (root / "pyproject.toml").write_text('[tool.factlint]\npaths = ["notes"]\n', encoding="utf-8")
    (root / "sub").mkdir()
    monkeypatch.chdir(root / "sub")
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    return root


def test_the_cache_and_prefect_home_belong_to_the_project(project, monkeypatch):
    from factlint.config import load_config, project_dir
    from flows.environment import defaults

    assert project_dir() == project
    assert cache.cache_dir(settings=load_config()) == project / ".factlint-cache"
    assert defaults()["PREFECT_HOME"] == str(project / ".prefect")


def test_without_a_configuration_the_working_directory_is_the_project(tmp_path, monkeypatch):
    from factlint.config import project_dir

    monkeypatch.chdir(tmp_path)
    assert project_dir() == tmp_path
    assert cache.cache_dir() == tmp_path / ".factlint-cache"


def _engine_state() -> dict[str, float]:
    """What the engine's folder holds that a run could write (bytecode aside)."""
    watched = [ENGINE_ROOT / name for name in ("gx", "data/reference", "factlint", "flows", "schemas")]
    return {str(p): p.stat().st_mtime for root in watched for p in [root, *root.rglob("*")]
            if "__pycache__" not in p.parts}


@pytest.mark.flow
@pytest.mark.usefixtures("prefect_harness")
def test_a_run_from_another_project_writes_nothing_beside_the_engine(project):
    from flows.validate_notes import run_flow

    engine_before = _engine_state()
    top_before = set(os.listdir(ENGINE_ROOT))
    summary = run_flow(Path("../notes"), Path("../validated"), Path("../reports"))
    assert summary.cache_misses == 2
    settings_cache = project / ".factlint-cache"
    entries = list(settings_cache.glob("*/*.pkl"))
    assert len(entries) == 2                                    # the run's cache is the project's
    engine_cache = ENGINE_ROOT / ".factlint-cache"
    ours = {e.relative_to(settings_cache) for e in entries}
    assert not any((engine_cache / e).exists() for e in ours)   # and not the engine's
    assert _engine_state() == engine_before
    # Only what other tests running alongside may make in the checkout they run from.
    assert set(os.listdir(ENGINE_ROOT)) - top_before <= {".factlint-cache", ".pytest_cache", ".hypothesis"}
    assert (project / "validated" / "current").exists() and (project / "reports" / "index.html").exists()
