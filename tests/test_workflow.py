"""The example GitHub workflow: what it may do (permissions), what starts it, and its check step
run as GitHub would run it (bash, its environment, $GITHUB_OUTPUT) in a git repository of its
own, for a pull request and for a push to main. Which notes to check is the CLI's business
(`check --changed-from`), not inline Python in the workflow."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import factlint

CODE_ROOT = Path(factlint.__file__).resolve().parents[1]
WORKFLOW = CODE_ROOT / ".github" / "workflows" / "factlint.yml"
CLEAN = CODE_ROOT / "tests" / "flows" / "fixtures" / "clean" / "accelerators-en.md"
FIRST_NOTE = CODE_ROOT / "data" / "raw" / "cerebras-roadmap-note.md"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))       # YAML 1.1 reads a bare `on` as true


def _check_step(workflow: dict) -> dict:
    (step,) = [s for j in workflow["jobs"].values() for s in j["steps"] if s.get("id") == "check"]
    return step


def test_permissions_are_what_code_scanning_needs(workflow):
    assert workflow["permissions"] == {"contents": "read", "actions": "read", "security-events": "write"}


def test_pull_requests_and_pushes_to_main_start_it_also_for_reference_data(workflow):
    triggers = _triggers(workflow)
    assert triggers["push"]["branches"] == ["main"]
    for event in ("pull_request", "push"):
        paths = triggers[event]["paths"]
        assert {"**.md", "pyproject.toml", "data/reference/**"} <= set(paths)


def test_the_full_history_is_fetched_and_the_sarif_uploaded(workflow):
    steps = [s for j in workflow["jobs"].values() for s in j["steps"]]
    (checkout,) = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["fetch-depth"] == 0                 # the base commit, for --changed-from
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == "factlint.sarif" and "always()" in upload["if"]


def test_the_workflow_filters_no_files_itself(workflow):
    scripts = "\n".join(s.get("run", "") for j in workflow["jobs"].values() for s in j["steps"])
    assert "python" not in scripts and "git diff" not in scripts and "tomllib" not in scripts
    installs = [s["run"] for j in workflow["jobs"].values() for s in j["steps"] if "pip install" in s.get("run", "")]
    assert installs and all("[" not in line for line in installs)       # the light install


def _git(repo: Path, *arguments: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", *arguments], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture()
def repo(tmp_path) -> dict:
    """A repository whose pull request changes one of two notes, adding a warning to it (and a
    README nobody checks); the other note has errors."""
    root = tmp_path / "repo"
    (root / "notes").mkdir(parents=True)
    shutil.copy(CLEAN, root / "notes" / "clean.md")
    shutil.copy(FIRST_NOTE, root / "notes" / "roadmap.md")
    (root / "pyproject.toml").write_text('[tool.factlint]\npaths = ["notes"]\n', encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    base = _git(root, "rev-parse", "HEAD")
    with (root / "notes" / "clean.md").open("a", encoding="utf-8") as note:
        note.write("\n| Chip | Compute |\n|---|---|\n| X1 | 2 PLOPS |\n")
    (root / "README.md").write_text("| a | b |\n|---|---|\n| 1 | 2 PLOPS |\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "change a note")
    shim = tmp_path / "bin" / "factlint"                # `factlint` on PATH: this checkout's CLI
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{CODE_ROOT}" exec "{sys.executable}" -m factlint "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    return {"root": root, "base": base, "bin": shim.parent}


def _run_check_step(workflow: dict, repo: dict, event: str) -> tuple[int, set[str], str]:
    step = _check_step(workflow)
    output = repo["root"].parent / f"github-output-{event}"
    github = {"github.event_name": event,
              "github.event.pull_request.base.sha": repo["base"] if event == "pull_request" else ""}
    env = {**os.environ, "PATH": f"{repo['bin']}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_OUTPUT": str(output)}
    for name, expression in step["env"].items():
        env[name] = github[expression.removeprefix("${{").removesuffix("}}").strip()]
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo["root"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr            # the gate is a later step
    status = int(output.read_text().strip().removeprefix("status="))
    sarif = json.loads((repo["root"] / "factlint.sarif").read_text(encoding="utf-8"))
    flagged = {loc["physicalLocation"]["artifactLocation"]["uri"]
               for run in sarif["runs"] for result in run["results"] for loc in result["locations"]}
    return status, flagged, done.stdout


def test_a_pull_request_checks_the_notes_it_changes(workflow, repo):
    status, flagged, stdout = _run_check_step(workflow, repo, "pull_request")
    assert flagged == {"notes/clean.md"}                 # not the unchanged note, not the README
    assert status == 0 and "::warning file=notes/clean.md,line=18," in stdout


def test_a_pull_request_that_changes_the_configuration_checks_every_note(workflow, repo):
    with (repo["root"] / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write('ignore = ["forecast"]\n')
    _git(repo["root"], "commit", "-q", "-am", "configuration")
    status, flagged, stdout = _run_check_step(workflow, repo, "pull_request")
    assert flagged == {"notes/clean.md", "notes/roadmap.md"}
    assert status == 1 and "::error file=notes/roadmap.md,line=" in stdout


def test_a_push_to_main_checks_every_note_with_annotations(workflow, repo):
    status, flagged, stdout = _run_check_step(workflow, repo, "push")
    assert flagged == {"notes/clean.md", "notes/roadmap.md"}
    assert status == 1 and "::error file=notes/roadmap.md,line=" in stdout


def test_changed_from_an_unknown_commit_is_a_usage_error(repo):
    done = subprocess.run([str(repo["bin"] / "factlint"), "check", "--changed-from", "no-such-ref"],
                          cwd=repo["root"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--changed-from no-such-ref: no such commit" in done.stderr and "Traceback" not in done.stderr
