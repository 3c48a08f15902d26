"""GitHub annotations (escaping, levels), JUnit XML (parses, counts, survives hostile text) and
the text format (compiler lines, colour only on request)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from factlint.emit import Report, github, junit, render
from factlint.findings import Finding, Location, Severity

from emit_fixtures import BROKEN, CHIPS, CLEAN, CLUSTER, findings, report, results

# ------------------------------------------------------------------------------------ github


@pytest.mark.parametrize("raw, data, prop", [
    ("plain text", "plain text", "plain text"),
    ("50% off", "50%25 off", "50%25 off"),
    ("two\nlines", "two%0Alines", "two%0Alines"),
    ("cr\r\nlf", "cr%0D%0Alf", "cr%0D%0Alf"),
    ("a, b: c", "a, b: c", "a%2C b%3A c"),
    ("%0A literal", "%250A literal", "%250A literal"),
    ("集群, 节点: 16", "集群, 节点: 16", "集群%2C 节点%3A 16"),
])
def test_github_escaping_follows_actions_toolkit(raw, data, prop):
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


@pytest.mark.parametrize("severity, command", [(Severity.ERROR, "error"),
                                               (Severity.WARNING, "warning"),
                                               (Severity.INFO, "notice")])
def test_github_levels(severity, command):
    f = Finding("range-order", severity, "m", Location("a.md", 3), fingerprint="ab")
    assert github.annotation(f) == f"::{command} file=a.md,line=3,title=factlint range-order::m"


def test_github_properties_with_commas_and_colons_cannot_break_the_command():
    f = Finding("range-order", Severity.ERROR, "x", Location("dir,1/a:b.md", 2), fingerprint="ab")
    line = github.annotation(f, (3, 7))
    assert line == ("::error file=dir%2C1/a%3Ab.md,line=2,col=3,endColumn=7,"
                    "title=factlint range-order::x")
    command, _, message = line[2:].partition("::")
    props = dict(p.split("=", 1) for p in command.split(" ", 1)[1].split(","))
    assert props["file"] == "dir%2C1/a%3Ab.md" and message == "x"


def test_github_output_is_one_line_per_finding_with_columns_from_the_source():
    lines = render("github", report()).splitlines()
    assert len(lines) == len(findings())
    cluster = next(line for line in lines if "cluster-total" in line)
    assert cluster.startswith("::error file=notes/集群 clusters.md,line=5,col=")
    assert "\n" not in cluster and "%0A" in cluster          # evidence and fix follow, escaped


# ------------------------------------------------------------------------------------- junit


def _junit(rep=None, fail_on="error") -> ET.Element:
    return ET.fromstring(render("junit", rep or report(), fail_on=fail_on).encode("utf-8"))


def test_junit_has_one_suite_per_file_including_clean_and_unreadable_ones():
    root = _junit()
    assert [s.get("name") for s in root.findall("testsuite")] == sorted([BROKEN, CHIPS, CLEAN, CLUSTER])
    clean = root.find(f"testsuite[@name='{CLEAN}']")
    assert [c.get("name") for c in clean.findall("testcase")] == ["clean"]


@pytest.mark.parametrize("fail_on, failures", [("error", 3), ("warning", 5), ("info", 6), ("never", 0)])
def test_junit_failures_follow_the_gate_threshold(fail_on, failures):
    root = _junit(fail_on=fail_on)
    assert int(root.get("failures")) == failures == len(root.findall(".//failure"))
    assert int(root.get("tests")) == len(findings()) + 1          # + the clean file's case
    assert sum(int(s.get("failures")) for s in root.findall("testsuite")) == failures


def test_junit_keeps_cjk_and_escapes_markup_and_control_characters():
    hostile = Finding("unparsed-number", Severity.ERROR,
                      "<script>alert('x')</script> & 集群 \x00\x07 \"quoted\"",
                      Location("笔记/a.md", 2, column="<b>列</b>"), evidence="]]> <![CDATA[",
                      fingerprint="ab")
    text = render("junit", Report([hostile], []))
    assert "<script>" not in text
    root = ET.fromstring(text.encode("utf-8"))
    failure = root.find(".//failure")
    assert failure.get("message") == "<script>alert('x')</script> & 集群 \ufffd\ufffd \"quoted\""
    assert "]]> <![CDATA[" in failure.text
    assert root.find(".//testcase").get("name") == "unparsed-number line 2 [<b>列</b>]"


# -------------------------------------------------------------------------------------- text

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_text_lines_are_compiler_style_with_the_column_label():
    out = render("text", report())
    assert "notes/集群 clusters.md:5:35: error cluster-total [总算力] 总算力 64 PLOPS is not" in out
    assert "notes/chips.md:5:17: warning reference-mismatch [Power] WSE-3 power" in out
    assert "notes/集群 clusters.md:5:35: warning unit-spelling [*] [总算力] `PLOPS`" in out    # safe fix
    assert "\n    evidence: 16 nodes × 8 PFLOPS (line 5) = 128 PFLOPS, but the table says 64\n" in out
    assert "\n    see: notes/chips.md:5 [Power] other statement: 23 kw\n" in out
    assert "\n    fix (unsafe): Replace `64 PLOPS` with `128 PFLOPS`\n" in out


def test_text_groups_by_file_with_a_blank_line_between_files():
    out = render("text", report())
    blocks = out.split("\n\n")
    paths = [{line.split(":", 1)[0] for line in b.splitlines() if not line.startswith(" ")}
             for b in blocks[:-1]]
    assert paths == [{BROKEN}, {CHIPS}, {CLUSTER}]


def test_text_summary_counts_files_claims_severities_rules_and_the_verdict():
    out = render("text", report(suppressed=findings()[:2]), fail_on="error")
    tail = out.rstrip("\n").splitlines()[-4:]
    assert tail == [
        "Checked 4 files (1 unreadable), 2 tables, 11 claims.",
        "Found 6 findings: 3 errors, 2 warnings, 1 info; 2 suppressed.",
        "By rule: cluster-total 1, cross-table 1, malformed-input 1, reference-mismatch 1, "
        "unit-spelling 1, unparsed-number 1",
        "Gate: failed, 3 findings at or above error.",
    ]


def test_text_for_a_clean_run():
    out = render("text", Report([], results()[2:3]))
    assert out == ("\nChecked 1 file, 0 tables, 0 claims.\nFound 0 findings.\n"
                   "Gate: passed (fail-on error).\n").lstrip("\n")


def test_text_is_plain_unless_colour_is_asked_for_and_never_reads_markup():
    f = Finding("range-order", Severity.ERROR, "[bold red]64-16[/] is reversed", Location("a.md", 1),
                fingerprint="ab")
    plain = render("text", Report([f], []))
    coloured = render("text", Report([f], []), color=True)
    assert "\x1b" not in plain and "[bold red]64-16[/] is reversed" in plain
    assert "\x1b[" in coloured and ANSI.sub("", coloured) == plain


def test_text_keeps_a_multi_line_message_inside_its_block():
    f = Finding("range-order", Severity.ERROR, "first\r\nsecond\rthird", Location("a.md", 1),
                fingerprint="ab")
    lines = render("text", Report([f], [])).splitlines()
    assert lines[:3] == ["a.md:1: error range-order first", "    second", "    third"]
    assert "\r" not in render("text", Report([f], []))
