"""Table layouts: outer pipes or not, alignment rows, escapes, inline markup, ragged rows,
code fences, containers, headings and captions."""
from __future__ import annotations

import pytest

from factlint.ingest import parse_markdown, read_document

from ingest_helpers import NOTES, kinds, row_texts, table_shape


def _read(name: str):
    return read_document(NOTES / name)


def test_tables_without_outer_pipes():
    doc = _read("no-outer-pipes.md")
    assert [table_shape(t) for t in doc.tables] == [
        (3, 6, [5, 6], ["Chip", "Process", "Transistors"]),
        (8, 10, [10], ["Trailing pipe only", "Second"]),
    ]
    assert row_texts(doc) == [(5, ["WSE-2", "7nm", "2.6T"]), (6, ["WSE-3", "5nm", "4.0T"]),
                              (10, ["left", "right"])]
    assert doc.problems == ()


def test_alignment_rows_are_not_rows():
    doc = _read("alignment-rows.md")
    assert [table_shape(t) for t in doc.tables] == [
        (3, 6, [5, 6], ["Left", "Centre", "Right", "Plain"]),
        (8, 10, [10], ["对齐", "数值"]),
    ]
    assert row_texts(doc)[0] == (5, ["a", "1", "2 PFLOPS", "x"])


def test_escaped_pipes_stay_inside_their_cell():
    doc = _read("escaped-pipes.md")
    cells = [[(c.raw, c.text) for c in row.cells] for row in doc.tables[0].rows]
    assert cells == [
        [("a \\| b", "a | b"), ("either", "either"), ("1", "1")],
        [("`x \\| y`", "x | y"), ("code with a pipe", "code with a pipe"), ("2", "2")],
        [("\\\\|", "|"), ("a backslash, then an escaped pipe", "a backslash, then an escaped pipe"), ("3", "3")],
    ]
    assert not any(row.ragged for row in doc.tables[0].rows)


@pytest.mark.parametrize("line, raw, text", [
    (5, "**46225 mm²**", "46225 mm²"),
    (6, "*8 PFLOPS* and _7nm_", "8 PFLOPS and 7nm"),
    (7, "`21 PB/s`", "21 PB/s"),
    (8, '[H100](https://example.com/h100 "spec")', "H100"),
    (9, "125¹ TFLOPS[^1]", "125¹ TFLOPS"),              # marker gone, superscript digit kept
    (10, "80GB [^note]", "80GB"),                       # marker defined as a link: still gone
    (11, "R&amp;D &lt;5% &copy;", "R&D <5% ©"),
    (12, "&#x4E2D;&#22269;", "中国"),
    (13, "46225 mm<sup>2</sup>", "46225 mm²"),
    (14, "2 PFLOPS<br>(FP16)", "2 PFLOPS (FP16)"),
    (15, "![WSE-3 die](die.png)", "WSE-3 die"),
    (16, "<https://cerebras.ai>", "https://cerebras.ai"),
    (17, "5nm <!-- checked -->", "5nm"),
])
def test_inline_markup_is_stripped_from_text_but_kept_in_raw(line, raw, text):
    row = next(r for r in _read("inline-markup.md").tables[0].rows if r.line == line)
    assert (row.cells[1].raw, row.cells[1].text) == (raw, text)


@pytest.mark.parametrize("cell, text", [
    ("`a*b*c`", "a*b*c"),                    # code keeps what looks like emphasis
    ("\\*not italic\\*", "*not italic*"),     # backslash escapes are resolved
    ("**bold** and `code`", "bold and code"),
    ("~~old~~ 5nm", "~~old~~ 5nm"),          # no strikethrough in CommonMark: kept for a reviewer
    ("&nbsp;7nm&nbsp;", "7nm"),
    ("10<sup>-3</sup>", "10⁻³"),
    ("[^a] only a marker", "only a marker"),
    ("`[^1]` in code", "[^1] in code"),
    ("<b>bold</b> html", "bold html"),
])
def test_cell_text(cell, text):
    doc = parse_markdown(f"| h |\n|---|\n| {cell} |\n")
    assert doc.tables[0].rows[0].cells[0].text == text


def test_ragged_rows_keep_every_cell_and_are_reported():
    doc = _read("ragged-rows.md")
    rows = doc.tables[0].rows
    assert [(r.line, len(r.cells), r.ragged) for r in rows] == [
        (5, 4, False), (6, 2, True), (7, 5, True), (8, 4, False), (9, 1, True)]
    assert [c.text for c in rows[2].cells] == ["WSE-3", "5nm", "4.0T", "2024", "extra note"]
    assert [c.column for c in rows[2].cells] == [0, 1, 2, 3, 4]
    assert [c.text for c in rows[3].cells] == ["", "3nm", "", ""]    # empty cells are cells
    assert [(p.kind, p.line, p.message) for p in doc.problems] == [
        ("ragged-row", 6, "row has 2 cells, header has 4"),
        ("ragged-row", 7, "row has 5 cells, header has 4"),
        ("ragged-row", 9, "row has 1 cells, header has 4"),
    ]


def test_a_pipe_inside_a_code_span_splits_the_cell_as_on_github():
    doc = parse_markdown("| a | b |\n|---|---|\n| `x|y` | 2 |\n")
    row = doc.tables[0].rows[0]
    assert ([c.raw for c in row.cells], row.ragged) == (["`x", "y`", "2"], True)


def test_text_after_a_table_without_blank_line_is_a_row():
    doc = parse_markdown("| a | b |\n|---|---|\n| 1 | 2 |\nplain sentence\n")
    assert row_texts(doc) == [(3, ["1", "2"]), (4, ["plain sentence"])]
    assert kinds(doc) == [("ragged-row", 4)]


def test_pipes_in_code_are_not_tables():
    doc = _read("table-in-code-fence.md")
    assert [table_shape(t) for t in doc.tables] == [(19, 21, [21], ["Real", "Table"])]
    assert doc.problems == ()


def test_tables_in_blockquotes_and_lists():
    doc = _read("containers.md")
    assert [table_shape(t) for t in doc.tables] == [
        (5, 8, [7, 8], ["Chip", "Process"]), (12, 14, [14], ["System", "Power"])]
    assert row_texts(doc) == [(7, ["WSE-3", "5nm"]), (8, ["WSE-4", "3nm", "2026"]), (14, ["CS-3", "25kW"])]
    assert kinds(doc) == [("ragged-row", 8)]


def test_no_tables_is_fine():
    doc = _read("no-tables.md")
    assert (doc.tables, doc.problems, doc.title) == ((), (), "A note without tables")


def test_heading_path_has_every_enclosing_level_and_pops_siblings():
    text = ("Title\n=====\n\n## A\n\n#### Deep (skips h3)\n\n| x |\n|---|\n| 1 |\n\n"
            "## B *emph* `code`\n\n| y |\n|---|\n| 2 |\n\nSub\n---\n\n| z |\n|---|\n| 3 |\n")
    doc = parse_markdown(text)
    assert [t.heading for t in doc.tables] == [
        ("Title", "A", "Deep (skips h3)"), ("Title", "B emph code"), ("Title", "Sub")]


def test_table_before_any_heading_has_an_empty_path():
    assert parse_markdown("| x |\n|---|\n| 1 |\n").tables[0].heading == ()


@pytest.mark.parametrize("above, caption", [
    ("Table 3: 2027 forecast\n\n", "Table 3: 2027 forecast"),
    ("**Table 3: 2027 forecast**\n", "Table 3: 2027 forecast"),      # no blank line: still a caption
    ("Line one of a longer paragraph\nline two\n\n", ""),             # two lines: not a caption
    ("x" * 121 + "\n\n", ""),                                         # too long
    ("Caption\n\n\n", ""),                                           # two blank lines: too far
    ("## Heading\n\n", ""),
    ("- a list item\n\n", ""),
])
def test_caption_is_a_short_paragraph_right_above(above, caption):
    doc = parse_markdown(f"{above}| x |\n|---|\n| 1 |\n")
    assert doc.tables[-1].caption == caption


def test_english_note_with_captions_and_alignment():
    doc = _read("english-note.md")
    assert [(t.caption, t.heading) for t in doc.tables] == [
        ("Table 1: 2026 flagship specs", ("Accelerator Notes: Data-Center GPUs", "1. Flagship parts")),
        ("Revenue in billions of US dollars, fiscal years.",
         ("Accelerator Notes: Data-Center GPUs", "2. Market", "2.1 Revenue")),
    ]
    assert row_texts(doc) == [
        (11, ["H100", "4nm", "80GB HBM3", "3.35 TB/s", "700"]),
        (12, ["B200", "4nm", "192GB HBM3e", "8 TB/s", "1000"]),
        (22, ["2024", "$60.9B", "+126%"]),
        (23, ["2025", "$130.5B", "+114%"]),
    ]


def test_unclosed_fence_is_reported_and_hides_the_table_after_it():
    doc = _read("unclosed-fence.md")
    assert [t.header_line for t in doc.tables] == [3]
    assert kinds(doc) == [("unclosed-fence", 7)]
    assert "line 7" in doc.problems[0].message


@pytest.mark.parametrize("text, unclosed", [
    ("```\ncode\n```\n", False),
    ("````\ncode\n```\n", True),         # a shorter closing run does not close
    ("~~~\ncode\n```\n", True),          # other fence character
    ("```\n", True),                     # opening line at the very end
    ("> ```\n> code\n> ```\n", False),   # closed inside a blockquote
    ("- item\n\n  ```\n  code\n  ```\n", False),
])
def test_fence_closing(text, unclosed):
    assert (("unclosed-fence", 1) in kinds(parse_markdown(text))) == unclosed


@pytest.mark.parametrize("text, cells", [
    ("| a | b | c |\n|---|---|\n| 1 | 2 | 3 |\n", (3, 2)),
    ("> a | b\n> --- | --- | ---\n> 1 | 2\n", (2, 3)),
])
def test_header_and_delimiter_that_disagree_are_reported_not_dropped(text, cells):
    doc = parse_markdown(text)
    assert (doc.tables, kinds(doc)) == ((), [("broken-table", 1)])
    assert f"header row has {cells[0]} cells and the delimiter row {cells[1]}" in doc.problems[0].message


def test_a_trailing_comment_on_the_header_line_breaks_the_table_and_says_why():
    doc = parse_markdown("| a | b | <!-- factlint-disable-line x -->\n|---|---|\n| 1 | 2 |\n")
    assert (doc.tables, kinds(doc)) == ((), [("broken-table", 1)])
    assert "put it above the table" in doc.problems[0].message


@pytest.mark.parametrize("text", ["Title\n---\n", "a | b\n---\n", "text\nmore | text\n", "| a | b |\n|---|---|\n"])
def test_setext_headings_and_prose_are_not_broken_tables(text):
    assert not [kind for kind, _ in kinds(parse_markdown(text)) if kind == "broken-table"]
