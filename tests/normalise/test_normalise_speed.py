"""Cost guards: parsing never builds a pint registry, importing the parser stays light, and
throughput stays far above what a corpus needs (measured ~84k cells/s uncached, CPU time, on the
2-core box; the floor below is 14x lower so that a loaded CI machine does not flake)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from factlint.normalise import quantity

NOTE = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"


def note_cells() -> list[str]:
    cells = []
    for line in NOTE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("|") and not re.fullmatch(r"\|[-| :]+\|", line):
            cells.extend(c.strip() for c in line.strip("|").split("|"))
    return cells


PROBE = """
import json, sys, time
t = time.perf_counter()
import factlint.normalise.quantity as q
imported = time.perf_counter() - t
cells = json.loads(sys.argv[1])
for c in cells:
    q.parse_cell(c)
q.parse_cell("8", "PLOPS"); q.split_header_unit("TDP (W)"); q.suggest_unit("PLOPS")
q.convert(1, "EFLOPS", "PFLOPS"); q.format_quantity(128, "PFLOPS", 0)
print(json.dumps({"import_s": imported, "modules": sorted(m for m in ("pint", "pandas", "pandera",
      "numpy", "markdown_it") if m in sys.modules)}))
"""


def test_parsing_a_whole_note_never_imports_pint_or_pandas():
    cells = note_cells()
    assert len(cells) > 200
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(cells)], capture_output=True,
                         text=True, check=True, timeout=120)
    report = json.loads(out.stdout)
    assert report["modules"] == [], report
    assert report["import_s"] < 1.0, report      # measured 15-25 ms; pint alone would be 0.4 s


def test_throughput_uncached():
    cells = note_cells()
    rounds = 20
    start = time.process_time()          # CPU time: other jobs on the box do not count
    for _ in range(rounds):
        quantity._parse.cache_clear()
        for cell in cells:
            quantity.parse_cell(cell)
    rate = rounds * len(cells) / (time.process_time() - start)
    assert rate > 6_000, f"{rate:,.0f} cells/s"
