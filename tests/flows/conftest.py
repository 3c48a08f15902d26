"""Flow tests: one Prefect test server per session (a temporary SQLite database; ~20 s on 2
cores), requested only by the tests that run flows, and a temporary PREFECT_HOME so that no
test touches the project's .prefect/."""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest

# Before anything imports prefect (it reads its settings once, at import).
_HOME = tempfile.mkdtemp(prefix="factlint-prefect-home-")
os.environ["PREFECT_HOME"] = _HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
    shutil.rmtree(_HOME, ignore_errors=True)
