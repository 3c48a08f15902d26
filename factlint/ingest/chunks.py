"""A huge note parsed a piece at a time, with the tokens the whole-note parse would give.

markdown-it holds every token of a note until the parse ends: about 110 MB per MB of tables,
so a 50 MB note needed several GB before the first rule ran. Cut at the right places, a note
parses piece by piece into the same blocks, and each piece's tokens are gone once walked.

Where a cut is safe: on an ATX heading (`## ...` at the start of a line) after a blank line.
Paragraphs, tables, block quotes, lists and indented code all end there, and the heading
itself starts a fresh block. Only a fenced code block or an HTML block (`<!-- ... -->`,
`<pre>`) can run on past it; a piece whose last fence or HTML block reaches the cut therefore
gets parsed again, with everything after it, in one piece. One thing a piece cannot see is a
link reference definition (`[x]: url`) in another piece, so a note with `]:` anywhere is
parsed whole.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

CHUNK_CHARS = 256_000         # per piece: ~30 MB of tokens at a time
_CUT = re.compile(r"^#{1,6}(?:[ \t]|$)")
_OPEN_ENDED = ("fence", "html_block")   # the blocks a heading does not end


def parse_in_chunks(parser: MarkdownIt, text: str, lines: list[str],
                    chunk_chars: int | None = None) -> Iterator[list[Token]]:
    """The note's tokens, one piece at a time, maps counting the note's own lines (`lines` is
    `text` split at newlines). A note under two pieces long is one piece."""
    starts = [0, *cut_lines(text, lines, chunk_chars or CHUNK_CHARS)]
    if len(starts) == 1:
        yield parser.parse(text)
        return
    for number, begin in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        if end == len(lines):
            yield _shifted(parser.parse("\n".join(lines[begin:])), begin)
            return
        # The piece ends with the blank line before the cut; the extra newline makes that a
        # line of its own, so a block still open at the end reaches it.
        tokens = parser.parse("\n".join(lines[begin:end]) + "\n")
        if _runs_to_cut(tokens, end - begin):
            # A fence or HTML block may go on past the cut: the rest of the note as one piece.
            yield _shifted(parser.parse("\n".join(lines[begin:])), begin)
            return
        yield _shifted(tokens, begin)
        del tokens          # not held while the next piece parses


def cut_lines(text: str, lines: list[str], chunk_chars: int = CHUNK_CHARS) -> list[int]:
    """Line indexes where a new piece starts: an ATX heading after a blank line, once the
    current piece holds `chunk_chars` characters."""
    if len(text) < 2 * chunk_chars or "]:" in text:
        return []
    cuts: list[int] = []
    size = 0
    for index, line in enumerate(lines):
        if size >= chunk_chars and index > 0 and not lines[index - 1].strip() and _CUT.match(line):
            cuts.append(index)
            size = 0
        size += len(line) + 1
    return cuts


def _runs_to_cut(tokens: list[Token], piece_lines: int) -> bool:
    """A fence or HTML block that takes in the piece's last line, the blank line before the
    cut: a block that ends where it should never does."""
    return any(token.type in _OPEN_ENDED and token.map is not None and token.map[1] >= piece_lines
               for token in tokens)


def _shifted(tokens: list[Token], offset: int) -> list[Token]:
    """A piece's tokens with the note's line numbers: maps, and the factlint comments the
    table rule found on row lines."""
    if offset:
        for token in tokens:
            if token.map is not None:
                token.map = [token.map[0] + offset, token.map[1] + offset]
            if token.meta and token.meta.get("directives"):
                token.meta["directives"] = [replace(d, line=d.line + offset, end_line=d.end_line + offset)
                                            for d in token.meta["directives"]]
    return tokens
