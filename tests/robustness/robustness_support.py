"""Robustness tests import the benchmark's generator and fuzzer (benchmarks/ is not a package
that is installed, so its folder goes on sys.path here)."""
from __future__ import annotations

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
