"""``check --fix`` and ``--diff``: the safe fixes of a run as edits to the notes' source lines.

A fix is applied only when it is marked safe (``Applicability.SAFE``: the rule is certain of the
new cell text, e.g. a unit spelling or an invisible character) and the line it rewrites still
reads, in the file, exactly as the check saw it. The new line is the one SARIF's ``fixes`` and
the report show (``factlint.emit.source.fixed_line``), so every output agrees on what a fix does.
At most one fix per line is taken in a pass (two fixes of one cell would be computed from the
same old text); the CLI checks again and applies what is left, as ruff does."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from factlint.document import Document
from factlint.emit.escape import printable
from factlint.emit.source import fixed_line
from factlint.emit.summary import ordered
from factlint.findings import Finding, safely_fixable


@dataclass(frozen=True, slots=True)
class Edit:
    path: str
    line: int          # 1-based
    old: str           # the whole line as it reads now, without its line break
    new: str


def safe_edits(findings: Iterable[Finding], docs: Mapping[str, Document]) -> dict[str, list[Edit]]:
    """path -> the edits of its safe fixes, one per line, in line order."""
    edits: dict[str, dict[int, Edit]] = {}
    for f in ordered(findings):
        if not safely_fixable(f):
            continue
        lines = fixed_line(docs.get(f.location.path), f)
        if lines is None or lines[0] == lines[1]:
            continue
        edits.setdefault(f.location.path, {}).setdefault(
            f.location.line, Edit(f.location.path, f.location.line, *lines))
    return {path: [by_line[n] for n in sorted(by_line)] for path, by_line in edits.items()}


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, int]:
    """``text`` with each edit whose line still reads ``old`` rewritten (line breaks kept as they
    are), and how many were applied."""
    lines = _MARKDOWN_LINE.findall(text)
    applied = 0
    for edit in edits:
        if not 1 <= edit.line <= len(lines):
            continue
        current = lines[edit.line - 1]
        body = current.rstrip("\r\n")
        if body != edit.old:
            continue
        lines[edit.line - 1] = edit.new + current[len(body):]
        applied += 1
    return "".join(lines), applied


def unified_diff(path: str, before: str, after: str) -> str:
    """``--- a/path`` / ``+++ b/path`` with three lines of context, as ``git diff`` shows it (a
    control character in the file name escaped: a newline there would end the header)."""
    name = printable(path)
    lines = difflib.unified_diff(_GIT_LINE.findall(before), _GIT_LINE.findall(after),
                                 f"a/{name}", f"b/{name}")
    # A last line without its line break (a note that does not end in one, or one whose lines
    # end in \r alone) must be marked so, or git apply calls the patch corrupt.
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n"
                   for line in lines)


# A finding's line is counted as Markdown counts lines (decoding turns \r\n and \r into \n);
# str.splitlines also breaks at form feeds, \x1c-\x1e, \x85 and U+2028/U+2029, so after
# one of those in a note every fix below it was looked for on the wrong line and skipped.
_MARKDOWN_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# git apply reads a patch, and the file, as lines ended by \n alone.
_GIT_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
