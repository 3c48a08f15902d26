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
        text = _whole(value)
        yield text.replace("\n", "\n" + pad) if level else text


try:
    import orjson
except ImportError:             # the light install: the standard library writes the same bytes
    orjson = None
_ORJSON_OPTIONS = 0 if orjson is None else (orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
                                            | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME)


def _whole(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2, default=str)`. Its
    indenting encoder is pure Python, a tenth of a heavy note's check; orjson (installed with the
    flow extra) writes the same text for everything but some floats, which go to json."""
    if orjson is not None and _orjson_writes_it_alike(value):
        try:
            return orjson.dumps(value, default=str, option=_ORJSON_OPTIONS).decode()
        except TypeError:       # what orjson refuses (a non-text key, an integer past 64 bits)
            pass
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2, default=str)


_CONTAINERS = (dict, list, tuple)


def _orjson_writes_it_alike(value: Any) -> bool:
    """No float that orjson writes otherwise than Python: below 1e-4 (`0.00001` for `1e-05`), not
    finite (`null`), or a float subclass such as numpy's (sent to `default`)."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(v for v in item.values() if type(v) in _CONTAINERS or isinstance(v, float))
        elif kind is list or kind is tuple:
            stack.extend(v for v in item if type(v) in _CONTAINERS or isinstance(v, float))
        elif isinstance(item, float):
            if kind is not float or not (item == 0 or 1e-4 <= abs(item) < 1e16):
                return False
    return True


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
