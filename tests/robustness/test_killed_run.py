"""`factlint run` killed with SIGKILL (#14): the Prefect API server it started must not outlive
it. Prefect stops its embedded server at exit (atexit), which a kill -9 never reaches: 14 of 15
hostile trials left it running, holding its port and SQLite database.

The run is made to wait inside its flow (this test holds the output folder's publication lock),
so the kill always lands with the server up and the flow running."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from robustness_support import REPO
from factlint import publish

pytestmark = pytest.mark.flow

SERVER_MARK = "prefect.server.api.server:create_app"
START_TIMEOUT = 300.0           # a fresh SQLite database migrates for ~30 s on 2 loaded cores
DEATH_TIMEOUT = 15.0


def _server_of(parent: psutil.Process) -> psutil.Process | None:
    for child in parent.children(recursive=True):
        try:
            if SERVER_MARK in " ".join(child.cmdline()):
                return child
        except psutil.NoSuchProcess:
            continue
    return None


def _port(server: psutil.Process) -> str:
    args = server.cmdline()
    return args[args.index("--port") + 1]


def _healthy(port: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE      # a zombie has exited
    except psutil.NoSuchProcess:
        return False


def _wait_for(condition, timeout: float, what: str, proc: subprocess.Popen):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc.poll() is not None:
            pytest.fail(f"factlint run exited ({proc.returncode}) before {what}: {proc.stderr.read()[-2000:]}")
        time.sleep(0.2)
    pytest.fail(f"no {what} after {timeout:g} s")


def test_kill_9_of_factlint_run_takes_its_prefect_server_with_it(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "validated"
    shutil.copytree(REPO / "data" / "raw", raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               DO_NOT_TRACK="1", PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "factlint", "run", str(raw), "--out", str(out),
               "--reports", str(tmp_path / "reports")]
    server = None
    with publish.publication_lock(out):
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        try:
            run = psutil.Process(proc.pid)
            server = _wait_for(lambda: _server_of(run), START_TIMEOUT, "Prefect server process", proc)
            _wait_for(lambda: _healthy(_port(server)), START_TIMEOUT, "healthy Prefect server", proc)
            time.sleep(1.0)                 # the flow run has begun and waits for the lock
            assert proc.poll() is None
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            deadline = time.monotonic() + DEATH_TIMEOUT
            while _alive(server) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not _alive(server), f"the Prefect server (pid {server.pid}) outlived the killed run"
        finally:
            if proc.poll() is None:
                proc.kill()
            if server is not None and _alive(server):
                server.kill()               # the orphan this test made; it started it
