"""Small, valid claims frames and DocumentResults for the publish and GX unit tests (no
pipeline needed): every row satisfies ClaimsSchema unless a test breaks it on purpose."""
from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd

from factlint.findings import Finding, Location, Severity
from factlint.pipeline import DocumentResult
from schemas.claims import CLAIM_COLUMNS

# canonical value and unit per dimension, as the normaliser produces them
_UNITS = {"compute": ("PFLOPS", 1e15, "FLOP/s"), "length": ("nm", 1.0, "nm"),
          "count": ("", 1.0, "1"), "power": ("kW", 1e3, "W"), "information": ("GB", 1e9, "B")}


def claim(path: str = "a.md", line: int = 3, *, table: int = 1, column: int = 1,
          attribute: str = "compute", dimension: str = "compute", value: float = 8.0,
          entity: str | None = "wse-3", **overrides: Any) -> dict[str, Any]:
    """A parsed numeric claim; ``overrides`` replace any column (e.g. a text claim)."""
    unit, factor, canonical_unit = _UNITS[dimension]
    row = {
        "path": path, "table": table, "heading": "Specs", "line": line, "row_label": "WSE-3",
        "column_label": attribute, "entity": entity, "attribute": attribute,
        "raw": f"{value:g} {unit}".strip(), "value": value, "value_high": None, "bound": "=",
        "unit": unit or None, "canonical_value": value * factor, "canonical_value_high": None,
        "canonical_unit": canonical_unit, "dimension": dimension, "status": "parsed",
        "row": line - 3, "column": column, "kind": "number", "tolerance": 0.5 * factor,
        "decimals": 0, "reason": None, "token": None, "per": None, "text": None,
        "qualifier": None,
    }
    row.update(overrides)
    return row


def text_claim(path: str = "a.md", line: int = 3, text: str = "✅", **overrides: Any) -> dict[str, Any]:
    """A status / text cell: no number, no unit, no dimension."""
    row = claim(path, line, attribute="support", value=0.0, **overrides)
    row.update({"raw": text, "text": text, "kind": "status", "status": "text", "value": None,
                "unit": None, "canonical_value": None, "canonical_unit": None, "dimension": None,
                "tolerance": 0.0})
    return row


def claims_frame(*rows: dict[str, Any]) -> pd.DataFrame:
    from schemas.claims import ClaimsSchema
    return ClaimsSchema.validate(pd.DataFrame(list(rows), columns=CLAIM_COLUMNS))


def error_at(path: str, line: int, rule: str = "cluster-total") -> Finding:
    return Finding(rule=rule, severity=Severity.ERROR, message=f"{rule} broken",
                   location=Location(path=path, line=line, column="compute"))


def result(path: str, *rows: dict[str, Any], findings=(), text: str | None = None) -> DocumentResult:
    text = text if text is not None else f"{path}:{len(rows)}"
    sha = hashlib.sha256(text.encode()).hexdigest()
    return DocumentResult(path=path, sha256=sha, document=None,
                          claims=claims_frame(*rows) if rows else claims_frame(claim(path)).iloc[:0],
                          findings=list(findings))
