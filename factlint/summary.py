"""A note's summary: what the stages after the check read of a note whose result is cached.

A re-run after one note changed used to unpickle every note's full result (its document, tables
and claims) only so that the corpus rules, the publication plan and the report index could read
a few fields of each. The summary holds those fields: findings, what the corpus rules collected,
counts, coverage, the suppressions, title, date and problems, and for the report the document's
digest and the table cells its findings' locations resolve to. It is kept beside the full result
in the per-document cache (``factlint.cache``), under the same key (path, content, engine), so
it is exactly as valid as the result it summarises.

A ``NoteSummary`` stands in for a ``pipeline.DocumentResult``: every stage takes either. What
the summary does not hold (``document``, ``rows``, ``claims``) is loaded from the full cache
entry on first use, so a stage that needs more than the summary still gets the right answer,
only slower. The report's fields depend on the report's code as well (``emit.html``, which is
not part of the engine key): they carry the renderer digest they were computed under and are
ignored under another.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from factlint.findings import Finding, Severity


@dataclass(frozen=True)
class Outline:
    """What the judge (suppressions) and the report index read of a document: a ``Document``
    without its text and tables."""
    path: str
    title: str | None
    date: str | None
    problems: tuple
    suppressions: tuple


@dataclass(frozen=True)
class ReportFacts:
    """The report's own view of a note, valid under the renderer digest ``renderer``:
    ``html.document_digest``, ``html.numeric_claim_count`` and the cell anchor each location
    resolved to (``html.CellIndex``)."""
    renderer: str
    digest: str
    numeric_claims: int
    anchors: Mapping[Any, str | None] = field(default_factory=dict)


class NoteSummary:
    """A cached note's result without its document and claims (see the module's doc)."""

    def __init__(self, path: str, sha256: str, findings: list[Finding], coverage: dict | None,
                 collected: dict[str, list], counts: dict[str, int], outline: Outline,
                 report: ReportFacts | None = None):
        self.path = path
        self.sha256 = sha256
        self.findings = findings
        self.coverage = coverage
        self.collected = collected
        self.counts = counts
        self.outline = outline
        self.report = report
        self.error: str | None = None          # results with an error are never cached
        self.error_rule = "malformed-input"
        self.entry: Path | None = None         # the full result's cache file (set on load)
        self._full = None

    # What the summary holds ------------------------------------------------------------
    @property
    def claim_count(self) -> int:
        return self.counts["claims"]

    @property
    def table_count(self) -> int:
        return self.counts["tables"]

    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    # What it does not: the full result, loaded once on first use --------------------------
    def full(self):
        if self._full is None:
            if self.entry is None:
                raise LookupError(f"no cached result to load for {self.path}")
            with open(self.entry, "rb") as handle:
                self._full = pickle.load(handle)
        return self._full

    @property
    def document(self):
        return self.full().document

    @property
    def rows(self) -> list[dict]:
        return self.full().rows

    @property
    def claims(self):
        return self.full().claims

    @property
    def loaded(self) -> bool:
        return self._full is not None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_full"] = None
        state["entry"] = None
        return state

    def __repr__(self) -> str:
        return f"NoteSummary({self.path!r}, {self.sha256[:12]})"


def summarise(result, report: ReportFacts | None = None) -> NoteSummary:
    """The summary of a full result (``pipeline.DocumentResult``) as the check left it."""
    doc = result.document
    outline = Outline(result.path, doc.title, doc.date, tuple(doc.problems), tuple(doc.suppressions))
    return NoteSummary(result.path, result.sha256, list(result.findings), result.coverage,
                       dict(result.collected),
                       {"claims": result.claim_count, "tables": result.table_count},
                       outline, report)


def outline(result):
    """``result``'s document as the judge and the report index read it: the ``Document`` of a
    full result, the ``Outline`` of a summary, None for an unreadable note."""
    if isinstance(result, NoteSummary):
        return result.outline
    return result.document
