"""Suppression comments: what they silence, and the `suppression` findings about the comments
themselves (no reason, silences nothing)."""
from __future__ import annotations

import pytest

from factlint.config import Settings
from factlint.document import Document, Suppression
from factlint.findings import Finding, Location, Severity
from factlint.ingest import parse_markdown
from factlint.rules import load_rules
from factlint.suppress import NEEDS_REASON, RULE_ID, UNUSED, apply_suppressions

PATH = "notes/n.md"


def _doc(*suppressions: Suppression, path: str = PATH) -> Document:
    return Document(path, "", "utf-8", "", suppressions=suppressions)


def _finding(rule: str, line: int, path: str = PATH) -> Finding:
    return Finding(rule, Severity.ERROR, f"{rule} on {line}", Location(path, line), fingerprint="ab")


def _problems(problems):
    return [(p.rule, p.severity.value, p.message, p.location.line) for p in problems]


def test_suppression_with_reason_silences_the_named_rule_on_its_target_line_only():
    doc = _doc(Suppression(3, 4, ("range-order",), "vendor notation"))
    hit, other_rule, other_line = _finding("range-order", 4), _finding("cross-table", 4), _finding("range-order", 5)
    kept, suppressed, problems = apply_suppressions([hit, other_rule, other_line], [doc])
    assert suppressed == [hit] and kept == [other_rule, other_line] and problems == []


def test_suppression_applies_only_to_its_own_file():
    doc = _doc(Suppression(3, 4, ("range-order",), "why"))
    elsewhere = _finding("range-order", 4, path="notes/other.md")
    kept, suppressed, problems = apply_suppressions([elsewhere], [doc])
    assert kept == [elsewhere] and suppressed == []
    assert _problems(problems) == [(RULE_ID, "warning", UNUSED, 3)]


def test_missing_reason_still_suppresses_but_is_reported():
    doc = _doc(Suppression(3, 4, ("range-order",), ""))
    kept, suppressed, problems = apply_suppressions([_finding("range-order", 4)], [doc])
    assert kept == [] and len(suppressed) == 1
    assert _problems(problems) == [(RULE_ID, "warning", NEEDS_REASON, 3)]
    assert "-- reason" in problems[0].evidence


def test_unused_suppression_is_reported_with_the_rule_it_named():
    doc = _doc(Suppression(7, 8, ("unit-spelling",), "legacy"))
    kept, suppressed, problems = apply_suppressions([_finding("range-order", 8)], [doc])
    assert len(kept) == 1 and suppressed == []
    assert _problems(problems) == [(RULE_ID, "warning", UNUSED, 7)]
    assert problems[0].evidence.startswith("No unit-spelling finding on line 8")
    assert problems[0].fingerprint and problems[0].data == {"rules": ["unit-spelling"]}


def test_a_rule_named_in_vain_is_reported_even_when_another_rule_is_used():
    doc = _doc(Suppression(3, 4, ("range-order", "unit-spelling"), "why"))
    kept, suppressed, problems = apply_suppressions([_finding("range-order", 4)], [doc])
    assert len(suppressed) == 1
    assert _problems(problems) == [(RULE_ID, "warning", UNUSED, 3)]
    assert problems[0].data == {"rules": ["unit-spelling"]}


def test_wildcard_silences_every_rule_and_is_unused_only_when_nothing_was_there():
    doc = _doc(Suppression(3, 4, ("*",), "generated table"))
    fs = [_finding("range-order", 4), _finding("cross-table", 4)]
    kept, suppressed, problems = apply_suppressions(fs, [doc])
    assert kept == [] and suppressed == fs and problems == []
    _, _, problems = apply_suppressions([], [doc])
    assert _problems(problems) == [(RULE_ID, "warning", UNUSED, 3)]


def test_a_table_wide_comment_is_judged_once_for_all_its_lines():
    table = [Suppression(8, line, ("range-order",), "") for line in (9, 11, 12)]
    kept, suppressed, problems = apply_suppressions([_finding("range-order", 12)], [_doc(*table)])
    assert len(suppressed) == 1
    assert _problems(problems) == [(RULE_ID, "warning", NEEDS_REASON, 8)]      # used: not unused
    _, _, problems = apply_suppressions([], [_doc(*table)])
    assert [p.message for p in problems] == [NEEDS_REASON, UNUSED]
    assert "on lines 9-12" in problems[1].evidence


def test_suppression_findings_cannot_be_suppressed_and_findings_are_not_lost():
    doc = _doc(Suppression(2, 3, ("*",), ""), Suppression(1, 2, (RULE_ID,), "why"))
    fs = [_finding("range-order", 3), _finding(RULE_ID, 2)]
    kept, suppressed, problems = apply_suppressions(fs, [doc])
    assert suppressed == [fs[0]] and kept == [fs[1]]
    assert sorted(p.message for p in problems) == [NEEDS_REASON, UNUSED]
    assert len(kept) + len(suppressed) == len(fs)


@pytest.mark.parametrize("settings, expected", [
    (None, [("warning", NEEDS_REASON)]),
    (Settings(ignore=(RULE_ID,)), []),
    (Settings(select=("range-order",)), []),
    (Settings(select=(RULE_ID,), severity={RULE_ID: Severity.ERROR}), [("error", NEEDS_REASON)]),
])
def test_settings_disable_or_rescale_the_suppression_rule(settings, expected):
    doc = _doc(Suppression(3, 4, ("range-order",), ""))
    kept, suppressed, problems = apply_suppressions([_finding("range-order", 4)], [doc], settings)
    assert len(suppressed) == 1                          # suppressing works either way
    assert [(p.severity.value, p.message) for p in problems] == expected


def test_with_comments_parsed_from_a_real_note():
    note = ("# Cluster\n\n"
            "<!-- factlint-disable-next-line range-order -- the vendor writes it this way -->\n"
            "| 参数 | 规格 |\n|------|------|\n"
            "| 节点数 | 64-16 | <!-- factlint-disable-line range-order,cross-table -->\n")
    doc = parse_markdown(note, path=PATH)
    fs = [_finding("range-order", 6), _finding("cross-table", 6), _finding("range-order", 4)]
    kept, suppressed, problems = apply_suppressions(fs, [doc])
    assert kept == [] and suppressed == fs
    assert _problems(problems) == [(RULE_ID, "warning", NEEDS_REASON, 6)]


def test_the_suppression_rule_is_registered_and_documented():
    spec = load_rules()[RULE_ID]
    assert spec.severity is Severity.WARNING and spec.scope == "document"
    assert "## What it does" in spec.doc and "Use instead:" in spec.doc
    assert spec.func is None and spec.made_by.startswith("factlint.suppress")
