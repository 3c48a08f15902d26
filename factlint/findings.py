"""The finding model: one canonical value per problem, rendered by every emitter.

Rules build findings through ``RuleContext.finding`` which stamps the rule id, the
configured severity and the fingerprint; emitters read ``findings_frame`` (validated by
``schemas.findings.FindingsSchema``) or the list of findings, never rule internals.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Iterable, Mapping

from factlint.pickling import by_fields


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def sarif_level(self) -> str:
        return {"error": "error", "warning": "warning", "info": "note"}[self.value]


# The lowest severity that fails the gate; "never" fails on nothing. Kept beside Severity so that
# the configuration reads it without importing the emitters.
FAIL_ON: dict[str, Severity | None] = {
    "error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "never": None,
}


def check_fail_on(fail_on: str) -> Severity | None:
    try:
        return FAIL_ON[fail_on]
    except KeyError:
        raise ValueError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}") from None


def fails_gate(finding: "Finding", fail_on: str) -> bool:
    threshold = check_fail_on(fail_on)
    return threshold is not None and finding.severity.rank >= threshold.rank


class Applicability(StrEnum):
    SAFE = "safe"            # replacing the cell text is certainly right
    UNSAFE = "unsafe"        # probably right; a human should look
    DISPLAY_ONLY = "display_only"


def safely_fixable(finding: "Finding") -> bool:
    """The fixes `check --fix` applies: those marked safe, whose new cell text is certain."""
    return finding.fix is not None and finding.fix.applicability is Applicability.SAFE


@by_fields
@dataclass(frozen=True, slots=True)
class Location:
    path: str                 # as given, relative where possible; never rewritten
    line: int                 # 1-based source line of the cell
    table: int | None = None  # 1-based table ordinal in the note
    row: int | None = None    # 0-based body row index within the table
    column: str | None = None # header label as written
    role: str = ""            # for related locations: "per-node figure", "stated total", ...
    text: str | None = None   # the cell text, so a reader sees what was used
    column_index: int | None = None  # 0-based index of the cell's column in its row

    def as_dict(self) -> dict[str, Any]:
        return _fields(self)


@by_fields
@dataclass(frozen=True, slots=True)
class Fix:
    replacement: str          # the new cell text
    title: str                # "Replace `PLOPS` with `PFLOPS`"
    applicability: Applicability = Applicability.UNSAFE
    original: str | None = None  # the cell text it replaces


@by_fields
@dataclass(frozen=True, slots=True)
class Reference:
    """Citation carried by knowledge-base findings."""
    publication: str
    url: str
    quote: str
    date: str
    confidence: str
    value: str = ""           # the referenced value as text, with unit
    qualifier: str = ""
    tier: str = ""            # primary, secondary, mirror or low (factlint.reference.kb)


@by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Location, ...] = ()
    entity: str | None = None
    attribute: str | None = None
    evidence: str = ""
    fix: Fix | None = None
    fingerprint: str = ""
    reference: Reference | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def key(self) -> tuple[str, str, int, str | None]:
        """Projection used by tests and dedupe (sqlfluff's check_tuple)."""
        return (self.rule, self.location.path, self.location.line, self.location.column)

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.column or "", self.rule, self.message)

    def as_dict(self) -> dict[str, Any]:
        # Field by field rather than dataclasses.asdict, which deep-copies every value: emitters
        # call this for every finding of a run (thousands), and the parts are flat records.
        d = _fields(self)
        d["severity"] = self.severity.value
        d["location"] = _fields(self.location)
        d["related"] = [r.as_dict() for r in self.related]
        if self.fix is not None:
            d["fix"] = {**_fields(self.fix), "applicability": self.fix.applicability.value}
        if self.reference is not None:
            d["reference"] = _fields(self.reference)
        d["data"] = _jsonable(dict(self.data))
        return d


def _fields(record) -> dict[str, Any]:
    """A flat dataclass record as a dict (its values are strings, numbers and None)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


# A finding names at most this many related cells: in a big note the same figure can be stated in
# hundreds of places, and every finding listing all of them makes output grow with the square.
MAX_RELATED = 20


def nearest(items: Iterable[Any], line: int, limit: int = MAX_RELATED, key=None) -> tuple[list[Any], int]:
    """The `limit` items nearest to `line`, in their own order, and how many were left off. An
    item's line is `key(item)`, else its `.line` (a Location) or `["line"]` (a claim)."""
    items = list(items)
    if len(items) <= limit:
        return items, 0

    def line_of(item: Any) -> int:
        if key is not None:
            return int(key(item))
        return int(item.line if isinstance(item, Location) else item["line"])

    kept = sorted(sorted(range(len(items)), key=lambda i: (abs(line_of(items[i]) - line), i))[:limit])
    return [items[i] for i in kept], len(items) - limit


def more_cells(left_off: int) -> str:
    """`; and 7 more cells` for an evidence text whose related locations were capped."""
    return f"; and {left_off} more cell{'s' if left_off != 1 else ''}" if left_off else ""


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def fingerprint(rule: str, path: str, entity: str | None, attribute: str | None,
                values: Iterable[Any]) -> str:
    """Stable across unrelated edits: no line numbers, only what the finding is about."""
    payload = json.dumps([rule, path, entity, attribute, [str(v) for v in values]],
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


FINDING_COLUMNS = [
    "rule", "severity", "message", "path", "line", "table", "row", "column",
    "entity", "attribute", "evidence", "fix", "fingerprint", "related", "reference",
]


def findings_frame(findings: Iterable[Finding]):
    """One row per finding; nested parts (related, reference) as JSON text."""
    import pandas as pd

    frame = pd.DataFrame(findings_rows(findings), columns=FINDING_COLUMNS)
    return frame.astype({"table": "Int64", "row": "Int64", "line": "int64"})


def findings_rows(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """The rows of ``findings_frame``, as dicts: sorted, nested parts as JSON text."""
    rows = []
    for f in sorted(findings, key=Finding.sort_key):
        loc = f.location
        rows.append({
            "rule": f.rule, "severity": f.severity.value, "message": f.message,
            "path": loc.path, "line": loc.line, "table": loc.table, "row": loc.row,
            "column": loc.column, "entity": f.entity, "attribute": f.attribute,
            "evidence": f.evidence, "fix": f.fix.replacement if f.fix else None,
            "fingerprint": f.fingerprint,
            "related": json.dumps([r.as_dict() for r in f.related], ensure_ascii=False),
            "reference": json.dumps(_fields(f.reference), ensure_ascii=False) if f.reference else None,
        })
    return rows
