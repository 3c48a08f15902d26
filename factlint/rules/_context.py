"""What a rule sees, and the one place findings are stamped (id, severity, fingerprint)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from factlint.document import Document
from factlint.facts.model import Fact, NoteFacts
from factlint.findings import Finding, Fix, Location, Reference, Severity, fingerprint


def claim_location(claim: Mapping[str, Any] | Fact, role: str = "") -> Location:
    """A Location for one cell: a claim row, or a fact (its claim)."""
    if isinstance(claim, Fact):
        claim = claim.claim
    row, table, column = claim.get("row"), claim.get("table"), claim.get("column")
    return Location(
        path=str(claim["path"]), line=int(claim["line"]),
        table=None if table is None else int(table), row=None if row is None else int(row),
        column=claim.get("column_label"), role=role, text=claim.get("raw"),
        column_index=None if column is None else int(column),
    )


@dataclass
class RuleContext:
    rule_id: str
    severity: Severity                  # after config overrides
    doc: Document | None                # None for corpus-scope rules
    claims: Any                         # this note's claims as rows (corpus rules: what each note collected)
    vocab: Any                          # factlint.normalise.vocab.Vocabulary
    kb: Any = None                      # factlint.reference.kb.KnowledgeBase, when loaded
    options: Mapping[str, Any] = field(default_factory=dict)
    facts: NoteFacts | None = None      # the note's facts (document rules)

    def finding(self, at: Location | Mapping[str, Any] | Fact, message: str, *,
                evidence: str = "", related: Iterable[Location | Mapping[str, Any] | Fact] = (),
                entity: str | None = None, attribute: str | None = None,
                fix: Fix | None = None, values: Iterable[Any] = (),
                reference: Reference | None = None, severity: Severity | None = None,
                data: Mapping[str, Any] | None = None) -> Finding:
        loc = at if isinstance(at, Location) else claim_location(at)
        rel = tuple(r if isinstance(r, Location) else claim_location(r) for r in related)
        claim = at.claim if isinstance(at, Fact) else at
        if entity is None and not isinstance(at, Location):
            entity = claim.get("entity")
        if attribute is None and not isinstance(at, Location):
            attribute = claim.get("attribute")
        values = list(values) or [loc.text]
        return Finding(
            rule=self.rule_id, severity=severity or self.severity, message=message,
            location=loc, related=rel, entity=entity, attribute=attribute, evidence=evidence,
            fix=fix, reference=reference, data=dict(data or {}),
            fingerprint=fingerprint(self.rule_id, loc.path, entity, attribute, values),
        )
