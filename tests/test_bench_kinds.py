"""The benchmark's heavier kinds of notes (benchmarks/kinds.py, issue #16): copies that state other
figures than their source, with names kept, reproducibly; and the report holds check to the floor
on each kind."""
from __future__ import annotations

import re
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:          # the benchmark's modules import each other by name
    sys.path.insert(0, str(BENCHMARKS))

import kinds  # noqa: E402
import run as bench  # noqa: E402


def test_a_nudged_copy_changes_figures_only_and_keeps_their_length():
    text = kinds.sources("first-note")[0].read_text(encoding="utf-8")
    copy = kinds.nudge(text, 1)
    assert copy != text and kinds.nudge(text, 1) == copy and kinds.nudge(text, 2) != copy
    changed = 0
    for before, after in zip(text.split("\n"), copy.split("\n")):
        if before == after:
            continue
        changed += 1
        assert before.lstrip().startswith("|") and len(before) == len(after)
        # Names with digits (`WSE-3`, `H100`) are never touched; only free-standing figures are.
        assert re.findall(r"[A-Za-z][\w-]*\d\w*", before) == re.findall(r"[A-Za-z][\w-]*\d\w*", after)
    assert changed >= 10


def test_a_kind_corpus_cycles_its_sources_and_is_written_once(tmp_path):
    root = kinds.kind_corpus(tmp_path, "first-note", 3)
    notes = sorted(root.rglob("*.md"))
    source = kinds.sources("first-note")[0].read_text(encoding="utf-8")
    assert len(notes) == 3 and notes[0].read_text(encoding="utf-8") == source
    assert len({p.read_text(encoding="utf-8") for p in notes}) == 3
    stamp = notes[1].stat().st_mtime_ns
    assert kinds.kind_corpus(tmp_path, "first-note", 3) == root and notes[1].stat().st_mtime_ns == stamp


def test_the_report_holds_check_to_the_floor_on_each_kind():
    by_kind = {"first-note": {"notes": 10, "mb": 0.1, "floor_s": 1.0, "check_s": 2.5, "ratio": 2.5,
                              "claims": 1630, "findings": 700, "check_runs": [2.5]}}
    targets = bench.target_values([], [0.7], by_kind)
    assert targets["check_vs_floor_heavy"] == (2.5, 2.0) and targets["cold_s"] == (0.7, 0.8)
    assert "first-note" in bench.report([], [0.7], {}, by_kind)
