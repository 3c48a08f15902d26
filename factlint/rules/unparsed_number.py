"""A cell that looks like a number but could not be read as one (`4O%`, `1,2,3`, `5..6`).

## What it does
Looks at cells where a number is expected (the attribute measures something: a count, a size,
a share...; or most other cells of the column are numbers) and reports those whose numeric
part is malformed, whether the normaliser gave up on them or read only part of them (`5..6 kW`
read as 5):
- a letter that looks like a digit inside the number: `4O%` (letter O), `l20` (letter l),
  `1I` (letter I);
- digit groups that are not thousands: `1,2,3`, `12,34`;
- doubled or repeated decimal points: `5..6`, `1.2.3`;
- a number the normaliser refuses to read rather than read wrong: too large or too small for a
  float (`1e309 PFLOPS`, `10^1000%`), a power other than of ten (`2^10`), digits joined by `_`
  that are not thousands (`1_00`), a fraction with no exact decimal (`⅓`), or two numbers side by
  side with no separator (`15 20kW`: 1520 kW broken by a space, or 15 and 20 kW?). A list a
  reader sees (`1,830 1,980`, `80GB/40GB`) is read as a list, not reported.

## Why is this bad?
The cell silently drops out of every check: a share that does not parse is missing from the
100 % sum, a count that does not parse is never compared with the reference. The reader sees a
number; the pipeline sees text.

## Example
| 客户类型 | 占比 |
|----------|------|
| 科研机构 | 4O% |
| 科技巨头 | 60% |

Use instead:
| 客户类型 | 占比 |
|----------|------|
| 科研机构 | 40% |
| 科技巨头 | 60% |

## Fix
When the only problem is a look-alike letter (O or o for 0, l or I for 1) and the corrected
cell parses, the fix replaces it (unsafe: a human should confirm the digit). Malformed groups
and decimal points have no automatic fix: `1,2,3` may be `123`, `1.23` or a list; nor has a
number the normaliser refused (`15 20kW` may be `1520kW` or two figures).
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from typing import Iterator

from factlint.document import Document
from factlint.findings import Applicability, Finding, Fix, Severity
from factlint.normalise.quantity import parse_cell, split_header_unit, unread_number
from factlint.normalise.units import format_quantity
from factlint.rules import rule

NUMERIC_DIMENSIONS = {"count", "compute", "information", "bandwidth", "power", "energy", "length",
                      "area", "time", "money", "percent", "ratio", "year"}
LOOKALIKES = {"O": "0", "o": "0", "l": "1", "I": "1"}
# A run of digits, look-alike letters and separators that holds at least one real digit and
# starts or ends next to one; this is the "number" a reader sees in the cell.
_RUN = re.compile(r"(?<![A-Za-z])[\dOolI][\dOolI.,]*[\dOolI]|\d")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})*(\.\d+)?")
_BAD_POINTS = re.compile(r"\.\.|\d\.\d+\.\d")
_DATE = re.compile(r"(19|20)\d{2}\.\d{1,2}\.\d{1,2}|\d{1,2}\.\d{1,2}\.(19|20)\d{2}")

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error


@functools.lru_cache(maxsize=8192)     # pure; asked for every numeric cell, and cells repeat
def diagnose(text: str, lookalikes: bool | str = True) -> tuple[str, str | None] | None:
    """(what is wrong, corrected text or None) for a malformed number in `text`, else None.
    `lookalikes=False` skips the letter checks; `lookalikes="inside"` (for cells that did parse)
    keeps only letters with a real digit after them in the same number: the parser stops at the
    letter and reads `1,O00,000` as 1, so such a cell parses yet is misread."""
    for m in _RUN.finditer(text):
        run = m.group(0)
        if not any(ch.isdigit() for ch in run):
            continue
        letters = [ch for ch in run if ch in LOOKALIKES]
        if lookalikes == "inside":
            last_digit = max(i for i, ch in enumerate(run) if ch.isdigit())
            letters_seen = letters and any(ch in LOOKALIKES for ch in run[:last_digit])
        else:
            letters_seen = letters and lookalikes
        if letters_seen and _lookalike_context(text, m):
            fixed = text[:m.start()] + "".join(LOOKALIKES.get(ch, ch) for ch in run) + text[m.end():]
            names = ", ".join(sorted({f"letter {ch} for {LOOKALIKES[ch]}" for ch in letters}))
            return f"{names} in {run}", fixed
        if letters:
            continue
        if _BAD_POINTS.search(run) and not _DATE.fullmatch(run):
            return f"repeated decimal point in {run}", None
        if "," in run and not _THOUSANDS.fullmatch(run.strip(",.")):
            return f"digit groups in {run} are not thousands", None
    return None


def _lookalike_context(text: str, m: re.Match) -> bool:
    """A look-alike letter counts only inside a token that is otherwise a number: `4O%`, `l20`,
    `1O0 GB`; not `10 OPS`, `Llama 2` or a name such as `GPT-4o` (letters earlier in its word),
    nor a model name in a cell of words (`2 * R32 @ 2.8GHz, 天衡 I8 8-GPU`): a cell that looks
    like a number has little else in it."""
    if len(text) - (m.end() - m.start()) > 12:
        return False
    word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\u3000", 0, m.start())) + 1
    if any(ch.isascii() and ch.isalpha() for ch in text[word_start:m.start()]):
        return False
    after = text[m.end()] if m.end() < len(text) else ""
    return not (after.isascii() and after.isalpha() and after not in "KMBGTkmbgtx")


_SMALL_LIST = re.compile(r"\d{1,3}(?:\s*,\s*\d{1,3})+")


@rule("unparsed-number", severity=Severity.WARNING, fixable=True, tags=("format",))
def unparsed_number(doc: Document, ctx) -> Iterator[Finding]:
    rows = ctx.facts.claims
    numeric_share = _numeric_share(rows)
    lists = _list_fields(ctx.facts)
    split = _split_numbers(ctx.facts)
    for claim in rows:
        if claim["qualifier"] == "note":
            continue
        if (claim["table"], claim["index"]) in lists:
            continue       # `3,7,13` among `2,7`, `8`, `70`: a list of small numbers, as its peers
        unread = unread_number(claim["reason"]) if claim["status"] == "unparseable" else None
        attribute = ctx.vocab.attribute(claim["attribute"])
        if unread != "number" and not _expects_number(attribute, claim, numeric_share):
            continue       # `1e309 PFLOPS` is a number in any column; `13 2` may be words
        raw = str(claim["raw"])
        misread = claim["status"] == "parsed"
        # a parsed cell may still hide a letter the parser stopped at (`1,O00,000` read as 1)
        found = diagnose(raw, lookalikes="inside" if misread else True) or split.get(claim["index"])
        if found is None and unread is not None:
            found = claim["reason"], None        # the normaliser says why it read no number
        if found is None:
            continue
        problem, fixed = found
        fix = None
        if fixed is not None and parse_cell(fixed, _header_unit(claim)).status == "parsed":
            fix = Fix(fixed, f"Replace `{raw}` with `{fixed}`", Applicability.UNSAFE, raw)
        outcome = f"read as {_shown(claim)}" if misread else claim["reason"] or claim["status"]
        yield ctx.finding(
            claim,
            f"{raw} looks like a number but {'was misread' if misread else 'could not be read'}: "
            f"{problem}.",
            evidence=f"line {claim['line']}: {raw} ({outcome})",
            fix=fix, values=[raw], data={"problem": problem})


_SPLIT = re.compile(r"(\d{1,3})\s+(\d{1,2})")


def _split_numbers(facts) -> dict[int, tuple[str, str]]:
    """claim index -> (problem, fix) for a number a stray space splits (`13 2`), where the digits
    joined are a figure its field states elsewhere (`132` in the cells beside it); a second
    number of one or two digits is no figure of its own."""
    out = {}
    for table in facts.tables:
        for members in table.fields().values():
            values = {f.reading.low for f in members if f.reading is not None and f.single}
            for f in members:
                m = _SPLIT.fullmatch(str(f.raw).strip())
                if m is None or f.part:
                    continue
                joined = m.group(1) + m.group(2)
                if float(joined) in values:
                    out[f.index] = (f"a space splits {joined} (the figure beside it)",
                                    str(f.raw).strip().replace(m.group(0), joined))
    return out


def _list_fields(facts) -> set[tuple[int, int]]:
    """(table, claim index) of cells like `3,7,13` whose field (column, or row of a transposed
    table) holds other such lists (`2,7`, `8,70`): a column of lists, not mistyped thousands."""
    out: set[tuple[int, int]] = set()
    for table in facts.tables:
        for members in table.fields().values():
            lists = [f for f in members if f.part == 0 and _SMALL_LIST.fullmatch(str(f.raw).strip())
                     and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", str(f.raw).strip())]
            if not lists:
                continue
            if len(lists) >= 2:        # one `1,2` among plain counts is a typo, not a list column
                out.update((f.table, f.index) for f in lists)
    return out


def _numeric_share(rows) -> dict[tuple[int, int], float]:
    """(table, column) -> the share of its cells that parsed as numbers."""
    counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for claim in rows:
        seen = counts[(claim["table"], claim["column"])]
        seen[0] += claim["status"] == "parsed" and claim["canonical_value"] is not None
        seen[1] += 1
    return {key: numeric / total for key, (numeric, total) in counts.items()}


def _expects_number(attribute, claim, numeric_share: dict) -> bool:
    if attribute is not None and attribute.dimension in NUMERIC_DIMENSIONS:
        return True
    return numeric_share.get((claim["table"], claim["column"]), 0.0) > 0.5


def _header_unit(claim) -> str | None:
    label = claim["column_label"]
    return split_header_unit(label)[1] if label else None


def _shown(claim) -> str:
    return format_quantity(claim["value"], claim["unit"]) if claim["value"] is not None else "nothing"
