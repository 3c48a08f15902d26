"""A ratio column in a comparison table must equal the quotient of the two entity columns.

## What it does
In a comparison table (`| 指标 | WSE-3 | H100 | 差距 |`) each cell of the ratio column (差距, gap,
ratio, ×, 倍, vs) is checked against the two entity cells of its row:
- `57x` / `57 倍` must equal a ÷ b or b ÷ a (whichever is at least 1) within the precision shown:
  `57x` means 56.5–57.5, widened by the rounding of the two operands (`4.0T ÷ 80B` is 49.1–50.9);
- a percentage (`+50%`) must equal the relative difference of the two;
- `相同` / `same` needs the two values to be equal within their precision;
- `优势` / `劣势` / advantage / disadvantage must agree with the attribute's direction, reading
  the first entity column as "ours" (more compute is better, a higher price is worse).
Values are compared after unit normalisation (`46225mm²` vs `8 cm²`); two cells with the same
unknown unit still compare (`8 PLOPS` vs `2 PLOPS` = 4x); money compares its amounts even when
one side is per node. Text cells (`低` vs `高`) say nothing and are skipped.

## Why is this bad?
The ratio column is what a reader takes away from a comparison ("57 times larger"). A ratio that
does not follow from the table's own numbers is either a stale figure or a typo in one of them.

## Example
| 指标 | WSE-3 | H100 | 差距 |
|---|---|---|---|
| 面积 | 46225mm² | 814mm² | 75x |
| 内存 | 80GB | 128GB | 优势 |

Use instead:
| 指标 | WSE-3 | H100 | 差距 |
|---|---|---|---|
| 面积 | 46225mm² | 814mm² | 57x |
| 内存 | 80GB | 128GB | 劣势 |

## Fix
Rewrites the ratio cell to the quotient the row implies, with the decimals shown (`75x` ->
`57x`), or swaps the direction word (`优势` -> `劣势`). Unsafe: the ratio may be right and one of
the operands wrong.
"""
from __future__ import annotations

import math
import re
from typing import Iterator

from factlint.facts.intervals import Reading, Span, read_claim
from factlint.findings import Applicability, Finding, Fix, Severity
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.facts.display import number, number_fix, present, show, text_of

Claim = dict

BETTER = {"优势": "劣势", "领先": "落后", "更优": "更差", "更好": "更差", "胜出": "落后",
          "advantage": "disadvantage", "better": "worse", "ahead": "behind", "wins": "loses",
          "leads": "lags", "lead": "lag"}
SAME_WORDS = ("相同", "相当", "持平", "一样", "相等", "same", "equal", "parity", "identical", "=")


@rule("ratio-column", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def ratio_column(doc, ctx) -> Iterator[Finding]:
    rows: dict[tuple, list[Claim]] = {}
    for claim in ctx.facts.claims:
        rows.setdefault((claim["table"], claim["row"]), []).append(claim)
    for row in rows.values():
        values = [c for c in row if c["column"] > 0 and not _is_ratio(c)]
        for cell in (c for c in row if _is_ratio(c)):
            operands = _operands(cell, values)
            if operands is None:
                continue
            ours, theirs = operands
            a, b = read_claim(ours), read_claim(theirs)
            if a is None or b is None or a.unit != b.unit:
                continue      # text cells, or units that do not compare: nothing to say
            check = _check_for(cell)
            finding = check(ctx, cell, ours, theirs, a, b) if check else None
            if finding is not None:
                yield finding


def _is_ratio(claim: Claim) -> bool:
    return text_of(claim.get("qualifier")).startswith("ratio")


def _operands(cell: Claim, values: list[Claim]) -> tuple[Claim, Claim] | None:
    """The two entity cells the ratio compares: the only two, or the two its header names."""
    values = sorted(values, key=lambda c: c["column"])
    if len(values) == 2:
        return values[0], values[1]
    header = norm_key(text_of(cell.get("column_label")))
    named = [c for c in values if present(c.get("column_label")) and norm_key(c["column_label"]) in header]
    if len(named) == 2:
        return named[0], named[1]
    if len(named) == 1 and len(values) >= 2 and values[0]["column"] != named[0]["column"]:
        return values[0], named[0]
    return None


def _check_for(cell: Claim):
    kind = cell.get("kind")
    words = norm_key(text_of(cell.get("text")) or text_of(cell.get("raw")))
    if kind in ("ratio", "number") and cell.get("status") == "parsed":
        return _check_quotient
    if kind == "percent" and cell.get("status") == "parsed":
        return _check_difference
    if kind == "same" or words in SAME_WORDS:
        return _check_same
    if _direction_word(words) is not None:
        return _check_direction
    return None


def _quotients(a: Reading, b: Reading) -> tuple[Span, Span] | None:
    ab, ba = a.span().over(b.span(), "x"), b.span().over(a.span(), "x")
    return (ab, ba) if ab is not None and ba is not None else None


def _operand_text(claim: Claim) -> str:
    return f"{claim['raw']} ({claim['column_label']}, line {claim['line']})"


def _check_quotient(ctx, cell, ours, theirs, a: Reading, b: Reading) -> Finding | None:
    quotients = _quotients(a, b)
    stated = read_claim(cell)
    if quotients is None or stated is None:
        return None
    stated_span = Span(stated.span().lo, stated.span().hi, "x")
    if any(q.meets(stated_span) for q in quotients):
        return None
    # The direction to report: the one that reads like the stated ratio (>= 1 unless it is < 1).
    forwards = a.low / b.low >= 1 if stated.low >= 1 else a.low / b.low < 1
    value = a.low / b.low if forwards else b.low / a.low
    q = quotients[0] if forwards else quotients[1]
    top, bottom = (ours, theirs) if forwards else (theirs, ours)
    message = (f"{cell['column_label']} says {cell['raw']}, but {top['raw']} ÷ {bottom['raw']} "
               f"= {number(value)}x.")
    evidence = (f"{_operand_text(top)} ÷ {_operand_text(bottom)} = {number(value, 4)}; with the "
                f"operands' rounding the quotient lies in {number(q.lo, 4)}–{number(q.hi, 4)}, "
                f"but {cell['raw']} allows {number(stated_span.lo, 4)}–{number(stated_span.hi, 4)}.")
    return ctx.finding(cell, message, evidence=evidence, related=[ours, theirs],
                       fix=number_fix(cell, stated, [value]), values=[cell["raw"], number(value)],
                       data={"stated": stated.low, "computed": value, "low": q.lo, "high": q.hi})


def _check_difference(ctx, cell, ours, theirs, a: Reading, b: Reading) -> Finding | None:
    """`+50%` in a ratio column: one value is 50 % more (or less) than the other, or is 50 % of it."""
    quotients = _quotients(a, b)
    stated = read_claim(cell)
    if quotients is None or stated is None:
        return None
    s = stated.span()
    magnitude = Span(abs(s.lo) if s.lo > 0 or s.hi < 0 else 0.0, max(abs(s.lo), abs(s.hi)), "%")
    candidates = []
    for q in quotients:
        candidates.append(Span(abs(q.lo - 1) * 100, abs(q.hi - 1) * 100, "%"))
        candidates.append(Span(q.lo * 100, q.hi * 100, "%"))
    candidates = [Span(min(c.lo, c.hi), max(c.lo, c.hi), "%") for c in candidates]
    if any(c.meets(magnitude) for c in candidates):
        return None
    difference = (a.low - b.low) / b.low * 100
    message = (f"{cell['column_label']} says {cell['raw']}, but {ours['raw']} is "
               f"{number(difference):s}% {'more' if difference >= 0 else 'less'} than {theirs['raw']}.")
    evidence = (f"({_operand_text(ours)} − {_operand_text(theirs)}) ÷ {theirs['raw']} = "
                f"{number(difference, 4)}%; {ours['raw']} ÷ {theirs['raw']} = {number(a.low / b.low, 4)}x.")
    fix = number_fix(cell, stated, [difference])
    return ctx.finding(cell, message, evidence=evidence, related=[ours, theirs], fix=fix,
                       values=[cell["raw"], number(difference)])


def _check_same(ctx, cell, ours, theirs, a: Reading, b: Reading) -> Finding | None:
    if a.span().meets(b.span()):
        return None
    ratio = max(a.low, b.low) / min(a.low, b.low) if min(a.low, b.low) > 0 else math.inf
    message = (f"{cell['column_label']} says {cell['raw']}, but {ours['raw']} and {theirs['raw']} "
               f"differ ({number(ratio)}x).")
    evidence = (f"{_operand_text(ours)} allows {show(a.span().lo, a.unit, 4)}–{show(a.span().hi, a.unit, 4)}; "
                f"{_operand_text(theirs)} allows {show(b.span().lo, b.unit, 4)}–{show(b.span().hi, b.unit, 4)}; "
                f"the two do not meet.")
    fix = None
    if math.isfinite(ratio):
        text = f"{number(ratio, 2)}x"
        fix = Fix(text, f"Replace `{cell['raw']}` with `{text}`", Applicability.UNSAFE, text_of(cell["raw"]))
    return ctx.finding(cell, message, evidence=evidence, related=[ours, theirs], fix=fix,
                       values=[cell["raw"], number(ratio)])


def _check_direction(ctx, cell, ours, theirs, a: Reading, b: Reading) -> Finding | None:
    qualifier = text_of(cell.get("qualifier"))
    attribute = ctx.vocab.attribute(qualifier.removeprefix("ratio of ").strip()) \
        if qualifier.startswith("ratio of ") else None
    if attribute is None or attribute.direction not in ("higher", "lower"):
        return None
    raw = text_of(cell["raw"])
    word = norm_key(text_of(cell.get("text")) or raw)
    says_better = _direction_word(word)
    if a.span().meets(b.span()):
        actual = None
    else:
        ours_higher = a.low > b.low
        actual = ours_higher if attribute.direction == "higher" else not ours_higher
    if actual == says_better:
        return None
    preference = "more" if attribute.direction == "higher" else "less"
    if actual is None:
        verdict = "the two are equal within their precision"
        replacement = "相同" if _is_cjk(raw) else "same"
    else:
        verdict = (f"{ours['column_label']} is {'better' if actual else 'worse'} "
                   f"({ours['raw']} vs {theirs['raw']}, {preference} {attribute.name.replace('_', ' ')} is better)")
        replacement = _swap_word(raw)
    message = f"{cell['column_label']} says {raw} for {ours['column_label']}, but {verdict}."
    evidence = (f"{_operand_text(ours)} vs {_operand_text(theirs)}; {attribute.name} has direction "
                f"{attribute.direction!r}: {preference} is better.")
    fix = Fix(replacement, f"Replace `{raw}` with `{replacement}`", Applicability.UNSAFE, raw) \
        if replacement else None
    return ctx.finding(cell, message, evidence=evidence, related=[ours, theirs], fix=fix,
                       values=[raw, ours["raw"], theirs["raw"]])


def _direction_word(word: str) -> bool | None:
    """True for an advantage word, False for a disadvantage word, None otherwise."""
    if word in {norm_key(w) for w in BETTER}:
        return True
    if word in {norm_key(w) for w in BETTER.values()}:
        return False
    return None


def _swap_word(raw: str) -> str | None:
    for better, worse in BETTER.items():
        for this, that in ((better, worse), (worse, better)):
            match = re.search(re.escape(this), raw, re.IGNORECASE)
            if match and norm_key(raw) == norm_key(this):
                return raw[:match.start()] + _same_case(match.group(), that) + raw[match.end():]
    return None


def _same_case(original: str, word: str) -> str:
    return word.capitalize() if original[:1].isupper() else word


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
