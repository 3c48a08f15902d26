"""The parsing floors: each Markdown parser alone reading and parsing every note under a
folder, in one process. Prints one JSON line (import time excluded).

- `markdown-it-py`: the parser ingest runs, configured as ingest configures it (its table rule,
  its inline shortcut, the collector paused); `seconds` is this floor, the one `check` is
  measured against.
- `markdown-it-pyrs`: markdown-it.rs with its table plugin, `tree()` (every node carries its
  byte `srcmap`, which is what ingest would read source lines from).
- `pyromark`: pulldown-cmark with GFM tables, `events_with_range()` (byte ranges, for the same
  reason; plain `events()` is ~2x faster but has no position at all).

issue #16 asks whether one of the Rust parsers can replace markdown-it-py in ingest;
`parser_conformance.py` says whether they read the same tables.

`python benchmarks/floor.py DIR`
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Callable

import markdown_it_pyrs
import pyromark

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from factlint.heap import paused  # noqa: E402
from factlint.ingest.markdown import _PARSER  # noqa: E402


def _markdown_it_py(text: str) -> None:
    with paused():
        _PARSER.parse(text)


_PYRS = markdown_it_pyrs.MarkdownIt("commonmark").enable("table")


def _markdown_it_pyrs(text: str) -> None:
    _PYRS.tree(text)


def _pyromark(text: str) -> None:
    for _ in pyromark.events_with_range(text, options=pyromark.Options.ENABLE_TABLES):
        pass


PARSERS: dict[str, Callable[[str], None]] = {
    "markdown-it-py": _markdown_it_py, "markdown-it-pyrs": _markdown_it_pyrs, "pyromark": _pyromark}


def parse_all(root: Path, parse: Callable[[str], None]) -> float:
    """Seconds to read, decode and parse every note under `root`."""
    start = time.perf_counter()
    for path in sorted(root.rglob("*.md")):
        parse(path.read_bytes().decode("utf-8", errors="replace"))
    return time.perf_counter() - start


def floors(root: Path) -> dict:
    files = sorted(root.rglob("*.md"))
    size = sum(len(path.read_bytes()) for path in files)     # also warms the page cache for all three
    result: dict = {"files": len(files), "bytes": size, "floors": {}}
    for name, parse in PARSERS.items():
        seconds = parse_all(root, parse)
        result["floors"][name] = {"seconds": seconds, "ms_per_note": 1000 * seconds / max(len(files), 1)}
    result["seconds"] = result["floors"]["markdown-it-py"]["seconds"]
    return result


if __name__ == "__main__":
    print(json.dumps(floors(Path(sys.argv[1]))))
