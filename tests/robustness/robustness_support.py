"""Robustness tests import the benchmark's generator and fuzzer (benchmarks/ is not a package
that is installed, so its folder goes on sys.path here)."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

FIXTURE_NOTES = sorted((REPO / "tests" / "fixtures" / "notes").glob("*.md"))
SAMPLE_NOTE = REPO / "data" / "raw" / "cerebras-roadmap-note.md"


@pytest.fixture
def strict(monkeypatch):
    """A rule's exception escapes instead of becoming a "rule … crashed" finding."""
    monkeypatch.setenv("FACTLINT_STRICT", "1")


def refuse_reads(monkeypatch, name: str) -> None:
    """Every system call the run makes on `name` (or below it) fails as a chmod 000 does. The
    tests run as root, where chmod 000 does not stop a read, so it is made at the system calls
    the code makes (os.scandir for os.walk, os.listdir, os.stat, Path.read_bytes)."""
    def refused(path) -> bool:
        if isinstance(path, int):                  # os.stat(fd): an open file, already readable
            return False
        return name in Path(os.fsdecode(path)).parts

    def guard(real):
        def call(path, *args, **kwargs):
            if refused(path):
                raise PermissionError(13, "Permission denied", os.fsdecode(path))
            return real(path, *args, **kwargs)
        return call

    for attr in ("scandir", "listdir"):
        monkeypatch.setattr(os, attr, guard(getattr(os, attr)))
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: (  # the folder itself still stats,
        guard(real_stat)(path, *a, **k) if not isinstance(path, int) and refused(Path(os.fsdecode(path)).parent)
        else real_stat(path, *a, **k)))
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: guard(lambda p: real_read(p))(self))


def two_folders(root: Path, note: Path = SAMPLE_NOTE) -> Path:
    """root/open/note.md and root/locked/note.md, both a copy of `note`."""
    for folder in ("open", "locked"):
        (root / folder).mkdir()
        shutil.copy(note, root / folder / "note.md")
    return root


@pytest.fixture(scope="module")
def run_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a `factlint run` subprocess: its own PREFECT_HOME (the embedded
    server's database, migrated once per test module) and document cache, no API URL."""
    from factlint.cache import CACHE_ENV
    from factlint.publish import PAUSE_ENV

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_") and k != PAUSE_ENV}
    env.update(PREFECT_HOME=str(tmp_path_factory.mktemp("prefect-home")), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH=str(REPO),
               **{CACHE_ENV: str(tmp_path_factory.mktemp("cache"))})
    return env
