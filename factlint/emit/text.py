"""Compiler-style text: ``path:line: severity rule: [column] message`` per finding, grouped by
file, with evidence, related cells, fix and reference indented beneath, then a summary.

Colour comes from rich styles on ``Text`` objects (never markup strings, so a ``[bold]`` inside a
note is printed as written); the CLI asks for colour only when writing to a terminal."""
from __future__ import annotations

from io import StringIO
from itertools import groupby
from typing import Sequence

from rich.console import Console
from rich.text import Text

from factlint.findings import Finding, Location, Severity
from factlint.emit.summary import Summary, ordered, summarise

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
INDENT = "    "


def render(findings: Sequence[Finding], results: Sequence, summary: Summary | None = None, *,
           color: bool = False) -> str:
    summary = summary or summarise(findings, results)
    lines: list[Text] = []
    for _, group in groupby(ordered(findings), key=lambda f: f.location.path):
        lines.extend(line for f in group for line in finding_lines(f))
        lines.append(Text(""))
    lines.extend(summary_lines(summary))
    return _to_string(lines, color)


def finding_lines(f: Finding) -> list[Text]:
    loc = f.location
    head = Text.assemble(
        (f"{loc.path}:{loc.line}:", "bold"), " ",
        (f.severity.value, STYLE[f.severity]), " ",
        (f.rule, "magenta"), ": ",
        (f"[{loc.column}] " if loc.column else "", "dim"),
        _continued(f.message, INDENT),
    )
    lines = [head]
    if f.evidence:
        lines.append(_detail("evidence", f.evidence))
    for rel in f.related:
        lines.append(_detail("see", _related(rel, loc.path)))
    if f.fix is not None:
        lines.append(_detail(f"fix ({f.fix.applicability.value})", f.fix.title, "green"))
    if f.reference is not None:
        ref = f.reference
        cited = " ".join(p for p in (ref.publication, ref.date, f"[{ref.tier} source]" if ref.tier else "") if p)
        quote = f' "{ref.quote}"' if ref.quote else ""
        lines.append(_detail("reference", f"{cited}{quote} {ref.url}".strip()))
    return lines


def _detail(label: str, text: str, style: str = "dim") -> Text:
    return Text.assemble(INDENT, (f"{label}: ", style),
                         _continued(text, INDENT + " " * (len(label) + 2)))


def _continued(text: str, indent: str) -> str:
    """Every line break (a stray \\r would rewrite the terminal line) becomes a newline followed
    by the indent, so a multi-line message stays inside its finding's block."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return ("\n" + indent).join(lines)


def _related(rel: Location, primary_path: str) -> str:
    where = f"line {rel.line}" if rel.path == primary_path else f"{rel.path}:{rel.line}"
    column = f" [{rel.column}]" if rel.column else ""
    role = f" {rel.role}" if rel.role else ""
    text = f": {rel.text}" if rel.text else ""
    return f"{where}{column}{role}{text}"


def summary_lines(s: Summary) -> list[Text]:
    unreadable = f" ({s.unreadable} unreadable)" if s.unreadable else ""
    checked = Text(f"Checked {_plural(s.files, 'file')}{unreadable}, {_plural(s.tables, 'table')}, "
                   f"{_plural(s.claims, 'claim')}.")
    counts = ", ".join(f"{n} info" if sev == "info" else _plural(n, sev)
                       for sev, n in s.by_severity.items())
    found = Text.assemble(f"Found {_plural(s.findings, 'finding')}", (f": {counts}" if s.findings else ""))
    set_aside = [f"{s.suppressed} suppressed" if s.suppressed else "",
                 f"{s.baselined} in the baseline" if s.baselined else "",
                 _plural(s.stale_baseline, "stale baseline entry", "stale baseline entries")
                 if s.stale_baseline else ""]
    set_aside = [part for part in set_aside if part]
    if set_aside:
        found.append(f"; {', '.join(set_aside)}")
    found.append(".")
    lines = [checked]
    if s.coverage is not None:
        lines.append(Text(coverage_line(s.coverage)))
    lines.append(found)
    if s.by_rule:
        lines.append(Text("By rule: " + ", ".join(f"{rule} {n}" for rule, n in s.by_rule.items())))
    if s.fail_on == "never":
        verdict = Text("Gate: not enforced (fail-on never).", "dim")
    elif s.failed:
        verdict = Text(f"Gate: failed, {_plural(s.failing, 'finding')} at or above {s.fail_on}.",
                       "bold red")
    else:
        verdict = Text(f"Gate: passed (fail-on {s.fail_on}).", "bold green")
    return [*lines, verdict, *stale_lines(s)]


def coverage_line(coverage) -> str:
    """``Coverage: 73 of 84 numeric claims checked against a source (87%).``"""
    numeric, checked = coverage["numeric_claims"], coverage["checked"]
    share = f" ({100 * checked / numeric:.0f}%)" if numeric else ""
    line = f"Coverage: {checked} of {_plural(numeric, 'numeric claim')} checked against a source{share}"
    hardware = coverage.get("hardware")
    if isinstance(hardware, dict) and hardware.get("numeric_claims"):
        h_numeric, h_checked = hardware["numeric_claims"], hardware["checked"]
        line += f"; hardware specifications: {h_checked} of {h_numeric} ({100 * h_checked / h_numeric:.0f}%)"
    return line + "."


def stale_lines(s: Summary) -> list[Text]:
    """One line per baseline entry nothing matched, so it can be found and removed:
    ``path: rule [fingerprint] entity E, attribute A (xN): message``."""
    if not s.stale_entries:
        return []
    lines = [Text(""), Text("Stale baseline entries (no longer found; regenerate the baseline with "
                            "`factlint baseline` to drop them):", "dim")]
    for e in s.stale_entries:
        where = ", ".join(f"{key} {e[key]}" for key in ("entity", "attribute") if e[key])
        times = f" (x{e['count']})" if e["count"] != 1 else ""
        message = f": {e['message']}" if e["message"] else ""
        lines.append(Text.assemble(
            INDENT, (f"{e['path'] or '?'}:", "bold"), " ", (e["rule"] or "?", "magenta"),
            " ", (f"[{e['fingerprint']}]", "dim"), f" {where}" if where else "", times,
            _continued(message, INDENT * 2)))
    return lines


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _to_string(lines: list[Text], color: bool) -> str:
    if not color:
        return "".join(line.plain + "\n" for line in lines)
    buffer = StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=100_000,
                      soft_wrap=True, highlight=False, markup=False, emoji=False)
    for line in lines:
        console.print(line)
    return buffer.getvalue()
