"""One process: start the embedded Prefect server with an empty flow (a scheduled deployment
talks to a running server, so its start is not the flow's cost and is reported apart as
``startup_s``), then time a full run of the validate-notes flow, add a figure to one published
note, and time the re-run. Prints one JSON line: both times, the re-run's share of the full run, and
each run's seconds per stage (``RunSummary.timings``).

`python benchmarks/flow_once.py RAW WORK [--runner thread|dask]`
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--runner", default="thread")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from prefect import flow
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.validate_notes import run_flow

    @flow(name="benchmark-warm-up")
    def warm_up() -> None:
        return None

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        warm_up()
    ready = time.perf_counter()

    def one_run():
        t = time.perf_counter()
        summary = run_flow(args.raw, args.work / "validated", args.work / "reports", runner=args.runner,
                           cache_dir=args.work / "cache")
        return time.perf_counter() - t, summary

    full, full_summary = one_run()
    changed = change_one_note(args.raw, args.work / "validated")
    rerun, rerun_summary = one_run()
    print(json.dumps({"startup_s": ready - started, "full_s": full, "rerun_s": rerun,
                      "rerun_share": rerun / full, "changed": str(changed),
                      "full_stages": full_summary.timings, "rerun_stages": rerun_summary.timings,
                      "rerun_validated_claims": rerun_summary.expectations.get("rows"),
                      "changed_status": _status(args.work / "validated", changed),
                      "full": str(full_summary), "rerun": str(rerun_summary)}))
    return 0


EDIT = ("\n## Benchmark edit\n\n| Item | Count |\n|---|---|\n| Reviewed tables | 3 |\n")


def _status(published: Path, note: Path) -> str | None:
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    return next((d.get("status") for d in manifest["documents"] if d["path"] == str(note)), None)


def change_one_note(raw: Path, published: Path) -> Path:
    """Change one note that the full run published, as a person adding a figure would: append a
    small table with one new claim that no rule objects to. The re-run must then re-check the
    note, re-validate its claims with the expectation suite and publish them (a note held back
    for its errors would be carried forward unvalidated, which is the cheap case, not this)."""
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    paths = sorted(d["path"] for d in manifest["documents"] if d.get("status") == "published")
    note = Path(paths[0]) if paths else sorted(raw.rglob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    return note


if __name__ == "__main__":
    sys.exit(main())
