"""Emitters: one module per output format, each a pure ``render(findings, results, summary)``
returning text. ``render(fmt, outcome)`` dispatches by name and ``exit_code`` turns findings into
the gate's verdict. Modules load on first use, so ``factlint check -f github`` never imports
jinja2 or rich it does not need."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

from factlint.findings import Finding
from factlint.findings import FAIL_ON, check_fail_on, fails_gate

FORMATS: dict[str, str] = {
    "text": "factlint.emit.text",
    "json": "factlint.emit.json",
    "sarif": "factlint.emit.sarif",
    "junit": "factlint.emit.junit",
    "github": "factlint.emit.github",
    "html": "factlint.emit.html",
}

__all__ = ["FAIL_ON", "FORMATS", "Report", "exit_code", "render", "render_chunks"]


@dataclass
class Report:
    """What an emitter is given; ``factlint.gate.CheckOutcome`` has the same shape."""
    findings: Sequence[Finding]
    results: Sequence[Any] = ()
    suppressed: Sequence[Finding] = ()
    baselined: Sequence[Finding] = ()
    stale_baseline: Sequence[Any] = field(default_factory=list)
    coverage: Mapping[str, Any] | None = None     # factlint.reference.coverage.coverage, if measured


def render(fmt: str, outcome, *, fail_on: str = "error", color: bool = False,
           text_options: Mapping[str, bool] | None = None) -> str:
    """Render a gate outcome (anything with ``findings`` and ``results``, optionally
    ``suppressed``, ``baselined``, ``stale_baseline`` and ``coverage``) in one of ``FORMATS``.
    Coverage is whatever the caller measured; an emitter never loads the knowledge base."""
    return "".join(render_chunks(fmt, outcome, fail_on=fail_on, color=color, text_options=text_options))


def render_chunks(fmt: str, outcome, *, fail_on: str = "error", color: bool = False,
                  text_options: Mapping[str, bool] | None = None) -> Iterator[str]:
    """``render``'s text in pieces, for writing a big run's output without holding it: JSON and
    SARIF are made finding by finding; the other formats come as one piece. ``text_options``
    (``concise``, ``quiet``, ``statistics``) shape the text format only."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(sorted(FORMATS))}")
    check_fail_on(fail_on)
    findings = list(outcome.findings)
    results = list(getattr(outcome, "results", ()) or ())
    coverage = getattr(outcome, "coverage", None)
    module = importlib.import_module(FORMATS[fmt])
    if fmt == "html":               # the reviewer's page keeps its own richer summary
        return iter((module.render_report(results, findings,
                                          run=None if coverage is None else {"coverage": coverage}),))
    from factlint.emit.summary import summarise

    summary = summarise(findings, results, fail_on=fail_on,
                        suppressed=list(getattr(outcome, "suppressed", ()) or ()),
                        baselined=list(getattr(outcome, "baselined", ()) or ()),
                        stale_baseline=list(getattr(outcome, "stale_baseline", ()) or ()),
                        coverage=coverage)
    if fmt == "text":
        return iter((module.render(findings, results, summary, color=color, **(text_options or {})),))
    if hasattr(module, "render_chunks"):
        return module.render_chunks(findings, results, summary)
    return iter((module.render(findings, results, summary),))


def exit_code(findings: Sequence[Finding], fail_on: str = "error") -> int:
    """1 when any finding is at or above ``fail_on`` (error | warning | info), 0 otherwise or
    when ``fail_on`` is "never". Usage and configuration errors (exit 2) are the CLI's."""
    check_fail_on(fail_on)
    return 1 if any(fails_gate(f, fail_on) for f in findings) else 0
