"""Where a finding sits in its note's source text: the line, the cell's column span on that line,
and the line as it reads once a fix is applied. SARIF and GitHub annotations need columns and
whole-line replacements. A finding at a cell carries the cell's column index (from its claim);
locations without one (hand-made, older baselines) are matched by table, header and cell text."""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from factlint.document import Cell, Document, Table
from factlint.findings import Finding, Location

_CONTAINER_PREFIX = re.compile(r"\s*(?:>\s?)*")      # indentation and blockquote markers


def documents_by_path(results: Sequence) -> dict[str, Document]:
    """path -> Document for every result that could be read."""
    return {r.path: r.document for r in results if getattr(r, "document", None) is not None}


def source_line(doc: Document | None, line: int) -> str | None:
    if doc is None or line < 1:
        return None
    lines = doc.text.split("\n")
    return lines[line - 1] if line <= len(lines) else None


def cell_spans(line: str) -> list[tuple[int, int]]:
    """0-based [start, end) spans of each table cell's content on a pipe-table line, surrounding
    spaces excluded. Escaped pipes (``\\|``) stay inside their cell, as GFM reads them."""
    start = _CONTAINER_PREFIX.match(line).end()
    pipes = [i for i in range(start, len(line)) if line[i] == "|" and not _escaped(line, i)]
    if not pipes:
        return []
    bounds = [start - 1, *pipes, len(line)]
    segments = [(a + 1, b) for a, b in zip(bounds, bounds[1:])]
    if not line[segments[0][0]:segments[0][1]].strip():      # leading pipe
        segments = segments[1:]
    if segments and not line[segments[-1][0]:segments[-1][1]].strip():   # trailing pipe
        segments = segments[:-1]
    return [_strip_span(line, a, b) for a, b in segments]


def _escaped(line: str, i: int) -> bool:
    backslashes = 0
    while i - backslashes - 1 >= 0 and line[i - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _strip_span(line: str, a: int, b: int) -> tuple[int, int]:
    while a < b and line[a].isspace():
        a += 1
    while b > a and line[b - 1].isspace():
        b -= 1
    return a, b


def cell_span(doc: Document | None, loc: Location) -> tuple[int, int] | None:
    """The span of the cell a location points at, or None when it cannot be told for certain."""
    line = source_line(doc, loc.line)
    if line is None:
        return None
    spans = cell_spans(line)
    index = loc.column_index if loc.column_index is not None else _cell_index(doc, loc)
    if index is not None and index < len(spans):
        return spans[index]
    if loc.text:            # no table model to go by: the one cell on the line holding the text
        hits = [s for s in spans if line[s[0]:s[1]].strip("*_` ") == loc.text]
        if len(hits) == 1:
            return hits[0]
    return None


def _cell_index(doc: Document, loc: Location) -> int | None:
    table = _table_at(doc, loc)
    if table is None:
        return None
    cells = table.header if table.header_line == loc.line else _row_cells(table, loc)
    if not cells:
        return None
    by_text = [c for c in cells if loc.text is not None and loc.text in (c.text, c.raw)]
    if len(by_text) > 1 and loc.column:
        by_text = [c for c in by_text if _header_label(table, c.column).startswith(loc.column)] \
            or by_text
    if by_text:
        return by_text[0].column
    if loc.column:
        labelled = [c for c in table.header if c.text.startswith(loc.column)]
        if len(labelled) == 1:
            return labelled[0].column
    return None


def _table_at(doc: Document, loc: Location) -> Table | None:
    for table in doc.tables:
        if loc.table is not None and table.index != loc.table:
            continue
        if table.header_line <= loc.line <= table.end_line:
            return table
    return None


def _row_cells(table: Table, loc: Location) -> tuple[Cell, ...]:
    for row in table.rows:
        if row.line == loc.line:
            return row.cells
    return ()


def _header_label(table: Table, column: int) -> str:
    return table.header[column].text if column < len(table.header) else ""


def fixed_line(doc: Document | None, finding: Finding) -> tuple[str, str] | None:
    """(line as it is, line with the fix applied), or None when the finding has no fix or the
    text to replace cannot be found on its line."""
    fix = finding.fix
    line = source_line(doc, finding.location.line)
    if fix is None or line is None:
        return None
    original = fix.original or finding.location.text
    span = cell_span(doc, finding.location)
    if span is not None:
        start, end = span
        cell = line[start:end]
        replacement = _escape_pipes(fix.replacement)
        new_cell = cell.replace(original, replacement, 1) if original and original in cell \
            else replacement
        return line, line[:start] + new_cell + line[end:]
    if original and original in line:
        return line, line.replace(original, fix.replacement, 1)
    return None


def _escape_pipes(text: str) -> str:
    """A replacement written into a table cell must not split the cell."""
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def location_columns(docs: Mapping[str, Document], loc: Location) -> tuple[int, int] | None:
    """1-based (startColumn, endColumn) as SARIF and GitHub count them, end exclusive."""
    span = cell_span(docs.get(loc.path), loc)
    if span is None or span[0] == span[1]:
        return None
    return span[0] + 1, span[1] + 1
