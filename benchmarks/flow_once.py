"""One process: start the embedded Prefect server with an empty flow (a scheduled deployment
talks to a running server, so its start is not the flow's cost and is reported apart as
``startup_s``), then time a full run of the validate-notes flow, add a figure to one published
note, and time the re-run. Then give the history the length a daily schedule reaches in a year
(``--history-runs``, copies of the runs so far) and time one more re-run after one more change:
what a run reads of the history must not grow with it. Prints one JSON line: the times, the
re-run's share of the full run, and each run's seconds per stage (``RunSummary.timings``).

`python benchmarks/flow_once.py RAW WORK [--runner thread|dask] [--history-runs 365]`
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
    parser.add_argument("--history-runs", type=int, default=365,
                        help="history lines before the last re-run (0: no such re-run)")
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
    late = {}
    if args.history_runs:
        lengthen_history(args.work / "validated", args.history_runs, args.work / "cache")
        change_one_note(args.raw, args.work / "validated", nth=1)
        late_s, late_summary = one_run()
        late = {"history_runs": args.history_runs, "rerun_late_s": late_s,
                "rerun_late_stages": late_summary.timings}
    print(json.dumps({"startup_s": ready - started, "full_s": full, "rerun_s": rerun, **late,
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


def lengthen_history(published: Path, runs: int, cache: Path) -> None:
    """Copy the history's lines until it holds ``runs`` of them, oldest first, as a schedule's
    earlier runs would have written them (each copy its own run id and date), and let the
    flow's history reader take note of them, as it would have run by run."""
    from factlint import history

    path = published / history.HISTORY_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    earlier = []
    for i in range(max(0, runs - len(lines))):
        entry = json.loads(lines[i % len(lines)])
        entry["run_id"] = f"{entry['run_id']}-earlier-{i}"
        entry["date"] = entry["started"] = f"2025-{1 + i // 31 % 12:02d}-{1 + i % 28:02d}T06:00:00+00:00"
        earlier.append(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    path.write_text("".join(earlier) + "".join(line + "\n" for line in lines), encoding="utf-8")
    history.runs(path, history.brief_path(cache, path))


def change_one_note(raw: Path, published: Path, nth: int = 0) -> Path:
    """Change one note that the full run published, as a person adding a figure would: append a
    small table with one new claim that no rule objects to. The re-run must then re-check the
    note, re-validate its claims with the expectation suite and publish them (a note held back
    for its errors would be carried forward unvalidated, which is the cheap case, not this).
    ``nth``: which published note, in path order, so that a second change is to another note."""
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    paths = sorted(d["path"] for d in manifest["documents"] if d.get("status") == "published")
    note = Path(paths[nth]) if len(paths) > nth else sorted(raw.rglob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    return note


if __name__ == "__main__":
    sys.exit(main())
