"""Suppression comments, and where they can go around a GFM table."""
from __future__ import annotations

import pytest

from factlint.document import Suppression
from factlint.ingest import parse_markdown, read_document

from ingest_helpers import NOTES, kinds, row_texts


@pytest.fixture(scope="module")
def doc():
    return read_document(NOTES / "suppressions.md")


def _projection(document):
    return [(s.line, s.target_line, s.rules, s.reason) for s in document.suppressions]


def test_every_form_in_the_fixture(doc):
    assert _projection(doc) == [
        (3, 4, ("unit-spelling",), "vendor spells it this way"),          # above the header line
        (7, 7, ("unit-spelling", "cluster-total"), "quoted from the datasheet"),   # end of a row
        (10, 12, ("*",), "legacy table, kept as published"),               # next-table: every line
        (10, 14, ("*",), "legacy table, kept as published"),
        (10, 15, ("*",), "legacy table, kept as published"),
        (17, 19, ("cross-table",), ""),                                     # inline, no reason
        (24, 25, ("unit-spelling",), "a comment line inside a table ends it"),
        (29, 33, ("unit-spelling",), "spans lines"),                        # multi-line comment
    ]


def test_a_trailing_comment_is_not_a_cell(doc):
    row = doc.tables[0].rows[1]
    assert (row.line, [c.text for c in row.cells], row.ragged) == (7, ["WSE-2", "4 PLOPS"], False)
    assert all("factlint" not in c.raw for c in row.cells)


def test_a_comment_line_inside_a_table_ends_it_and_is_reported(doc):
    assert [(t.header_line, t.end_line) for t in doc.tables][2] == (21, 23)
    assert ("table-interrupted", 25) in kinds(doc)
    message = next(p.message for p in doc.problems if p.kind == "table-interrupted")
    assert "lines 25-26" in message and "line 24" in message and "factlint-disable-line" in message


def test_a_misspelt_directive_is_reported_not_ignored(doc):
    problem = next(p for p in doc.problems if p.kind == "unknown-directive")
    assert problem.line == 28 and "factlint-disable-nextline" in problem.message


@pytest.mark.parametrize("comment, rules, reason", [
    ("<!-- factlint-disable-next-line unit-spelling -- vendor name -->", ("unit-spelling",), "vendor name"),
    ("<!-- factlint-disable-next-line a,b , c -- why -- really -->", ("a", "b", "c"), "why -- really"),
    ("<!-- factlint-disable-next-line -- all rules -->", ("*",), "all rules"),
    ("<!-- factlint-disable-next-line -->", ("*",), ""),
    ("<!--factlint-disable-next-line unit-spelling-->", ("unit-spelling",), ""),
    ("<!-- factlint-disable-next-line cluster-total --   spaced   reason  -->", ("cluster-total",), "spaced reason"),
])
def test_rules_and_reason(comment, rules, reason):
    doc = parse_markdown(f"{comment}\n\n| a |\n|---|\n| 1 |\n")
    assert doc.suppressions == (Suppression(line=1, target_line=3, rules=rules, reason=reason),)


def test_disable_line_in_a_cell_and_in_the_header():
    text = ("| a <!-- factlint-disable-line r1 --> | b |\n|---|---|\n"
            "| 1 | 2 <!-- factlint-disable-line r2 -- inside the cell --> |\n")
    doc = parse_markdown(text)
    assert _projection(doc) == [(1, 1, ("r1",), ""), (3, 3, ("r2",), "inside the cell")]
    assert row_texts(doc) == [(3, ["1", "2"])]
    assert [c.text for c in doc.tables[0].header] == ["a", "b"]


def test_a_pipe_inside_a_trailing_comment_does_not_split_the_row():
    doc = parse_markdown("| a | b |\n|---|---|\n| 1 | 2 | <!-- factlint-disable-line r -- a | b -->\n")
    assert (row_texts(doc), _projection(doc)) == ([(3, ["1", "2"])], [(3, 3, ("r",), "a | b")])


def test_comments_in_code_are_examples_not_suppressions():
    text = ("```\n<!-- factlint-disable-next-line r -->\nx\n```\n\n"
            "`<!-- factlint-disable-next-line r -->` in code\n\n    <!-- factlint-disable-line r -->\n")
    assert parse_markdown(text).suppressions == ()


def test_comment_in_a_list_item_and_a_blockquote():
    text = "- item <!-- factlint-disable-line r1 -->\n\n> quoted\n> <!-- factlint-disable-next-line r2 -->\n> next\n"
    assert _projection(parse_markdown(text)) == [(1, 1, ("r1",), ""), (4, 5, ("r2",), "")]


def test_a_suppression_at_the_end_of_the_note_has_no_target():
    doc = parse_markdown("# T\n\n<!-- factlint-disable-next-line r -->\n\n")
    assert (doc.suppressions, kinds(doc)) == ((), [("suppression-without-target", 3)])


def test_next_table_must_be_followed_by_a_table():
    doc = parse_markdown("<!-- factlint-disable-next-table r -->\nJust text.\n")
    assert (doc.suppressions, kinds(doc)) == ((), [("suppression-without-target", 1)])


def test_two_comments_on_one_line():
    doc = parse_markdown("x <!-- factlint-disable-line a --> <!-- factlint-disable-line b -->\n")
    assert _projection(doc) == [(1, 1, ("a",), ""), (1, 1, ("b",), "")]
