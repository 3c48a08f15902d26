"""The command line's cold path leaves out what factlint never uses (see factlint/_imports.py)."""
import subprocess
import sys
from pathlib import Path

NOTE = Path(__file__).resolve().parents[1] / "data" / "raw"

PROBE = """
import sys
sys.argv = ["factlint", "check", {note!r}, "-q", "-f", "json", "-o", {out!r}, "--fail-on", "never"]
from factlint.cli import main
try:
    main()
except SystemExit:
    pass
import pandera.strategies.base_strategies as strategies
print("hypothesis" in sys.modules, strategies.HAS_HYPOTHESIS, "dask.dataframe" in sys.modules)
import hypothesis                      # still importable afterwards, for whoever needs it
print(hypothesis.__name__)
"""


def test_check_loads_neither_hypothesis_nor_dask_and_leaves_hypothesis_importable(tmp_path):
    out = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "-c", PROBE.format(note=str(NOTE), out=str(out))],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "False", "hypothesis"]
    assert out.stat().st_size > 0
