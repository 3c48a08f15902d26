"""Machine-readable findings: ``{"version", "tool", "summary", "findings", "documents"}``.

Deterministic by construction: findings in ``ordered`` order, documents by path, keys sorted,
no timestamps, no host or working-directory data; paths are printed exactly as given. Two runs
over the same input give byte-identical output."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable, Iterator, Sequence

from factlint import __version__
from factlint.findings import Finding
from factlint.emit.summary import Summary, ordered, summarise
from factlint.jsontext import indented

FORMAT_VERSION = 1        # bump when a consumer would have to change


def render(findings: Sequence[Finding], results: Sequence, summary: Summary | None = None) -> str:
    return "".join(render_chunks(findings, results, summary))


def render_chunks(findings: Sequence[Finding], results: Sequence, summary: Summary | None = None
                  ) -> Iterator[str]:
    """`render`'s text piece by piece: each finding and document is turned into a dict and
    encoded only when its turn comes, so a run's output never sits in memory as objects."""
    summary = summary or summarise(findings, results)
    per_path = Counter(f.location.path for f in findings)
    payload = {
        "version": FORMAT_VERSION,
        "tool": {"name": "factlint", "version": __version__},
        "summary": summary.as_dict(),
        "findings": Lazy(f.as_dict() for f in ordered(findings)),
        "documents": Lazy(document_entry(r, per_path[r.path])
                          for r in sorted(results, key=lambda r: r.path)),
    }
    return dumps_chunks(payload)


def dumps(payload: Any) -> str:
    return "".join(dumps_chunks(payload))


class Lazy:
    """A list in a payload whose items are made while it is written (see `dumps_chunks`)."""

    def __init__(self, items: Iterable[Any]):
        self.items = items


def dumps_chunks(payload: Any) -> Iterator[str]:
    """The same text as ``json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False)``
    plus a final newline, in pieces: dicts and lists that hold a `Lazy` list are written key by
    key and item by item; everything else is encoded whole, indented to its depth (JSON strings
    hold no raw newline, so re-indenting the encoder's lines is exact)."""
    yield from _chunks(payload, 0)
    yield "\n"


def _chunks(value: Any, level: int) -> Iterator[str]:
    pad = "  " * level
    if isinstance(value, Lazy) or (isinstance(value, list) and _holds_lazy(value)):
        empty = True
        for item in (value.items if isinstance(value, Lazy) else value):
            yield ("[\n" if empty else ",\n") + pad + "  "
            yield from _chunks(item, level + 1)
            empty = False
        yield "[]" if empty else "\n" + pad + "]"
    elif isinstance(value, dict) and _holds_lazy(value):
        for i, key in enumerate(sorted(value)):
            yield ("{\n" if i == 0 else ",\n") + pad + "  " + json.dumps(key, ensure_ascii=False) + ": "
            yield from _chunks(value[key], level + 1)
        yield "\n" + pad + "}"
    else:
        text = indented(value, sort_keys=True)
        yield text.replace("\n", "\n" + pad) if level else text


def _holds_lazy(value: Any) -> bool:
    if isinstance(value, Lazy):
        return True
    if isinstance(value, dict):
        return any(_holds_lazy(v) for v in value.values() if isinstance(v, (dict, list, Lazy)))
    if isinstance(value, list):
        return any(_holds_lazy(v) for v in value if isinstance(v, (dict, list, Lazy)))
    return False


def document_entry(result, findings: int) -> dict[str, Any]:
    doc = result.document
    entry: dict[str, Any] = {
        "path": result.path, "sha256": result.sha256 or None, "error": result.error,
        "claims": result.claim_count, "findings": findings,
        "encoding": None, "title": None, "date": None, "version": None, "tables": 0,
        "problems": [],
    }
    if doc is not None:
        entry.update(encoding=doc.encoding, title=doc.title, date=doc.date, version=doc.version,
                     tables=result.table_count,
                     problems=[{"kind": p.kind, "line": p.line, "message": p.message}
                               for p in doc.problems])
    return entry
