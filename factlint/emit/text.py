"""Compiler-style text, as ruff prints it: ``path:line:col: severity rule [column] message`` per
finding (``:col`` when the cell's place on the line is known; ``[*]`` after the rule when
``--fix`` can apply the finding's fix), grouped by file, with evidence, related cells, fix and
reference indented beneath (left off when ``concise``), then a summary (left off when ``quiet``).
``statistics`` prints one line per rule instead: count, rule, severity, how many are fixable.

File names, cells and messages are written through ``printable``: no control character of a
note reaches the terminal raw.

Colour comes from rich styles on ``Text`` objects (never markup strings, so a ``[bold]`` inside a
note is printed as written); the CLI asks for colour only when writing to a terminal."""
from __future__ import annotations

from io import StringIO
from itertools import groupby
from typing import Sequence

from rich.console import Console
from rich.text import Text

from factlint.findings import Finding, Location, Severity, safely_fixable
from factlint.emit.escape import printable
from factlint.emit.source import documents_by_path, location_columns
from factlint.emit.summary import Summary, ordered, summarise

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
INDENT = "    "


def render(findings: Sequence[Finding], results: Sequence, summary: Summary | None = None, *,
           color: bool = False, concise: bool = False, quiet: bool = False,
           statistics: bool = False) -> str:
    if statistics:
        return _to_string(statistics_lines(findings), color)
    summary = summary or summarise(findings, results)
    docs = documents_by_path(results)
    lines: list[Text] = []
    for _, group in groupby(ordered(findings), key=lambda f: f.location.path):
        for f in group:
            head = finding_lines(f, location_columns(docs, f.location))
            lines.extend(head[:1] if concise else head)
        if not quiet:
            lines.append(Text(""))
    if not quiet:
        lines.extend(summary_lines(summary))
    return _to_string(lines, color)


def finding_lines(f: Finding, columns: tuple[int, int] | None = None) -> list[Text]:
    loc = f.location
    where = f"{_path(loc.path)}:{loc.line}:" + (f"{columns[0]}:" if columns else "")
    head = Text.assemble(
        (where, "bold"), " ",
        (f.severity.value, STYLE[f.severity]), " ",
        (f.rule, "magenta"), " ",
        ("[*] " if safely_fixable(f) else "", "green"),
        (f"[{printable(loc.column)}] " if loc.column else "", "dim"),
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
    by the indent, so a multi-line message stays inside its finding's block; other control
    characters are escaped."""
    lines = printable(text, keep="\r\n\t").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return ("\n" + indent).join(lines)


def _path(path: str) -> str:
    """A file name on one line: a newline in it would start a line of its own."""
    return printable(path)


def _related(rel: Location, primary_path: str) -> str:
    where = f"line {rel.line}" if rel.path == primary_path else f"{_path(rel.path)}:{rel.line}"
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


def statistics_lines(findings: Sequence[Finding]) -> list[Text]:
    """``  12  cluster-total  error`` per rule, most frequent first (ruff's ``--statistics``);
    ``  3 fixable`` when ``--fix`` can apply some of them."""
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    rows = sorted(by_rule.items(), key=lambda item: (-len(item[1]), item[0]))
    count_width = max((len(str(len(fs))) for _, fs in rows), default=1)
    rule_width = max((len(rule) for rule, _ in rows), default=1)
    lines = []
    for rule, fs in rows:
        severities = "/".join(s.value for s in sorted({f.severity for f in fs}, key=lambda s: -s.rank))
        fixable = sum(safely_fixable(f) for f in fs)
        lines.append(Text.assemble(f"{len(fs):>{count_width}}  ", (f"{rule:<{rule_width}}", "magenta"),
                                   "  ", severities, (f"  {fixable} fixable" if fixable else "", "green")))
    return lines


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
            INDENT, (f"{_path(e['path'] or '?')}:", "bold"), " ", (printable(e["rule"] or "?"), "magenta"),
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
