"""One pass over markdown-it's tokens: tables with their headings and captions, the
first H1, prose lines for metadata, suppression comments, and structural problems."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from markdown_it.token import Token

from factlint.document import Cell, Problem, Row, Table
from factlint.ingest.directives import Directive, find_directives, split_off_directives
from factlint.ingest.inline_text import plain_text
from factlint.ingest.table_rule import UNESCAPED_PIPE, split_row

# A caption is a short one-line paragraph right above the table ("Table 3: 2027 forecast").
CAPTION_MAX_CHARS = 120
_CAPTION_MAX_GAP = 1           # blank lines allowed between caption and table
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
_LIST_CLOSE = ("bullet_list_close", "ordered_list_close")
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*>)*[ \t]*")      # blockquote markers, list indent
_CLOSING_FENCE = re.compile(r"(?P<fence>`{3,}|~{3,})[ \t]*")
# A delimiter row with at least one pipe: `|---|:--:|`, `--- | ---`.
_DELIMITER_ROW = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")


@dataclass
class Walk:
    tables: list[Table] = field(default_factory=list)
    first_h1: str | None = None
    prose_lines: list[str] = field(default_factory=list)   # paragraph lines outside lists and tables
    directives: list[Directive] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Where the walk is, kept between the pieces of a note parsed in chunks:
    headings: list[tuple[int, str]] = field(default_factory=list)   # (level, text), outermost first
    list_depth: int = 0


def walk_tokens(tokens: Sequence[Token], lines: Sequence[str], walk: Walk | None = None) -> Walk:
    """Walk the tokens of a note (or of its next chunk: pass the walk so far, and tokens whose
    maps count the note's lines)."""
    walk = walk if walk is not None else Walk()
    headings = walk.headings
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            _enter_heading(headings, int(token.tag[1]), tokens[index + 1], walk)
        elif kind == "paragraph_open":
            inline = tokens[index + 1]
            walk.directives.extend(_inline_directives(inline))
            _check_broken_table(token, lines, walk)
            if walk.list_depth == 0:
                walk.prose_lines.extend(plain_text(inline.children, line_break="\n").split("\n"))
        elif kind == "table_open":
            tables = len(walk.tables)
            index = _read_table(tokens, index, tuple(text for _, text in headings), walk)
            if len(walk.tables) > tables:
                _check_interrupted(tokens, index, lines, walk)
        elif kind == "html_block":
            walk.directives.extend(find_directives(token.content, token.map[0] + 1))
        elif kind == "fence":
            _check_fence_closed(token, lines, walk)
        elif kind == "factlint_too_deep":
            _check_too_deep(token, lines, walk)
        elif kind in _LIST_OPEN:
            walk.list_depth += 1
        elif kind in _LIST_CLOSE:
            walk.list_depth -= 1
        index += 1
    return walk


def _enter_heading(headings: list[tuple[int, str]], level: int, inline: Token, walk: Walk) -> None:
    text = plain_text(inline.children)
    while headings and headings[-1][0] >= level:
        headings.pop()
    headings.append((level, text))
    if level == 1 and walk.first_h1 is None:
        walk.first_h1 = text
    walk.directives.extend(_inline_directives(inline))


def _read_table(tokens: Sequence[Token], start: int, heading: tuple[str, ...], walk: Walk) -> int:
    """Build the Table that starts at tokens[start]; returns the index of its table_close."""
    table_open = tokens[start]
    header: tuple[Cell, ...] | None = None
    rows: list[Row] = []
    cells: list[Cell] = []
    row_open = table_open
    index = start + 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            row_open, cells = token, []
            walk.directives.extend(token.meta.get("directives", ()))
        elif token.type == "inline":
            raw = token.meta.get("raw", token.content)
            text = plain_text(token.children)
            # Most cells read as written: one string for both (a 50 MB note has 1.5 M cells).
            cells.append(Cell(raw=raw, text=raw if text == raw else text, column=len(cells)))
        elif token.type == "tr_close":
            if header is None:
                header = tuple(cells)
            elif header:                # no header: the table is not read (below)
                rows.append(_row(row_open, cells, len(header), walk))
        index += 1
    if not header:
        # `|<!-- factlint-disable-line … -->` over `|---|`: the comment was the only cell, so
        # there is no header to read the table by.
        walk.problems.append(Problem("table-without-header", table_open.map[0] + 1,
                                     "the header row has no cell once its factlint comment is taken "
                                     "out, so the table is not read; put the comment above the table"))
        return index
    walk.tables.append(Table(index=len(walk.tables) + 1, heading=heading,
                             header_line=table_open.map[0] + 1, end_line=table_open.map[1],
                             header=header, rows=tuple(rows), caption=_caption(tokens, start)))
    return index


def _row(row_open: Token, cells: list[Cell], columns: int, walk: Walk) -> Row:
    line = row_open.map[0] + 1
    ragged = len(cells) != columns
    if ragged:
        walk.problems.append(Problem("ragged-row", line, f"row has {len(cells)} cells, header has {columns}"))
    return Row(line=line, cells=tuple(cells), ragged=ragged)


def _caption(tokens: Sequence[Token], table_start: int) -> str:
    if table_start < 3:
        return ""
    close, inline, open_ = tokens[table_start - 1], tokens[table_start - 2], tokens[table_start - 3]
    if close.type != "paragraph_close" or close.level != tokens[table_start].level:
        return ""
    first, last = open_.map
    gap = tokens[table_start].map[0] - last
    text = plain_text(inline.children)
    if last - first != 1 or gap > _CAPTION_MAX_GAP or len(text) > CAPTION_MAX_CHARS:
        return ""
    return text


def _check_interrupted(tokens: Sequence[Token], table_close: int, lines: Sequence[str], walk: Walk) -> None:
    """Rows lost after a table: an HTML comment line (or markdown-it's cap on padded cells)
    ends a GFM table, and the remaining rows become a paragraph of pipes."""
    table = walk.tables[-1]
    end = table.end_line                        # 0-based index of the line after the table
    index = table_close + 1
    interrupter = None
    while index < len(tokens) and tokens[index].type == "html_block" and tokens[index].map[0] == end:
        interrupter = interrupter or tokens[index].map[0] + 1
        end = tokens[index].map[1]
        index += 1
    if index >= len(tokens) or tokens[index].type != "paragraph_open" or tokens[index].map[0] != end:
        return
    first, last = tokens[index].map
    if not UNESCAPED_PIPE.search(lines[first]):
        return
    cause = (f"the HTML comment at line {interrupter} ended the table; put suppression comments above the "
             "table or at the end of a row (| a | b | <!-- factlint-disable-line RULE -- reason -->)"
             if interrupter else "the table ended there")
    walk.problems.append(Problem("table-interrupted", first + 1,
                                 f"lines {first + 1}-{last} look like rows of table {table.index} "
                                 f"(lines {table.header_line}-{table.end_line}) but are not part of it: {cause}"))


def _check_broken_table(paragraph_open: Token, lines: Sequence[str], walk: Walk) -> None:
    """A header and delimiter row whose cell counts differ are no table at all: Markdown
    shows them as a paragraph, so every row below would go unchecked without a word."""
    first, last = paragraph_open.map
    if last - first < 2:
        return
    header = _CONTAINER_PREFIX.sub("", lines[first])
    delimiter = _CONTAINER_PREFIX.sub("", lines[first + 1])
    if "|" not in delimiter or not UNESCAPED_PIPE.search(header) or not _DELIMITER_ROW.fullmatch(delimiter):
        return
    header_cells, delimiter_cells = len(split_row(header)), len(split_row(delimiter))
    hint = ""
    if len(split_row(split_off_directives(header, first + 1)[0])) == delimiter_cells:
        hint = "; a factlint comment at the end of the header line counts as a cell, put it above the table"
    walk.problems.append(Problem(
        "broken-table", first + 1,
        f"lines {first + 1}-{last} look like a table, but the header row has {header_cells} cells and the "
        f"delimiter row {delimiter_cells}, so Markdown reads them as a paragraph and none of it is checked{hint}"))


def _check_too_deep(marker: Token, lines: Sequence[str], walk: Walk) -> None:
    """Lines nested deeper than markdown-it reads (see ingest/markdown.py, MAX_NESTING) are
    dropped; when a table's delimiter row is among them, that table is never checked."""
    first, last = marker.map
    for number in range(first, min(last, len(lines))):
        line = _CONTAINER_PREFIX.sub("", lines[number])
        if "|" in line and _DELIMITER_ROW.fullmatch(line):
            walk.problems.append(Problem(
                "too-deep", first + 1,
                f"lines {first + 1}-{last} are nested {marker.level} or more levels deep in quotes and lists, "
                f"deeper than Markdown reads: the table at line {number} is not checked; nest it less"))
            return


def _check_fence_closed(fence: Token, lines: Sequence[str], walk: Walk) -> None:
    first, last = fence.map
    closing = _CLOSING_FENCE.fullmatch(_CONTAINER_PREFIX.sub("", lines[last - 1])) if last - first >= 2 else None
    if closing and closing.group("fence")[0] == fence.markup[0] and len(closing.group("fence")) >= len(fence.markup):
        return
    walk.problems.append(Problem("unclosed-fence", first + 1,
                                 f"code fence {fence.markup!r} opened at line {first + 1} is never closed; "
                                 f"lines {first + 2}-{last} are read as code, so no table there is checked"))


def _inline_directives(inline: Token) -> list[Directive]:
    """factlint comments in a paragraph or heading, each on its own source line."""
    found: list[Directive] = []
    line = inline.map[0] + 1
    for child in inline.children or ():
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "html_inline":
            found.extend(find_directives(child.content, line))
            line += child.content.count("\n")
        elif child.type in ("text", "code_inline"):
            line += child.content.count("\n")
    return found
