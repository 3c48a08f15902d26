"""What a reviewer takes from the report to act on: a finding's fix and a note's safe fixes as
unified diffs (the very edits ``check --fix`` makes and ``check --diff`` prints), and the note's
source lines for the source view a finding links to."""
from __future__ import annotations

from typing import Sequence

from factlint.document import Document
from factlint.emit.source import fixed_line
from factlint.findings import Finding, Severity
from factlint.fixes import Edit, apply_edits, safe_edits, unified_diff


def fix_diff(doc: Document | None, f: Finding) -> str | None:
    """The finding's fix as a unified diff of its note (any applicability: a reviewer copies an
    unsafe fix knowing it is one), or None when the text to replace is not on its line."""
    lines = fixed_line(doc, f)
    if doc is None or lines is None or lines[0] == lines[1]:
        return None
    return _diff(doc, [Edit(f.location.path, f.location.line, *lines)])


def safe_fixes_diff(doc: Document | None, findings: Sequence[Finding]) -> tuple[str, int]:
    """The note's safe fixes as ``check --diff`` prints them for it, and how many lines change."""
    if doc is None:
        return "", 0
    edits = safe_edits(findings, {doc.path: doc}).get(doc.path, [])
    return (_diff(doc, edits), len(edits)) if edits else ("", 0)


def _diff(doc: Document, edits: list[Edit]) -> str:
    after, _ = apply_edits(doc.text, edits)
    return unified_diff(doc.path, doc.text, after)


def source_lines(doc: Document | None, findings: Sequence[Finding]) -> list[dict]:
    """Every line of the note as {"n", "text", "severity"}: the worst finding on it, if any.
    A slimmed document keeps only some lines' text; the others show empty, numbered still."""
    if doc is None or not doc.text:
        return []
    worst: dict[int, Severity] = {}
    for f in findings:
        line = f.location.line
        if line not in worst or f.severity.rank > worst[line].rank:
            worst[line] = f.severity
    text = doc.text[:-1] if doc.text.endswith("\n") else doc.text
    return [{"n": n, "text": line, "severity": worst[n].value if n in worst else None}
            for n, line in enumerate(text.split("\n"), start=1)]

