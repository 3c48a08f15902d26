"""The CLI as a ruff user expects it: -h, --version, comma-separated rule lists validated,
--quiet, --statistics, --concise, NO_COLOR / FORCE_COLOR, and --fix / --diff of the safe fixes."""
from __future__ import annotations

import re
import sys

import pytest

from factlint import __version__, cli
from test_cli import run

NOTE = """# Zorblax systems

| Config | Compute | Use |
|------|------|------|
| **1 node** | 8 PFLOPS | small |
| **64 nodes** | 256 PFLOPS | large |
| **16 nodes** | 128 PLOPS | medium |
"""
HEAD = re.compile(r"^\S+:\d+:\d+: (error|warning|info) [a-z-]+ ", re.M)


@pytest.fixture
def note(tmp_path, monkeypatch):
    """A note with a misspelt unit (safe fix) and a wrong total (a recomputation: never applied)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    path = tmp_path / "note.md"
    path.write_text(NOTE, encoding="utf-8")
    return path


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_both_ways(monkeypatch, capsys, flag):
    code, out, _ = run(monkeypatch, capsys, flag)
    assert code == 0 and "Usage:" in out and "check" in out
    code, out, _ = run(monkeypatch, capsys, "check", flag)
    assert code == 0 and "--statistics" in out and "--fix" in out


def test_version(monkeypatch, capsys):
    assert run(monkeypatch, capsys, "--version")[:2] == (0, f"factlint {__version__}\n")


def test_comma_separated_rule_lists(monkeypatch, capsys, note):
    _, both, _ = run(monkeypatch, capsys, "check", note, "--select", "unit-spelling,cluster-total")
    assert {m.group(0).split()[-1] for m in HEAD.finditer(both)} == {"unit-spelling", "cluster-total"}
    _, one, _ = run(monkeypatch, capsys, "check", note, "--select", "unit-spelling, cluster-total",
                    "--ignore", "cluster-total")
    assert {m.group(0).split()[-1] for m in HEAD.finditer(one)} == {"unit-spelling"}


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_rule_in_a_list_is_exit_2_naming_it(monkeypatch, capsys, note, option):
    code, out, err = run(monkeypatch, capsys, "check", note, option, "unit-spelling,no-such-rule")
    assert code == 2 and "'no-such-rule'" in err and "Traceback" not in err + out


def test_quiet_prints_only_findings(monkeypatch, capsys, note):
    code, out, _ = run(monkeypatch, capsys, "check", note, "-q", "--concise")
    assert code == 1
    assert out and all(HEAD.match(line) for line in out.splitlines())
    assert "Gate:" not in out and "Checked" not in out


def test_statistics(monkeypatch, capsys, note):
    code, out, _ = run(monkeypatch, capsys, "check", note, "--statistics")
    assert code == 1
    assert "1  unit-spelling  warning  1 fixable" in out.splitlines()
    assert any(line.endswith("cluster-total  error") for line in out.splitlines())
    assert not HEAD.search(out)


@pytest.mark.parametrize("env, coloured", [({}, False), ({"FORCE_COLOR": "1"}, True),
                                           ({"FORCE_COLOR": "0"}, False),
                                           ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False)])
def test_colour_follows_no_color_and_force_color(monkeypatch, capsys, note, env, coloured):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    _, out, _ = run(monkeypatch, capsys, "check", note)          # stdout is captured: not a tty
    assert ("\x1b[" in out) is coloured


def test_no_color_wins_on_a_terminal():
    tty = lambda: True                                            # noqa: E731
    assert cli._color("-", "text", {}, tty) is True
    assert cli._color("-", "text", {"NO_COLOR": "1"}, tty) is False
    assert cli._color("-", "json", {"FORCE_COLOR": "1"}, tty) is False
    assert cli._color("out.txt", "text", {"FORCE_COLOR": "1"}, tty) is False


def test_diff_shows_the_safe_fix_and_writes_nothing(monkeypatch, capsys, note):
    code, out, err = run(monkeypatch, capsys, "check", note, "--diff")
    assert code == 1 and "Would fix 1 finding." in err
    assert "-| **16 nodes** | 128 PLOPS | medium |\n+| **16 nodes** | 128 PFLOPS | medium |\n" in out
    assert "+| **64 nodes**" not in out                            # the wrong total is not recomputed
    assert note.read_text(encoding="utf-8") == NOTE


def test_fix_applies_the_safe_fix_in_place_and_exits_by_what_remains(monkeypatch, capsys, note):
    code, out, err = run(monkeypatch, capsys, "check", note, "--fix")
    assert "Fixed 1 finding in 1 file." in err
    assert note.read_text(encoding="utf-8") == NOTE.replace("128 PLOPS", "128 PFLOPS")
    assert "unit-spelling" not in out
    assert code == 1 and "cluster-total" in out                   # 64 x 8 is not 256: still an error
    assert run(monkeypatch, capsys, "check", note, "--diff")[0] == 0
    assert run(monkeypatch, capsys, "check", note, "--fix", "--select", "unit-spelling")[0] == 0


def test_fix_keeps_line_breaks_and_leaves_a_note_that_is_not_utf8_alone(monkeypatch, capsys, note, tmp_path):
    note.write_bytes(NOTE.replace("\n", "\r\n").encode("utf-8"))
    run(monkeypatch, capsys, "check", note, "--fix")
    assert note.read_bytes() == NOTE.replace("128 PLOPS", "128 PFLOPS").replace("\n", "\r\n").encode("utf-8")
    latin = tmp_path / "latin.md"
    latin.write_bytes(NOTE.replace("Config |", "Cönfig |").encode("latin-1"))
    before = latin.read_bytes()
    assert "unit-spelling [*]" in run(monkeypatch, capsys, "check", latin)[1]    # a safe fix, read by a guess
    run(monkeypatch, capsys, "check", latin, "--fix")
    assert latin.read_bytes() == before


def test_diff_is_exact_through_a_pipe_and_escaped_on_a_terminal(monkeypatch, capsys, note):
    note.write_text(NOTE.replace("| medium |", "| \x1b[2J |"), encoding="utf-8")
    piped = run(monkeypatch, capsys, "check", note, "--diff")[1]
    assert "+| **16 nodes** | 128 PFLOPS | \x1b[2J |\n" in piped            # git apply gets the bytes
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    shown = run(monkeypatch, capsys, "check", note, "--diff")[1]
    assert "\x1b" not in shown and "+| **16 nodes** | 128 PFLOPS | \\x1b[2J |\n" in shown


def test_fixes_module_applies_an_edit_only_where_the_line_still_reads_as_checked():
    from factlint.fixes import Edit, apply_edits, unified_diff

    text = "a\r\n| x | 5 PLOPS |\r\nz"
    edit = Edit("n.md", 2, "| x | 5 PLOPS |", "| x | 5 PFLOPS |")
    assert apply_edits(text, [edit]) == ("a\r\n| x | 5 PFLOPS |\r\nz", 1)
    assert apply_edits(text.replace("5 PLOPS", "6 PLOPS"), [edit])[1] == 0      # changed since
    assert apply_edits(text, [Edit("n.md", 9, "", "x")])[1] == 0
    assert unified_diff("a\nb.md", "x\n", "y\n").splitlines()[:2] == ["--- a/a\\nb.md", "+++ b/a\\nb.md"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x1e", "\x0b"])
def test_fix_and_diff_count_lines_as_markdown_does(monkeypatch, capsys, note, tmp_path, separator):
    """A character that str.splitlines breaks at, inside a line above the fix: the fix is still
    applied to its own line, and the diff applies with git apply (which splits at \\n only)."""
    import subprocess

    text = NOTE.replace("# Zorblax systems", f"# Zorblax{separator}systems")
    note.write_text(text, encoding="utf-8")
    code, diff, err = run(monkeypatch, capsys, "check", note, "--diff")
    assert "Would fix 1 finding." in err and "+| **16 nodes** | 128 PFLOPS | medium |\n" in diff
    fixed = text.replace("128 PLOPS", "128 PFLOPS")
    subprocess.run(["git", "apply", "-p1", "--unsafe-paths", "-"], input=diff.encode("utf-8"),
                   cwd=tmp_path, check=True)
    assert note.read_text(encoding="utf-8") == fixed
    note.write_text(text, encoding="utf-8")
    run(monkeypatch, capsys, "check", note, "--fix")
    assert note.read_text(encoding="utf-8") == fixed


@pytest.mark.parametrize("ending", ["\n", "\r", "\r\n"])
def test_diff_applies_with_git_when_the_note_does_not_end_in_a_line_break(monkeypatch, capsys, note,
                                                                          tmp_path, ending):
    """The misspelt row is the note's last line, with no line break after it: git apply needs the
    diff to say so (with lines ended by \\r alone, the whole note is one line to git)."""
    import subprocess

    text = NOTE.rstrip("\n").replace("\n", ending)
    note.write_bytes(text.encode("utf-8"))
    diff = run(monkeypatch, capsys, "check", note, "--diff")[1]
    assert "PFLOPS | medium |" in diff and diff.endswith("\\ No newline at end of file\n")
    subprocess.run(["git", "apply", "-p1", "--unsafe-paths", "-"], input=diff.encode("utf-8"),
                   cwd=tmp_path, check=True)
    assert note.read_bytes() == text.replace("128 PLOPS", "128 PFLOPS").encode("utf-8")
