"""Apply the suppression comments that ingest found (``Document.suppressions``) to findings.

A suppression silences the findings whose primary location is on its target line and whose rule
it names (or every rule, ``*``). The comments themselves are checked too, under the framework
rule ``suppression``: a comment without a reason, and a comment (or a rule named in it) that
silences nothing, each become one finding at the comment's line. A
``factlint-disable-next-table`` comment expands to one Suppression per table line; all of them
share the comment's line, so they are judged together as one comment.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

from factlint.document import Document, Suppression
from factlint.findings import Finding, Location, Severity, fingerprint

RULE_ID = "suppression"
ALL_RULES = "*"
NEEDS_REASON = "suppression needs a reason"
UNUSED = "unused suppression"


def apply_suppressions(findings: Iterable[Finding], documents: Iterable[Document], settings=None
                       ) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(kept, suppressed, problems). ``problems`` are the ``suppression`` rule's findings; with
    ``settings`` (factlint.config.Settings) they are left out when that rule is disabled and
    take its configured severity."""
    docs = {doc.path: doc for doc in documents}
    targets = _targets(docs.values())
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    used: dict[tuple[str, Suppression], set[str]] = defaultdict(set)
    for f in findings:
        matching = [s for s in targets.get((f.location.path, f.location.line), ())
                    if f.rule != RULE_ID and (ALL_RULES in s.rules or f.rule in s.rules)]
        if not matching:
            kept.append(f)
            continue
        suppressed.append(f)
        for s in matching:
            used[(f.location.path, s)].add(f.rule)
    problems = [] if not _enabled(settings) else [
        problem for doc in docs.values() for problem in comment_problems(doc, used, settings)]
    return kept, suppressed, problems


def _targets(docs: Iterable[Document]) -> dict[tuple[str, int], list[Suppression]]:
    targets: dict[tuple[str, int], list[Suppression]] = defaultdict(list)
    for doc in docs:
        for s in doc.suppressions:
            targets[(doc.path, s.target_line)].append(s)
    return targets


def comment_problems(doc: Document, used: dict[tuple[str, Suppression], set[str]],
                     settings=None) -> list[Finding]:
    """Findings about the comments of one document, given which rules each Suppression used."""
    comments: dict[tuple[int, tuple[str, ...], str], list[Suppression]] = defaultdict(list)
    for s in doc.suppressions:
        comments[(s.line, s.rules, s.reason)].append(s)
    severity = _severity(settings)
    problems = []
    for (line, rules, reason), expanded in sorted(comments.items()):
        named = ", ".join(rules)
        at = Location(path=doc.path, line=line, text=f"factlint-disable {named}")
        if not reason:
            problems.append(_finding(
                at, NEEDS_REASON, severity, "missing-reason", [named],
                f"Add why after `--`: <!-- factlint-disable-next-line {named} -- reason -->"))
        silenced = set().union(*(used.get((doc.path, s), set()) for s in expanded))
        if ALL_RULES in rules:
            unused = [] if silenced else [ALL_RULES]
        else:
            unused = [r for r in rules if r not in silenced]
        if unused:
            lines = sorted({s.target_line for s in expanded})
            problems.append(_finding(
                at, UNUSED, severity, "unused", unused,
                f"No {' or '.join(unused)} finding on line{'s' if len(lines) > 1 else ''} "
                f"{_line_list(lines)}; remove the comment or the rule from it."))
    return problems


def _finding(at: Location, message: str, severity: Severity, kind: str, rules: Sequence[str],
             evidence: str) -> Finding:
    return Finding(RULE_ID, severity, message, at, attribute=kind, evidence=evidence,
                   data={"rules": list(rules)},
                   fingerprint=fingerprint(RULE_ID, at.path, None, kind, list(rules)))


def _line_list(lines: Sequence[int]) -> str:
    return f"{lines[0]}-{lines[-1]}" if len(lines) > 2 else " and ".join(map(str, lines))


def _enabled(settings) -> bool:
    return settings is None or settings.rule_enabled(RULE_ID)


def _severity(settings) -> Severity:
    return Severity.WARNING if settings is None else settings.severity_for(RULE_ID, Severity.WARNING)
