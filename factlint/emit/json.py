"""Machine-readable findings: ``{"version", "tool", "summary", "findings", "documents"}``.

Deterministic by construction: findings in ``ordered`` order, documents by path, keys sorted,
no timestamps, no host or working-directory data; paths are printed exactly as given. Two runs
over the same input give byte-identical output."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Sequence

from factlint import __version__
from factlint.findings import Finding
from factlint.emit.summary import Summary, _count, ordered, summarise

FORMAT_VERSION = 1        # bump when a consumer would have to change


def render(findings: Sequence[Finding], results: Sequence, summary: Summary | None = None) -> str:
    summary = summary or summarise(findings, results)
    per_path = Counter(f.location.path for f in findings)
    payload = {
        "version": FORMAT_VERSION,
        "tool": {"name": "factlint", "version": __version__},
        "summary": summary.as_dict(),
        "findings": [f.as_dict() for f in ordered(findings)],
        "documents": [document_entry(r, per_path[r.path])
                      for r in sorted(results, key=lambda r: r.path)],
    }
    return dumps(payload)


def dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=2, default=str) + "\n"


def document_entry(result, findings: int) -> dict[str, Any]:
    doc = result.document
    entry: dict[str, Any] = {
        "path": result.path, "sha256": result.sha256 or None, "error": result.error,
        "claims": _count(result, "claim_count"), "findings": findings,
        "encoding": None, "title": None, "date": None, "version": None, "tables": 0,
        "problems": [],
    }
    if doc is not None:
        entry.update(encoding=doc.encoding, title=doc.title, date=doc.date, version=doc.version,
                     tables=_count(result, "table_count"),
                     problems=[{"kind": p.kind, "line": p.line, "message": p.message}
                               for p in doc.problems])
    return entry
