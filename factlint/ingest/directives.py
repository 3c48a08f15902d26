"""Suppression comments: `<!-- factlint-disable-next-line RULE[,RULE] -- reason -->`.

Forms understood:
- `factlint-disable-next-line RULES -- reason`: the next non-blank line.
- `factlint-disable-line RULES -- reason`: its own line. This is the form for one table
  row, written at the end of the row (`| a | b | <!-- factlint-disable-line RULE -- why -->`):
  an HTML comment on a line of its own inside a table ends the table (GFM, GitHub and
  markdown-it agree), so a comment cannot sit between two rows. Not on the header line:
  there the comment counts as a header cell and the table breaks (reported as broken-table).
- `factlint-disable-next-table RULES -- reason`: every line of the table that follows.
No rule list (`<!-- factlint-disable-next-line -- reason -->`) means all rules: ("*",).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from factlint.document import Problem, Suppression, Table

NEXT_LINE, SAME_LINE, NEXT_TABLE = "disable-next-line", "disable-line", "disable-next-table"
KNOWN_KINDS = (NEXT_LINE, SAME_LINE, NEXT_TABLE)
ALL_RULES = ("*",)

COMMENT = re.compile(r"<!--\s*factlint-(?P<kind>[A-Za-z-]*)(?P<body>.*?)-->", re.DOTALL)
# The `--` that separates rules from the reason: at the start or after whitespace.
_REASON_SEPARATOR = re.compile(r"(?:^|\s)--(?=\s|$)")
_RULE_SEPARATOR = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class Directive:
    kind: str                  # one of KNOWN_KINDS, or the misspelt name as written
    rules: tuple[str, ...]
    reason: str
    line: int                  # 1-based line where the comment starts
    end_line: int              # 1-based line where it ends


def find_directives(html: str, first_line: int) -> list[Directive]:
    """Every factlint comment in `html`, whose first character is on `first_line`."""
    found = []
    line, counted_to = first_line, 0          # count newlines incrementally: linear in len(html)
    for match in COMMENT.finditer(html):
        line += html.count("\n", counted_to, match.start())
        counted_to = match.start()
        end_line = line + match.group().count("\n")
        rules, reason = _rules_and_reason(match.group("body"))
        found.append(Directive(match.group("kind").strip("-"), rules, reason, line, end_line))
    return found


def split_off_directives(source: str, line: int) -> tuple[str, list[Directive]]:
    """`source` without its factlint comments, and those comments (for table row lines)."""
    if "factlint-" not in source:
        return source, []
    return COMMENT.sub("", source), find_directives(source, line)


def resolve(directives: Iterable[Directive], lines: Sequence[str],
            tables: Sequence[Table]) -> tuple[list[Suppression], list[Problem]]:
    """Turn comments into Suppressions on concrete target lines; misuse becomes Problems."""
    tables_by_header = {table.header_line: table for table in tables}
    suppressions: list[Suppression] = []
    problems: list[Problem] = []
    for directive in directives:
        if directive.kind not in KNOWN_KINDS:
            problems.append(Problem("unknown-directive", directive.line,
                                    f"unknown comment 'factlint-{directive.kind}'; use one of "
                                    + ", ".join(f"factlint-{kind}" for kind in KNOWN_KINDS)))
            continue
        if directive.kind == SAME_LINE:
            suppressions.append(_suppression(directive, directive.line))
            continue
        target = next_non_blank_line(lines, directive.end_line)
        if target is None:
            problems.append(Problem("suppression-without-target", directive.line,
                                    f"factlint-{directive.kind} has no line after it to apply to"))
        elif directive.kind == NEXT_LINE:
            suppressions.append(_suppression(directive, target))
        elif target in tables_by_header:
            table = tables_by_header[target]
            suppressions.extend(_suppression(directive, line)
                                for line in (table.header_line, *(row.line for row in table.rows)))
        else:
            problems.append(Problem("suppression-without-target", directive.line,
                                    f"factlint-{NEXT_TABLE} must be followed by a table, "
                                    f"but line {target} does not start one"))
    return suppressions, problems


def next_non_blank_line(lines: Sequence[str], after: int) -> int | None:
    """1-based number of the first non-blank line after 1-based line `after`."""
    for index in range(after, len(lines)):
        if lines[index].strip():
            return index + 1
    return None


def _suppression(directive: Directive, target_line: int) -> Suppression:
    return Suppression(line=directive.line, target_line=target_line,
                       rules=directive.rules, reason=directive.reason)


def _rules_and_reason(body: str) -> tuple[tuple[str, ...], str]:
    separator = _REASON_SEPARATOR.search(body)
    rules_part, reason = (body, "") if separator is None else (body[:separator.start()],
                                                               body[separator.end():])
    rules = tuple(rule for rule in _RULE_SEPARATOR.split(rules_part) if rule)
    return rules or ALL_RULES, " ".join(reason.split())
