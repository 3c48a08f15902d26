"""One process: start the embedded Prefect server with an empty flow (a scheduled deployment
talks to a running server, so its start is not the flow's cost and is reported apart as
``startup_s``), then time a full run of the validate-notes flow, change one figure of one note,
and time the re-run. Prints one JSON line: both times, the re-run's share of the full run, and
each run's seconds per stage (``RunSummary.timings``).

`python benchmarks/flow_once.py RAW WORK [--runner thread|dask]`
"""
from __future__ import annotations

import argparse
import json
import re
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
    changed = change_one_note(args.raw)
    rerun, rerun_summary = one_run()
    print(json.dumps({"startup_s": ready - started, "full_s": full, "rerun_s": rerun,
                      "rerun_share": rerun / full, "changed": str(changed),
                      "full_stages": full_summary.timings, "rerun_stages": rerun_summary.timings,
                      "rerun_validated_claims": rerun_summary.expectations.get("rows"),
                      "full": str(full_summary), "rerun": str(rerun_summary)}))
    return 0


NUMBER_CELL = re.compile(r"^(\s*\d+(?:[.,]\d+)*)")


def change_one_note(raw: Path) -> Path:
    """Change one figure of the first note, as a person correcting a number would: the last
    digit of the first number cell in the first table body row (7nm -> 8nm, 2021 -> 2022), so
    the note's claims change and the re-run re-checks and re-validates them."""
    note = sorted(raw.rglob("*.md"))[0]
    lines = note.read_text(encoding="utf-8").split("\n")
    in_body = False
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("|"):
            in_body = False
            continue
        cells = line.split("|")
        if in_body:
            for c in range(2, len(cells)):        # cells[1] is the row label
                if NUMBER_CELL.match(cells[c]):
                    cells[c] = NUMBER_CELL.sub(_bump_last_digit, cells[c], count=1)
                    lines[i] = "|".join(cells)
                    note.write_text("\n".join(lines), encoding="utf-8")
                    return note
        in_body = in_body or set(line.replace("|", "").strip()) <= set("-: ")
    note.write_text("\n".join(lines) + "\nEdited by the benchmark.\n", encoding="utf-8")
    return note


def _bump_last_digit(match: re.Match) -> str:
    figure = match.group(1)
    return figure[:-1] + str((int(figure[-1]) + 1) % 10)


if __name__ == "__main__":
    sys.exit(main())
