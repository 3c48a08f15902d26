"""The parsing floor: markdown-it-py alone reading and parsing every note under a folder, in
one process, the way ingest configures it. Prints one JSON line (import time excluded).

`python benchmarks/floor.py DIR`
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from markdown_it import MarkdownIt


def parse_all(root: Path) -> dict:
    md = MarkdownIt("commonmark").enable("table")
    files = sorted(root.rglob("*.md"))
    start = time.perf_counter()
    size = 0
    for path in files:
        data = path.read_bytes()
        size += len(data)
        md.parse(data.decode("utf-8", errors="replace"))
    return {"files": len(files), "bytes": size, "seconds": time.perf_counter() - start}


if __name__ == "__main__":
    print(json.dumps(parse_all(Path(sys.argv[1]))))
