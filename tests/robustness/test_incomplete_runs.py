"""A run that could not read every note says so in its exit code (#14): 4, apart from 0 (clean),
1 (findings), 2 (usage or configuration) and 3 (internal error), whatever --fail-on says, and
still with every readable note checked and reported."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from robustness_support import BENCHMARKS, REPO, refuse_reads, two_folders
from factlint.gate import EXIT_INCOMPLETE, run_exit_code

CLEAN_NOTE = REPO / "data" / "raw" / "training-cluster-plan.md"


def _check(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    from factlint.cli import main

    monkeypatch.setattr("sys.argv", ["factlint", "check", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    return exit_.value.code, capsys.readouterr().out


def test_the_code_is_none_of_the_others():
    assert EXIT_INCOMPLETE not in (0, 1, 2, 3)


def test_an_unreadable_file_named_on_the_command_line_exits_4_after_checking_the_next(
        tmp_path, monkeypatch, capsys):
    root = two_folders(tmp_path)
    refuse_reads(monkeypatch, "locked")
    code, out = _check(monkeypatch, capsys, str(root / "locked" / "note.md"), str(root / "open" / "note.md"))
    assert code == 4
    assert "the run is incomplete" in out and "Checked 2 files (1 unreadable)" in out
    assert "open/note.md:" in out                   # the readable note's own findings are there


@pytest.mark.parametrize("fail_on", ["error", "never"])
def test_an_unreadable_folder_of_clean_notes_exits_4_whatever_fail_on_says(
        tmp_path, monkeypatch, capsys, fail_on):
    root = two_folders(tmp_path, CLEAN_NOTE)
    assert _check(monkeypatch, capsys, str(root))[0] == 0
    refuse_reads(monkeypatch, "locked")
    code, out = _check(monkeypatch, capsys, str(root), "--fail-on", fail_on)
    assert code == 4, out


def test_a_baseline_does_not_make_an_unread_note_read(tmp_path, monkeypatch, capsys):
    from factlint.baseline import write_baseline
    from factlint.gate import run_check

    root = two_folders(tmp_path, CLEAN_NOTE)
    refuse_reads(monkeypatch, "locked")
    outcome = run_check([root], None, jobs=1)
    assert [f.rule for f in outcome.findings] == ["unreadable-path"]
    write_baseline(outcome.findings, tmp_path / "baseline.json")
    code, out = _check(monkeypatch, capsys, str(root), "--baseline", str(tmp_path / "baseline.json"),
                       "-f", "json")
    assert code == 4 and json.loads(out)["findings"] == []


def test_bytes_that_are_no_note_are_findings_not_an_incomplete_run(tmp_path, monkeypatch, capsys):
    """A dangling link or a binary file was looked at: `malformed-input`, exit 1."""
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02" * 100)
    code, out = _check(monkeypatch, capsys, str(tmp_path))
    assert code == 1 and "malformed-input" in out


class _Summary:
    def __init__(self, by_rule: dict, failed: str | None):
        self.findings_by_rule, self.failed = by_rule, failed


@pytest.mark.parametrize("by_rule, failed, code", [
    ({}, None, 0),
    ({"cluster-total": 1}, "1 error finding(s) at or above fail-on error", 1),
    ({"unreadable-path": 1, "cluster-total": 1}, "2 error finding(s)", 4),
    ({"unreadable-path": 1}, None, 4),          # fail-on never: still incomplete
])
def test_run_exits_by_the_gate_s_rule(by_rule, failed, code):
    assert run_exit_code(_Summary(by_rule, failed)) == code


# `factlint run` with the folder `locked` refused as in the tests above (a monkeypatch in the
# run's own process; the Prefect server it starts is a process of its own, untouched).
RUN_REFUSING_LOCKED = f"""
import sys
from pytest import MonkeyPatch
sys.path.insert(0, {str(BENCHMARKS.parent / "tests" / "robustness")!r})
from robustness_support import refuse_reads
refuse_reads(MonkeyPatch(), "locked")
from factlint.cli import main
sys.argv = ["factlint", "run", *sys.argv[1:]]
main()
"""


@pytest.mark.flow
def test_factlint_run_exits_4_and_publishes_the_notes_it_could_read(tmp_path, run_env):
    (tmp_path / "raw").mkdir()
    root = two_folders(tmp_path / "raw", CLEAN_NOTE)
    out = tmp_path / "validated"
    ran = subprocess.run([sys.executable, "-c", RUN_REFUSING_LOCKED, str(root), "--out", str(out),
                          "--reports", str(tmp_path / "reports")],
                         cwd=REPO, env=run_env, capture_output=True, text=True, timeout=900)
    assert ran.returncode == 4, ran.stdout[-2000:] + ran.stderr[-3000:]
    assert "1 published, 1 held back" in ran.stdout
    published = json.loads((out / "current" / "manifest.json").read_text(encoding="utf-8"))
    statuses = {d["path"]: d["status"] for d in published["documents"]}
    assert statuses == {str(root / "open" / "note.md"): "published", str(root / "locked"): "held-back"}
