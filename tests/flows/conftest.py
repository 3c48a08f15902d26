"""Flow tests: one Prefect test server per session (a temporary SQLite database; ~20 s on 2
cores), requested only by the tests that run flows, and a temporary PREFECT_HOME so that no
test touches the project's .prefect/."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Before anything imports prefect (it reads its settings once, at import).
_HOME = tempfile.mkdtemp(prefix="factlint-prefect-home-")
os.environ["PREFECT_HOME"] = _HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")

FIXTURES = Path(__file__).parent / "fixtures"
FIRST_NOTE = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture
def pinned_engine_source(tmp_path, monkeypatch):
    """Other work edits factlint/ while the suite runs; a cache test must not see that as an
    engine change between its two runs."""
    from factlint import cache

    source = tmp_path / "engine-source"
    source.mkdir()
    (source / "engine.py").write_text("VERSION = 1\n")
    monkeypatch.setattr(cache, "ENGINE_SOURCE_DIRS", (source,))
