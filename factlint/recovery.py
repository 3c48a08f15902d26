"""A published version that the run history does not know, and its history line rebuilt.

A run killed right after it switched ``current`` (publishing is atomic, so the version is
complete) never wrote its history line, and its report was never written: the history's last
line and the report still describe the run before. The next run calls ``record_unrecorded``
under the publication lock, before anything else: the version gets a line rebuilt from its
manifest and findings.json, marked ``recovered``, and the report that run writes shows it.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from factlint import history
from factlint.findings import Severity

STATUS_KEYS = ("path", "status", "reason", "version", "claims", "errors", "warnings")


def record_unrecorded(out: str | Path, *, by_run: str = "", brief: str | Path | None = None
                      ) -> dict[str, Any] | None:
    """Append the history line of the current version when no line names it; returns the
    line, or None when there was nothing to repair (or the version cannot be read: then the
    run's own publishing reports it, and the history is not what should stop the run).
    ``brief``: where ``history.runs`` keeps what it has read of the history."""
    from factlint.publish import read_published

    path = Path(out) / history.HISTORY_FILE
    try:
        dataset = read_published(out)
        if dataset is None or any(e.get("published_version") == dataset.version
                                  for e in history.runs(path, brief)):
            return None
        findings = json.loads((dataset.folder / "findings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None
    entry = rebuilt_entry(dataset.manifest, findings, by_run)
    history.append(path, entry)
    return entry


def rebuilt_entry(manifest: dict[str, Any], findings: list[dict], by_run: str = "") -> dict[str, Any]:
    """The history line a run would have written, from what its version folder holds. What
    only the run knew (cache use, timings, the expectation suite's verdict, fail-on) is absent."""
    counts = manifest.get("counts", {})
    by_severity = {s.value: 0 for s in Severity}
    by_severity.update(Counter(f.get("severity") for f in findings))
    run_id = manifest["run_id"]
    return {
        "run_id": run_id, "date": manifest.get("created"), "started": manifest.get("created"),
        "finished": None, "published_version": run_id, "blocked": None, "failed": None,
        **{k: counts.get(k, 0) for k in ("documents", "published", "held_back", "removed", "claims")},
        "counts": by_severity,
        "findings_by_rule": dict(sorted(Counter(f.get("rule") for f in findings).items())),
        "statuses": [{k: d.get(k) for k in STATUS_KEYS} for d in manifest.get("documents", [])],
        "recovered": (f"the run was killed after publishing; line rebuilt from its version folder"
                      + (f" by run {by_run}" if by_run else "")),
    }
