"""markdown-it's GFM table rule, adjusted so that no cell of the source is lost.

The stock rule pads a short row with '' cells and silently drops the extra cells of a
long row, so a row that says more than its header can no longer be checked. We let the
stock rule decide *whether* the lines form a table (so we agree with GitHub on that),
then re-split every row line ourselves and rewrite the row's tokens:

- each cell's inline token gets `meta["raw"]` (the cell's source, `\\|` kept) and the
  content markdown-it would have given it; padding cells get `meta["padding"] = True`;
- a long row gets extra td tokens for its extra cells, so inline parsing covers them;
- `tr_open.meta` holds `cells` (how many the source line has) and `directives`
  (factlint comments found on the line, which are cut out before splitting: a trailing
  `<!-- factlint-disable-line ... -->` is not a cell).

Cells are split exactly where markdown-it splits them: at every pipe not preceded by a
backslash, code spans included (GFM: `` `a|b` `` is two cells on GitHub too).
"""
from __future__ import annotations

import re
from typing import Iterator

from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import table as gfm_table
from markdown_it.token import Token

from factlint.ingest.directives import split_off_directives

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# Same options markdown-it registers the stock rule with: a table may interrupt a paragraph.
TABLE_RULE_OPTIONS = {"alt": ["paragraph", "reference"]}


def table_keeping_every_cell(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    first_token = len(state.tokens)
    if not gfm_table(state, start_line, end_line, silent):
        return False
    if not silent:
        state.tokens[first_token:] = list(_complete_rows(state, state.tokens[first_token:]))
    return True


def split_row(source: str) -> list[str]:
    """The cells of one table row line, as source text (`\\|` kept, not trimmed)."""
    pieces = _UNESCAPED_PIPE.split(source.strip(MD_TRIM_CHARS))
    if pieces and pieces[0] == "":
        pieces.pop(0)             # the leading outer pipe
    if pieces and pieces[-1] == "":
        pieces.pop()              # the trailing outer pipe
    return pieces


def cell_content(piece: str) -> str:
    """What markdown-it parses as the cell's inline content: `\\|` unescaped, trimmed."""
    return piece.replace("\\|", "|").strip(MD_TRIM_CHARS)


def _complete_rows(state: StateBlock, tokens: list[Token]) -> Iterator[Token]:
    row: Token | None = None
    pieces: list[str] = []
    cell = 0
    for token in tokens:
        if token.type == "tr_open":
            row, cell = token, 0
            line = token.map[0]
            source, directives = split_off_directives(_source_line(state, line), line + 1)
            pieces = split_row(source)
            token.meta = {"cells": len(pieces), "directives": directives}
        elif token.type == "inline":
            _fill_cell(token, pieces, cell)
            cell += 1
        elif token.type == "tr_close" and row is not None and cell < len(pieces):
            yield from _extra_cells(pieces[cell:], row)
        yield token


def _fill_cell(inline: Token, pieces: list[str], index: int) -> None:
    if index < len(pieces):
        inline.content = cell_content(pieces[index])
        inline.meta = {"raw": pieces[index].strip()}
    else:
        inline.content = ""
        inline.meta = {"raw": "", "padding": True}


def _extra_cells(extra: list[str], row: Token) -> Iterator[Token]:
    """td tokens shaped like the stock rule's, for the cells it dropped."""
    for piece in extra:
        yield Token("td_open", "td", 1, level=row.level + 1)
        yield Token("inline", "", 0, map=list(row.map), level=row.level + 2, children=[],
                    content=cell_content(piece), meta={"raw": piece.strip()})
        yield Token("td_close", "td", -1, level=row.level + 1)


def _source_line(state: StateBlock, line: int) -> str:
    """The line as the table rule sees it: container markers (`> `, list indent) removed."""
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
