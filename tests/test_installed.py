"""factlint as users run it: the wheel built from this checkout, installed light (no extras) into a
fresh virtual environment outside the checkout, run from another directory, and run as a
pre-commit hook by real pre-commit against a git repository of its own.

Offline: the wheel is built with uv from its cache (`uv build --offline`); the fresh environment
gets the light dependency set pinned in uv.lock from uv's cache (`uv sync --no-dev
--no-install-project --offline`), then the wheel with `--no-deps`, and `uv pip check` proves the
wheel's own requirements are met by that set. (`uv pip install --offline wheel` would resolve
afresh and needs metadata uv only fetches online.)
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import factlint

CODE_ROOT = Path(factlint.__file__).resolve().parents[1]
FIRST_NOTE = CODE_ROOT / "data" / "raw" / "cerebras-roadmap-note.md"
HEAVY = ("prefect", "great_expectations", "distributed", "dask")


def _uv() -> str:
    """The uv `make env` installed (the Makefile passes it as FACTLINT_UV), else one on PATH."""
    for candidate in (os.environ.get("FACTLINT_UV"), str(CODE_ROOT / ".tools" / "uv" / "bin" / "uv"),
                      shutil.which("uv")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise AssertionError("no uv found: run the tests through `make test` (or set FACTLINT_UV)")


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment less whatever would make Python find this checkout's code."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT") and not k.startswith("PYTEST")}
    return {**env, **extra}


def _run(command, cwd, env=None, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=env or _clean_env(), capture_output=True, text=True,
                          timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run([_uv(), "build", "--wheel", "--offline", "--quiet", "--out-dir", str(dist), str(CODE_ROOT)],
         cwd=dist)
    (built,) = dist.glob("factlint-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("users-venv") / "venv"
    uv = _uv()
    _run([uv, "sync", "--quiet", "--project", str(CODE_ROOT), "--frozen", "--offline", "--no-dev",
          "--no-install-project", "--python", sys.executable], cwd=root.parent,
         env=_clean_env(UV_PROJECT_ENVIRONMENT=str(root)))
    python = str(root / "bin" / "python")
    _run([uv, "pip", "install", "--quiet", "--offline", "--no-deps", "--python", python, str(wheel)],
         cwd=root.parent)
    _run([uv, "pip", "check", "--python", python], cwd=root.parent)    # the wheel's requirements met
    return root


def test_the_wheel_requires_no_orchestration_and_carries_its_data(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    required = [line.split(":", 1)[1].strip() for line in metadata.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert required and not [r for r in required if r.split(">")[0].split("[")[0].replace("-", "_")
                             in HEAVY + ("prefect_dask",)]
    assert "Provides-Extra: flow" in metadata and "Provides-Extra: dask" in metadata
    assert {"factlint/_reference/facts.yaml", "factlint/_gx/claims.json",
            "factlint/vocab/units.yaml", "flows/validate_notes.py"} <= names


def test_the_light_install_has_no_prefect_gx_or_dask(venv):
    probe = "import importlib.util as u, sys; print([m for m in sys.argv[1:] if u.find_spec(m)])"
    done = _run([str(venv / "bin" / "python"), "-c", probe, *HEAVY], cwd=venv)
    assert done.stdout.strip() == "[]"
    located = _run([str(venv / "bin" / "python"), "-c", "import factlint; print(factlint.__file__)"], cwd=venv)
    assert located.stdout.strip().startswith(str(venv))              # the installed copy, not ours


def test_installed_check_from_another_directory_finds_the_known_findings(venv, tmp_path):
    project = tmp_path / "somewhere-else"
    project.mkdir()
    shutil.copy(FIRST_NOTE, project / "note.md")
    done = _run([str(venv / "bin" / "factlint"), "check", "note.md", "--concise"], cwd=project, check=False)
    assert done.returncode == 1, done.stderr
    assert "note.md:39:" in done.stdout and "reference-mismatch" in done.stdout     # the built-in KB
    assert "Gate: failed, 20 findings at or above error." in done.stdout
    assert set(os.listdir(project)) == {"note.md"}                   # `check` leaves nothing behind


def test_installed_run_names_the_extra_it_needs(venv, tmp_path):
    done = _run([str(venv / "bin" / "factlint"), "run", "."], cwd=tmp_path, check=False)
    assert done.returncode == 2
    assert "pip install 'factlint[flow]'" in done.stderr and "Traceback" not in done.stderr


def _hook_as_local(bin_dir: Path) -> dict:
    """The hook .pre-commit-hooks.yaml publishes, as a `repo: local` hook of language `system`
    running the installed factlint: pre-commit's `language: python` would build its own
    environment from the package registry, which a test may not reach."""
    (hook,) = yaml.safe_load((CODE_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    command, *arguments = hook["entry"].split()
    assert command == "factlint" and hook["language"] == "python"
    local = {k: v for k, v in hook.items() if k not in ("language", "description")}
    return {**local, "entry": " ".join([str(bin_dir / command), *arguments]), "language": "system"}


def test_the_hook_through_real_pre_commit_checks_only_the_configured_notes(venv, tmp_path):
    repo = tmp_path / "repo"
    (repo / "notes").mkdir(parents=True)
    shutil.copy(FIRST_NOTE, repo / "notes" / "roadmap.md")
    # A README with a table whose numbers are wrong is no note: --force-exclude leaves it out.
    (repo / "README.md").write_text("| Node | Cores |\n|---|---|\n| a | 2 PLOPS |\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text('[tool.factlint]\npaths = ["notes"]\n', encoding="utf-8")
    config = {"repos": [{"repo": "local", "hooks": [_hook_as_local(venv / "bin")]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = _clean_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_AUTHOR_NAME="t",
                     GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
                     GIT_COMMITTER_EMAIL="t@example.invalid")
    _run(["git", "init", "-q"], cwd=repo, env=env)
    _run(["git", "add", "-A"], cwd=repo, env=env)
    pre_commit = [sys.executable, "-m", "pre_commit"]
    failed = _run([*pre_commit, "run", "--all-files", "--color", "never"], cwd=repo, env=env, check=False)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "factlint" in failed.stdout and "Failed" in failed.stdout
    assert "notes/roadmap.md:39:" in failed.stdout and "README.md" not in failed.stdout
    passed = _run([*pre_commit, "run", "--files", "README.md", "--color", "never"], cwd=repo, env=env,
                  check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
