"""What every emitter shares: the validated findings frame, a stable order, the gate threshold
and the run summary (files, claims, findings by severity and by rule, stale baseline entries and,
when the caller measured it, coverage against the reference sources)."""
from __future__ import annotations

import json
import numbers
from collections import Counter
from itertools import groupby
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from factlint.findings import FAIL_ON, Finding, Severity, check_fail_on, fails_gate, findings_frame, findings_rows  # noqa: F401

if TYPE_CHECKING:
    import pandas as pd

    from factlint.pipeline import DocumentResult

SEVERITY_ORDER = tuple(sorted(Severity, key=lambda s: -s.rank))       # error, warning, info


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """The order every format uses: path, line, column, rule, message, then fingerprint, so that
    two runs over the same input print the same bytes whatever order the rules yielded in."""
    def head(f: Finding) -> tuple:
        return (f.sort_key(), f.fingerprint)

    out: list[Finding] = []
    for _, tied in groupby(sorted(findings, key=head), key=head):
        tied = list(tied)              # the whole record breaks a rare tie (it costs a JSON dump)
        out.extend(tied if len(tied) == 1 else sorted(tied, key=_canonical))
    return out


def _canonical(f: Finding) -> str:
    return json.dumps(f.as_dict(), sort_keys=True, ensure_ascii=False, default=str)


def findings_table(findings: Iterable[Finding]) -> "pd.DataFrame":
    """``findings_frame`` validated by ``FindingsSchema``: a finding that breaks the contract
    (unknown severity, empty message, negative line) stops the emitter instead of being printed."""
    from schemas.findings import FindingsSchema

    return FindingsSchema.validate(findings_frame(findings))


def check_findings_contract(findings: Sequence[Finding]) -> None:
    """``findings_table``'s check without its frame when the rows certainly pass
    (schemas.finding_columns): one note's summary then imports neither pandas nor pandera."""
    from schemas.finding_columns import rows_certainly_pass

    if not rows_certainly_pass(findings_rows(findings)):
        findings_table(findings)


def related_table(findings: Iterable[Finding]) -> "pd.DataFrame":
    """One row per (finding, related location), ``finding`` being the row in ``findings_table``."""
    import pandas as pd

    from schemas.findings import RelatedLocationsSchema

    rows = [
        {"finding": i, "fingerprint": f.fingerprint, "rule": f.rule, "role": loc.role,
         "path": loc.path, "line": loc.line, "table": loc.table, "row": loc.row,
         "column": loc.column, "text": loc.text}
        for i, f in enumerate(sorted(findings, key=Finding.sort_key)) for loc in f.related
    ]
    columns = list(RelatedLocationsSchema.to_schema().columns)
    frame = pd.DataFrame(rows, columns=columns).astype({"table": "Int64", "row": "Int64"})
    return RelatedLocationsSchema.validate(frame)


@dataclass(frozen=True)
class Summary:
    files: int
    unreadable: int
    tables: int
    claims: int
    findings: int
    by_severity: Mapping[str, int]          # error, warning, info (always all three)
    by_rule: Mapping[str, int]              # sorted by rule id
    fail_on: str = "error"
    failing: int = 0                        # findings at or above fail_on
    suppressed: int = 0
    baselined: int = 0
    stale_baseline: int = 0                 # how many baseline entries nothing matches any more
    stale_entries: tuple[Mapping[str, Any], ...] = ()   # those entries, in ``stale_order``
    coverage: Mapping[str, Any] | None = None           # see ``coverage_view``

    @property
    def failed(self) -> bool:
        return self.failing > 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files, "unreadable": self.unreadable, "tables": self.tables,
            "claims": self.claims, "findings": self.findings,
            "by_severity": dict(self.by_severity), "by_rule": dict(self.by_rule),
            "fail_on": self.fail_on, "failing": self.failing, "failed": self.failed,
            "suppressed": self.suppressed, "baselined": self.baselined,
            "stale_baseline": [dict(e) for e in self.stale_entries],
            "stale_baseline_count": self.stale_baseline,
            "coverage": dict(self.coverage) if self.coverage is not None else None,
        }


def summarise(findings: Sequence[Finding], results: Sequence["DocumentResult"], *,
              fail_on: str = "error", suppressed: Sequence[Finding] = (),
              baselined: Sequence[Finding] = (), stale_baseline: Sequence = (),
              coverage: Mapping[str, Any] | None = None) -> Summary:
    """``coverage`` is what ``factlint.reference.coverage.coverage`` returned for the run, passed
    in by the caller: emitters never load the knowledge base themselves."""
    check_findings_contract(findings)
    severity_counts = Counter(f.severity.value for f in findings)
    rule_counts = Counter(f.rule for f in findings)
    return Summary(
        files=len(results),
        unreadable=sum(1 for r in results if r.error is not None),
        tables=sum(r.table_count for r in results),
        claims=sum(r.claim_count for r in results),
        findings=len(findings),
        by_severity={s.value: severity_counts[s.value] for s in SEVERITY_ORDER},
        by_rule={rule: rule_counts[rule] for rule in sorted(rule_counts)},
        fail_on=fail_on,
        failing=sum(1 for f in findings if fails_gate(f, fail_on)),
        suppressed=len(suppressed), baselined=len(baselined), stale_baseline=len(stale_baseline),
        stale_entries=stale_order(stale_baseline), coverage=coverage_view(coverage),
    )


STALE_KEYS = ("fingerprint", "rule", "path", "entity", "attribute", "message", "count")
STALE_ORDER = ("path", "rule", "fingerprint", "entity", "attribute", "message", "count")


def stale_entry(entry: Any) -> dict[str, Any]:
    """A stale baseline entry (a dict from ``apply_baseline`` or a ``BaselineEntry``) with every
    key present: missing text fields become None ("" for the message), a missing count 1."""
    raw = entry.as_dict() if hasattr(entry, "as_dict") else dict(entry)
    out: dict[str, Any] = {key: raw.get(key) for key in STALE_KEYS}
    out["message"] = str(out["message"] or "")
    out["count"] = int(out["count"] or 1)
    return out


def stale_order(entries: Iterable[Any]) -> tuple[dict[str, Any], ...]:
    """Path, rule, fingerprint (the baseline file's own order), then the rest, so the listing is
    the same whatever order the entries came in."""
    normalised = [stale_entry(e) for e in entries]
    return tuple(sorted(normalised, key=lambda e: tuple(
        (e[k] is not None, "" if e[k] is None else str(e[k])) for k in STALE_ORDER)))


def coverage_view(coverage: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The caller's coverage dict with numeric_claims, checked and share always present (share
    recomputed from the counts when missing); other integer counts (agree, mismatch...) kept."""
    if coverage is None:
        return None
    numeric = int(coverage.get("numeric_claims", coverage.get("numeric", 0)) or 0)
    checked = int(coverage.get("checked", 0) or 0)
    share = coverage.get("share")
    share = round(checked / numeric, 4) if share is None and numeric else float(share or 0.0)
    view: dict[str, Any] = {key: int(value) for key, value in sorted(coverage.items())
                            if key not in ("numeric", "share") and isinstance(value, numbers.Integral)
                            and not isinstance(value, bool)}
    view.update(numeric_claims=numeric, checked=checked, share=share)
    hardware = coverage.get("hardware")
    if isinstance(hardware, Mapping):
        view["hardware"] = coverage_view(hardware)
    return view
