"""A GFM table block rule for markdown-it that loses no cell of the source.

markdown-it's stock rule pads a short row with '' cells, silently drops the extra cells
of a long row, and stops the table (turning the remaining rows into a paragraph) once it
has padded 65,536 cells. A row that says more than its header could then not be checked.

So we ask the stock rule, in silent mode, *whether* a table starts on a line (header
and delimiter checks stay exactly GitHub's), and emit the rows ourselves with the same
end-of-table conditions, one inline token per source cell (no th/td wrappers: nothing renders
these tokens) and no padding:
- each cell's inline token carries `meta["raw"]`, the cell's source (`\\|` kept);
  its `content` is what markdown-it would parse (`\\|` unescaped, trimmed);
- `tr_open.meta` holds `directives`: factlint comments found on the row line. They are cut
  out before splitting, so a trailing `<!-- factlint-disable-line ... -->` is not a cell.

Cells are split where markdown-it splits them: at every pipe not preceded by a backslash,
inside code spans too (GFM: `` `a|b` `` is two cells on GitHub as well).
"""
from __future__ import annotations

import re

from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import table as stock_table

from factlint.ingest.directives import split_off_directives

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")   # where markdown-it splits cells
# Same options markdown-it registers the stock rule with: a table may interrupt a paragraph.
TABLE_RULE_OPTIONS = {"alt": ["paragraph", "reference"]}


def table_keeping_every_cell(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if not stock_table(state, start_line, end_line, True):
        return False
    if silent:
        return True

    old_parent, state.parentType = state.parentType, "table"
    table_open = state.push("table_open", "table", 1)
    state.push("thead_open", "thead", 1).map = [start_line, start_line + 1]
    _push_row(state, start_line)
    state.push("thead_close", "thead", -1)

    line = start_line + 2
    if _continues_table(state, line, end_line):
        tbody_open = state.push("tbody_open", "tbody", 1)
        while _continues_table(state, line, end_line):
            _push_row(state, line)
            line += 1
        tbody_open.map = [start_line + 2, line]
        state.push("tbody_close", "tbody", -1)
    state.push("table_close", "table", -1)

    table_open.map = [start_line, line]
    state.parentType = old_parent
    state.line = line
    return True


def split_row(source: str) -> list[str]:
    """The cells of one table row line, as source text (`\\|` kept, not trimmed)."""
    pieces = UNESCAPED_PIPE.split(source.strip(MD_TRIM_CHARS))
    if pieces and pieces[0] == "":
        pieces.pop(0)             # the leading outer pipe
    if pieces and pieces[-1] == "":
        pieces.pop()              # the trailing outer pipe
    return pieces


def cell_content(piece: str) -> str:
    """What markdown-it parses as the cell's inline content: `\\|` unescaped, trimmed."""
    return piece.replace("\\|", "|").strip(MD_TRIM_CHARS)


def _continues_table(state: StateBlock, line: int, end_line: int) -> bool:
    """The stock rule's end-of-table test, minus its cap on padded cells (we pad none)."""
    if line >= end_line or state.sCount[line] < state.blkIndent:
        return False
    if any(starts_block(state, line, end_line, True) for starts_block in state.md.block.ruler.getRules("blockquote")):
        return False
    return bool(_source_line(state, line).strip(MD_TRIM_CHARS)) and not state.is_code_block(line)


def _push_row(state: StateBlock, line: int) -> None:
    source, directives = split_off_directives(_source_line(state, line), line + 1)
    row = state.push("tr_open", "tr", 1)
    row.map = [line, line + 1]
    row.meta = {"directives": directives}
    for piece in split_row(source):
        # Only the inline token: nothing renders these tokens, and the walk reads a row as the
        # inline tokens between tr_open and tr_close. Leaving out th/td open and close saves two
        # tokens a cell (a 100,000-row table: ~200 MB at the peak of its parse).
        inline = state.push("inline", "", 0)
        inline.map = [line, line + 1]
        inline.content = cell_content(piece)
        inline.meta = {"raw": piece.strip()}
        inline.children = []
    state.push("tr_close", "tr", -1)


def _source_line(state: StateBlock, line: int) -> str:
    """The line as the table rule sees it: container markers (`> `, list indent) removed."""
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
