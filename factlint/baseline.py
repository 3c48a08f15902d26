"""Baselines: record today's findings so the gate fails only on new ones.

A finding is matched by its fingerprint (rule, path, entity, attribute and the values involved,
never the line), so editing lines above it keeps it baselined. Matching counts: a fingerprint
recorded once and found twice now leaves one new finding. Entries nothing matches any more are
returned as stale, so the baseline can be shrunk. The file is sorted JSON with the rule, path,
entity, attribute and message beside each fingerprint for the humans reviewing it.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from factlint.atomic import replace_file
from factlint.errors import ConfigError
from factlint.findings import Finding, fingerprint

BASELINE_VERSION = 1


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    fingerprint: str
    rule: str
    path: str
    entity: str | None = None
    attribute: str | None = None
    message: str = ""
    count: int = 1

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Baseline = Mapping[str, BaselineEntry]          # fingerprint -> entry


def finding_key(f: Finding) -> str:
    """The fingerprint, or for a finding built without one, the same hash over its message."""
    return f.fingerprint or fingerprint(f.rule, f.location.path, f.entity, f.attribute, [f.message])


def build_baseline(findings: Iterable[Finding]) -> dict[str, BaselineEntry]:
    findings = sorted(findings, key=Finding.sort_key)
    counts = Counter(finding_key(f) for f in findings)
    entries: dict[str, BaselineEntry] = {}
    for f in findings:                 # the first occurrence in source order speaks for the rest
        key = finding_key(f)
        entries.setdefault(key, BaselineEntry(key, f.rule, f.location.path, f.entity,
                                              f.attribute, f.message, counts[key]))
    return entries


def _file_order(entry: BaselineEntry) -> tuple[str, str, str]:
    return entry.path, entry.rule, entry.fingerprint


def render_baseline(findings: Iterable[Finding]) -> str:
    entries = sorted(build_baseline(findings).values(), key=_file_order)
    payload = {"version": BASELINE_VERSION, "tool": "factlint",
               "findings": [e.as_dict() for e in entries]}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def write_baseline(findings: Iterable[Finding], path: str | Path) -> Path:
    """Write atomically (a crash never leaves half a baseline); returns the path."""
    return replace_file(path, render_baseline(findings).encode("utf-8"))


def load_baseline(path: str | Path) -> dict[str, BaselineEntry]:
    path = Path(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"baseline {path}: no such file (create it with `factlint baseline`)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"baseline {path}: not a readable JSON file: {exc}") from None
    return parse_baseline(payload, str(path))


def parse_baseline(payload: Any, source: str = "baseline") -> dict[str, BaselineEntry]:
    if not isinstance(payload, dict) or not isinstance(payload.get("findings"), list):
        raise ConfigError(f"baseline {source}: expected an object with a 'findings' list")
    if payload.get("version") != BASELINE_VERSION:
        raise ConfigError(f"baseline {source}: version {payload.get('version')!r} is not "
                          f"{BASELINE_VERSION}; regenerate it with `factlint baseline`")
    entries: dict[str, BaselineEntry] = {}
    for i, raw in enumerate(payload["findings"]):
        entry = _entry(raw, f"baseline {source}: findings[{i}]")
        if entry.fingerprint in entries:          # hand-merged files: add the counts up
            entry = replace(entry, count=entries[entry.fingerprint].count + entry.count)
        entries[entry.fingerprint] = entry
    return entries


def _entry(raw: Any, where: str) -> BaselineEntry:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected an object")
    unknown = set(raw) - set(BaselineEntry.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    for key in ("fingerprint", "rule", "path"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ConfigError(f"{where}: '{key}' must be a non-empty string")
    count = raw.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ConfigError(f"{where}: 'count' must be a positive integer")
    for key in ("entity", "attribute"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise ConfigError(f"{where}: '{key}' must be a string or null")
    return BaselineEntry(raw["fingerprint"], raw["rule"], raw["path"], raw.get("entity"),
                         raw.get("attribute"), str(raw.get("message", "")), count)


def apply_baseline(findings: Sequence[Finding], baseline: Baseline
                   ) -> tuple[list[Finding], list[Finding], list[dict[str, Any]]]:
    """(new findings, baselined findings, stale entries as dicts with the unmatched count).
    Within one fingerprint the earliest findings in source order are the baselined ones. Stale
    entries come in the baseline file's order (path, rule, fingerprint), so a report lists them
    where a reviewer finds them in the file."""
    budget = {key: entry.count for key, entry in baseline.items()}
    new: list[Finding] = []
    baselined: list[Finding] = []
    for f in sorted(findings, key=Finding.sort_key):
        key = finding_key(f)
        if budget.get(key, 0) > 0:
            budget[key] -= 1
            baselined.append(f)
        else:
            new.append(f)
    stale = [replace(baseline[key], count=left).as_dict()
             for key, left in sorted(budget.items(), key=lambda item: _file_order(baseline[item[0]]))
             if left > 0]
    return new, baselined, stale
