"""The first real note (data/raw/cerebras-roadmap-note.md): 15 tables on the right lines."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from factlint.ingest import read_document

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"
TITLE = "Cerebras Systems Roadmap：AI 芯片"
# header line, end line of every table, in order (checked by eye against the note)
TABLE_SPANS = [(24, 29), (37, 42), (46, 54), (58, 64), (72, 76), (80, 84), (92, 98), (102, 106),
               (114, 119), (123, 128), (136, 142), (146, 151), (159, 163), (167, 172), (180, 185)]


@pytest.fixture(scope="module")
def note():
    return read_document(SAMPLE)


def test_fifteen_tables_with_their_spans(note):
    assert [(t.index, t.header_line, t.end_line) for t in note.tables] == [
        (number, *span) for number, span in enumerate(TABLE_SPANS, start=1)]


def test_rows_follow_the_delimiter_line(note):
    for table in note.tables:
        assert [row.line for row in table.rows] == list(range(table.header_line + 2, table.end_line + 1))


def test_wse3_spec_table(note):
    table = next(t for t in note.tables if t.header_line == 46)
    assert [row.line for row in table.rows] == [48, 49, 50, 51, 52, 53, 54]
    size = table.rows[1]
    assert (size.line, [c.raw for c in size.cells], [c.text for c in size.cells]) == (
        49, ["**尺寸**", "46225 mm²", "晶圆级"], ["尺寸", "46225 mm²", "晶圆级"])
    assert [c.column for c in size.cells] == [0, 1, 2]
    assert table.heading == (TITLE, "二、Wafer-Scale Engine 系列", "2.2 WSE-3 规格")
    assert table.heading_path == f"{TITLE} › 二、Wafer-Scale Engine 系列 › 2.2 WSE-3 规格"


def test_every_cell_is_kept_and_no_row_is_ragged(note):
    assert sum(len(t.header) + sum(len(r.cells) for r in t.rows) for t in note.tables) == 273
    assert not any(row.ragged for table in note.tables for row in table.rows)
    assert note.problems == ()


def test_ascii_art_in_the_fence_is_not_a_table(note):
    assert note.tables[0].header_line == 24           # nothing from lines 10-20
    assert all(not 10 <= t.header_line <= 20 for t in note.tables)


def test_metadata(note):
    assert (note.title, note.date, note.version, note.encoding) == (TITLE, "2026-02-03", "1.0", "utf-8")


def test_source_line_matches_row_line(note):
    lines = note.text.split("\n")
    for table in note.tables:
        for row in table.rows:
            source = lines[row.line - 1]
            assert all(cell.raw in source for cell in row.cells), (row.line, source)


def test_sha256_is_of_the_raw_bytes(note):
    assert note.sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
