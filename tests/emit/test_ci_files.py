"""The pre-commit hook and the example GitHub workflow: their settings, and the workflow's shell
steps run for real in a scratch git repository (with a stand-in `factlint` on PATH)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "factlint.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")


def _steps() -> dict[str, dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["factlint"]["steps"]
    return {s.get("name") or s["uses"].split("@")[0]: s for s in steps}


def test_pre_commit_hook():
    [hook] = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("factlint", "factlint check --force-exclude", "python")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("a.md", "notes/集群 note.markdown", "docs/x.md"))
    assert not any(files.search(p) for p in ("a.mdx", "md.txt", "readme.md.bak"))


def test_workflow_shape():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    steps = _steps()
    assert {"actions/checkout", "actions/setup-python", "Upload to code scanning"} <= set(steps)
    assert steps["actions/checkout"]["with"]["fetch-depth"] == 0
    upload = steps["Upload to code scanning"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    check = steps["Check changed notes"]["run"]
    assert "factlint check --format sarif --output factlint.sarif" in check
    assert upload["with"]["sarif_file"] == "factlint.sarif"


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def _run_step(name: str, repo: Path, env: dict[str, str]) -> dict[str, str]:
    """Run one step's script like the runner does (bash -e) and return what it set as outputs."""
    output = repo / "github-output"
    output.write_text("", encoding="utf-8")
    subprocess.run(["bash", "-e", "-c", _steps()[name]["run"]], cwd=repo, check=True,
                   env={**os.environ, **env, "GITHUB_OUTPUT": str(output)}, capture_output=True)
    return dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())


NOTES_CONFIG = '[tool.factlint]\npaths = ["notes", "./data/raw/"]\n'


@pytest.fixture
def repo(tmp_path):
    """Notes under notes/ and data/raw/ (the configured paths), plus Markdown that is no note: a
    README, docs, and a folder whose name only starts like a configured one."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for name in ("notes/kept.md", "notes/edited.md", "notes/gone.md", "notes/notes.txt",
                 "data/raw/raw.md", "README.md", "docs/deep/nested.md", "notes-old/old.md"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(f"# {name}\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text(NOTES_CONFIG, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    base = _git(repo, "rev-parse", "HEAD")
    for name in ("notes/edited.md", "README.md", "docs/deep/nested.md", "notes-old/old.md",
                 "notes/集群 new note.markdown", "notes/notes.txt"):
        (repo / name).write_text("# changed\n", encoding="utf-8")
    (repo / "notes" / "gone.md").unlink()
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "change")
    return repo, base


def _changed(repo: Path) -> list[str]:
    return sorted(p for p in (repo / "changed-notes").read_bytes().decode().split("\0") if p)


def _run(repo: Path, base: str) -> dict[str, str]:
    # The workflow's `python` is the one setup-python installs (3.11, which has tomllib).
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return _run_step("Find changed notes", repo, {"BASE_SHA": base, "PATH": path})


def test_changed_notes_are_the_added_and_edited_markdown_files_under_the_configured_paths(repo):
    repo, base = repo
    outputs = _run(repo, base)
    assert _changed(repo) == ["notes/edited.md", "notes/集群 new note.markdown"]
    assert outputs == {"count": "2"}
    assert not (set(os.listdir(repo)) - {".git", "notes", "notes-old", "data", "docs", "README.md",
                                         "pyproject.toml", "github-output", "changed-notes"})


@pytest.mark.parametrize("base", ["", "0" * 40, "1234567890abcdef1234567890abcdef12345678"])
def test_without_a_usable_base_every_note_is_checked(repo, base):
    repo, _ = repo
    outputs = _run(repo, base)
    assert _changed(repo) == ["data/raw/raw.md", "notes/edited.md", "notes/kept.md",
                              "notes/集群 new note.markdown"]
    assert outputs == {"count": "4"}


def test_a_configuration_change_rechecks_every_note_under_the_new_paths(repo):
    repo, base = repo
    (repo / "pyproject.toml").write_text('[tool.factlint]\npaths = ["notes", "docs"]\n'
                                         'fail-on = "warning"\n', encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "stricter, and the docs are notes now")
    _run(repo, base)
    assert _changed(repo) == ["docs/deep/nested.md", "notes/edited.md", "notes/kept.md",
                              "notes/集群 new note.markdown"]


@pytest.mark.parametrize("pyproject", ["[tool.factlint]\n", '[project]\nname = "x"\n', None])
def test_without_configured_paths_the_notes_are_data_raw(repo, pyproject):
    repo, _ = repo
    if pyproject is None:
        _git(repo, "rm", "-q", "pyproject.toml")
    else:
        (repo / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "default paths")
    outputs = _run(repo, "")
    assert _changed(repo) == ["data/raw/raw.md"]
    assert outputs == {"count": "1"}


def test_no_changed_note_means_nothing_to_check(repo):
    repo, _ = repo
    head = _git(repo, "rev-parse", "HEAD")
    (repo / "README.md").write_text("# only the readme\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "readme")
    assert _run(repo, head) == {"count": "0"}
    assert _changed(repo) == []


@pytest.mark.parametrize("exit_status", [0, 1, 2])
def test_check_step_passes_each_note_as_one_argument_and_records_the_exit_status(repo, exit_status):
    repo, base = repo
    _run(repo, base)
    bin_dir = repo / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "factlint"
    fake.write_text(f'#!/usr/bin/env bash\nprintf "%s\\0" "$@" > "$PWD/args"\nexit {exit_status}\n',
                    encoding="utf-8")
    fake.chmod(0o755)
    outputs = _run_step("Check changed notes", repo, {"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    args = (repo / "args").read_bytes().decode().split("\0")[:-1]
    assert args == ["check", "--format", "sarif", "--output", "factlint.sarif", "--format", "github",
                    "--", "notes/edited.md", "notes/集群 new note.markdown"]
    assert outputs == {"status": str(exit_status)}
