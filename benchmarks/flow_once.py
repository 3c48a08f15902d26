"""One process: start the embedded Prefect server with an empty flow (a scheduled deployment
talks to a running server, so its start is not the flow's cost), then time a full run of the
validate-notes flow, change one note, and time the re-run. Prints one JSON line.

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

    def one_run() -> tuple[float, str]:
        t = time.perf_counter()
        summary = run_flow(args.raw, args.work / "validated", args.work / "reports", runner=args.runner,
                           cache_dir=args.work / "cache")
        return time.perf_counter() - t, str(summary)

    full, full_summary = one_run()
    changed = change_one_note(args.raw)
    rerun, rerun_summary = one_run()
    print(json.dumps({"startup_s": ready - started, "full_s": full, "rerun_s": rerun,
                      "changed": str(changed), "full": full_summary, "rerun": rerun_summary}))
    return 0


def change_one_note(raw: Path) -> Path:
    """Edit one figure of the first note (as a person fixing a typo would)."""
    note = sorted(raw.rglob("*.md"))[0]
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("PFLOPS", "PFLOPS ", 1) + "\nEdited by the benchmark.\n", encoding="utf-8")
    return note


if __name__ == "__main__":
    sys.exit(main())
