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
    from factlint.config import in_scope

    top = _git_root()
    _verify(ref, top)
    changed = [top / name for name in _git(["diff", "--name-only", "-z", "--diff-filter=ACMR", ref, "--"],
                                           top).split("\0") if name]
    inputs = _shared_inputs(settings)
    if any(_within(path, root) for path in changed for root in inputs):
        return configured
    return [_shown(path) for path in changed
            if path.suffix.lower() in NOTE_SUFFIXES and in_scope(path, settings, named=True)]


def _shared_inputs(settings) -> list[Path]:
    from factlint.cache import DEFAULT_VOCAB_DIR
    from factlint.reference.kb import DEFAULT_PATH

    named = [settings.config_file, settings.reference, *settings.reference_files, *settings.vocabulary]
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
