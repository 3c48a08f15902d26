"""A support mark that its own row contradicts: ✅ next to "in development", ❌ next to "supported".

## What it does
Reads every table row for status marks (✅ ✔ ☑ √ yes 是 / ❌ ✗ ✘ no 否, and in a support or
status column also words such as 支持 / 已支持 / supported / 不支持 / unsupported) and for the
notes around them (any other cell of the row, or the rest of the mark's own cell). A row is
flagged when every mark in it says "supported" while a note says the feature is not there yet
(研发中, 开发中, 计划中, 尚未, 即将, in development, planned, not yet, coming soon, ...), or when every
mark says "not supported" while a note says it is (已支持, 官方支持, fully supported, ...).
A note that only qualifies the support (beta, preview, experimental, 实验性, 预览) or limits the
gap to one platform ("not yet on Windows") gives an info finding, since "✅" usually means
complete support.

## Why is this bad?
A reader who scans the mark column sees support that the note takes back (or the reverse);
one of the two is stale, and a decision taken on the mark alone is wrong.

## Example
| 框架 | 支持程度 | 特点 |
|------|----------|------|
| JAX | ✅ | 研发中 |

Use instead:
| 框架 | 支持程度 | 特点 |
|------|----------|------|
| JAX | 🚧 | 研发中 |

## Fix
None automatic: either the mark or the note is out of date, and only the author knows which.

## Options
None. A row with marks pointing both ways (✅ and ❌) is never flagged: its note may be about
the ❌ one.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from factlint.document import Document, Table
from factlint.findings import Finding, Location, Severity
from factlint.normalise.vocab import norm_key
from factlint.rules import rule

YES, NO = "supported", "not supported"

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error

# Marks that stand alone at the start of a cell: a symbol, or a one-word answer.
_POSITIVE_SYMBOLS = ("✅", "✔", "☑", "✓", "√", "🟢", "🆗")
_NEGATIVE_SYMBOLS = ("❌", "✗", "✘", "✖", "⛔", "🚫", "🔴", "×")
# Answers that are marks wherever they stand at the head of a cell ("Yes (beta)", "否").
_ANSWERS = {"yes": YES, "是": YES, "有": YES, "true": YES, "no": NO, "否": NO, "无": NO, "false": NO}
_LETTERS = {"y": YES, "n": NO}          # marks only when they are the whole cell
# Support words: a mark when alone in a cell, or at the head of a cell in a support/status column.
_SUPPORT_WORDS = {"不支持": NO, "暂不支持": NO, "尚不支持": NO, "未支持": NO, "unsupported": NO,
                  "not supported": NO, "unavailable": NO, "支持": YES, "已支持": YES,
                  "supported": YES, "available": YES}
_TRIM = " \ufe0f:：-–—()（）,，;；"

# "Not there yet": contradicts a positive mark outright.
_NOT_YET = (
    "研发中", "开发中", "计划中", "规划中", "筹备中", "测试中", "尚未", "暂未", "还未", "未发布", "未上线",
    "即将", "待支持", "待发布", "敬请期待",
    r"\bin development\b", r"\bunder development\b", r"\bin progress\b", r"\bwork in progress\b",
    r"\bwip\b", r"\bplanned\b", r"\bnot yet\b", r"\bcoming soon\b", r"\bupcoming\b",
    r"\btbd\b", r"\bon the roadmap\b", r"\bnot available\b",
)
# Qualified support: partial rather than absent.
_QUALIFIED = ("实验性", "实验中", "预览", "测试版", "内测", "公测",
              r"\bbeta\b", r"\balpha\b", r"\bpreview\b", r"\bexperimental\b", r"\bpartial\b",
              r"\bpartially\b")
# Positive statements of support, for rows whose marks say "no".
_SUPPORTED = ("已支持", "官方支持", "完整支持", "原生支持", "全面支持", "完全支持", "已上线", "已发布",
              r"\bfully supported\b", r"\bofficially supported\b", r"\bnatively supported\b",
              r"\bsupported\b", r"\bgenerally available\b")
# A scope after a "not yet" phrase: a preposition and anything but a time.
_SCOPE = re.compile(r"\s*(?:on|for|in|with|under|via)\s+(?!(?:q[1-4]|h[12]|\d|next|later|this|the\s+next|"
                    r"early|late|mid|future|now|soon)\b)[^\W\d]")
# Negations that turn any of the phrases above around ("不支持", "not supported", "尚未支持").
_NEGATION = re.compile(r"(不|未|没有|无|非|\bnot\s+|\bno\s+|\bno longer\s+|\bnever\s+)$")


def _compile(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(p if p.startswith(r"\b") else re.escape(p) for p in phrases))


NOT_YET, QUALIFIED, SUPPORTED = _compile(_NOT_YET), _compile(_QUALIFIED), _compile(_SUPPORTED)


@dataclass(frozen=True, slots=True)
class Mark:
    column: int
    polarity: str        # YES or NO
    symbol: str          # the mark as written
    rest: str            # the cell text after the mark ("✅ 研发中" -> "研发中")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _heads(status_column: bool) -> tuple[tuple[str, str, bool], ...]:
    """(word, polarity, may lead a longer cell), longest first: answers lead anywhere, support
    words only in a support/status column."""
    heads = [(w, p, True) for w, p in _ANSWERS.items()]
    heads += [(w, p, status_column) for w, p in _SUPPORT_WORDS.items()]
    return tuple(sorted(heads, key=lambda h: len(h[0]), reverse=True))


_HEADS = {True: _heads(True), False: _heads(False)}


@functools.lru_cache(maxsize=8192)      # a pure function of the cell text; marks repeat
def read_mark(text: str, status_column: bool) -> Mark | None:
    """The support mark a cell starts with, if any. Support words ("支持", "supported") count at
    the head of a longer cell only in a support/status column, where they answer rather than
    describe."""
    raw = unicodedata.normalize("NFKC", text).strip()
    for symbols, polarity in ((_POSITIVE_SYMBOLS, YES), (_NEGATIVE_SYMBOLS, NO)):
        for symbol in symbols:
            if raw.startswith(symbol):
                return Mark(-1, polarity, symbol, raw[len(symbol):].strip(_TRIM))
    low = raw.casefold()
    if low in _LETTERS:
        return Mark(-1, _LETTERS[low], raw, "")
    for word, polarity, may_lead in _HEADS[bool(status_column)]:
        if low == word:
            return Mark(-1, polarity, raw, "")
        if may_lead and low.startswith(word) and _ends_word(low, len(word)):
            return Mark(-1, polarity, raw[:len(word)], raw[len(word):].strip(_TRIM))
    return None


def _ends_word(text: str, end: int) -> bool:
    """A word ends at `end` when a separator follows: "无限" (unlimited) is not the answer "无"."""
    return not text[end].isalnum()


def _says(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first phrase of `pattern` in text that is not negated ("not yet" stays, "not planned" goes)."""
    low = _clean(text)
    for m in pattern.finditer(low):
        if not _NEGATION.search(low[max(0, m.start() - 12):m.start()]):
            return m
    return None


def _scoped(phrase: re.Match[str]) -> bool:
    """"not yet on Windows", "in development for ROCm": the gap concerns one platform or
    variant, not the feature (a time, "planned for Q3", is no scope)."""
    return _SCOPE.match(phrase.string, phrase.end()) is not None


def _status_columns(table: Table, vocab) -> set[int]:
    out = set()
    for cell in table.header:
        attribute = vocab.match_attribute(cell.text) if cell.text else None
        if attribute is not None and attribute.dimension == "status":
            out.add(cell.column)
    return out


def _location(doc: Document, table: Table, r_index: int, column: int, role: str = "") -> Location:
    row = table.rows[r_index]
    header = table.header[column].text if column < len(table.header) else None
    cell = next((c for c in row.cells if c.column == column), None)
    return Location(path=doc.path, line=row.line, table=table.index, row=r_index, column=header,
                    role=role, text=cell.text if cell else None)


@rule("status-contradiction", severity=Severity.WARNING, tags=("consistency",))
def status_contradiction(doc: Document, ctx) -> Iterator[Finding]:
    for table in doc.tables:
        status_cols = _status_columns(table, ctx.vocab)
        for r_index, row in enumerate(table.rows):
            marks = []
            for cell in row.cells:
                if cell.column == 0 and len(row.cells) > 1:
                    continue   # the row label names the feature; its mark columns follow
                mark = read_mark(cell.text, cell.column in status_cols)
                if mark is not None:
                    marks.append(Mark(cell.column, mark.polarity, mark.symbol, mark.rest))
            if not marks or len({m.polarity for m in marks}) > 1:
                continue
            finding = _contradiction(doc, ctx, table, r_index, marks)
            if finding is not None:
                yield finding


def _contradiction(doc, ctx, table, r_index, marks: list[Mark]) -> Finding | None:
    """Compare the row's marks (all of one polarity) with every note in the row."""
    row = table.rows[r_index]
    mark_columns = {m.column for m in marks}
    notes = [(m.column, m.rest, True) for m in marks if m.rest]
    notes += [(c.column, c.text, False) for c in row.cells if c.column not in mark_columns and c.text]
    polarity = marks[0].polarity
    for column, text, same_cell in notes:
        if polarity == YES:
            found, severity = _says(NOT_YET, text), ctx.severity
            if found is not None and _scoped(found):
                severity = Severity.INFO
            if found is None and not same_cell:
                found, severity = _says(QUALIFIED, text), Severity.INFO
        else:
            found, severity = _says(SUPPORTED, text), ctx.severity
        if found is None:
            continue
        phrase = found.group(0)
        first = marks[0]
        at = _location(doc, table, r_index, first.column)
        related = [_location(doc, table, r_index, m.column, "mark") for m in marks[1:]]
        if not same_cell:
            related.append(_location(doc, table, r_index, column, "note"))
        marked = "supported" if polarity == YES else "not supported"
        where = "in the same cell" if same_cell else f"in column {related[-1].column or column + 1!s}"
        feature = row.cells[0].text if row.cells else ""
        return ctx.finding(
            at, f"{feature or 'This row'} is marked {first.symbol} ({marked}) but the note "
                f"{where} says “{text}”.",
            evidence=f"line {row.line}: mark {first.symbol} vs “{phrase}” in “{text}”",
            related=related, severity=severity, entity=feature or None, attribute="support",
            values=[first.symbol, norm_key(text)],
            data={"mark": first.symbol, "polarity": polarity, "note": text, "phrase": phrase})
    return None
