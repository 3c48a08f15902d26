"""`exclude` and `--force-exclude`, as ruff has them: pre-commit names every changed Markdown file
(README.md, docs/...), and the hook checks only the notes the configuration names."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTE = "# R\n\n| Chip | Compute |\n|---|---|\n| WSE-3 | 8 PLOPS |\n"


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.factlint]\npaths = ["notes"]\nexclude = ["notes/drafts/*"]\n', encoding="utf-8")
    for name in ("README.md", "notes/a.md", "notes/drafts/b.md", "docs/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(NOTE, encoding="utf-8")
    return tmp_path


def _checked(project, *args):
    env_python = [sys.executable, "-m", "factlint", "check", "--concise", "--fail-on", "never", *args]
    proc = subprocess.run(env_python, cwd=project, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    return sorted({line.split(":")[0] for line in proc.stdout.splitlines() if ".md:" in line})


def test_a_folder_walk_leaves_out_what_exclude_names(project):
    assert _checked(project) == ["notes/a.md"]
    assert _checked(project, "notes") == ["notes/a.md"]


def test_files_named_on_the_command_line_are_checked_as_named(project):
    named = ["README.md", "notes/a.md", "notes/drafts/b.md", "docs/c.md"]
    assert _checked(project, *named) == sorted(named)


def test_force_exclude_holds_named_files_to_paths_and_exclude(project):
    named = ["README.md", "notes/a.md", "notes/drafts/b.md", "docs/c.md"]
    assert _checked(project, "--force-exclude", *named) == ["notes/a.md"]
    assert _checked(project, "--force-exclude", "README.md") == []


def test_exclude_must_be_a_list_of_globs(project):
    (project / "pyproject.toml").write_text('[tool.factlint]\nexclude = "notes"\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "factlint", "check"], cwd=project, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 2 and "exclude" in proc.stderr
