"""Prefect settings that must be in ``os.environ`` before ``import prefect`` (Prefect reads them
once, at import). Imported first by every flow module."""
from __future__ import annotations

import os
from typing import Mapping

from factlint.config import project_dir


def defaults() -> dict[str, str]:
    return {
        # the embedded server's SQLite database stays in the project being checked (the folder
        # of its pyproject.toml, else the working directory; git-ignored), never beside the engine
        "PREFECT_HOME": str(project_dir() / ".prefect"),
        # a fresh database needs ~30 s of migrations on 2 cores; the default limit is 20 s
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        # nothing leaves the machine: server telemetry and client analytics off
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }


def apply_defaults(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Set each default that the caller's environment does not set; returns what was set."""
    applied = {}
    for name, value in {**defaults(), **(extra or {})}.items():
        if name not in os.environ:
            os.environ[name] = value
            applied[name] = value
    return applied
