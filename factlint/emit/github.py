"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's
diff. ``::error file=path,line=N,col=C,endColumn=E,title=factlint rule::message``; warnings stay
warnings and info becomes ``notice``.

Escaping follows @actions/core (command.ts): in the message ``%``, ``\\r`` and ``\\n``; in
property values also ``:`` and ``,``, which would otherwise end the value. Other control
characters (terminal escapes from a cell) are escaped as ``-f text`` escapes them."""
from __future__ import annotations

from typing import Sequence

from factlint.findings import Finding, Severity
from factlint.emit.escape import printable
from factlint.emit.source import documents_by_path, location_columns
from factlint.emit.summary import ordered

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(findings: Sequence[Finding], results: Sequence, summary=None) -> str:
    docs = documents_by_path(results)
    return "".join(annotation(f, location_columns(docs, f.location)) + "\n"
                   for f in ordered(findings))


def annotation(f: Finding, columns: tuple[int, int] | None = None) -> str:
    loc = f.location
    props = [("file", loc.path)]
    if loc.line >= 1:
        props.append(("line", str(loc.line)))
        if columns is not None:
            props += [("col", str(columns[0])), ("endColumn", str(columns[1]))]
    props.append(("title", f"factlint {f.rule}"))
    message = f"[{loc.column}] {f.message}" if loc.column else f.message
    if f.evidence:
        message += "\n" + f.evidence
    if f.fix is not None:
        message += "\nfix: " + f.fix.title
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMAND[f.severity]} {properties}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return printable(text, keep="\r\n\t").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
