"""A growth rate must match the consecutive values of its table.

## What it does
In a table ordered by year (`| 年份 | 营收 | 增速 |`, or years as columns with a growth row),
each growth cell (增速, 增长, growth, YoY, 同比) is checked against the value it grows: the
column (or row) its header names (`营收增速` grows `营收`), else the nearest numeric column
before it. `$0.25B → $0.5B` is +100 %; the stated rate must match within the precision shown,
widened by the rounding of both values (`$1B` means $0.5B–$1.5B). Across a gap of several years
either the total change or the compound annual rate is accepted. With years as columns and the
metrics down the rows, a growth column (`同比（2024）`, `YoY`) grows its own row: the year it
names, else the row's last year, against the year before.
The first year's growth has no earlier value in the table; what it implies is reported as
information (`+100% in 2024 implies $0.125B in 2023`) so a reader can check it.

## Why is this bad?
A growth column is usually copied from a forecast or a press release while the values are
edited later (or the other way round); the two then tell different stories about the trend.

## Example
| 年份 | 营收 | 增速 |
|---|---|---|
| 2024 | $0.25B | +100% |
| 2025 | $0.5B | +150% |

Use instead:
| 年份 | 营收 | 增速 |
|---|---|---|
| 2024 | $0.25B | +100% |
| 2025 | $0.5B | +100% |

## Fix
Rewrites the growth cell to the rate the two values imply (unsafe: a value may be the wrong one).
"""
from __future__ import annotations

from typing import Iterator

from factlint.facts.intervals import Reading, Span, read_claim
from factlint.facts.labels import year_of_label
from factlint.findings import Applicability, Finding, Fix, Severity
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.facts.display import number, replace_number, rewrite_cell, text_of

Claim = dict

BASE_KINDS = ("number", "money", "range")
NOT_BASE_ATTRIBUTES = frozenset({"growth", "share", "year", "ratio"})


@rule("growth-rate", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def growth_rate(doc, ctx) -> Iterator[Finding]:
    for table in ctx.facts.tables:
        record_years = _years(table)
        dated = [f.claim for f in table.facts if f.part == 0 and f.claim["index"] in record_years]
        undated = [f.claim for f in table.facts if f.part == 0 and f.claim["index"] not in record_years]
        for cell in dated + undated:
            if cell.get("kind") != "percent" or not _states_growth(cell, ctx.vocab):
                continue
            series = _base_series(dated, cell, record_years)
            year = record_years.get(cell["index"])
            if year is None and series:
                # `| Revenue | 709 | 1,174 | +65.6% |` under `FY2023 | FY2024 | YoY`: a growth
                # column that names no year grows its row into the row's last year.
                year = max(series) if _own_row(series, cell) else None
            finding = _check(ctx, cell, year, series) if series and year is not None else None
            if finding is not None:
                yield finding


def _own_row(series: dict[int, Claim], cell: Claim) -> bool:
    return all(c["row"] == cell["row"] for c in series.values())


def _states_growth(cell: Claim, vocab) -> bool:
    """A growth cell: its attribute is growth, or (years as columns, metrics down the rows, where
    the row names the attribute) its column is a growth column (`同比（2024）`, `YoY 2024`)."""
    if cell.get("attribute") == "growth":
        return True
    header = text_of(cell.get("column_label"))
    if not header:
        return False
    attribute = vocab.match_attribute(_name_key(header))
    return attribute is not None and attribute.name == "growth"


def _base_series(dated: list[Claim], cell: Claim, record_years) -> dict[int, Claim] | None:
    """year -> the claim whose growth this cell states: the column (or, with years as columns,
    the row) its label names, else the nearest one before it."""
    # Years as columns and a growth column (`| 营业收入 | 7.09 | 11.74 | +65.6% |` under
    # `2023 | 2024 | 同比（2024）`): the cell grows the values of its own row, one a year.
    own = [c for c in dated if c["row"] == cell["row"] and c["column"] != cell["column"]
           and c.get("kind") in BASE_KINDS and c.get("attribute") not in NOT_BASE_ATTRIBUTES
           and c["column"] > 0]
    years = [record_years[c["index"]] for c in own]
    if len(own) >= 2 and len(set(years)) == len(years):
        return {record_years[c["index"]]: c for c in own}
    by_columns = year_of_label(text_of(cell.get("column_label"))) is None   # years run down the rows
    line_key, label_key = ("column", "column_label") if by_columns else ("row", "row_label")
    candidates = [c for c in dated if c[line_key] != cell[line_key] and c.get("kind") in BASE_KINDS
                  and c.get("attribute") not in NOT_BASE_ATTRIBUTES and c["column"] > 0]
    if not candidates:
        return None
    lines: dict[int, list[Claim]] = {}
    for c in candidates:
        lines.setdefault(c[line_key], []).append(c)
    growth_label = _name_key(cell.get(label_key))
    named = [k for k, members in lines.items()
             if len(_name_key(members[0].get(label_key))) >= 2
             and _name_key(members[0].get(label_key)) in growth_label]
    if named:
        chosen = named[0]
    else:
        before = [k for k in lines if k < cell[line_key]]
        chosen = max(before) if before else min(lines)
    return {record_years[c["index"]]: c for c in lines[chosen]}


def _name_key(label) -> str:
    """A label's words without its unit: `营收（亿元）` is named in `营收同比`."""
    import re

    return norm_key(re.sub(r"[（(\[【].*?[)）\]】]", "", text_of(label)))


def _years(table) -> dict[int, int]:
    """claim index -> the whole year its record is about (records of a quarter or month have none)."""
    out = {}
    for f in table.facts:
        if f.period is not None and f.period.isdigit() and f.part == 0:
            out[f.claim["index"]] = int(f.period)
    return out


def _check(ctx, cell: Claim, year: int, series: dict[int, Claim]) -> Finding | None:
    stated = read_claim(cell)
    current = series.get(year)
    if stated is None or current is None:
        return None
    now = read_claim(current)
    earlier_years = [y for y in series if y < year]
    if now is None:
        return None
    if not earlier_years:
        return _implied_earlier(ctx, cell, year, current, now, stated)
    before_year = max(earlier_years)
    before = series[before_year]
    then = read_claim(before)
    if then is None or then.unit != now.unit:
        return None
    quotient = now.span().over(then.span())
    if quotient is None:
        return None
    gap = year - before_year
    total = Span((quotient.lo - 1) * 100, (quotient.hi - 1) * 100, "%")
    allowed = [total]
    if gap > 1 and quotient.lo > 0:
        allowed.append(Span((quotient.lo ** (1 / gap) - 1) * 100, (quotient.hi ** (1 / gap) - 1) * 100, "%"))
    if any(a.meets(stated.span()) for a in allowed):
        return None
    actual = (now.low / then.low - 1) * 100 if then.low else None
    if actual is None:
        return None
    over = f" over {gap} years" if gap > 1 else ""
    message = (f"{_label(cell)} for {year} says {cell['raw']}, but {before['raw']} ({before_year}) → "
               f"{current['raw']} ({year}) is {_signed(actual)}{over}.")
    evidence = (f"{current['raw']} (line {current['line']}) ÷ {before['raw']} (line {before['line']}) = "
                f"{number(now.low / then.low, 4)}, so {_signed(actual, 4)}; with both values' rounding "
                f"{number(total.lo, 4)}% to {number(total.hi, 4)}%"
                + (f" (or {number(allowed[1].lo, 4)}% to {number(allowed[1].hi, 4)}% a year)" if len(allowed) > 1 else "")
                + f"; {cell['raw']} allows {number(stated.span().lo, 4)}% to {number(stated.span().hi, 4)}%.")
    return ctx.finding(cell, message, evidence=evidence, related=[before, current],
                       fix=_fix(cell, actual), values=[cell["raw"], number(actual)],
                       data={"year": year, "previous_year": before_year, "computed": actual})


def _implied_earlier(ctx, cell: Claim, year: int, current: Claim, now: Reading, stated: Reading) -> Finding | None:
    """The first year's growth names a value the table does not show: say what it is."""
    factor = 1 + stated.low / 100
    if factor <= 0:
        return None
    implied = rewrite_cell(current, now, [now.low / factor], formatter=number)
    if implied is None:
        return None
    message = f"{cell['raw']} in {year} implies {implied} in {year - 1}, which the table does not state."
    evidence = f"{current['raw']} (line {current['line']}) ÷ (1 {'+' if stated.low >= 0 else '−'} " \
               f"{number(abs(stated.low))}%) = {implied}."
    return ctx.finding(cell, message, evidence=evidence, related=[current], severity=Severity.INFO,
                       values=[cell["raw"], implied], data={"year": year - 1, "implied": now.low / factor})


def _label(cell: Claim) -> str:
    """The growth column's header, or the growth row's label when the years are the columns."""
    by_columns = year_of_label(text_of(cell.get("column_label"))) is None
    return text_of(cell.get("column_label") if by_columns else cell.get("row_label"))


def _signed(percent: float, digits: int = 3) -> str:
    return f"{'+' if percent >= 0 else '−'}{number(abs(percent), digits)}%"


def _fix(cell: Claim, actual: float) -> Fix | None:
    """The growth cell rewritten to the computed rate, keeping its sign style (`+100%`)."""
    raw = text_of(cell["raw"]).strip()
    decimals = int(cell.get("decimals") or 0)
    body = replace_number(raw, round(abs(actual), decimals), decimals)
    if body is None:
        return None
    unsigned = body.lstrip("+-−")
    body = "-" + unsigned if actual < 0 else ("+" + unsigned if body != unsigned else unsigned)
    if body == raw:
        return None
    return Fix(body, f"Replace `{raw}` with `{body}`", Applicability.UNSAFE, raw)
