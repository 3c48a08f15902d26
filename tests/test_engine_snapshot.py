"""The engine snapshot (factlint/snapshot.py): the vocabularies and the knowledge base, loaded and
validated once per content, read back by later starts; any changed file is validated again."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from factlint import snapshot
from factlint.config import Settings
from factlint.pipeline import _load_reference_data

ROOT = Path(__file__).resolve().parents[1]
NOTE = ROOT / "data" / "raw" / "cerebras-roadmap-note.md"
GOOD = {"id": "ours.x1.memory", "entity": "Acme X1", "attribute": "memory", "value": 64, "unit": "GB",
        "publication": "Acme", "source_url": "https://example.org/x1", "quote": "64 GB", "confidence": "high",
        "tier": "primary"}

# This checkout's factlint in the child too (an editable install may name another checkout).
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
ENV.pop("FACTLINT_CACHE_DIR", None)

PROBE = """
import sys
from factlint.cli import main
sys.argv = ["factlint", "check", "note.md", "-f", "json", "-o", "out.json", "--fail-on", "never"]
try:
    main()
except SystemExit:
    pass
print(sorted(m for m in ("pandas", "pandera") if m in sys.modules))
"""


def _project(tmp_path: Path, reference_files=()) -> Path:
    (tmp_path / "note.md").write_text(NOTE.read_text(encoding="utf-8"), encoding="utf-8")
    listed = ", ".join(f'"{f}"' for f in reference_files)
    (tmp_path / "pyproject.toml").write_text(f"[tool.factlint]\nreference-files = [{listed}]\n", encoding="utf-8")
    return tmp_path


def _probe(project: Path) -> tuple[list[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=project, capture_output=True, text=True, timeout=300,
                          env=_env(project))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().replace("'", '"')), (project / "out.json").read_text(encoding="utf-8")


def _env(project: Path) -> dict:
    """The child's environment, with a user cache folder of this test's own."""
    return {**ENV, "XDG_CACHE_HOME": str(project.parent / f"{project.name}-user-cache")}


def _snapshots(project: Path) -> list[Path]:
    return sorted((project.parent / f"{project.name}-user-cache" / "factlint").glob("engine-*.json"))


def test_a_warm_start_reads_the_snapshot_and_imports_neither_pandas_nor_pandera(tmp_path):
    project = _project(tmp_path)
    first_modules, first = _probe(project)
    assert first_modules == ["pandas", "pandera"]            # the first start validates the YAML
    assert len(_snapshots(project)) == 1
    assert not (project / ".factlint-cache").exists()          # the snapshot is the user's, not the project's
    again_modules, again = _probe(project)
    assert again_modules == []
    assert again == first                                    # the same findings, byte for byte


def test_the_snapshot_reads_back_as_exactly_what_was_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTLINT_CACHE_DIR", str(tmp_path / "cache"))
    settings = Settings()
    vocab, kb = _load_reference_data(settings)
    assert snapshot.reference_data(settings, lambda: (vocab, kb)) == (vocab, kb)     # written
    (entry,) = (tmp_path / "cache").glob("engine-*.json")
    loaded, again = snapshot._decode(json.loads(entry.read_text(encoding="utf-8")))
    assert loaded[()] == vocab and loaded[()] is not vocab
    assert snapshot._same_base(again, kb) and again.all_facts and again._names
    calls = []
    assert snapshot.reference_data(settings, lambda: calls.append(1)) is not None and not calls


def test_a_changed_reference_file_is_validated_again_and_a_bad_one_is_exit_2(tmp_path):
    project = _project(tmp_path, ["ours.yaml"])
    (project / "ours.yaml").write_text(yaml.safe_dump([GOOD]), encoding="utf-8")
    _probe(project)
    assert len(_snapshots(project)) == 1
    bad = {**GOOD, "id": "ours.bad", "unit": "PLOPS", "attribute": "compute"}
    (project / "ours.yaml").write_text(yaml.safe_dump([GOOD, bad]), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "factlint", "check", "note.md"], cwd=project,
                         capture_output=True, text=True, timeout=300, env=_env(project))
    assert run.returncode == 2, run.stdout + run.stderr
    assert "ours.yaml" in run.stderr and "ours.bad" in run.stderr and "unit" in run.stderr
    assert len(_snapshots(project)) == 1                     # nothing written for a bad file


def test_a_torn_or_foreign_snapshot_is_ignored_and_rebuilt(tmp_path):
    project = _project(tmp_path)
    _, first = _probe(project)
    (entry,) = _snapshots(project)
    entry.write_text('{"format": "1", "key": "not this one", "vocabularies": []}', encoding="utf-8")
    modules, again = _probe(project)
    assert again == first and modules == ["pandas", "pandera"]
    entry.write_bytes(entry.read_bytes()[:100])              # torn
    assert _probe(project)[1] == first
    assert json.loads(entry.read_text(encoding="utf-8"))["format"] == snapshot.FORMAT
