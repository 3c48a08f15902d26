"""What a rule sees, and the one place findings are stamped (id, severity, fingerprint)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import pandas as pd

from factlint.document import Document
from factlint.findings import Finding, Fix, Location, Reference, Severity, fingerprint


def claim_location(claim: Mapping[str, Any] | pd.Series, role: str = "") -> Location:
    """A Location for one claim row (a row of the claims frame)."""
    row = claim.get("row")
    table = claim.get("table")
    return Location(
        path=str(claim["path"]), line=int(claim["line"]),
        table=None if table is None or pd.isna(table) else int(table),
        row=None if row is None or pd.isna(row) else int(row),
        column=claim.get("column_label"), role=role, text=claim.get("raw"),
    )


@dataclass
class RuleContext:
    rule_id: str
    severity: Severity                  # after config overrides
    doc: Document | None                # None for corpus-scope rules
    claims: pd.DataFrame                # this document's claims (corpus rules: every document's)
    vocab: Any                          # factlint.normalise.vocab.Vocabulary
    kb: Any = None                      # factlint.reference.kb.KnowledgeBase, when loaded
    options: Mapping[str, Any] = field(default_factory=dict)

    def finding(self, at: Location | Mapping[str, Any] | pd.Series, message: str, *,
                evidence: str = "", related: Iterable[Location | Mapping[str, Any]] = (),
                entity: str | None = None, attribute: str | None = None,
                fix: Fix | None = None, values: Iterable[Any] = (),
                reference: Reference | None = None, severity: Severity | None = None,
                data: Mapping[str, Any] | None = None) -> Finding:
        loc = at if isinstance(at, Location) else claim_location(at)
        rel = tuple(r if isinstance(r, Location) else claim_location(r) for r in related)
        if entity is None and not isinstance(at, Location):
            entity = _none_if_na(at.get("entity"))
        if attribute is None and not isinstance(at, Location):
            attribute = _none_if_na(at.get("attribute"))
        values = list(values) or [loc.text]
        return Finding(
            rule=self.rule_id, severity=severity or self.severity, message=message,
            location=loc, related=rel, entity=entity, attribute=attribute, evidence=evidence,
            fix=fix, reference=reference, data=dict(data or {}),
            fingerprint=fingerprint(self.rule_id, loc.path, entity, attribute, values),
        )


def _none_if_na(v):
    if v is None:
        return None
    try:
        return None if pd.isna(v) else v
    except (TypeError, ValueError):
        return v
