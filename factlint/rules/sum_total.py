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
get no automatic fix: which part is wrong needs a human, so every part of the column is reported.
"""
from __future__ import annotations

from typing import Iterator

import pandas as pd

from factlint.findings import Finding, Severity
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.rules._context import claim_location
from factlint.rules._records import years
from factlint.rules._spans import Reading, Span, number, number_fix, read_claim, show, show_span, text_of

TOTAL_LABELS = frozenset(norm_key(s) for s in (
    "合计", "总计", "总和", "共计", "总数", "全部", "总体", "整体", "汇总",
    "total", "totals", "sum", "grand total", "overall", "all", "in total"))
OTHER_LABELS = ("其他", "其它", "其余", "other", "others", "rest", "remaining", "misc")
NOT_SUMMED_DIMENSIONS = frozenset({"percent", "ratio", "year", "date", "length"})
NOT_SUMMED_ATTRIBUTES = frozenset({"growth", "share", "price", "process_node", "year", "ratio"})


def is_total_label(text: str) -> bool:
    key = norm_key(text.split("(")[0].split("（")[0])
    return key in TOTAL_LABELS


def _is_other(text: str) -> bool:
    key = norm_key(text)
    return any(key.startswith(norm_key(o)) for o in OTHER_LABELS)


@rule("sum-total", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def sum_total(doc, ctx) -> Iterator[Finding]:
    claims = ctx.claims
    if claims.empty:
        return
    for _, table in claims.groupby("table", sort=True):
        yield from _shares(ctx, table, by="column")
        yield from _shares(ctx, table, by="row")
        yield from _total_rows(ctx, table)
        yield from _total_columns(ctx, table)


# ---- shares -------------------------------------------------------------------------------------

def _share_lines(ctx, table: pd.DataFrame, by: str):
    """Groups of share cells: a share column (header says share) or a share row (label says it)."""
    label = "column_label" if by == "column" else "row_label"
    for _, line in table.groupby(by, sort=True):
        first = line.iloc[0]
        attribute = ctx.vocab.match_attribute(text_of(first.get(label)))
        if attribute is None or attribute.name != "share":
            continue
        if by == "row" and (line["column"] == 0).any():
            continue
        yield line


def _shares(ctx, table: pd.DataFrame, by: str) -> Iterator[Finding]:
    record_years = years(table)
    for line in _share_lines(ctx, table, by):
        part_label = "row_label" if by == "column" else "column_label"
        parts = line[~line[part_label].fillna("").map(is_total_label)]
        if len({record_years.get(i) for i in parts.index} - {None}) > 1:
            continue       # one share per year is a series, not parts of one whole
        readings = [read_claim(c) for _, c in parts.iterrows()]
        if len(parts) < 2 or any(r is None or r.unit != "%" for r in readings):
            continue       # a text or non-percent part: not a clean list of shares
        total = Span(0.0, 0.0, "%")
        for r in readings:
            total = total.plus(r.span())
        whole = Span(100.0, 100.0, "%")
        if total.meets(whole):
            continue
        stated = sum(r.low for r in readings)
        has_other = any(_is_other(text_of(c.get(part_label))) for _, c in parts.iterrows())
        if stated > 100:
            why = f"{number(stated - 100)} points too many"
        elif has_other:
            why = f"{number(100 - stated)} points missing, though there is an other row"
        else:
            why = f"{number(100 - stated)} points missing and no 其他/other row"
        terms = " + ".join(text_of(c["raw"]) for _, c in parts.iterrows())
        evidence = (f"{terms} = {number(stated)}%; with each part's rounding the sum lies in "
                    f"{show_span(total, 4)}, which does not include 100%.")
        for index, part in parts.iterrows():
            others = [claim_location(c, "other share") for i, c in parts.iterrows() if i != index]
            message = (f"The shares in {_where(part, by)} add up to {number(stated)}%, not 100% "
                       f"({why}); {part['raw']} is one of {len(parts)} parts.")
            yield ctx.finding(part, message, evidence=evidence, related=others,
                              values=[part["raw"], number(stated)],
                              data={"sum": stated, "low": total.lo, "high": total.hi})


def _where(claim: pd.Series, by: str) -> str:
    label = claim["column_label"] if by == "column" else claim["row_label"]
    return f"{'column' if by == 'column' else 'row'} {label}"


# ---- total rows and columns --------------------------------------------------------------------

def _summable(claim: pd.Series, reading: Reading | None) -> bool:
    return reading is not None and text_of(claim.get("dimension")) not in NOT_SUMMED_DIMENSIONS \
        and text_of(claim.get("attribute")) not in NOT_SUMMED_ATTRIBUTES and reading.bound == "="


def _total_rows(ctx, table: pd.DataFrame) -> Iterator[Finding]:
    totals = table[table["row_label"].fillna("").map(is_total_label) & (table["column"] > 0)]
    for _, total in totals.iterrows():
        above = table[(table["column"] == total["column"]) & (table["row"] < total["row"])]
        # Parts start after the previous total row, so subtotals are not counted twice.
        earlier_totals = table[table["row_label"].fillna("").map(is_total_label) &
                               (table["row"] < total["row"])]["row"]
        if len(earlier_totals):
            above = above[above["row"] > earlier_totals.max()]
        finding = _check_total(ctx, total, above, f"column {total['column_label']}")
        if finding is not None:
            yield finding


def _total_columns(ctx, table: pd.DataFrame) -> Iterator[Finding]:
    totals = table[table["column_label"].fillna("").map(is_total_label)]
    for _, total in totals.iterrows():
        parts = table[(table["row"] == total["row"]) & (table["column"] > 0) &
                      (table["column"] != total["column"])]
        finding = _check_total(ctx, total, parts, f"row {total['row_label']}")
        if finding is not None:
            yield finding


def _check_total(ctx, total: pd.Series, parts: pd.DataFrame, where: str) -> Finding | None:
    stated = read_claim(total)
    if not _summable(total, stated) or len(parts) < 2:
        return None
    readings = [read_claim(p) for _, p in parts.iterrows()]
    if any(not _summable(p, r) or r.unit != stated.unit for (_, p), r in zip(parts.iterrows(), readings)):
        return None        # a part that is text, a range or another unit: cannot decide
    span = Span(0.0, 0.0, stated.unit)
    for r in readings:
        span = span.plus(r.span())
    if span.meets(stated.span()):
        return None
    value = sum(r.low for r in readings)
    terms = " + ".join(text_of(p["raw"]) for _, p in parts.iterrows())
    message = (f"The total in {where} says {total['raw']}, but its parts add up to "
               f"{show(value, stated.unit)}.")
    evidence = (f"{terms} = {show(value, stated.unit, 4)} (with rounding {show_span(span, 4)}); "
                f"{total['raw']} allows {show_span(stated.span(), 4)}.")
    return ctx.finding(total, message, evidence=evidence,
                       related=[claim_location(p, "part") for _, p in parts.iterrows()],
                       fix=number_fix(total, stated, [value]), values=[total["raw"], show(value, stated.unit)],
                       data={"sum": value, "stated": stated.low})
