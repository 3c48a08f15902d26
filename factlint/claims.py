"""Tables -> claims: one row per cell that states something, with entity, attribute and source line.

Table shapes are recognised from structure and vocabulary, not from any one note:
- entity-per-row:   | 产品 | 制程 | 晶体管 |        first column names the entity, headers are attributes
- key/value:        | 参数 | 规格 | 说明 |          first column names the attribute; entity from the
                                                   heading path, caption or title
- comparison:       | 指标 | WSE-3 | H100 | 差距 |  entities as columns, maybe a ratio column
- label-quantity:   | **64 节点** | 512 PFLOPS |    the row label carries a quantity (node count)
- series:           | 年份 | 营收 | 增速 |          the first column is itself an attribute (year)
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from factlint.document import Document, Table
from factlint.normalise.quantity import Quantity, parse_cell, split_header_unit
from factlint.normalise.units import lookup_unit, suggest_unit
from factlint.normalise.vocab import COMPANY_ATTRIBUTES, Attribute, Entity, Vocabulary, norm_key
from schemas.claims import CLAIM_COLUMNS

NUMERIC_KINDS = ("number", "range", "percent", "ratio", "money", "year")
# Labels that mean "one node" without a digit.
SINGLE_NODE_LABELS = {norm_key(s) for s in ("单节点", "单机", "单系统", "single node", "per node",
                                             "one node", "每节点", "单台", "1 node")}
# Counting words that, in a row label, make the row one configuration of N machines ("16 台").
MACHINE_COUNTERS = frozenset({"nodes", "systems", "servers", "units"})
# Headers of notes/description columns: their cells still carry the row's attribute.
NOTE_HEADERS = {norm_key(s) for s in ("说明", "备注", "注释", "描述", "特点", "notes", "note", "remarks",
                                      "comment", "comments", "description", "details")}
# Headers of a key/value table's value column: never an entity ("| Spec | Value |").
VALUE_HEADERS = {norm_key(s) for s in ("规格", "数值", "值", "数据", "参数值", "取值", "value", "values", "spec",
                                       "specification", "figure", "figures", "amount", "number", "data",
                                       "来源", "出处", "source", "sources", "reference")}
HARDWARE_DIMENSIONS = {"compute", "information", "bandwidth", "power", "length", "area"}
HARDWARE_COUNTS = {"cores", "transistors"}


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    label: str                      # header text as written (markup stripped)
    unit: str | None                # unit given in the header ("TDP (W)")
    attribute: Attribute | None
    entity: Entity | None
    is_note: bool


Claim = dict           # one claim: every CLAIM_COLUMNS key, None where absent, plus "index"


def extract_claims(doc: Document, vocab: Vocabulary) -> pd.DataFrame:
    """A note's claims as a frame of the claims contract (schemas.claims.ClaimsSchema)."""
    return claims_frame(extract_claim_rows(doc, vocab))


def extract_claim_rows(doc: Document, vocab: Vocabulary) -> list[Claim]:
    """A note's claims as plain dicts, exactly the values its frame would hold (floats as float,
    counts as int, None where absent) plus "index", the claim's position in the note. The rules
    read claims one by one: building a frame per note and turning it back into dicts cost more
    than all the rules together, so the frame is built only where one is needed (claims_frame)."""
    subject = document_subject(doc, vocab)
    rows: list[Claim] = []
    for table in doc.tables:
        rows.extend(_table_claims(doc, table, vocab, subject))
    for index, row in enumerate(rows):
        for column in _FLOAT_COLUMNS:
            value = row[column]
            row[column] = None if value is None or value != value else float(value)
        row["index"] = index
    return rows


def claims_frame(rows: list[Claim]) -> pd.DataFrame:
    """Claim dicts (of one note or many) as a frame of the claims contract, indexed 0..n-1."""
    if not rows:
        return empty_claims()
    return pd.DataFrame({column: pd.Series([row[column] for row in rows], dtype=_CLAIM_DTYPES.get(column, "object"))
                         for column in CLAIM_COLUMNS})


def claim_rows(claims: pd.DataFrame | list[Claim] | None) -> list[Claim]:
    """Claims as dicts whether given as rows (returned as they are) or as a frame (converted: NaN
    as None, counts as int, "index" = the frame's row label)."""
    if claims is None:
        return []
    if isinstance(claims, list):
        return claims
    return [_row_of_record(record, index)
            for index, record in zip(claims.index, claims.to_dict("records"))]


def _row_of_record(record: dict, index) -> Claim:
    out = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}
    for key in _INT_COLUMNS:
        if out.get(key) is not None:
            out[key] = int(out[key])
    out["index"] = index
    return out


# Text columns stay Python objects (None when absent): Arrow-backed strings made every rule's
# row access several times slower.
_INT_COLUMNS = ("table", "line", "row", "column", "decimals")
_FLOAT_COLUMNS = ("tolerance", "value", "value_high", "canonical_value", "canonical_value_high")
_CLAIM_DTYPES = {**{c: "int64" for c in _INT_COLUMNS}, **{c: "float64" for c in _FLOAT_COLUMNS}}


def empty_claims() -> pd.DataFrame:
    """A claims frame with the contract's columns and dtypes and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=_CLAIM_DTYPES.get(c, "object")) for c in CLAIM_COLUMNS})


def document_subject(doc: Document, vocab: Vocabulary) -> Entity | None:
    """The product a note is mainly about: the chip/system named most often in its headings
    and table labels. Lets a `Cerebras` column stand for the WSE-3 in a note about the WSE-3."""
    counts: Counter[str] = Counter()
    texts: list[str] = [doc.title or ""]
    for table in doc.tables:
        texts.extend(table.heading)
        texts.extend(c.text for c in table.header)
        texts.extend(r.cells[0].text for r in table.rows if r.cells)
    for text in texts:
        entity = vocab.match_entity(text) if text else None
        if entity and entity.kind in ("chip", "system"):
            counts[entity.id] += 1
    if not counts:
        return None
    return vocab.entities[counts.most_common(1)[0][0]]


def _columns(table: Table, vocab: Vocabulary) -> list[Column]:
    cols = []
    for cell in table.header:
        label, unit = split_header_unit(cell.text)
        key = norm_key(label)
        attribute = vocab.match_attribute(label) if label else None
        entity = vocab.match_entity(label) if label else None
        cols.append(Column(cell.column, cell.text, unit, attribute, entity, key in NOTE_HEADERS))
    return cols


def _context_entity(doc: Document, table: Table, vocab: Vocabulary) -> Entity | None:
    """Entity named by the nearest heading (innermost first), the caption, or the title; a heading
    such as "Groq LPU specifications" names a product the vocabulary does not know yet."""
    for text in (*reversed(table.heading), table.caption):
        entity = (vocab.match_entity(text) or _named_in_heading(text)) if text else None
        if entity:
            return entity
    return vocab.match_entity(doc.title) if doc.title else None


_NUMBERING = re.compile(r"^\s*(?:[0-9]+(?:\.[0-9]+)*\.?|[一二三四五六七八九十]+、|[IVX]+\.)\s*")
_SPEC_WORDS = re.compile(r"\s*(?:规格参数|规格|参数|技术规格|配置|概览|详情|key figures|specifications|specification|"
                         r"specs|spec|overview|details|at a glance|datasheet|data sheet|fact sheet)\s*$", re.I)


def _named_in_heading(text: str) -> Entity | None:
    """"2.2 Groq LPU specifications" -> an entity "Groq LPU": a short Latin/number name followed by
    a word that says the section lists one product's figures."""
    text = _NUMBERING.sub("", text)
    match = _SPEC_WORDS.search(text)
    if not match:
        return None
    name = text[: match.start()].strip(" :：-—·")
    if not name or len(name) > 40 or not re.search(r"[A-Za-z0-9]", name) or len(name.split()) > 5:
        return None
    return Entity(name, "other")


def _most_labels(labels: Iterable[str], match) -> bool:
    """At least half the (non-empty) labels match. Stops as soon as the answer is known: on a
    100,000-row table, `match` may parse every label."""
    labels = [t for t in labels if t]
    needed, left = (len(labels) + 1) // 2, len(labels)
    hits = 0
    for label in labels:
        if hits >= needed or hits + left < needed:
            break
        hits += 1 if match(label) else 0
        left -= 1
    return bool(labels) and hits >= needed


def classify(table: Table, cols: list[Column], vocab: Vocabulary) -> str:
    labels = [r.cells[0].text for r in table.rows if r.cells]
    rest = cols[1:]
    entity_headers = sum(1 for c in rest if c.entity is not None)
    attr_headers = sum(1 for c in rest if c.attribute is not None and c.attribute.name != "ratio")
    ratio_headers = sum(1 for c in rest if c.attribute is not None and c.attribute.name == "ratio")
    # Columns that can only be named things: not attributes, notes or generic value headers.
    named_headers = sum(1 for c in rest if c.attribute is None and not c.is_note
                        and norm_key(c.label) not in VALUE_HEADERS and c.label.strip())
    labels_are_attributes = _most_labels(labels, vocab.match_attribute)
    if labels_are_attributes and (entity_headers or named_headers >= 2
                                  or (named_headers >= 1 and ratio_headers)):
        return "comparison"
    if cols and cols[0].attribute is not None and cols[0].attribute.dimension in ("year", "date") \
            and attr_headers:
        return "series"
    if _most_labels(labels, lambda t: _node_count(t, vocab) is not None):
        return "label-quantity"
    if labels_are_attributes and attr_headers <= max(1, len(rest) // 2) and not entity_headers:
        return "key-value"
    return "entity-per-row"


def _node_count(label: str, vocab: Vocabulary) -> float | None:
    if norm_key(label) in SINGLE_NODE_LABELS:
        return 1.0
    q = parse_cell(label)
    if q.status != "parsed" or q.kind != "number" or not q.unit:
        return None
    if q.unit in MACHINE_COUNTERS:
        return q.value
    attribute = vocab.match_attribute(q.unit)
    return q.value if attribute is not None and attribute.name == "nodes" else None


def _table_claims(doc: Document, table: Table, vocab: Vocabulary, subject: Entity | None) -> list[dict]:
    cols = _columns(table, vocab)
    if not cols:
        return []
    shape = classify(table, cols, vocab)
    context = _context_entity(doc, table, vocab)
    heading = table.heading_path
    out: list[dict] = []
    for r_index, row in enumerate(table.rows):
        if not row.cells:
            continue
        label = row.cells[0].text
        label_attr = vocab.match_attribute(label) if label else None
        label_entity = vocab.match_entity(label) if label else None
        # Where the row label names the attribute, a unit in it applies to the row: "| Power (W) | 700 |".
        label_unit = split_header_unit(label)[1] if label and shape in ("key-value", "comparison") else None
        for cell in row.cells:
            col = cols[cell.column] if cell.column < len(cols) else None
            is_ratio = bool(col and col.attribute and col.attribute.name == "ratio")
            header_unit = (col.unit if col else None) or (None if is_ratio else label_unit)
            column_label = col.label if col else None
            entity: Entity | None = None
            entity_text: str | None = None
            attribute: Attribute | None = None
            qualifier = None
            if cell.column == 0:
                if shape == "series":
                    attribute, entity = cols[0].attribute, context
                elif shape == "label-quantity" and (n := _node_count(label, vocab)) is not None:
                    # The row is one configuration ("64 节点"): its figures are the row's own.
                    out.append(_claim(doc, table, row, r_index, cell, column_label, heading, label,
                                      label, vocab.attribute("nodes"), _nodes_quantity(cell.text, n),
                                      None))
                    continue
                else:
                    continue   # a label, not a claim
            elif shape == "comparison":
                attribute = label_attr
                if col and col.attribute and col.attribute.name == "ratio":
                    qualifier = f"ratio of {label_attr.name}" if label_attr else "ratio"
                    attribute = col.attribute
                else:
                    entity = col.entity if col else None
                    entity_text = None if entity else column_label
            elif shape == "key-value":
                attribute = label_attr
                entity = label_entity or context
                if col and col.is_note:
                    qualifier = "note"
            elif shape == "series":
                attribute = col.attribute if col else None
                entity = context
            else:  # entity-per-row and label-quantity value cells
                attribute = col.attribute if col else None
                entity = label_entity
                if entity is None:
                    entity_text = label
                if col and col.is_note:
                    attribute, qualifier = None, "note"
            expect = attribute.dimension if attribute else None
            quantity = parse_cell(cell.text, header_unit, expect=expect)
            attribute = _fit_attribute(attribute, quantity, shape, vocab)
            entity_id = _entity_id(entity, attribute, subject) or entity_text
            out.append(_claim(doc, table, row, r_index, cell, column_label, heading, label, entity_id,
                              attribute, quantity, qualifier))
    return out


def _fit_attribute(attribute: Attribute | None, q: Quantity, shape: str, vocab: Vocabulary) -> Attribute | None:
    """A generic header (`参数` = parameter/spec) whose values carry another dimension's unit
    does not name their attribute: infer it from the unit instead."""
    dimension = q.dimension or _misspelt_dimension(q)
    if dimension is None or q.dimension in ("count", "ratio", "percent"):
        return attribute
    if attribute is not None and attribute.dimension != "count":
        return attribute
    if attribute is None and shape not in ("label-quantity",):
        return None
    if dimension == "compute":
        return vocab.attribute("compute")
    by_dimension = {"information": "memory", "bandwidth": "bandwidth", "power": "power",
                    "length": "process_node", "area": "die_area"}
    return vocab.attribute(by_dimension.get(dimension, "")) or attribute


def _misspelt_dimension(q: Quantity) -> str | None:
    """The dimension a misspelt unit most likely means (PLOPS -> PFLOPS -> compute), used only to
    name the attribute; the value itself stays not understood."""
    if q.status != "unknown-unit" or not q.token:
        return None
    suggestion = suggest_unit(q.token)
    info = lookup_unit(suggestion) if suggestion else None
    return info.dimension if info else None


def _entity_id(entity: Entity | None, attribute: Attribute | None, subject: Entity | None) -> str | None:
    """A company label stands for the note's subject product when the attribute is a hardware one."""
    if entity is None:
        return None
    if entity.kind == "company" and subject is not None and subject.vendor == entity.vendor and \
            attribute is not None and attribute.name not in COMPANY_ATTRIBUTES and \
            (attribute.dimension in HARDWARE_DIMENSIONS or attribute.name in HARDWARE_COUNTS):
        return subject.id
    return entity.id


def _nodes_quantity(raw: str, n: float) -> Quantity:
    return Quantity(raw=raw, kind="number", status="parsed", value=n, unit="nodes",
                    canonical_value=n, canonical_unit="1", dimension="count", tolerance=0.0)


def _claim(doc, table, row, r_index, cell, column_label, heading, label, entity_id, attribute,
           q: Quantity, qualifier) -> dict:
    return {
        "path": doc.path, "table": table.index, "heading": heading, "line": row.line,
        "row_label": label or None, "column_label": column_label, "entity": entity_id,
        "attribute": attribute.name if attribute else None, "raw": cell.text,
        "value": q.value, "value_high": q.value_high, "bound": q.bound, "unit": q.unit,
        "canonical_value": q.canonical_value, "canonical_value_high": q.canonical_value_high,
        "canonical_unit": q.canonical_unit, "dimension": q.dimension, "status": q.status,
        "row": r_index, "column": cell.column, "kind": q.kind, "tolerance": float(q.tolerance or 0.0),
        "decimals": int(q.decimals or 0), "reason": q.reason or None, "token": q.token,
        "per": q.per, "text": q.text, "qualifier": qualifier or q.qualifier or None,
    }
