"""Markdown tables with their exact source lines (markdown-it-py).

`read_document(path)` reads and decodes the bytes, `parse_markdown(text, ...)` does the
rest: front matter, one markdown-it parse, one walk over the tokens, metadata and
suppressions. Bad input becomes a `Problem` on the Document; only a file that is not
text at all (or cannot be read) raises `IngestError`.
"""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from markdown_it import MarkdownIt

from factlint import heap
from factlint.document import Document, Problem, display_path
from factlint.errors import FactlintError
from factlint.ingest.chunks import parse_in_chunks
from factlint.ingest.decoding import BinaryContent, decode_bytes, normalise_newlines
from factlint.ingest.directives import resolve
from factlint.ingest.front_matter import split_front_matter
from factlint.ingest.inline_text import parse_inline_skipping_plain_text
from factlint.ingest.metadata import note_metadata
from factlint.ingest.table_rule import TABLE_RULE_OPTIONS, table_keeping_every_cell
from factlint.ingest.walk import Walk, walk_tokens

# What an unreadable file or folder means for the gate's verdict: said in every such message.
INCOMPLETE = "the run is incomplete"

# Parsing cost is linear (~2.5 ms/KB); above this size we say so, but still parse.
LARGE_NOTE_CHARS = 5_000_000


class IngestError(FactlintError):
    """A file that cannot be read or decoded at all; the message says why."""


class UnreadableFile(IngestError):
    """The system would not give us the bytes (permission denied, an I/O error): the note may be
    fine, but it was not checked, so the run is incomplete. A name that leads nowhere (a
    dangling link) is a plain IngestError: there is no note to check."""


# markdown-it stops reading blocks nested deeper than this (blockquotes count one level, a list
# item two) and drops the rest without a token. CommonMark's preset says 20, which a table in a
# list in a few quotes can reach; 64 still keeps the recursion far from Python's limit, and
# what lies deeper is reported (walk.py, "too-deep") rather than silently lost.
MAX_NESTING = 64
TOO_DEEP = "factlint_too_deep"      # the token that marks the lines markdown-it skipped


def _build_parser() -> MarkdownIt:
    # Built once per process: constructing a MarkdownIt instance is costly.
    parser = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    parser.block.ruler.at("table", table_keeping_every_cell, TABLE_RULE_OPTIONS)
    parser.core.ruler.at("inline", parse_inline_skipping_plain_text)
    parser.block.tokenize = _marking_skipped_lines(parser.block.tokenize)
    return parser


def _marking_skipped_lines(tokenize):
    """markdown-it's block tokenizer, plus a TOO_DEEP token over the lines it is about to skip
    for nesting (the same test it makes: the first non-blank line belongs to this block)."""
    def tokenize_marking(state, start_line: int, end_line: int) -> None:
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(start_line)
            if line < end_line and state.sCount[line] >= state.blkIndent:
                state.push(TOO_DEEP, "", 0).map = [line, end_line]
        return tokenize(state, start_line, end_line)
    return tokenize_marking


_PARSER = _build_parser()


def read_document(path: str | Path) -> Document:
    """Read bytes, detect the encoding, parse. Raises IngestError for unreadable files."""
    shown = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        reason = (err.strerror or type(err).__name__).lower()
        if isinstance(err, FileNotFoundError):
            raise IngestError(f"cannot read {shown}: {reason}") from None
        raise UnreadableFile(f"cannot read {shown}: {reason}; {INCOMPLETE} (this note was not "
                             "checked)") from None
    try:
        decoded = decode_bytes(raw)
    except BinaryContent as err:
        raise IngestError(f"binary file {shown}: {err}") from None
    doc = parse_markdown(decoded.text, path=shown, encoding=decoded.encoding,
                         sha256=hashlib.sha256(raw).hexdigest())
    if decoded.guess is not None:
        doc = dataclasses.replace(doc, encoding_guess=decoded.guess)
    if not decoded.problems:
        return doc
    problems = sorted((*decoded.problems, *doc.problems), key=lambda problem: problem.line)
    return dataclasses.replace(doc, problems=tuple(problems))     # lines that were not UTF-8


def parse_markdown(text: str, path: str = "<string>", encoding: str = "utf-8",
                   sha256: str = "") -> Document:
    """Parse decoded Markdown into a Document. Never raises on any text."""
    text = normalise_newlines(text.removeprefix("\ufeff"))
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if not text.strip():
        why = "file is empty" if not text else "file holds only whitespace"
        return Document(path=path, text=text, encoding=encoding, sha256=sha256,
                        problems=(Problem("empty", 0, why),))

    front_matter = split_front_matter(text)
    lines = front_matter.markdown.split("\n")
    walk = Walk()
    # The collector paused while tokens are built: large notes parse ~3x faster
    # (factlint.heap.paused), and tokens hold no reference cycles, so nothing piles up.
    with heap.paused():
        for tokens in parse_in_chunks(_PARSER, front_matter.markdown, lines):
            walk_tokens(tokens, lines, walk)
            del tokens          # a huge note's tokens go piece by piece
    suppressions, directive_problems = resolve(walk.directives, lines, walk.tables)
    metadata = note_metadata(front_matter.data, walk.first_h1, walk.prose_lines)
    problems = [*front_matter.problems, *walk.problems, *directive_problems]
    if len(text) >= LARGE_NOTE_CHARS:
        problems.append(Problem("large-file", 0, f"large note ({len(text) / 1e6:.1f} M characters); "
                                                 "checked in full, which takes seconds per MB"))
    return Document(path=path, text=text, encoding=encoding, sha256=sha256,
                    title=metadata.title, date=metadata.date, version=metadata.version,
                    tables=tuple(walk.tables),
                    problems=tuple(sorted(problems, key=lambda problem: problem.line)),
                    suppressions=tuple(suppressions), front_matter=front_matter.data)
