"""The CI gate as a plain function: check notes, apply suppressions and a baseline.

`factlint check` and `factlint baseline` are thin shells over `run_check`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from factlint.findings import Finding
from factlint.pipeline import (DocumentResult, across_documents, check_paths, contract_findings,
                               discover, load_engine, total_coverage)

__all__ = ["EXIT_INCOMPLETE", "CheckOutcome", "contract_findings", "gate_exit_code", "judge",
           "run_check", "run_exit_code", "unreadable_findings"]

# The exit code of a run that could not read every note it was given (a file or folder the
# system refused: `unreadable-path`). ruff and sqlfluff stop at 0/1/2 and fold such a file into
# 1; here 1 already means "findings", 2 a usage or configuration error and 3 an internal one,
# and a CI job must be able to tell "the notes are wrong" from "some notes were never looked
# at". It wins over 0 and 1 whatever --fail-on says: findings are about the notes that were
# read, this is about the ones that were not.
EXIT_INCOMPLETE = 4
UNREADABLE = "unreadable-path"


@dataclass
class CheckOutcome:
    results: list[DocumentResult]
    findings: list[Finding]                      # what the gate judges (after suppressions and baseline)
    suppressed: list[Finding] = field(default_factory=list)
    baselined: list[Finding] = field(default_factory=list)
    stale_baseline: list[dict] = field(default_factory=list)
    coverage: dict | None = None                 # numeric claims checked against a source


def run_check(paths: Sequence[str | Path], settings=None, *, baseline: Path | None = None,
              progress: Callable[[int, int], None] | None = None,
              jobs: int | None = None, keep_documents: bool = False) -> CheckOutcome:
    """`jobs`: processes to check with (default: FACTLINT_JOBS, else every usable CPU).
    `keep_documents`: keep every note's tables and claims in the outcome (the HTML report shows
    them); otherwise each result is slimmed as it arrives (findings, counts, the note's text and
    the tables findings point into), so memory does not grow with the corpus's claims. The
    claims contract is checked batch by batch and the corpus rules use what each note's
    `collect` step kept."""
    files = discover(paths)
    engine = load_engine(settings)
    results = []
    for i, result in enumerate(check_paths(files, settings, engine=engine, jobs=jobs,
                                           slim=not keep_documents), 1):
        results.append(result)
        if progress:
            progress(i, len(files))
    corpus = across_documents(results, settings)
    kept, suppressed = judge(results, corpus, settings)
    outcome = CheckOutcome(results, kept, suppressed, coverage=total_coverage(results))
    if baseline is not None:
        from factlint.baseline import apply_baseline, load_baseline

        new, old, stale = apply_baseline(outcome.findings, load_baseline(baseline))
        outcome.findings, outcome.baselined, outcome.stale_baseline = new, old, stale
    return outcome


def gate_exit_code(outcome: CheckOutcome, fail_on: str = "error") -> int:
    """`factlint check`'s exit code: 4 when a note or folder could not be read (the run is
    incomplete), else 1 for findings at or above ``fail_on``, else 0. A baseline does not make
    an unread note read, so the results decide, not the findings left after it."""
    from factlint.emit import exit_code

    if any(r.error is not None and r.error_rule == UNREADABLE for r in outcome.results):
        return EXIT_INCOMPLETE
    return exit_code(outcome.findings, fail_on)


def run_exit_code(summary) -> int:
    """`factlint run`'s exit code from its history.RunSummary, by the same rule as the gate's:
    4 when a note or folder could not be read, 1 when the run failed its gate, else 0."""
    if summary.findings_by_rule.get(UNREADABLE):
        return EXIT_INCOMPLETE
    return 1 if summary.failed else 0


def unreadable_findings(results: Sequence[DocumentResult]) -> list[Finding]:
    """Files that could not be read at all, under the rule their result names (`unreadable-path`
    when the system refused the read, else `malformed-input`); problems inside readable files
    come from the `malformed-input` rule."""
    from factlint.findings import Location, Severity, fingerprint

    return [Finding(r.error_rule, Severity.ERROR, _unreadable_message(r),
                    Location(path=r.path, line=1), attribute="unreadable",
                    fingerprint=fingerprint(r.error_rule, r.path, None, "unreadable", [r.error]))
            for r in results if r.error is not None]


def judge(results: Sequence[DocumentResult], corpus_findings: Sequence[Finding] = (),
          settings=None) -> tuple[list[Finding], list[Finding]]:
    """The findings a run is judged by — the gate's and the flow's alike: every document and corpus
    finding plus one per unreadable file, minus suppressed findings, plus the suppression comments'
    own findings. Returns (kept, suppressed), kept in report order."""
    from factlint.summary import outline
    from factlint.suppress import apply_suppressions

    findings = [f for r in results for f in r.findings] + list(corpus_findings)
    findings += unreadable_findings(results)
    docs = [doc for doc in map(outline, results) if doc is not None]   # path and suppressions
    kept, suppressed, problems = apply_suppressions(findings, docs, settings)
    return sorted([*kept, *problems], key=Finding.sort_key), list(suppressed)


def _unreadable_message(result: DocumentResult) -> str:
    """Ingest's own errors already say "cannot read PATH: why"; others get that prefix."""
    if result.error.startswith("cannot read "):
        return result.error
    return f"cannot read {result.path}: {result.error}"
