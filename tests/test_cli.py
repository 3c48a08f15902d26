"""The CLI as a user meets it: exit codes, formats, several outputs, baselines, errors in one line."""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from factlint import cli

ROOT = Path(__file__).resolve().parents[1]
NOTE = ROOT / "data" / "raw" / "cerebras-roadmap-note.md"
CLEAN = ROOT / "tests" / "fixtures" / "notes" / "wse3-correct-en.md"


def run(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["factlint", *map(str, args)])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(NOTE, folder / NOTE.name)
    return folder


def test_check_exits_1_on_the_first_note(monkeypatch, capsys, raw):
    code, out, _ = run(monkeypatch, capsys, "check", raw)
    assert code == 1
    assert re.search(r"cerebras-roadmap-note.md:95:\d+: error cluster-total ", out)
    assert "Gate: failed" in out


def test_check_exits_0_on_a_correct_note(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "check", CLEAN)
    assert code == 0, out


def test_fail_on_never_and_warning(monkeypatch, capsys, raw):
    assert run(monkeypatch, capsys, "check", raw, "--fail-on", "never")[0] == 0
    assert run(monkeypatch, capsys, "check", CLEAN, "--fail-on", "warning")[0] == 0
    assert run(monkeypatch, capsys, "check", raw, "--fail-on", "info", "--select", "forecast")[0] == 1  # info only


@pytest.mark.parametrize("args", [("check", "no/such/path"), ("check", "--fail-on", "bogus"),
                                  ("check", "--bogus"), ("check", "-f", "xml"), ("explain", "no-such-rule"),
                                  ("check", ".", "-o", "a", "-o", "b")])
def test_usage_errors_exit_2_in_one_line(monkeypatch, capsys, args):
    code, out, err = run(monkeypatch, capsys, *args)
    assert code == 2
    assert "Traceback" not in err + out


def test_bad_config_is_exit_2_never_a_pass(monkeypatch, capsys, tmp_path, raw):
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text('[tool.factlint]\nfail-on = "sometimes"\n', encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "check", raw, "--config", cfg)
    assert code == 2 and "fail-on" in err


def test_several_formats_in_one_run(monkeypatch, capsys, raw, tmp_path):
    sarif, js, junit = tmp_path / "out.sarif", tmp_path / "out.json", tmp_path / "junit.xml"
    code, out, _ = run(monkeypatch, capsys, "check", raw, "-f", "sarif", "-o", sarif, "-f", "json", "-o", js,
                       "-f", "junit", "-o", junit, "-f", "github")
    assert code == 1
    findings = json.loads(js.read_text(encoding="utf-8"))["findings"]
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert len(findings) == len(results) > 0
    assert "<testsuite" in junit.read_text(encoding="utf-8")
    assert out.startswith("::")


def test_baseline_round_trip(monkeypatch, capsys, raw, tmp_path):
    base = tmp_path / "baseline.json"
    assert run(monkeypatch, capsys, "baseline", raw, "-o", base)[0] == 0
    assert run(monkeypatch, capsys, "check", raw, "--baseline", base)[0] == 0
    note = raw / NOTE.name
    note.write_text(note.read_text(encoding="utf-8").replace("| **药企** | 20% |", "| **药企** | 25% |"),
                    encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "check", raw, "--baseline", base)
    assert code == 1 and "sum-total" in out


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_extract_formats(monkeypatch, capsys, raw, tmp_path, fmt):
    out = tmp_path / f"claims.{fmt}"
    assert run(monkeypatch, capsys, "extract", raw, "-f", fmt, "-o", out)[0] == 0
    frame = {"csv": pd.read_csv, "json": pd.read_json, "parquet": pd.read_parquet}[fmt](out)
    assert len(frame) > 100 and {"path", "line", "entity", "attribute", "canonical_value"} <= set(frame.columns)


def test_extract_reports_unreadable_files_and_goes_on(monkeypatch, capsys, raw):
    (raw / "binary.md").write_bytes(bytes(range(256)) * 8)
    code, out, err = run(monkeypatch, capsys, "extract", raw, "-f", "csv")
    assert code == 0
    assert "binary.md" in err and "cerebras-roadmap-note.md" in out


def test_rules_and_explain(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "rules")
    assert code == 0 and "cluster-total" in out and "unit-spelling" in out
    code, out, _ = run(monkeypatch, capsys, "explain", "unit-spelling")
    assert code == 0 and "## What it does" in out


def test_refs_lists_the_knowledge_base(monkeypatch, capsys, raw):
    code, out, _ = run(monkeypatch, capsys, "refs", raw, "--entity", "WSE-3")
    assert code == 0 and "WSE-3" in out and "44" in out


def test_unwritable_output_is_a_usage_error(monkeypatch, capsys, raw, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "check", raw, "-f", "json", "-o", blocker / "out.json")
    assert code == 2 and "cannot write" in err


def test_a_fifo_named_on_the_command_line_is_reported_not_skipped(monkeypatch, capsys, tmp_path):
    import os

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, out, _ = run(monkeypatch, capsys, "check", fifo)
    assert code == 1 and "malformed-input" in out and "Checked 1 file" in out


def test_check_states_coverage(monkeypatch, capsys, raw):
    code, out, _ = run(monkeypatch, capsys, "check", raw, "--fail-on", "never")
    assert code == 0 and "numeric claims checked against a source" in out


def test_every_subcommand_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in cli.app.registered_commands]
    assert len(names) >= 8
    for name in names:
        assert f"factlint {name}" in readme, name


def test_html_to_a_folder_writes_the_report_folder_and_splits_a_large_run(monkeypatch, capsys, raw, tmp_path):
    from factlint.emit import html

    shutil.copy(CLEAN, raw / CLEAN.name)
    code, _, err = run(monkeypatch, capsys, "check", raw, "-f", "html", "-o", tmp_path / "small")
    assert code == 1 and (tmp_path / "small" / "index.html").is_file()
    assert not (tmp_path / "small" / "docs").exists()          # two notes: one page
    monkeypatch.setattr(html, "SPLIT_ABOVE_DOCUMENTS", 1)      # as if the run were large
    code, _, err = run(monkeypatch, capsys, "check", raw, "-f", "html", "-o", tmp_path / "large")
    pages = sorted(p.name for p in (tmp_path / "large" / "docs").iterdir())
    assert code == 1 and len(pages) == 2 and "wrote" in err
    index = (tmp_path / "large" / "index.html").read_text(encoding="utf-8")
    assert all(f"docs/{name}" in index for name in pages)
    code, _, _ = run(monkeypatch, capsys, "check", raw, "-f", "html", "-o", tmp_path / "one.html")
    assert code == 1 and "<html" in (tmp_path / "one.html").read_text(encoding="utf-8")[:400].lower()
