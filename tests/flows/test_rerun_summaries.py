"""A re-run after one note changed reads the other notes' summaries (factlint.summary), not
their full cached results, and publishes and reports exactly what a fresh full run over the
changed corpus does: the same dataset files, the same document pages, the same index (up to
run ids and times)."""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.flows.corpus import FIRST_NOTE

pytestmark = [pytest.mark.flow, pytest.mark.usefixtures("prefect_harness")]

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
EDIT = "\n## Edit\n\n| Item | Count |\n|---|---|\n| Reviewed tables | 3 |\n"
RUN_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}(-\d+)?")
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?|\d\d-\d\d \d\d:\d\d")


def normalised(text: str) -> str:
    return STAMP.sub("<time>", RUN_ID.sub("<run>", text))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    import generate

    from factlint import cache, summary
    from factlint.emit import html
    from flows.validate_notes import run_flow

    root = tmp_path_factory.mktemp("rerun")
    raw = root / "raw"
    generate.generate_corpus(raw, 24, seed=11)
    for expected in raw.rglob("*.expected.json"):
        expected.unlink()
    shutil.copy(FIRST_NOTE, raw / "first.md")          # errors: held back, cross-document
    source = root / "engine-source"                    # pinned: others edit factlint/
    source.mkdir()
    (source / "engine.py").write_text("VERSION = 1\n")
    loaded: list[str] = []
    served: list[str] = []
    real_full = summary.NoteSummary.full
    real_get_summary = cache.DocumentCache.get_summary

    def counting_get_summary(self, path, content_sha256):
        found = real_get_summary(self, path, content_sha256)
        if found is not None:
            served.append(found.path)
        return found

    def counting_full(self):
        if not self.loaded:
            loaded.append(self.path)
        return real_full(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "ENGINE_SOURCE_DIRS", (source,))
        patch.setattr(html, "SPLIT_ABOVE_DOCUMENTS", 1)        # one page per note
        patch.setattr(summary.NoteSummary, "full", counting_full)
        patch.setattr(cache.DocumentCache, "get_summary", counting_get_summary)

        def run(name: str):
            return run_flow(raw, root / name / "validated", root / name / "reports",
                            cache_dir=root / name / "cache")

        full = run("incremental")
        changed = sorted(s["path"] for s in full.statuses if s["status"] == "published")[0]
        Path(changed).write_text(Path(changed).read_text(encoding="utf-8") + EDIT, encoding="utf-8")
        loaded.clear()
        served.clear()
        rerun = run("incremental")
        loaded_in_rerun, served_in_rerun = list(loaded), list(served)
        fresh = run("fresh")
    return root, full, rerun, fresh, changed, (served_in_rerun, loaded_in_rerun)


def test_the_rerun_reads_summaries_and_loads_no_unchanged_note_in_full(runs):
    root, full, rerun, fresh, changed, (served, loaded) = runs
    assert (rerun.cache_hits, rerun.cache_misses) == (full.documents - 1, 1)
    assert len(served) == full.documents - 1 and changed not in served
    assert loaded == []          # the changed note is checked afresh; no other is loaded whole


def test_the_rerun_publishes_the_dataset_a_fresh_run_publishes(runs):
    import json

    import pandas as pd

    root, full, rerun, fresh, changed, _ = runs
    assert rerun.claims == fresh.claims and rerun.published == fresh.published
    a = root / "incremental" / "validated" / "current"
    b = root / "fresh" / "validated" / "current"
    for name in ("claims.parquet", "claims.csv", "findings.json", "findings.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    pd.testing.assert_frame_equal(pd.read_parquet(a / "claims.parquet"), pd.read_parquet(b / "claims.parquet"))
    ma, mb = (json.loads((d / "manifest.json").read_text(encoding="utf-8")) for d in (a, b))
    assert ma["files"] == mb["files"] and ma["claims_digest"] == mb["claims_digest"]
    # a document carries the version its claims were published in: the run id, here
    assert normalised(json.dumps(ma["documents"])) == normalised(json.dumps(mb["documents"]))


def test_the_rerun_writes_the_report_a_fresh_run_writes(runs):
    root, *_ = runs
    a, b = root / "incremental" / "reports", root / "fresh" / "reports"
    pages = sorted(p.name for p in (b / "docs").iterdir())
    assert pages == sorted(p.name for p in (a / "docs").iterdir()) and len(pages) > 20
    for name in pages:
        assert (a / "docs" / name).read_bytes() == (b / "docs" / name).read_bytes(), name
    index_a, index_b = ((d / "index.html").read_text(encoding="utf-8") for d in (a, b))
    # the index also draws the run history (two runs against one) and the cache counts
    body = re.compile(r'<script type="application/json"[^>]*>(.*?)</script>', re.S)
    payload_a, payload_b = body.findall(index_a), body.findall(index_b)
    assert payload_a and payload_a == payload_b
