"""Shares must add up to 100 % and a total row must equal the sum of its rows.

## What it does
- A share column (占比, 份额, share, % of total) whose rows are parts of one whole must sum to
  100 % within the rounding shown: four integer percentages may be off by 4 × 0.5 = 2 points.
  A sum above 100 % is always wrong; a sum below 100 % is reported too, since the missing part
  needs its own row (其他 / other). The same holds for a share row in a transposed table.
- A total row (合计, 总计, total, sum, 全部) must equal the sum of the rows above it in every
  numeric column, and a total column the sum of the other numeric columns of its row, after
  unit normalisation and within the summed rounding.
Growth rates, ratios, years and process nodes are never summed.

## Why is this bad?
Shares that do not add up mean a part was mistyped or left out, so every part may be misread;
a wrong total row is the figure readers quote.

## Example
| 客户类型 | 占比 |
|---|---|
| 科研机构 | 40% |
| 科技巨头 | 30% |
| 药企 | 25% |
| 政府 | 10% |

Use instead:
| 客户类型 | 占比 |
|---|---|
| 科研机构 | 40% |
| 科技巨头 | 30% |
| 药企 | 20% |
| 政府 | 10% |

## Fix
For a total row: rewrite it to the sum of its parts (unsafe: a part may be the wrong one). Shares
get no automatic fix: which part is wrong needs a human, so the column is reported once, with
every part as a related cell and the sum in the evidence.
"""
from __future__ import annotations

import functools
from typing import Iterator

from factlint.findings import Finding, Severity
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.rules._context import claim_location
from factlint.rules._records import periods
from factlint.rules._rows import Claim, claim_rows, group
from factlint.rules._spans import Reading, Span, number, number_fix, read_claim, show, show_span, text_of

TOTAL_LABELS = frozenset(norm_key(s) for s in (
    "合计", "总计", "总和", "共计", "总数", "全部", "总体", "整体", "汇总",
    "total", "totals", "sum", "grand total", "overall", "all", "in total"))
OTHER_LABELS = ("其他", "其它", "其余", "other", "others", "rest", "remaining", "misc")
NOT_SUMMED_DIMENSIONS = frozenset({"percent", "ratio", "year", "date", "length"})
NOT_SUMMED_ATTRIBUTES = frozenset({"growth", "share", "price", "process_node", "year", "ratio"})


@functools.lru_cache(maxsize=4096)
def is_total_label(text: str) -> bool:
    key = norm_key(text.split("(")[0].split("（")[0])
    return key in TOTAL_LABELS


def _is_other(text: str) -> bool:
    key = norm_key(text)
    return any(key.startswith(norm_key(o)) for o in OTHER_LABELS)


@rule("sum-total", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def sum_total(doc, ctx) -> Iterator[Finding]:
    is_share = _ShareLabels(ctx.vocab)
    for table in group(claim_rows(ctx.claims), lambda c: c["table"]).values():
        yield from _shares(ctx, table, "column", is_share)
        yield from _shares(ctx, table, "row", is_share)
        yield from _total_rows(ctx, table)
        yield from _total_columns(ctx, table)


# ---- shares -------------------------------------------------------------------------------------

class _ShareLabels:
    """Does a header or row label name the share attribute? (asked once per distinct label)"""

    def __init__(self, vocab):
        self.vocab, self.known = vocab, {}

    def __call__(self, label: str) -> bool:
        if label not in self.known:
            attribute = self.vocab.match_attribute(label) if label else None
            self.known[label] = attribute is not None and attribute.name == "share"
        return self.known[label]


def _shares(ctx, table: list[Claim], by: str, is_share: _ShareLabels) -> Iterator[Finding]:
    """A share column (the header says share) or a share row (the label says it) must sum to 100 %."""
    label, part_label = ("column_label", "row_label") if by == "column" else ("row_label", "column_label")
    record_periods = None           # read only for a table with a share line: most have none
    for line in group(table, lambda c: c[by]).values():
        if not is_share(text_of(line[0].get(label))) or (by == "row" and any(c["column"] == 0 for c in line)):
            continue
        if record_periods is None:
            record_periods = periods(table)
        totals = [c for c in line if is_total_label(text_of(c.get(part_label)))]
        parts = [c for c in line if not is_total_label(text_of(c.get(part_label)))]
        if len({record_periods.get(c["index"]) for c in parts} - {None}) > 1:
            continue       # one share per period is a series, not parts of one whole
        readings = [read_claim(c) for c in parts]
        if len(parts) < 2 or any(r is None or r.unit != "%" for r in readings):
            continue       # a text or non-percent part: not a clean list of shares
        total = _sum_spans(readings, "%")
        if total.meets(Span(100.0, 100.0, "%")):
            continue
        stated = sum(r.low for r in readings)
        has_other = any(_is_other(text_of(c.get(part_label))) for c in parts)
        if stated > 100:
            why = f"{number(stated - 100)} points too many"
        elif has_other:
            why = f"{number(100 - stated)} points missing, though there is an other row"
        else:
            why = f"{number(100 - stated)} points missing and no 'other' row"
        terms = " + ".join(text_of(c["raw"]) for c in parts)
        evidence = (f"{terms} = {number(stated)}%; with each part's rounding the sum lies in "
                    f"{show_span(total, 4)}, which does not include 100%.")
        # One defect, one finding: at the total cell when the line has one, else at its last part;
        # every part is a related location, since which one is wrong needs a human.
        at = totals[-1] if totals else max(parts, key=lambda c: (c["line"], c["row"], c["column"]))
        related = [claim_location(c, "share") for c in parts if c is not at]
        message = (f"The shares in {by} {at[label]} add up to {number(stated)}%, not 100% "
                   f"({why}); one of its {len(parts)} parts is wrong or missing.")
        yield ctx.finding(at, message, evidence=evidence, related=related,
                          values=[text_of(at[label]), terms],
                          data={"sum": stated, "low": total.lo, "high": total.hi,
                                "parts": [text_of(c["raw"]) for c in parts]})


def _sum_spans(readings: list[Reading], unit: str) -> Span:
    total = Span(0.0, 0.0, unit)
    for r in readings:
        total = total.plus(r.span())
    return total


# ---- total rows and columns --------------------------------------------------------------------

def _summable(claim: Claim, reading: Reading | None) -> bool:
    return reading is not None and text_of(claim.get("dimension")) not in NOT_SUMMED_DIMENSIONS \
        and text_of(claim.get("attribute")) not in NOT_SUMMED_ATTRIBUTES and reading.bound == "="


def _total_rows(ctx, table: list[Claim]) -> Iterator[Finding]:
    total_rows = sorted({c["row"] for c in table if is_total_label(text_of(c.get("row_label")))})
    for total in (c for c in table if c["row"] in total_rows and c["column"] > 0):
        # Parts start after the previous total row, so subtotals are not counted twice.
        start = max((r for r in total_rows if r < total["row"]), default=-1)
        parts = [c for c in table if c["column"] == total["column"] and start < c["row"] < total["row"]]
        finding = _check_total(ctx, total, parts, f"column {total['column_label']}")
        if finding is not None:
            yield finding


def _total_columns(ctx, table: list[Claim]) -> Iterator[Finding]:
    for total in (c for c in table if is_total_label(text_of(c.get("column_label")))):
        parts = [c for c in table if c["row"] == total["row"] and c["column"] > 0
                 and c["column"] != total["column"]]
        finding = _check_total(ctx, total, parts, f"row {total['row_label']}")
        if finding is not None:
            yield finding


def _check_total(ctx, total: Claim, parts: list[Claim], where: str) -> Finding | None:
    stated = read_claim(total)
    if not _summable(total, stated) or len(parts) < 2:
        return None
    readings = [read_claim(p) for p in parts]
    if any(not _summable(p, r) or r.unit != stated.unit for p, r in zip(parts, readings)):
        return None        # a part that is text, a range or another unit: cannot decide
    span = _sum_spans(readings, stated.unit)
    if span.meets(stated.span()):
        return None
    value = sum(r.low for r in readings)
    terms = " + ".join(text_of(p["raw"]) for p in parts)
    message = (f"The total in {where} says {total['raw']}, but its parts add up to "
               f"{show(value, stated.unit)}.")
    evidence = (f"{terms} = {show(value, stated.unit, 4)} (with rounding {show_span(span, 4)}); "
                f"{total['raw']} allows {show_span(stated.span(), 4)}.")
    return ctx.finding(total, message, evidence=evidence,
                       related=[claim_location(p, "part") for p in parts],
                       fix=number_fix(total, stated, [value]), values=[total["raw"], show(value, stated.unit)],
                       data={"sum": value, "stated": stated.low})
