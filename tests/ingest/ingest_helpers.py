"""Helpers shared by the ingest tests (a plain module, not a conftest, so its name is unique)."""
from __future__ import annotations

from pathlib import Path

from factlint.document import Document, Table

NOTES = Path(__file__).resolve().parents[1] / "fixtures" / "notes"


def table_shape(table: Table) -> tuple:
    """(header_line, end_line, row lines, header texts): what a layout test compares."""
    return (table.header_line, table.end_line, [row.line for row in table.rows],
            [cell.text for cell in table.header])


def row_texts(document: Document) -> list[tuple[int, list[str]]]:
    return [(row.line, [cell.text for cell in row.cells]) for table in document.tables for row in table.rows]


def kinds(document: Document) -> list[tuple[str, int]]:
    return [(problem.kind, problem.line) for problem in document.problems]
