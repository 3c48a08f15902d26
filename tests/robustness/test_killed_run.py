"""`factlint run` killed with SIGKILL (#14). The Prefect API server it started must not outlive
it: Prefect stops its embedded server at exit (atexit), which a kill -9 never reaches, and 14 of
15 hostile trials left it running, holding its port and SQLite database. And a run killed right
after it switched `current` leaves a version with no history line and the report of the run
before: the next run repairs both.

Each test runs the real `factlint run` in a subprocess; they share one PREFECT_HOME, so the
embedded server's database is migrated once."""
from __future__ import annotations

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
from factlint import history, publish

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


def _run_command(tmp_path: Path) -> list[str]:
    raw = tmp_path / "raw"
    if not raw.exists():
        shutil.copytree(REPO / "data" / "raw", raw)
    return [sys.executable, "-m", "factlint", "run", str(raw), "--out", str(tmp_path / "validated"),
            "--reports", str(tmp_path / "reports")]


def test_kill_9_of_factlint_run_takes_its_prefect_server_with_it(tmp_path, run_env):
    command, out, env = _run_command(tmp_path), tmp_path / "validated", run_env
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


def _wait_for_line(proc: subprocess.Popen, wanted: str, timeout: float = START_TIMEOUT) -> None:
    deadline, seen = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if line.strip() == wanted:
            return
    proc.kill()
    pytest.fail(f"never saw {wanted!r}: {''.join(seen)[-2000:]}")


def test_the_run_after_one_killed_past_the_switch_records_it_and_reports_anew(tmp_path, run_env):
    command, out, index = _run_command(tmp_path), tmp_path / "validated", tmp_path / "reports" / "index.html"
    ran = subprocess.run(command, cwd=REPO, env=run_env, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 1, ran.stderr[-2000:]            # data/raw holds a note with errors
    [first] = history.read(out / history.HISTORY_FILE)

    proc = subprocess.Popen(command, cwd=REPO, env={**run_env, publish.PAUSE_ENV: "swapped"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_line(proc, "factlint-publish-step: swapped")
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    killed = publish.read_published(out).version
    assert killed != first["published_version"]
    assert [e["published_version"] for e in history.read(out / history.HISTORY_FILE)] == [first["run_id"]]
    assert first["run_id"] in index.read_text(encoding="utf-8")          # the report is stale

    ran = subprocess.run(command, cwd=REPO, env=run_env, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 1, ran.stderr[-2000:]
    lines = history.read(out / history.HISTORY_FILE)
    assert [e["published_version"] for e in lines[:2]] == [first["run_id"], killed]
    assert ["recovered" in e for e in lines] == [False, True, False]
    assert lines[2]["run_id"] in index.read_text(encoding="utf-8")
