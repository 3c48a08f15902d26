"""A year that has not ended by the note's own date, in a table that does not say it is a forecast.

## What it does
Takes the date the note gives for itself (front matter, the byline under the title, a
"版本：1.0 | 2026-02-03" line). Every year cell (a year column, a year row label, a year range,
a date) whose period has not ended by that date is a statement about the future: a launch
"in 2027" or revenue "for 2026" cannot be a fact on 2026-02-03. Such a cell is reported
unless its table is labelled a forecast: by a heading above it (the note's own title does not
count: a "roadmap" note mixes history and plans), the caption, a header cell, the row label or
the cell itself, with words such as 预测, 预计, 预期, 预估, 展望, 规划, 计划, 路线图, forecast,
projected, projection, roadmap, plan, expected, outlook, estimate, or a year with an E/F suffix
(2026E). A note without a date gives nothing.

## Why is this bad?
A planned figure placed in the same table as shipped ones reads as a fact: a WSE-4 "2026"
beside the WSE-3 "2024" looks like a launch that happened. Readers and later checks (against
a knowledge base, across notes) must know it is a projection.

## Example
> 2026-02-03

| 产品 | 制程 | 时间 |
|------|------|------|
| WSE-3 | 5nm | 2024 |
| WSE-4 | 3nm | 2026 |

Use instead:
> 2026-02-03

| 产品 | 制程 | 时间 |
|------|------|------|
| WSE-3 | 5nm | 2024 |
| WSE-4 (预计) | 3nm | 2026E |

## Fix
None automatic: label the table (a heading or caption with 预测 / forecast) or the cell
(2026E, "2026 (预计)"); only the author knows whether the figure is a plan.

## Options
- `labels`: extra words that mark a table or cell as a forecast (a list of strings).
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Iterator

from factlint.document import Document, Table
from factlint.findings import Finding, Severity
from factlint.normalise.vocab import norm_key
from factlint.rules import rule

FORECAST_WORDS = ("预测", "预计", "预期", "预估", "估计", "展望", "规划", "计划", "路线图", "蓝图")
FORECAST_PATTERN = re.compile(
    r"\b(forecasts?|projections?|projected|roadmaps?|plans?|planned|planning|expected|"
    r"expectations?|outlook|estimates?|estimated|est\.|guidance|upcoming|future)\b"
    r"|\b(?:FY)?(?:19|20)\d{2}\s?[EeF]\b",
    re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?)?(?!\d)")

OPTIONS = {"labels": list[str]}   # extra words that mark a forecast


def note_date(text: str | None) -> date | None:
    """The last day the note's own date can mean: 2026-02-03 as is, 2026-02 -> 2026-02-28,
    2026 -> 2026-12-31 (so a year-only date never makes its own year a forecast)."""
    m = _YEAR.search(text or "")
    if not m:
        return None
    return _period_end(int(m.group(1)), m.group(2), m.group(3))


def _period_end(year: int, month: str | None, day: str | None) -> date | None:
    try:
        if month is None:
            return date(year, 12, 31)
        month_n = int(month)
        if day is None:
            return date(year, month_n, calendar.monthrange(year, month_n)[1])
        return date(year, month_n, int(day))
    except ValueError:
        return None


def is_labelled(text: str, extra: tuple[str, ...] = ()) -> bool:
    if not text:
        return False
    low = text.casefold()
    return any(w in text for w in FORECAST_WORDS) or any(w.casefold() in low for w in extra) \
        or FORECAST_PATTERN.search(text) is not None


def table_labels(doc: Document, table: Table) -> list[str]:
    """Texts that can label a whole table: enclosing headings except the note's title, the
    caption, the header cells."""
    title = norm_key(doc.title or "")
    headings = [h for h in table.heading if norm_key(h) != title]
    return headings + [table.caption] + [c.text for c in table.header]


def _stated_period(claim) -> tuple[str, date] | None:
    """(text shown, end of the period) for a year/date cell, a year range by its upper end."""
    kind, dimension = claim["kind"], claim["dimension"]
    if kind == "date" or dimension == "date":
        m = _YEAR.search(str(claim["raw"]))
        end = _period_end(int(m.group(1)), m.group(2), m.group(3)) if m else None
        return (m.group(0), end) if end else None
    if dimension != "year" and claim["attribute"] != "year":
        return None
    value = claim["value_high"] if kind == "range" and claim["value_high"] is not None else claim["value"]
    if value is None or float(value) != int(value) or not 1800 <= value <= 2200:
        return None
    return str(int(value)), date(int(value), 12, 31)


@rule("forecast", severity=Severity.INFO, tags=("provenance",))
def forecast(doc: Document, ctx) -> Iterator[Finding]:
    known_by = note_date(doc.date)
    if known_by is None:
        return
    extra = tuple(ctx.options.get("labels", ()) or ())
    tables = {t.index: t for t in doc.tables}
    labelled = {i: any(is_labelled(text, extra) for text in table_labels(doc, t))
                for i, t in tables.items()}
    for claim in ctx.facts.claims:
        period = _stated_period(claim) if claim["status"] == "parsed" else None
        if period is None or period[1] <= known_by or labelled.get(claim["table"], False):
            continue
        row_label = claim["row_label"] or ""
        if is_labelled(claim["raw"], extra) or is_labelled(row_label, extra):
            continue
        shown, _ = period
        table = tables.get(claim["table"])
        name = f"table “{table.heading[-1]}”" if table and table.heading else f"table {claim['table']}"
        when = "lies after" if int(shown[:4]) > known_by.year else "has not ended by"
        yield ctx.finding(
            claim,
            f"{shown} {when} the note's date ({doc.date}), but {name} is not labelled a forecast.",
            evidence=f"note dated {doc.date}; line {claim['line']} states {claim['raw']}"
                     f"{' for ' + claim['entity'] if claim['entity'] else ''}; no heading, "
                     f"caption, header or label says 预测/forecast/plan",
            values=[shown, row_label],
            data={"year": shown, "note_date": doc.date, "table_name": name})
