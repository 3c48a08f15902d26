"""What ingest produces: a note's tables with exact source lines.

Plain frozen dataclasses so that every later stage (normalise, claims, rules, report)
can rely on them without importing markdown-it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from factlint.pickling import by_fields


def display_path(path: str | os.PathLike) -> str:
    """The path as every later stage holds it: text that any output can carry. A file name
    that is not valid UTF-8 reaches Python with its odd bytes as lone surrogates, which no
    UTF-8 output (JSON, SARIF, a terminal) can encode; they are shown as `\\xff`, the same in
    every format, because this one string is the document's path everywhere."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    if text.isascii():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")    # the bytes on disk
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")   # other lone surrogates
    return raw.decode("utf-8", "backslashreplace")


@by_fields
@dataclass(frozen=True, slots=True)
class Cell:
    raw: str        # the cell's source text, inline markup kept ("**尺寸**", "125¹", "`x`")
    text: str       # inline markup stripped, entities decoded, escaped pipes unescaped; stripped
    column: int     # 0-based column index


@by_fields
@dataclass(frozen=True, slots=True)
class Row:
    line: int                  # 1-based source line
    cells: tuple[Cell, ...]    # as many cells as the source row has (ragged rows kept as-is)
    ragged: bool = False       # the source row had more or fewer cells than the header


@by_fields
@dataclass(frozen=True, slots=True)
class Table:
    index: int                   # 1-based ordinal in the document
    heading: tuple[str, ...]     # every enclosing heading, outermost first, markup stripped
    header_line: int             # 1-based source line of the header row
    end_line: int                # 1-based last source line of the table
    header: tuple[Cell, ...]
    rows: tuple[Row, ...]
    caption: str = ""            # the paragraph just above the table, if any (e.g. "Table 3: forecast")

    @property
    def heading_path(self) -> str:
        return " › ".join(self.heading)


@by_fields
@dataclass(frozen=True, slots=True)
class Problem:
    """Something ingest noticed that a reviewer should see (never silently dropped)."""
    kind: str        # "ragged-row", "decode", "unclosed-fence", "unclosed-front-matter", "empty", "binary", ...
    line: int        # 1-based; 0 when it concerns the whole file
    message: str


@by_fields
@dataclass(frozen=True, slots=True)
class EncodingGuess:
    """How a note that is not UTF-8 (nor marked by a byte-order mark) was decoded: a guess."""
    encoding: str                       # what it was read as, e.g. "cp1252", "gb18030"
    confidence: float                   # 0..1: charset-normalizer's 1 - mess ratio, or the GB2312 share
    alternatives: tuple[str, ...] = ()  # encodings that read it just as cleanly


@by_fields
@dataclass(frozen=True, slots=True)
class Suppression:
    """`<!-- factlint-disable-next-line RULE[,RULE] -- reason -->`"""
    line: int               # the line of the comment
    target_line: int        # the next non-blank line it applies to
    rules: tuple[str, ...]
    reason: str             # empty when missing (which is itself reported)


@by_fields
@dataclass(frozen=True, slots=True)
class Document:
    path: str                      # as given
    text: str                      # decoded text, newlines normalised to \n
    encoding: str                  # e.g. "utf-8", "utf-8-sig", "gb18030", "utf-16"
    sha256: str                    # of the raw bytes
    title: str | None = None
    date: str | None = None        # ISO yyyy-mm-dd (or yyyy-mm / yyyy) the note states for itself
    version: str | None = None
    tables: tuple[Table, ...] = ()
    problems: tuple[Problem, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    front_matter: dict = field(default_factory=dict)
    encoding_guess: EncodingGuess | None = None     # None: the encoding is certain (UTF-8, a BOM)

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + 1
