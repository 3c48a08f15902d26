"""Imports point one way (the import-linter contracts in pyproject.toml), and the gate's
cold path does not load the orchestration stack."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    linter = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "broken" in proc.stdout and "0 broken" in proc.stdout


def test_check_path_does_not_import_prefect_or_great_expectations(tmp_path):
    note = tmp_path / "n.md"
    note.write_text("| Chip | Process |\n|---|---|\n| WSE-3 | 5nm |\n", encoding="utf-8")
    code = ("import sys; from factlint import cli; sys.argv=['factlint','check',%r,'--fail-on','never'];\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "heavy=[m for m in ('prefect','great_expectations','dask','distributed') if m in sys.modules];"
            "print('HEAVY', heavy)") % str(note)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert "HEAVY []" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]
