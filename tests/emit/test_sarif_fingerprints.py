"""SARIF partialFingerprints are unique per file: GitHub code scanning tracks alerts by them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_first_notes_alerts_have_distinct_fingerprints(tmp_path):
    out = tmp_path / "o.sarif"
    subprocess.run([sys.executable, "-m", "factlint", "check", str(REPO / "data" / "raw"), "-f", "sarif",
                    "-o", str(out), "--fail-on", "never"], check=True, capture_output=True, cwd=REPO)
    results = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["factlint/v1"] for r in results]
    assert len(results) > 50 and len(set(prints)) == len(prints)
    # One wrong figure repeated in several tables: the same stem, numbered in line order.
    repeated = [p for p in prints if ":" in p]
    assert repeated and all(p.split(":")[0] in prints for p in repeated)


def test_a_repeat_keeps_its_number_when_lines_above_it_change(tmp_path):
    note = "| Chip | Memory |\n|---|---|\n| WSE-3 | 80GB |\n\n| Chip | Memory |\n|---|---|\n| WSE-3 | 80GB |\n"

    def prints(text):
        path = tmp_path / "note.md"
        path.write_text(text, encoding="utf-8")
        out = tmp_path / "o.sarif"
        subprocess.run([sys.executable, "-m", "factlint", "check", str(path), "-f", "sarif", "-o", str(out),
                        "--fail-on", "never", "--select", "reference-mismatch"], check=True, capture_output=True)
        return [r["partialFingerprints"]["factlint/v1"]
                for r in json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]]

    before = prints(note)
    after = prints("# Specs\n\nSome words first.\n\n" + note)
    assert len(before) == 2 and before[1] == before[0] + ":2" and after == before
