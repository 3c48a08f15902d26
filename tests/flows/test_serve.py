"""`serve` really runs: a subprocess serves the deployment against the local server it starts
itself; we trigger a run through the Prefect CLI and wait for it to complete. prefect.yaml
deploys to the same server. Stopping serve stops its server."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.flows.corpus import FIXTURES

pytestmark = pytest.mark.flow

REPO = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))
DEPLOYMENT = "validate-notes/validate-notes"


def test_a_served_deployment_runs_to_completion(tmp_path):
    raw, out, reports = tmp_path / "raw", tmp_path / "validated", tmp_path / "reports"
    shutil.copytree(FIXTURES / "clean", raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), FACTLINT_CACHE_DIR=str(tmp_path / "cache"),
               PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="WARNING")
    script = ("from flows.serve import serve; "
              f"serve('0 6 * * *', {str(raw)!r}, {str(out)!r}, {str(reports)!r})")
    server = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        ui, api = _addresses(server, timeout=240)
        with urllib.request.urlopen(ui, timeout=30) as page:     # the address serve prints opens
            assert page.status == 200 and "<title>Prefect" in page.read().decode("utf-8", "replace")
        cli_env = {**env, "PREFECT_API_URL": api}
        _wait_for_deployment(cli_env, timeout=120)
        run = subprocess.run([PREFECT, "deployment", "run", DEPLOYMENT, "--watch",
                              "--watch-timeout", "300"], cwd=REPO, env=cli_env, text=True,
                             capture_output=True, timeout=360)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Completed" in run.stdout + run.stderr
        manifest = json.loads((out / "current" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["counts"]["published"] == 2
        assert (reports / "index.html").is_file()

        _deploy_prefect_yaml(cli_env)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
    assert not _healthy(api), "serve left its Prefect server running"


def _deploy_prefect_yaml(cli_env):
    pool = subprocess.run([PREFECT, "work-pool", "create", "factlint-process", "--type", "process"],
                          cwd=REPO, env=cli_env, text=True, capture_output=True, timeout=120)
    assert pool.returncode == 0, pool.stdout + pool.stderr
    deploy = subprocess.run([PREFECT, "--no-prompt", "deploy", "--all"], cwd=REPO, env=cli_env,
                            text=True, capture_output=True, timeout=180)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    inspect = subprocess.run([PREFECT, "deployment", "inspect", DEPLOYMENT], cwd=REPO,
                             env=cli_env, text=True, capture_output=True, timeout=120)
    assert "factlint-process" in inspect.stdout and "0 6 * * *" in inspect.stdout, inspect.stdout


def _addresses(server, timeout):
    """The UI and API addresses serve prints, in that order."""
    deadline, seen, found = time.monotonic() + timeout, [], {}
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line:
            break
        seen.append(line)
        for what in ("UI", "API"):
            if line.startswith(f"factlint: Prefect {what} at "):
                found[what] = line.split()[4]
        if "API" in found:
            return found.get("UI"), found["API"]
    server.kill()
    pytest.fail("serve never reported its API:\n" + "".join(seen)[-3000:])


def _wait_for_deployment(env, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subprocess.run([PREFECT, "deployment", "inspect", DEPLOYMENT], cwd=REPO, env=env,
                               capture_output=True, text=True, timeout=120)
        if found.returncode == 0:
            return
        time.sleep(2)
    pytest.fail(f"deployment {DEPLOYMENT} never registered")


def _healthy(api):
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
