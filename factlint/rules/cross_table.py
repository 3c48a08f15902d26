"""The same entity and attribute stated twice in one note must agree.

## What it does
Collects every cell that states a number for the same entity and attribute (WSE-3 transistors,
CS-3 power, Cerebras revenue in 2025) anywhere in the note, reads each one as the interval its
precision allows after normalising units and magnitude words (`900,000` = `900K` = `90 万`), and
reports the cells that share no value with the consistent majority. Figures stated for different
node counts or years (`| 64 节点 | 512 PFLOPS |`, `| 2025 | $0.5B |`), ratio columns, text and
cells that could not be parsed are not compared.

## Why is this bad?
Two different numbers for one fact mean at least one of them is wrong, and a reader cannot tell
which; whatever is built on the note (a comparison, a forecast) inherits the error.

## Example
| 产品 | 晶体管 | 算力 |
|---|---|---|
| WSE-3 | 4.0T | 125 PFLOPS |

| 指标 | WSE-3 | H100 |
|---|---|---|
| 晶体管 | 4.6T | 80B |

Use instead:
| 产品 | 晶体管 | 算力 |
|---|---|---|
| WSE-3 | 4.0T | 125 PFLOPS |

| 指标 | WSE-3 | H100 |
|---|---|---|
| 晶体管 | 4.0T | 80B |

## Fix
When two or more cells agree and one differs, the fix rewrites the odd one to the agreed text
(unsafe: the majority can be wrong too). With one cell against one, none is automatic.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from factlint.findings import Applicability, Finding, Fix, Severity, more_cells, nearest
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.rules._agreement import Split, Statement, lines_text, split
from factlint.rules._records import kept_for_last_rows, node_counts, periods, variant
from factlint.rules._rows import Claim, cell_key, claim_rows
from factlint.rules._spans import Reading, read_claim, show_span, text_of
from factlint.rules.system_chip import misread_rows

# Claims that state their entity's own figure; a ratio column or a prose note is something else.
COMPARABLE_QUALIFIERS = (None, "note")


def statement_key(claim: Claim, nodes, period) -> tuple | None:
    """What must be equal for two cells to state the same fact."""
    entity, attribute = text_of(claim.get("entity")), text_of(claim.get("attribute"))
    qualifier = text_of(claim.get("qualifier")) or None
    if not entity or not attribute or qualifier not in COMPARABLE_QUALIFIERS:
        return None
    per = norm_key(text_of(claim.get("per")))
    return (norm_key(entity), attribute, per, nodes.key if nodes else None, period, variant(claim))


def _is_node_label(claim: Claim) -> bool:
    """`| 64 节点 | 512 PFLOPS |`: the count in the first column labels the row, it is no fact."""
    return claim.get("attribute") == "nodes" and claim["column"] == 0


@kept_for_last_rows      # cross-table and cross-document's per-note step both ask, one after the other
def comparable_statements(rows: list[Claim], vocab) -> dict[tuple, list[Statement]]:
    """Every numeric claim that can be compared, grouped by the fact it states (and its unit).
    The same dict for the same rows and vocabulary, so do not mutate it."""
    groups: dict[tuple, list[Statement]] = {}
    counts, record_periods = node_counts(rows, vocab), periods(rows)
    systems = misread_rows(rows, vocab)
    for claim in rows:
        if claim.get("status") not in ("parsed", "unknown-unit") or _is_node_label(claim) \
                or cell_key(claim) in systems:
            continue
        key = statement_key(claim, counts.get(claim["index"]), record_periods.get(claim["index"]))
        reading = read_claim(claim) if key else None
        if reading is None:
            continue
        order = (text_of(claim.get("path")), claim["line"], claim["column"])
        groups.setdefault(key + (reading.unit,), []).append(
            Statement(reading.span(), order, (claim["index"], claim, reading)))
    return groups


def describe(claim: Claim, reading: Reading) -> str:
    """`4.0T (3.95T – 4.05T)`: the cell as written and what its precision allows."""
    allowed = show_span(reading.span(), digits=4)
    return f"{claim['raw']} ({allowed})" if allowed != text_of(claim["raw"]) else text_of(claim["raw"])


def subject(claim: Claim) -> str:
    return f"{claim['entity']} {str(claim['attribute']).replace('_', ' ')}"


def core_text(core: Iterable[Statement]) -> str:
    raws = sorted({text_of(s.item[1]["raw"]) for s in core})
    return " / ".join(raws)


@rule("cross-table", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def cross_table(doc, ctx) -> Iterator[Finding]:
    for statements in comparable_statements(claim_rows(ctx.claims), ctx.vocab).values():
        result = split(statements)
        if result is None or not result.outliers:
            continue
        for outlier in result.outliers:
            yield _finding(ctx, outlier, result)


def _finding(ctx, outlier: Statement, result: Split) -> Finding:
    _, claim, reading = outlier.item
    # A fact repeated all over a big note: name the nearest agreeing cells only, count the rest.
    shown, left_off = nearest(result.core, int(claim["line"]), key=lambda s: s.item[1]["line"])
    shown_lines = [s.item[1]["line"] for s in shown]
    said = core_text(result.core)
    verb = "says" if len(result.core) == 1 else "say"
    lines = lines_text(shown_lines) + (f" and {left_off} more cells" if left_off else "")
    message = (f"{subject(claim)} is {claim['raw']} on line {claim['line']}, but "
               f"{lines} {verb} {said}.")
    evidence = "; ".join(
        [f"line {claim['line']}: {describe(claim, reading)}"]
        + [f"line {s.item[1]['line']}: {describe(s.item[1], s.item[2])}" for s in shown]
    ) + more_cells(left_off) + "; no value satisfies both."
    fix = None
    if len(result.core) >= 2 and len({text_of(s.item[1]["raw"]) for s in result.core}) == 1:
        replacement = text_of(result.core[0].item[1]["raw"])
        fix = Fix(replacement, f"Replace `{claim['raw']}` with `{replacement}` as stated on "
                  f"{lines}", Applicability.UNSAFE, text_of(claim["raw"]))
    return ctx.finding(claim, message, evidence=evidence, related=[s.item[1] for s in shown],
                       fix=fix, values=[claim["raw"], said],
                       data={"stated": claim["raw"], "agreed": said, "agreed_lines": shown_lines})
