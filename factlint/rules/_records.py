"""What a cell is stated *for*: the node count and the year of the record it belongs to.

`512 PFLOPS` in the row `| 64 节点 | 512 PFLOPS |` is the figure of 64 nodes, and `$0.5B` in the
row `| 2025 | $0.5B |` is the 2025 figure. Rules that compare the same entity + attribute across
tables must compare like with like, and the cluster rule needs the node count itself.

A record is a table row, except in a key/value table (`| 节点数 | 16-64 |` above
`| 总算力 | 64-256 PFLOPS |`), where it is the value column.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Hashable

from factlint.normalise.vocab import Vocabulary, norm_key
from factlint.rules._rows import Claim, cell_key, group
from factlint.rules._spans import present, read_claim, text_of

# Header or label words that make a figure a per-node one ("单节点算力", "per-node memory").
PER_NODE_MARKERS = tuple(norm_key(s) for s in (
    "单节点", "每节点", "每个节点", "单机", "单台", "单系统", "每台", "每系统"))
# English words only as whole words: `SuperNode` is not `per node`.
_PER_NODE_WORDS = re.compile(r"\b(?:per|each|single|one)[\s_-]*(?:node|system|server)\b", re.IGNORECASE)
PER_NODE_UNITS = frozenset(norm_key(s) for s in ("节点", "node", "台", "system", "系统", "box", "server"))
# Number formats and modes that change a figure by a factor (FP8 = 2 x FP16, sparse = 2 x dense).
_VARIANT = re.compile(r"fp\d+|bf16|tf32|int\d+|dense|sparse|稀疏|稠密|training|inference|训练|推理")
# A year inside a label or heading: 1990-2049, not glued to a model number (`A2000`, `RTX 2080`).
_YEAR_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])(?:FY|CY)?((?:199|20[0-4])\d)(?!\d)", re.IGNORECASE)
_QUARTERS = {"一": "1", "二": "2", "三": "3", "四": "4"}
# Parts of a year a label may name, matched on the normalised label (lower case, no spaces).
_SUB_PERIODS = (
    (re.compile(r"(?<![a-z0-9])q([1-4])(?![0-9])|([1-4])q(?![0-9])"), lambda m: f"Q{m.group(1) or m.group(2)}"),
    (re.compile(r"第?([一二三四1-4])季度"), lambda m: f"Q{_QUARTERS.get(m.group(1), m.group(1))}"),
    (re.compile(r"(?<![a-z0-9])h([12])(?![0-9])|([12])h(?![0-9])"), lambda m: f"H{m.group(1) or m.group(2)}"),
    (re.compile(r"([上下])半年"), lambda m: "H1" if m.group(1) == "上" else "H2"),
    (re.compile(r"(?:19|20)\d\d[-/.年](0?[1-9]|1[0-2])(?:月|(?![0-9]))"), lambda m: f"M{int(m.group(1)):02d}"),
)
_YEAR_LABEL = re.compile(r"^(?:FY|CY)?\s*((?:19|20)\d{2})\s*(?:年|E|F|A|\(E\)|（E）|（预测）|\(预测\))?$",
                         re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NodeCount:
    """How many nodes a record is about: exact integers, both ends for a range (16-64)."""
    low: float
    high: float
    claim: Hashable | None = None     # index of the cell that states it (None: a per-node label)
    per_node: bool = False            # the figure is stated for one node by its label/header

    @property
    def key(self) -> tuple[float, float]:
        return (self.low, self.high)


@functools.lru_cache(maxsize=4096)
def is_per_node_label(text: str) -> bool:
    key = norm_key(text)
    return bool(key) and (any(marker in key for marker in PER_NODE_MARKERS)
                          or _PER_NODE_WORDS.search(text) is not None)


def _per_node_unit(claim: Claim, vocab: Vocabulary) -> bool:
    """`$2M/节点`, `8 PFLOPS/node`: the cell itself says it is per node."""
    per = text_of(claim.get("per"))
    return bool(per) and (norm_key(per) in PER_NODE_UNITS or _names_nodes(per, vocab))


def _names_nodes(label: str, vocab: Vocabulary) -> bool:
    attribute = vocab.match_attribute(label) if label else None
    return attribute is not None and attribute.name == "nodes"


def kept_for_last_rows(compute):
    """`compute(rows, vocab)` answered again without recomputing while it is asked about the same
    rows and vocabulary (the same objects): several rules ask for the same note's figures one
    after another. One entry, replaced as a whole, so no other note's result leaks in; callers
    share the result, so must not mutate it."""
    last: tuple | None = None

    @functools.wraps(compute)
    def kept(rows, vocab):
        nonlocal last
        held = last
        if held is not None and held[0] is rows and held[1] is vocab:
            return held[2]
        result = compute(rows, vocab)
        last = (rows, vocab, result)
        return result
    return kept


@kept_for_last_rows          # cluster-total, system-chip and cross-table each ask
def node_counts(rows: list[Claim], vocab: Vocabulary) -> dict[Hashable, NodeCount]:
    """claim index -> the node count of the record it belongs to (only claims in such records).
    The same dict for the same rows and vocabulary, so do not mutate it."""
    out: dict[Hashable, NodeCount] = {}
    tables = group(rows, lambda r: (r["path"], r["table"]))   # per note: corpus rules see many
    for count in rows:
        if count.get("attribute") != "nodes":
            continue
        reading = read_claim(count)
        if reading is None or reading.unit.startswith("?"):
            continue
        node_count = NodeCount(reading.low, reading.high, count["index"])
        for member in _record_members(tables[(count["path"], count["table"])], count, vocab):
            if member is not count:
                out.setdefault(member["index"], node_count)
    for claim in rows:
        if claim.get("attribute") == "nodes":
            continue
        if is_per_node_label(text_of(claim.get("column_label"))) or \
                is_per_node_label(text_of(claim.get("row_label"))) or _per_node_unit(claim, vocab):
            stated = out.get(claim["index"])
            out[claim["index"]] = NodeCount(1.0, 1.0, stated.claim if stated else None, per_node=True)
    return out


def _record_members(table: list[Claim], count: Claim, vocab: Vocabulary) -> list[Claim]:
    """The claims a node count is about: its row, or in a key/value table its value column."""
    key_value = count["column"] != 0 and _names_nodes(text_of(count.get("row_label")), vocab)
    if key_value:
        entity = text_of(count.get("entity"))
        return [r for r in table if r["column"] == count["column"] and text_of(r.get("entity")) == entity]
    return [r for r in table if r["row"] == count["row"]]


def periods(rows: list[Claim]) -> dict[Hashable, str]:
    """claim index -> the period its record is about (`2025`, `2024Q3`, `2024H1`, `2024M03`): the
    year in the row's first column (`| 2025 | $0.5B |`), the one period its header or label names
    (`| 指标 | 2024 | 2025 |`, `2024 share`, `Q3 2024`, `FY2025 营收`), or else the one the
    nearest heading names (`### 2025 年业绩`)."""
    row_years = {cell_key(r): str(int(r["value"])) for r in rows
                 if r["column"] == 0 and (r.get("kind") == "year" or r.get("attribute") == "year")
                 and present(r.get("value"))}
    out: dict[Hashable, str] = {}
    for r in rows:
        period = row_years.get(cell_key(r)) or period_named(text_of(r.get("column_label"))) \
            or period_named(text_of(r.get("row_label"))) or heading_period(text_of(r.get("heading")))
        if period is not None:
            out[r["index"]] = period
    return out


def years(rows: list[Claim]) -> dict[Hashable, int]:
    """claim index -> the whole year its record is about (records of a quarter or month have none)."""
    return {index: int(period) for index, period in periods(rows).items() if period.isdigit()}


@functools.lru_cache(maxsize=4096)
def variant_of(label: str) -> frozenset[str]:
    """The measurement variant a header or label names (`FP8 算力`, `Peak FP16 (sparse)`,
    `推理功耗`): two cells are the same fact only when they name the same variant."""
    key = norm_key(label)
    return frozenset(m.group() for m in _VARIANT.finditer(key))


def variant(claim: Claim) -> frozenset[str]:
    return variant_of(text_of(claim.get("column_label"))) | variant_of(text_of(claim.get("row_label")))


@functools.lru_cache(maxsize=1024)
def heading_period(heading_path: str) -> str | None:
    """The period of the innermost heading that names one (`2025 年业绩`, `FY2024 results`);
    a heading with a span of years (`2019-2026 路线图`) names none. The outermost heading of a
    nested path is the note's title, whose year is when it was written, so it is not read."""
    headings = heading_path.split(" › ")
    for heading in reversed(headings[1:] if len(headings) > 1 else headings):
        if _YEAR_IN_TEXT.search(heading):
            return period_named(heading)
    return None


@functools.lru_cache(maxsize=4096)
def period_named(label: str) -> str | None:
    """The one period a header or label names: `2024 share` -> 2024, `Q3 2024` -> 2024Q3,
    `2024 上半年` -> 2024H1, `2024-03` -> 2024M03; None for no year or several."""
    found = set(_YEAR_IN_TEXT.findall(label)) if label else set()
    if len(found) != 1:
        return None
    year = found.pop()
    key = unicodedata.normalize("NFKC", label).casefold()
    for pattern, name in _SUB_PERIODS:
        match = pattern.search(key)
        if match:
            return f"{year}{name(match)}"
    return year


@functools.lru_cache(maxsize=4096)
def year_of_label(text: str) -> int | None:
    """The year a header *is* (`2025`, `FY2024`, `2026E`): a column of a year-by-column table."""
    match = _YEAR_LABEL.match(text.strip().strip("*")) if text else None
    return int(match.group(1)) if match else None
