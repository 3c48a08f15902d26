"""Serve ``validate-notes`` on a cron schedule.

Scheduling needs a persistent Prefect server (the embedded ephemeral one has no scheduler).
``serve`` uses the server PREFECT_API_URL names; without one it starts
``prefect server start`` as a child process (SQLite under PREFECT_HOME), waits for
``/api/health``, and stops it on exit: normal return, Ctrl-C, SIGTERM (atexit and signal
handlers), and even kill -9 of this process (the child asks the kernel for SIGTERM when its
parent dies).

CLI: ``factlint serve --cron "0 6 * * *"`` calls ``serve(cron, raw, out, reports)``.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

from flows.environment import apply_defaults
from flows.process_bound import die_with

DEPLOYMENT = "validate-notes"
SERVER_START_TIMEOUT = 180.0            # a fresh database needs ~20 s of migrations on 2 cores


class ServerStartError(RuntimeError):
    """The local Prefect server did not become healthy."""


def serve(cron: str, raw: str | Path = "data/raw", out: str | Path = "data/validated",
          reports: str | Path = "reports", *, name: str = DEPLOYMENT,
          config: str | Path | None = None) -> None:
    """Register the deployment ``validate-notes/<name>`` with the schedule ``cron`` and run
    its flow runs in this process until stopped. Paths are made absolute: runs start in a
    fresh subprocess."""
    apply_defaults()
    with prefect_api() as api_url:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.validate_notes import validate_notes     # imports prefect: after the API URL

        parameters = {"raw": str(Path(raw).resolve()), "out": str(Path(out).resolve()),
                      "reports": str(Path(reports).resolve())}
        if config is not None:
            parameters["config"] = str(Path(config).resolve())
        # The environment variable suffices when prefect was not imported before; the
        # temporary setting covers a caller that already had it imported.
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            validate_notes.serve(name=name, cron=cron, parameters=parameters,
                                 pause_on_shutdown=False)   # stopping must not pause it


@contextlib.contextmanager
def prefect_api(port: int | None = None,
                timeout: float = SERVER_START_TIMEOUT) -> Iterator[str]:
    """PREFECT_API_URL when it is set, else a local server started (and stopped) here."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    server = LocalServer(port or free_port())
    stop = server.stop
    atexit.register(stop)
    previous = {sig: signal.signal(sig, _exit_on_signal) for sig in (signal.SIGTERM,)}
    try:
        server.start(timeout)
        os.environ["PREFECT_API_URL"] = server.api_url
        print(f"factlint: Prefect UI at {server.ui_url}", flush=True)
        print(f"factlint: Prefect API at {server.api_url} (server log: {server.log_path})",
              flush=True)
        yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        stop()
        atexit.unregister(stop)
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(sig, handler)


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)      # unwinds through `finally`, which stops the server


class LocalServer:
    """``prefect server start`` as a child process in its own process group, with its UI (the
    pages ship inside the prefect package: nothing is fetched) at ``ui_url``."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.host, self.port = host, port
        self.ui_url = f"http://{host}:{port}"
        self.api_url = f"{self.ui_url}/api"
        home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect"))
        home.mkdir(parents=True, exist_ok=True)
        self.log_path = home / f"server-{port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = SERVER_START_TIMEOUT) -> None:
        prefect_cli = Path(sys.executable).with_name("prefect")
        command = [str(prefect_cli), "server", "start", "--host", self.host, "--port",
                   str(self.port), "--analytics-off"]
        env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "PREFECT_UI_API_URL": self.api_url}      # the pages call this server's API
        env.pop("PREFECT_API_URL", None)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=env,
                                            start_new_session=True, preexec_fn=die_with(os.getpid()))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerStartError(f"prefect server exited with {self.process.returncode}: "
                                       f"{self._log_tail()}")
            if self.healthy():
                return
            time.sleep(0.5)
        self.stop()
        raise ServerStartError(f"prefect server not healthy after {timeout:g} s: {self._log_tail()}")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self, grace: float = 15.0) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def _log_tail(self, size: int = 2000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-size:]
        except OSError:
            return "(no log)"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else "0 6 * * *", *sys.argv[2:5])
