"""`-f text` as a terminal and a CI log meet it: no control character of a note printed raw (a
forged GitHub command, a terminal escape), and the ruff-like shapes (concise, quiet, statistics)."""
from __future__ import annotations

import pytest

from factlint.emit import Report, render
from factlint.emit.escape import printable
from factlint.findings import Applicability, Finding, Fix, Location, Severity

from emit_fixtures import report

OSC_LINK = "\x1b]8;;http://x\x07click\x1b]8;;\x07"
FORGED = "a.md\n::error file=x::forged"


def _hostile() -> Finding:
    return Finding("unparsed-number", Severity.ERROR, f"Cell {OSC_LINK} \x1b[2J could not be read",
                   Location(FORGED, 3, column="col\x1b[31m", text=OSC_LINK),
                   related=(Location(FORGED, 4, role="other", text="\x9b31m"),),
                   evidence="seen \u202eevil", fingerprint="ab")


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_no_control_character_of_a_note_reaches_the_output(fmt):
    out = render(fmt, Report([_hostile()], []))
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e")
    assert not any(line.lstrip().startswith("::error file=x") for line in out.splitlines())


def test_text_shows_the_escapes_so_the_reader_sees_what_the_note_holds():
    out = render("text", Report([_hostile()], []))
    head = out.splitlines()[0]
    assert head.startswith("a.md\\n::error file=x::forged:3: error unparsed-number [col\\x1b[31m] Cell ")
    assert "\\x1b]8;;http://x\\x07click" in head
    assert "\\u202eevil" in out


def test_printable_keeps_what_it_is_told_and_every_other_character():
    assert printable("a\nb\tc", keep="\n") == "a\nb\\tc"
    assert printable("集群\u3000 64\u00a0PFLOPS") == "集群\u3000 64\u00a0PFLOPS"     # spaces are text
    assert printable("\x00\x7f\u2028") == "\\x00\\x7f\\u2028"


def test_concise_prints_one_line_per_finding_and_the_summary():
    full, concise = render("text", report()), render("text", report(), text_options={"concise": True})
    details = ("    evidence: ", "    see: ", "    fix (", "    reference: ")
    assert concise.splitlines() == [line for line in full.splitlines() if not line.startswith(details)]
    assert "evidence:" in full and "evidence:" not in concise


def test_quiet_prints_only_the_findings():
    out = render("text", report(), text_options={"quiet": True})
    assert "Checked" not in out and "Gate:" not in out and "\n\n" not in out
    assert out.startswith("notes/broken.md:1: error malformed-input")
    assert render("text", Report([], []), text_options={"quiet": True}) == ""


def test_statistics_counts_findings_per_rule_most_frequent_first():
    fix = Fix("5 nm", "Replace", Applicability.SAFE, "5nm")
    fs = [Finding("unit-spelling", Severity.WARNING, "m", Location("a.md", i), fix=fix if i < 3 else None)
          for i in range(1, 4)] + [Finding("cluster-total", Severity.ERROR, "m", Location("a.md", 9))]
    out = render("text", Report(fs, []), text_options={"statistics": True})
    assert out.splitlines() == ["3  unit-spelling  warning  2 fixable", "1  cluster-total  error"]
