"""Prefect's embedded API server, started so that it dies with the process that started it.

Without PREFECT_API_URL, Prefect starts its "ephemeral" server on first use: ``python -m uvicorn
... prefect.server.api.server:create_app`` in a subprocess (``SubprocessASGIServer``), stopped
by an atexit hook. A kill -9 of `factlint run` never reaches that hook, so the server kept
running (14 of 15 hostile trials), holding its port and the SQLite database.

``start()`` starts that same server first, from the calling thread, with the kernel asked to
SIGTERM it when this process dies (PR_SET_PDEATHSIG, Linux). Prefect keeps one server per port
in ``SubprocessASGIServer._instances``; this one takes the slot of the default (no port), so
every later ``SubprocessASGIServer()`` of Prefect's clients, loggers and event workers finds it
running and uses it. The test is tests/robustness/test_killed_run.py.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from typing import Any

from prefect.server.api.server import SubprocessASGIServer

from flows.process_bound import die_with


def start() -> None:
    """Start the embedded server bound to this process, unless a server is configured
    (PREFECT_API_URL) or ephemeral mode is off. Call it from the main thread: the kernel's
    signal follows the thread that started the child, and only the main thread lives as long
    as the process. From another thread, Prefect starts its own server as before."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_ALLOW_EPHEMERAL_MODE

    if PREFECT_API_URL.value() or not PREFECT_SERVER_ALLOW_EPHEMERAL_MODE.value():
        return
    if threading.current_thread() is not threading.main_thread() or not sys.platform.startswith("linux"):
        return
    ParentBoundServer().start()


class ParentBoundServer(SubprocessASGIServer):
    """Prefect's ephemeral server, the same command and environment, whose process the kernel
    signals when ours dies."""

    def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
        from prefect.settings import get_current_settings

        import prefect

        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1",
               **get_current_settings().to_environment_variables(exclude_unset=True)}
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
                   "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                   "--port", str(self.port), "--log-level", "error", "--lifespan", "on"]
        return subprocess.Popen(command, env=env, preexec_fn=die_with(os.getpid()))
