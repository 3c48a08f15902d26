"""`factlint check --changed-from REF`: the notes a branch changes, for a pull request's check.

The notes changed since REF (added, copied, modified or renamed, as git sees them against the
working tree) that the configuration checks: under its `paths`, outside its `exclude`. When a
file that decides every note's result changed (the pyproject.toml that configures factlint, its
vocabulary or reference files, the built-in knowledge base of a checkout), every configured
note is checked: any of them may read differently now.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from factlint.errors import UsageError

NOTE_SUFFIXES = (".md", ".markdown")


def changed_targets(ref: str, settings, configured: list[Path]) -> list[Path]:
    """What to check for a change since ``ref``: the changed notes in scope, or ``configured``
    (the configured paths) when an input of every note changed."""
    from dataclasses import replace

    from factlint.config import in_scope

    top = _git_root()
    _verify(ref, top)
    inputs = _shared_inputs(settings)
    if any(_within(path, root) for path in _changed(ref, top, "ACDMR") for root in inputs):
        return configured           # deleted too: a removed vocabulary changes every note
    notes = replace(settings, paths=tuple(map(str, configured)))    # the default data/raw too
    return [_shown(path) for path in _changed(ref, top, "ACMR")
            if path.suffix.lower() in NOTE_SUFFIXES and in_scope(path, notes, named=True)]


def _changed(ref: str, top: Path, kinds: str) -> list[Path]:
    names = _git(["diff", "--name-only", "-z", f"--diff-filter={kinds}", ref, "--"], top)
    return [top / name for name in names.split("\0") if name]


def _shared_inputs(settings) -> list[Path]:
    from factlint.cache import DEFAULT_VOCAB_DIR
    from factlint.reference.kb import DEFAULT_PATH

    from factlint.config import project_dir

    # The project's pyproject.toml even when it has no [tool.factlint] (yet, or any more).
    named = [settings.config_file, project_dir(settings) / "pyproject.toml", settings.reference,
             *settings.reference_files, *settings.vocabulary]
    return [Path(os.path.realpath(p)) for p in (*named, DEFAULT_PATH, DEFAULT_VOCAB_DIR) if p]


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _shown(path: Path) -> Path:
    """Relative to the working directory when below it, as a path typed on the command line."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _git_root() -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], Path.cwd()).strip())


def _verify(ref: str, top: Path) -> None:
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except UsageError:
        raise UsageError(f"--changed-from {ref}: no such commit (fetch the history: "
                         f"actions/checkout with fetch-depth: 0)") from None


def _git(arguments: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True,
                              errors="surrogateescape")
    except FileNotFoundError:
        raise UsageError("--changed-from needs git on PATH") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        raise UsageError(f"git {arguments[0]}: {message}")
    return done.stdout
