"""The arithmetic behind a finding, laid out as the sum it is: the operands (its related cells,
each with its role and line), what they make, what the note states, and the difference.

Everything comes from what the rule put on the finding: the related locations and their roles,
the fix's replacement (the value the arithmetic makes, written as the cell writes it) and the
numbers in ``finding.data``; no cell is parsed again here. A rule whose data says less gets a
shorter layout, never a guessed one."""
from __future__ import annotations

import math
import re
from typing import Any, Mapping

from factlint.findings import Finding

# Rules whose finding is a computation over other cells.
ARITHMETIC_RULES = frozenset({"cluster-total", "sum-total", "derived-column", "ratio-column",
                              "growth-rate", "cross-table", "cross-document"})

# Top-level "; " separates the steps of an evidence text; a quoted source may hold "; " itself.
_STEP = re.compile(r";\s+(?=(?:[^\"“”]*[\"“”][^\"“”]*[\"“”])*[^\"“”]*$)")
_LINE_REF = re.compile(r"\blines? (\d+)((?:(?:, | and |-|–)\d+)*)")


def arithmetic(f: Finding) -> dict | None:
    """{"formula", "result", "result_label", "stated", "stated_line", "difference"} for an
    arithmetic rule's finding (any of them may be None), else None."""
    if f.rule not in ARITHMETIC_RULES:
        return None
    data: Mapping[str, Any] = f.data or {}
    stated, computed = _compared(f.rule, data)
    result, label = _result(f, data)
    return {
        "formula": data.get("formula"),
        "result": result, "result_label": label,
        "stated": "100%" if "parts" in data else f.location.text,
        "stated_line": None if "parts" in data else f.location.line,
        "difference": _difference(stated, computed, points="parts" in data),
    }


def steps(evidence: str) -> list[str]:
    """An evidence text as its steps, one per `; `-separated clause, each ending plainly."""
    parts = [p.strip() for p in _STEP.split(evidence or "") if p.strip()]
    return [p[:-1] if p.endswith(".") and not p.endswith("..") else p for p in parts]


def line_refs(text: str) -> list[tuple[str, int | None]]:
    """``text`` as (piece, line) pairs: each `line 95` / `lines 82-84` reference its own piece
    with its first line, so a template can link it to the source view."""
    out: list[tuple[str, int | None]] = []
    at = 0
    for match in _LINE_REF.finditer(text):
        if match.start() > at:
            out.append((text[at:match.start()], None))
        out.append((match.group(0), int(match.group(1))))
        at = match.end()
    if at < len(text):
        out.append((text[at:], None))
    return out


def _result(f: Finding, data: Mapping[str, Any]) -> tuple[str | None, str]:
    if f.rule in ("cross-table", "cross-document") and data.get("agreed"):
        return str(data["agreed"]), "the others say"
    if f.fix is not None:
        return f.fix.replacement, "makes"
    if "parts" in data and _number(data.get("sum")) is not None:
        return f"{_show(data['sum'])}%", "the parts add up to"
    if f.rule == "ratio-column" and _number(data.get("computed")) is not None:
        return f"{_show(data['computed'])}x", "makes"
    if f.rule == "growth-rate" and _number(data.get("computed")) is not None:
        return f"{data['computed']:+.3g}%", "makes"
    return None, "makes"


def _compared(rule: str, data: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """(what the note states, what its operands make) as two numbers in one unit, when the
    finding's data holds both."""
    if "parts" in data:
        return 100.0, _number(data.get("sum"))
    if rule == "cluster-total" and "reference_per_node" in data:
        return _number(data.get("per_node")), _number(data.get("reference_per_node"))
    if "stated" in data and ("computed" in data or "sum" in data):
        return _number(data.get("stated")), _number(data.get("computed", data.get("sum")))
    return None, None


def _difference(stated: float | None, computed: float | None, *, points: bool) -> str | None:
    if stated is None or computed is None:
        return None
    if points:                                   # shares of 100 %: the gap in points
        gap = computed - stated
        return f"{'+' if gap > 0 else '−'}{_show(abs(gap))} points"
    if computed == 0 or stated == 0:
        return None
    ratio = stated / computed
    if ratio >= 2 or ratio <= 0.5:
        return f"{_show(ratio)}× what the operands make"
    change = (ratio - 1) * 100
    return f"{'+' if change > 0 else '−'}{_show(abs(change))}% from what the operands make"


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _show(value: float) -> str:
    """Four significant digits at most, no trailing zeros, thousands grouped."""
    if abs(value) >= 10_000:
        return f"{value:,.0f}"
    text = f"{value:.4g}"
    if "e" in text:
        return f"{value:,.0f}"
    return text
