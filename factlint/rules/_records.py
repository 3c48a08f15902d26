"""What a cell is stated *for*: the node count and the year of the record it belongs to.

`512 PFLOPS` in the row `| 64 节点 | 512 PFLOPS |` is the figure of 64 nodes, and `$0.5B` in the
row `| 2025 | $0.5B |` is the 2025 figure. Rules that compare the same entity + attribute across
tables must compare like with like, and the cluster rule needs the node count itself.

A record is a table row, except in a key/value table (`| 节点数 | 16-64 |` above
`| 总算力 | 64-256 PFLOPS |`), where it is the value column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Hashable

import pandas as pd

from factlint.normalise.vocab import Vocabulary, norm_key
from factlint.rules._spans import present, read_claim, text_of

# Header or label words that make a figure a per-node one ("单节点算力", "per-node memory").
PER_NODE_MARKERS = tuple(norm_key(s) for s in (
    "单节点", "每节点", "每个节点", "单机", "单台", "单系统", "每台", "每系统",
    "per node", "per-node", "each node", "single node", "one node", "per system", "/node"))
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


def is_per_node_label(text: str) -> bool:
    key = norm_key(text)
    return bool(key) and any(marker in key for marker in PER_NODE_MARKERS)


def node_counts(claims: pd.DataFrame, vocab: Vocabulary) -> dict[Hashable, NodeCount]:
    """claim index -> the node count of the record it belongs to (only claims in such records)."""
    out: dict[Hashable, NodeCount] = {}
    if claims.empty:
        return out
    nodes_attr = vocab.attribute("nodes")
    counts = claims[claims["attribute"] == "nodes"]
    for index, count in counts.iterrows():
        reading = read_claim(count)
        if reading is None or reading.unit.startswith("?") and reading.unit != "?nodes":
            continue
        members = _record_members(claims, count, vocab, nodes_attr)
        node_count = NodeCount(reading.low, reading.high, index)
        for member in members.index:
            if member != index:
                out.setdefault(member, node_count)
    for index, claim in claims.iterrows():
        if is_per_node_label(text_of(claim.get("column_label"))) or \
                is_per_node_label(text_of(claim.get("row_label"))):
            if claim.get("attribute") != "nodes":
                stated = out.get(index)
                out[index] = NodeCount(1.0, 1.0, stated.claim if stated else None, per_node=True)
    return out


def _record_members(claims: pd.DataFrame, count: pd.Series, vocab: Vocabulary, nodes_attr) -> pd.DataFrame:
    same_table = claims[claims["table"] == count["table"]]
    label_attr = vocab.match_attribute(text_of(count.get("row_label"))) if present(count.get("row_label")) else None
    key_value = count["column"] != 0 and label_attr is not None and label_attr == nodes_attr
    if key_value:
        same_entity = same_table["entity"].map(text_of) == text_of(count.get("entity"))
        return same_table[(same_table["column"] == count["column"]) & same_entity]
    return same_table[same_table["row"] == count["row"]]


def years(claims: pd.DataFrame) -> dict[Hashable, int]:
    """claim index -> the year its record is about: the year in the row's first column
    (`| 2025 | $0.5B |`) or a year column header (`| 指标 | 2024 | 2025 |`)."""
    out: dict[Hashable, int] = {}
    if claims.empty:
        return out
    row_years = {}
    for _, c in claims[(claims["column"] == 0) &
                                 ((claims["kind"] == "year") | (claims["attribute"] == "year"))].iterrows():
        if present(c.get("value")):
            row_years[(c["table"], c["row"])] = int(c["value"])
    for index, c in claims.iterrows():
        year = row_years.get((c["table"], c["row"]))
        if year is None:
            year = year_of_label(text_of(c.get("column_label")))
        if year is not None:
            out[index] = year
    return out


def year_of_label(text: str) -> int | None:
    match = _YEAR_LABEL.match(text.strip().strip("*")) if text else None
    return int(match.group(1)) if match else None
