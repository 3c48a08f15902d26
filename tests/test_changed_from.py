"""`factlint check --changed-from REF` picks the notes a branch changes (what the example
workflow's inline Python used to do), and the pre-commit hook's settings."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def test_pre_commit_hook():
    [hook] = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("factlint", "factlint check --force-exclude", "python")
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("a.md", "notes/集群 note.markdown", "docs/x.md"))
    assert not any(files.search(p) for p in ("a.mdx", "md.txt", "readme.md.bak"))


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """Notes under notes/ and data/raw/ (the configured paths), plus Markdown that is no note: a
    README, docs, and a folder whose name only starts like a configured one."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for name in ("notes/kept.md", "notes/edited.md", "notes/gone.md", "notes/notes.txt",
                 "notes/drafts/draft.md", "data/raw/raw.md", "README.md", "docs/deep/nested.md",
                 "notes-old/old.md"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(f"# {name}\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text('[tool.factlint]\npaths = ["notes", "./data/raw/"]\n'
                                         'exclude = ["notes/drafts/*"]\n', encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    base = _git(repo, "rev-parse", "HEAD")
    for name in ("notes/edited.md", "README.md", "docs/deep/nested.md", "notes-old/old.md",
                 "notes/集群 new note.markdown", "notes/notes.txt", "notes/drafts/draft.md"):
        (repo / name).write_text("# changed\n", encoding="utf-8")
    (repo / "notes" / "gone.md").unlink()
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "change")
    monkeypatch.chdir(repo)
    return repo, base


def _targets(base: str) -> list[str]:
    """What `check --changed-from base` checks, in the working directory."""
    from factlint.cli import _paths, _scoped
    from factlint.changed import changed_targets
    from factlint.config import load_config
    from factlint.pipeline import discover

    settings = load_config()
    targets = _scoped(changed_targets(base, settings, _paths(None, settings)), settings, True)
    return sorted(str(p) for p in discover(targets)) if targets else []


def test_changed_notes_are_the_added_and_edited_markdown_files_under_the_configured_paths(repo):
    repo, base = repo
    assert _targets(base) == ["notes/edited.md", "notes/集群 new note.markdown"]


def test_a_configuration_change_rechecks_every_note_under_the_new_paths(repo):
    repo, base = repo
    (repo / "pyproject.toml").write_text('[tool.factlint]\npaths = ["notes", "docs"]\n'
                                         'fail-on = "warning"\n', encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "stricter, and the docs are notes now")
    assert _targets(base) == ["docs/deep/nested.md", "notes/drafts/draft.md", "notes/edited.md",
                              "notes/kept.md", "notes/集群 new note.markdown"]


@pytest.mark.parametrize("pyproject", ["[tool.factlint]\n", '[project]\nname = "x"\n', None])
def test_without_configured_paths_the_notes_are_data_raw(repo, pyproject):
    repo, base = repo
    if pyproject is None:
        _git(repo, "rm", "-q", "pyproject.toml")
    else:
        (repo / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "default paths")
    assert _targets(base) == ["data/raw/raw.md"]       # the configuration changed: all of them


def test_without_configured_paths_only_changed_notes_under_data_raw_are_checked(repo):
    repo, _ = repo
    (repo / "pyproject.toml").write_text("[tool.factlint]\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "default paths")
    head = _git(repo, "rev-parse", "HEAD")
    for name in ("data/raw/raw.md", "notes/kept.md", "README.md"):
        (repo / name).write_text("# edited\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "edits")
    assert _targets(head) == ["data/raw/raw.md"]


def test_a_changed_reference_file_rechecks_every_note(repo):
    repo, _ = repo
    (repo / "kb.yaml").write_text("- id: x\n", encoding="utf-8")
    with (repo / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write('reference-files = ["kb.yaml"]\n')
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "our own facts")
    head = _git(repo, "rev-parse", "HEAD")
    (repo / "kb.yaml").write_text("- id: y\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "a fact changed")
    assert _targets(head) == ["data/raw/raw.md", "notes/edited.md", "notes/kept.md",
                              "notes/集群 new note.markdown"]


def test_no_changed_note_means_nothing_to_check(repo):
    repo, _ = repo
    head = _git(repo, "rev-parse", "HEAD")
    (repo / "README.md").write_text("# only the readme\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "readme")
    assert _targets(head) == []
    done = subprocess.run([sys.executable, "-m", "factlint", "check", "--changed-from", head],
                          cwd=repo, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("base", ["", "0" * 40, "1234567890abcdef1234567890abcdef12345678"])
def test_an_unusable_base_is_a_usage_error(repo, base):
    from factlint.errors import UsageError

    with pytest.raises(UsageError, match="no such commit"):
        _targets(base)
