"""Do the Rust parsers read the same tables as ingest? (issue #16)

For every note of a corpus (tests/notes, tests/fixtures, data/raw, generated notes, and the
edge cases below), the tables that ingest reads with markdown-it-py are compared with the tables
that markdown-it-pyrs (table plugin) and pyromark (GFM tables) see in the same text: each
table's header line, every row's source line, and every cell's source (`raw`) and plain text.
A row's line comes from the parser's own positions (byte offsets: markdown-it-pyrs' `srcmap`,
pyromark's `events_with_range`). Prints the differences by kind with examples, and a verdict.

`python benchmarks/parser_conformance.py [--generated N]`
"""
from __future__ import annotations

import argparse
import bisect
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import markdown_it_pyrs
import pyromark

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
import generate  # noqa: E402
from factlint.ingest.decoding import BinaryContent, decode_bytes, normalise_newlines  # noqa: E402
from factlint.ingest.front_matter import split_front_matter  # noqa: E402
from factlint.ingest.inline_text import _SUPERSCRIPT, _footnotes_removed, _tag  # noqa: E402
from factlint.ingest.markdown import parse_markdown  # noqa: E402

# The cases the question turns on, each small enough to read in a report line.
EDGE_CASES = {
    "escaped pipe": "| a | b |\n|---|---|\n| x\\|y | 2 |\n",
    "code span with pipe": "| a | b |\n|---|---|\n| `x|y` | 2 |\n",
    "code span, escaped pipe": "| a | b |\n|---|---|\n| `x\\|y` | 2 |\n",
    "blockquote": "> | a | b |\n> |---|---|\n> | 1 | 2 |\n",
    "list item": "- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n",
    "quote in list": "1. x\n   > | a | b |\n   > |---|---|\n   > | 1 | 2 |\n",
    "short row": "| a | b | c |\n|---|---|---|\n| 1 | 2 |\n",
    "long row": "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n",
    "no outer pipes": "a | b\n--- | ---\n1 | 2\n",
    "no trailing pipe": "| a | b\n|---|---\n| 1 | 2\n",
    "empty cells": "| a | b | c |\n|---|---|---|\n| | 2 ||\n",
    "inline html": "| a | b |\n|---|---|\n| <b>5</b> | 10<sup>2</sup> |\n",
    "html comment row": "| a | b |\n|---|---|\n| 1 | 2 |\n<!-- note -->\n| 3 | 4 |\n",
    "factlint comment": "| a | b |\n|---|---|\n| 1 | 2 | <!-- factlint-disable-line R -- why -->\n",
    "cjk": "| 型号 | 显存 |\n|---|---|\n| 甲 | 80 GB |\n| 乙 | ９６ GB |\n",
    "markup in cells": "| **a** | *b* |\n|:--|--:|\n| [x](http://e.x) | ![alt](i.png) |\n",
    "entities": "| a | b |\n|---|---|\n| &amp; | &#x41; |\n",
    "interrupts paragraph": "Text above.\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "ends at blockquote": "| a | b |\n|---|---|\n| 1 | 2 |\n> quoted\n",
    "indented code row": "| a | b |\n|---|---|\n| 1 | 2 |\n\n    | c | d |\n",
    "mismatched delimiter": "| a | b |\n|---|\n| 1 | 2 |\n",
    "tab separated": "| a\t| b |\n|---\t|---|\n| 1\t| 2 |\n",
    "footnote marker": "| a | b |\n|---|---|\n| 125[^1] | 2 |\n\n[^1]: note\n",
    "deep nesting": "> " * 70 + "| a | b |\n" + "> " * 70 + "|---|---|\n" + "> " * 70 + "| 1 | 2 |\n",
    "after front matter": "---\ntitle: x\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n",
}


@dataclass(frozen=True)
class SeenRow:
    line: int | None                 # 1-based; None: the parser gave no position
    cells: tuple[tuple[str, str], ...]   # (raw, text) per cell


@dataclass(frozen=True)
class SeenTable:
    header: SeenRow
    rows: tuple[SeenRow, ...]


def markdown_it_py_tables(text: str) -> list[SeenTable]:
    """The reference: the tables ingest reads (markdown-it-py and factlint's table rule)."""
    return [SeenTable(SeenRow(table.header_line, tuple((c.raw, c.text) for c in table.header)),
                      tuple(SeenRow(row.line, tuple((c.raw, c.text) for c in row.cells)) for row in table.rows))
            for table in parse_markdown(text).tables]


class _Positions:
    """UTF-8 byte offset -> 1-based line and the source between two offsets."""

    def __init__(self, text: str):
        self.data = text.encode("utf-8", "surrogatepass")
        self.starts = [0] + [i + 1 for i, byte in enumerate(self.data) if byte == 0x0A]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def source(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "surrogatepass").strip()


class _Text:
    """Plain text of a cell the way ingest's plain_text() makes it (footnote markers out,
    <sup> digits raised, <br> as a space), fed piece by piece."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.superscript = False
        self.link_start: int | None = None

    def link_open(self) -> None:
        self.link_start = len(self.parts)

    def link_close(self) -> None:
        """`[^1]` with a `[^1]: ...` definition is a link whose text is `^1`: ingest drops it."""
        if self.link_start is not None and "".join(self.parts[self.link_start:]).startswith("^"):
            del self.parts[self.link_start:]
        self.link_start = None

    def text(self, content: str) -> None:
        self.parts.append(content.translate(_SUPERSCRIPT) if self.superscript else content)

    def code(self, content: str) -> None:
        self.parts.append(content)

    def html(self, content: str) -> None:
        closing, tag = _tag(content)
        if tag == "br":
            self.parts.append(" ")
        elif tag == "sup":
            self.superscript = not closing

    def value(self) -> str:
        # Footnote markers over the whole cell: the Rust parsers cut `[^1]` into pieces at `[`.
        return _footnotes_removed("".join(self.parts), False).strip()


def _trailing_padding(cells: list[tuple[str, str, bool]]) -> tuple[tuple[str, str], ...]:
    """Both Rust parsers pad a short row with empty cells placed at the row's end offset (an
    empty source cell, `| |` or `||`, lies before it); ingest keeps the row as written and
    reports it ragged, so the padding is taken off here: a short row is not a difference."""
    while cells and cells[-1][2]:
        cells.pop()
    return tuple((raw, text) for raw, text, _ in cells)


def pyromark_tables(text: str) -> list[SeenTable]:
    positions = _Positions(text)
    tables: list[SeenTable] = []
    rows: list[SeenRow] = []
    cells: list[tuple[str, str, bool]] = []
    cell_text: _Text | None = None
    row_line = row_end = None
    for event, span in pyromark.events_with_range(text, options=pyromark.Options.ENABLE_TABLES):
        if event in ({"Start": "TableHead"}, {"Start": "TableRow"}):
            cells, row_line, row_end = [], positions.line(span["start"]), span["end"]
        elif event == {"Start": "TableCell"}:
            cell_text = _Text()
        elif event == {"End": "TableCell"}:
            cells.append((positions.source(span["start"], span["end"]), cell_text.value(),
                          span["start"] == span["end"] >= row_end))
            cell_text = None
        elif event in ({"End": "TableHead"}, {"End": "TableRow"}):
            rows.append(SeenRow(row_line, _trailing_padding(cells)))
        elif event == {"End": "Table"}:
            tables.append(SeenTable(rows[0], tuple(rows[1:])))
            rows = []
        elif cell_text is not None and event == {"End": "Link"}:
            cell_text.link_close()
        elif cell_text is not None and isinstance(event, dict):
            kind, content = next(iter(event.items()))
            if kind == "Text":
                cell_text.text(content)
            elif kind == "Code":
                cell_text.code(content)
            elif kind == "InlineHtml":
                cell_text.html(content)
            elif kind == "Start" and isinstance(content, dict) and "Link" in content:
                cell_text.link_open()
    return tables


_PYRS = markdown_it_pyrs.MarkdownIt("commonmark").enable("table")


def _feed_pyrs(node, cell_text: _Text) -> None:
    """A markdown-it-pyrs cell's inline nodes, in source order, into `cell_text`."""
    for child in node.children:
        if child.name in ("text", "text_special"):      # text_special: an entity or an escape
            cell_text.text(child.meta.get("content", ""))
        elif child.name == "html_inline":
            cell_text.html(child.meta.get("content", ""))
        elif child.name in ("softbreak", "hardbreak"):
            cell_text.text(" ")
        elif child.name == "link":
            cell_text.link_open()
            _feed_pyrs(child, cell_text)
            cell_text.link_close()
        else:                                           # code, emphasis, image: their text
            _feed_pyrs(child, cell_text)


def markdown_it_pyrs_tables(text: str) -> list[SeenTable]:
    positions = _Positions(text)

    def row(node) -> SeenRow:
        cells = []
        for cell in node.children:
            cell_text = _Text()
            _feed_pyrs(cell, cell_text)
            start, end = cell.srcmap or (0, 0)
            cells.append((positions.source(start, end), cell_text.value(), start == end >= node.srcmap[1]))
        return SeenRow(positions.line(node.srcmap[0]) if node.srcmap else None, _trailing_padding(cells))

    tables = []
    for node in _PYRS.tree(text).walk():
        if node.name == "table":
            rows = [row(r) for part in node.children for r in part.children if r.name == "trow"]
            tables.append(SeenTable(rows[0], tuple(rows[1:])))
    return tables


FAST_PARSERS: dict[str, Callable[[str], list[SeenTable]]] = {
    "markdown-it-pyrs": markdown_it_pyrs_tables, "pyromark": pyromark_tables}


def differences(reference: list[SeenTable], seen: list[SeenTable]) -> Iterator[tuple[str, str]]:
    """(kind, example) for every way `seen` differs from `reference`, tables matched by header line."""
    ours = {table.header.line: table for table in reference}
    theirs = {table.header.line: table for table in seen}
    for line in sorted(ours.keys() - theirs.keys()):
        yield "table missing", f"line {line}: {ours[line].header.cells}"
    for line in sorted(theirs.keys() - ours.keys()):
        yield "table not in ingest", f"line {line}: {theirs[line].header.cells}"
    for line in sorted(ours.keys() & theirs.keys()):
        want, got = ours[line], theirs[line]
        if len(want.rows) != len(got.rows):
            yield "row count", f"table at line {line}: {len(want.rows)} rows, parser {len(got.rows)}"
        for a, b in zip((want.header, *want.rows), (got.header, *got.rows)):
            if b.line is None:
                yield "row without line", f"line {a.line}"
            elif a.line != b.line:
                yield "row line", f"line {a.line}, parser {b.line}"
            if len(a.cells) != len(b.cells):
                cut = len(a.cells) > len(b.cells) == len(want.header.cells)
                yield ("long row cut to header width" if cut else "cell count",
                       f"line {a.line}: {[raw for raw, _ in a.cells]} vs {[raw for raw, _ in b.cells]}")
            for (raw_a, text_a), (raw_b, text_b) in zip(a.cells, b.cells):
                if raw_a != raw_b:
                    yield "cell source", f"line {a.line}: {raw_a!r} vs {raw_b!r}"
                elif text_a != text_b:
                    yield "cell text", f"line {a.line}: {text_a!r} vs {text_b!r}"


def corpus(generated: int) -> Iterator[tuple[str, str, str]]:
    """(group, name, text as ingest hands it to the parser: newlines normalised, front matter blanked)."""
    groups = [("tests/notes", sorted((REPO / "tests" / "notes").glob("*.md"))),
              ("tests/fixtures", sorted((REPO / "tests" / "fixtures").rglob("*.md"))),
              ("data/raw", sorted((REPO / "data" / "raw").glob("*.md")))]
    for group, paths in groups:
        for path in paths:
            try:
                text = decode_bytes(path.read_bytes()).text
            except BinaryContent:
                continue
            yield group, path.name, text
    for index in range(generated):
        note = generate.generate_note(7, index)
        yield "generated", note.name, note.text
    for name, text in EDGE_CASES.items():
        yield "edge cases", name, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=500, help="generated notes to compare (seed 7)")
    parser.add_argument("--examples", type=int, default=3, help="examples shown per kind of difference")
    args = parser.parse_args(argv)

    notes: Counter = Counter()
    tables: Counter = Counter()
    found: dict[str, dict[str, Counter]] = {name: defaultdict(Counter) for name in FAST_PARSERS}
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    edge_verdicts: dict[str, dict[str, str]] = defaultdict(dict)
    for group, name, text in corpus(args.generated):
        text = split_front_matter(normalise_newlines(text.removeprefix("\ufeff"))).markdown
        reference = markdown_it_py_tables(text)
        notes[group] += 1
        tables[group] += len(reference)
        for parser_name, read in FAST_PARSERS.items():
            kinds = list(differences(reference, read(text)))
            for kind, example in kinds:
                found[parser_name][group][kind] += 1
                if len(examples[parser_name, kind]) < args.examples:
                    examples[parser_name, kind].append(f"{group}/{name}: {example}")
            if group == "edge cases":
                edge_verdicts[name][parser_name] = ", ".join(sorted({k for k, _ in kinds})) or "same"

    print("corpus: " + ", ".join(f"{group} {notes[group]} notes / {tables[group]} tables" for group in notes))
    for parser_name, by_group in found.items():
        print(f"\n{parser_name} against markdown-it-py (ingest):")
        for group in notes:
            counts = by_group.get(group)
            print(f"  {group:<15} " + (", ".join(f"{kind} {n}" for kind, n in sorted(counts.items()))
                                        if counts else "identical"))
        for (name, kind), shown in sorted(examples.items()):
            if name == parser_name:
                for example in shown:
                    print(f"    {kind}: {example}")
    print("\nedge cases (difference from ingest per parser):")
    for name, verdicts in edge_verdicts.items():
        print(f"  {name:<24} " + "; ".join(f"{p}: {v}" for p, v in verdicts.items()))
    identical = [p for p, by_group in found.items() if not by_group]
    print("\nverdict: " + (f"identical on every note: {', '.join(identical)}" if identical
                           else "neither parser reads every table as ingest does"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
