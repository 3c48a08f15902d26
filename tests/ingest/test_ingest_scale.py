"""Large input works: a 10 MB single line and a 100,000-row table (a few seconds each at most)."""
from __future__ import annotations

import gc

from factlint.ingest import parse_markdown, read_document
from factlint.ingest.markdown import LARGE_NOTE_CHARS


def test_ten_megabyte_single_line(tmp_path):
    line = "WSE-3 | 5nm | 4.0T transistors | 21 PB/s " * 250_000          # 10.5 MB, no newline
    note = tmp_path / "one-line.md"
    note.write_text(f"# Huge\n\n{line}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    doc = read_document(note)
    assert len(line) > 10_000_000
    assert [(t.header_line, [r.line for r in t.rows]) for t in doc.tables] == [(5, [7])]
    assert [p.kind for p in doc.problems] == ["large-file"]


def test_ten_megabyte_table_row():
    doc = parse_markdown("| a | b |\n|---|---|\n| " + "x" * 10_000_000 + " | y |\n")
    assert [len(c.text) for c in doc.tables[0].rows[0].cells] == [10_000_000, 1]


def test_hundred_thousand_row_table_keeps_every_row():
    rows = "".join(f"| {i} |\n" for i in range(100_000))                 # every row one cell short
    doc = parse_markdown("| n | note |\n|---|---|\n" + rows)
    table = doc.tables[0]
    assert len(table.rows) == 100_000                                   # stock markdown-it stops at 65,536 padded cells
    assert (table.rows[0].line, table.rows[-1].line, table.end_line) == (3, 100_002, 100_002)
    assert table.rows[-1].cells[0].text == "99999"
    assert len(doc.problems) == 100_000 and doc.problems[-1].line == 100_002


def test_large_file_note_threshold():
    assert [p.kind for p in parse_markdown("x" * LARGE_NOTE_CHARS).problems] == ["large-file"]
    assert parse_markdown("x" * (LARGE_NOTE_CHARS - 1)).problems == ()


def test_garbage_collector_is_restored_after_parsing():
    assert gc.isenabled()
    parse_markdown("| a |\n|---|\n| 1 |\n")
    assert gc.isenabled()
    gc.disable()
    try:
        parse_markdown("| a |\n|---|\n| 1 |\n")
        assert not gc.isenabled()                                       # a caller's choice is kept
    finally:
        gc.enable()
