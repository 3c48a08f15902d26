"""A note's tables -> claims (one per cell) and facts (one per figure), with identities.

The shape (shapes.py) says which way a table runs; from it each cell gets its entity (the
record's name), its field's label (labels.py: attribute, unit, qualifiers, scope) and its
record's context (node count, period). How sure each identity is follows from the table:
- the entity is a product name, or the note's heading names the one thing a key/value table is
  about; a name two records of the table share is no identity (two `A100` rows, two runs of one
  model);
- the attribute is named by the label, or the cell or label gives a unit;
- a compute figure without a number format, in a table whose other compute figures name one, is
  ambiguous (`TOPS` next to `FP16 / BF16`);
- a figure in a cell that lists several, or in a total row, is no single statement of a thing.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from factlint.document import Document, Table
from factlint.facts.cells import split_cell
from factlint.facts.intervals import Reading, read
from factlint.facts.labels import (SINGLE_NODE_LABELS, Label, header_kind, heading_period, names_a_machine,
                                   names_a_period, period_named, qualifiers_of, read_label, scope_of,
                                   stated_for, year_of_label)
from factlint.facts.model import Build, Claim, Fact, Identity, NodeCount, NoteFacts, TableFacts
from factlint.facts.names import Name, clean, read_name, resolve
from factlint.facts.shapes import Shape, classify
from factlint.normalise.quantity import Quantity, parse_cell
from factlint.normalise.units import lookup_unit, suggest_unit
from factlint.normalise.vocab import COMPANY_ATTRIBUTES, Attribute, Entity, Vocabulary, norm_key
from schemas.claim_columns import CLAIM_COLUMNS

# Units a count of machines is written in (`16 nodes`, `4 servers`).
MACHINE_COUNTERS = frozenset({"nodes", "systems", "servers", "units"})
HARDWARE_DIMENSIONS = frozenset({"compute", "information", "bandwidth", "power", "length", "area"})
HARDWARE_COUNTS = frozenset({"cores", "transistors"})
# What a figure under a label that names no attribute of its unit states, by the unit's dimension.
BY_DIMENSION = {"compute": "compute", "information": "memory", "bandwidth": "bandwidth",
                "power": "power", "length": "process_node", "area": "die_area"}
PRECISIONS = frozenset({"fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "fp6", "fp4", "int8", "int4"})
_FLOAT_COLUMNS = ("tolerance", "value", "value_high", "canonical_value", "canonical_value_high")
_TIMES = r"\s*(?:×|x|X|\*|颗|块|个|张|片)\s*"
_COUNT_FIRST = re.compile(r"^\s*(\d+)" + _TIMES + r"(.+?)\s*$")
_COUNT_LAST = re.compile(r"^\s*(.+?)\s*(?:×|x|X|\*)\s*(\d+)\s*$")


def read_note(doc: Document, vocab: Vocabulary) -> NoteFacts:
    subject = document_subject(doc, vocab)
    claims: list[Claim] = []
    facts: list[Fact] = []
    tables: list[TableFacts] = []
    for table in doc.tables:
        read = _TableReader(doc, table, vocab, subject).read()
        tables.append(read)
        facts.extend(read.facts)
        for f in read.facts:
            if f.part == 0 and (not claims or claims[-1] is not f.claim):
                claims.append(f.claim)
    for index, claim in enumerate(claims):
        claim["index"] = index
    _builds(tables, vocab)
    return NoteFacts(doc, claims, facts, tables)


# ---- the note's subject and a table's context -----------------------------------------------------

def document_subject(doc: Document, vocab: Vocabulary) -> Entity | None:
    """The product a note is mainly about: the chip/system named most often in its headings and
    table labels. Lets a `Cerebras` column stand for the WSE-3 in a note about the WSE-3."""
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


_NUMBERING = re.compile(r"^\s*(?:[0-9]+(?:\.[0-9]+)*\.?|[一二三四五六七八九十]+、|[IVX]+\.)\s*")
_SPEC_WORDS = re.compile(r"\s*(?:规格参数|规格|参数|技术规格|配置|概览|详情|key figures|specifications|specification|"
                         r"specs|spec|overview|details|at a glance|datasheet|data sheet|fact sheet)\s*$", re.I)


def context_entity(doc: Document, table: Table, vocab: Vocabulary) -> Entity | None:
    return context(doc, table, vocab)[0]


def context(doc: Document, table: Table, vocab: Vocabulary) -> tuple[Entity | None, Name | None]:
    """The thing a key/value table is about: named by the nearest heading (innermost first), the
    caption, or the title. A heading such as "Groq LPU specifications" or "Kestrel K60 SXM" names
    a product the vocabulary does not know yet; its name (with its variant) comes along."""
    for text in (*reversed(table.heading), table.caption):
        if not text:
            continue
        entity = vocab.match_entity(text)
        if entity and entity.kind == "chip" and names_a_machine(text):
            # `H100 服务器配置`, `DGX H100`: a machine built from the chip; its sheet is not the chip's.
            machine = clean(_NUMBERING.sub("", text)) or text
            return Entity(machine, "other"), read_name(machine)
        if entity:
            return entity, None
        if stated_for(text, vocab) is not None:
            continue        # `AGGREGATE (128 nodes)`, `Per node`: what the figures are for, not a product
        named = _named_in_heading(text) or _product_heading(text)
        if named:
            return named, read_name(named.id)
    return (vocab.match_entity(doc.title) if doc.title else None), None


def _product_heading(text: str) -> Entity | None:
    """"## Kestrel K60 SXM": a short heading that is a product name (a model number)."""
    text = _NUMBERING.sub("", text).strip(" :：-—·")
    name = read_name(text)
    if not name.product_like or len(text) > 40 or len(text.split()) > 5 or names_a_period(text):
        return None
    return Entity(text, "other")


def _named_in_heading(text: str) -> Entity | None:
    """"2.2 Groq LPU specifications" -> an entity "Groq LPU"."""
    text = _NUMBERING.sub("", text)
    match = _SPEC_WORDS.search(text)
    if not match:
        return None
    name = text[: match.start()].strip(" :：-—·")
    if not name or len(name) > 40 or not re.search(r"[A-Za-z0-9]", name) or len(name.split()) > 5:
        return None
    return Entity(name, "other")


def node_count_of_label(label: str, vocab: Vocabulary) -> float | None:
    """`64 节点` -> 64, `单节点` -> 1, `16 CS-2 systems` -> 16; None for any other label."""
    if norm_key(label) in SINGLE_NODE_LABELS:
        return 1.0
    q = parse_cell(label)
    if q.status != "parsed" or q.kind != "number" or not q.unit:
        return None
    if q.unit in MACHINE_COUNTERS:
        return q.value
    attribute = vocab.match_attribute(q.unit)
    return q.value if attribute is not None and attribute.name == "nodes" else None


# ---- one table ----------------------------------------------------------------------------------

class _TableReader:
    def __init__(self, doc: Document, table: Table, vocab: Vocabulary, subject: Entity | None):
        self.doc, self.table, self.vocab, self.subject = doc, table, vocab, subject
        self.labels = [read_label(c.text, vocab) for c in table.header]
        self.bare = [[parse_cell(c.text) for c in r.cells] for r in table.rows]
        self.name_fields = _name_fields(self.labels, self.bare)
        if self.name_fields:
            self.bare = [[_as_name(q) if f in self.name_fields and _names_variant(q) else q
                          for f, q in enumerate(g)] for g in self.bare]
        self.heading = table.heading_path
        self.heading_period = heading_period(self.heading)
        self._context: tuple | None = None
        self._identities: dict = {}
        self.count_lines: set = set()
        # A table with a column that names parameters gives no other column that meaning.
        self._names_parameters = any(l.attribute is not None and l.attribute.name == "parameters"
                                     for l in self.labels)

    @property
    def context(self) -> Entity | None:
        return self._read_context()[0]

    @property
    def context_name(self) -> Name | None:
        return self._read_context()[1]

    def _read_context(self) -> tuple:
        if self._context is None:
            self._context = context(self.doc, self.table, self.vocab)
        return self._context

    def read(self) -> TableFacts:
        shape = classify(self.table, self.labels, self.bare, self.vocab,
                         lambda t: node_count_of_label(t, self.vocab) is not None)
        out = TableFacts(self.table, shape.kind, shape.entity_field, why=shape.why,
                         field_labels=dict(enumerate(self.labels)))
        self.count_lines = _count_lines(self.bare, "row" if shape.kind == "entity-columns" else "col")
        if shape.kind == "entity-columns":
            self._entity_columns(out)
        elif shape.kind in ("key-value", "period-columns"):
            self._key_value(out)
        elif shape.kind == "series":
            self._series(out)
        elif shape.kind == "label-quantity":
            self._label_quantity(out)
        elif shape.kind == "entity-rows":
            self._entity_rows(out, shape)
        else:
            self._text(out)
        _settle(out)
        return out

    # ---- shapes ------------------------------------------------------------------------------

    def _entity_rows(self, out: TableFacts, shape: Shape) -> None:
        e = shape.entity_field
        names = {r: read_name(row.cells[e].text) if e < len(row.cells) else read_name("")
                 for r, row in enumerate(self.table.rows) if row.cells}
        out.record_names = names
        out.duplicated = _duplicates(names)
        counts = self._node_count_fields(self.labels)
        for r, row in enumerate(self.table.rows):
            if not row.cells:
                continue
            name = names[r]
            row_label = clean(row.cells[e].text) if e < len(row.cells) else ""
            total_row = _is_total(row_label) or (e != 0 and _is_total(clean(row.cells[0].text)))
            for cell in row.cells:
                if cell.column == e:
                    continue
                label = self.labels[cell.column] if cell.column < len(self.labels) else None
                role = _role_of(label)
                claim, facts = self._cell(row, r, cell, label, name, row_label, role=role,
                                          record=r, field=cell.column, total=total_row)
                out.facts.extend(facts)
        self._record_node_counts(out, counts, by="row")

    def _entity_columns(self, out: TableFacts) -> None:
        names = {c: read_name(cell.text) for c, cell in enumerate(self.table.header) if c > 0}
        out.record_names = names
        out.duplicated = _duplicates(names)
        for r, row in enumerate(self.table.rows):
            if not row.cells:
                continue
            row_label = clean(row.cells[0].text)
            label = read_label(row_label, self.vocab)
            out.field_labels[-(r + 1)] = label            # row labels keyed below the header's
            for cell in row.cells[1:]:
                header = self.labels[cell.column] if cell.column < len(self.labels) else None
                role = _role_of(header) if header is not None else "value"
                name = names.get(cell.column) if role == "value" else None
                claim, facts = self._cell(row, r, cell, label, name, row_label, role=role,
                                          record=cell.column, field=r,
                                          total=bool(header and header.total) or label.total,
                                          column_entity=True)
                out.facts.extend(facts)

    def _key_value(self, out: TableFacts) -> None:
        entity = self.context
        for r, row in enumerate(self.table.rows):
            if not row.cells:
                continue
            row_label = clean(row.cells[0].text)
            label = read_label(row_label, self.vocab)
            label_entity = self.vocab.match_entity(row_label) if row_label else None
            for cell in row.cells[1:]:
                header = self.labels[cell.column] if cell.column < len(self.labels) else None
                role = _role_of(header) if header is not None else "value"
                period = period_named(header.text) if header is not None else None
                claim, facts = self._cell(row, r, cell, label, None if label_entity else self.context_name,
                                          row_label, role=role, record=cell.column, field=r,
                                          entity=label_entity or entity, period=period)
                if out.shape == "period-columns" and period is None:
                    for f in facts:          # `Q/Q`, `Y/Y` beside the periods: a change, not the figure
                        if f.sure:
                            f.sure, f.doubt = False, "a column of changes beside the period columns"
                out.facts.extend(facts)
        counts = {r: True for r, row in enumerate(self.table.rows)
                  if row.cells and _names_nodes(read_label(clean(row.cells[0].text), self.vocab))}
        self._record_node_counts(out, counts, by="field")
        self._column_nodes(out)

    def _column_nodes(self, out: TableFacts) -> None:
        """`| Resource | Per node | Total (128 nodes) |`, or one value column under a heading
        `Per node` / `AGGREGATE (128 nodes)`: what a value column is stated for, from its header
        or, for a table with one value column, the innermost heading."""
        columns = sorted({f.record for f in out.facts if f.role == "value"})
        heading = self.heading.split(" › ")[-1] if self.heading else ""
        identities = [(f.record, f.claim.get("attribute"), f.label.qualifiers) for f in out.facts
                      if f.role == "value" and f.label is not None and f.reading is not None
                      and f.part == 0 and f.claim.get("attribute")]
        if len(set(identities)) < len(identities):
            return      # two rows read as one attribute (`显存` and `内存` are both memory): unsure
        for c in columns:
            header = self.labels[c].text if c < len(self.labels) else ""
            stated = stated_for(header, self.vocab)
            if stated is None and len(columns) == 1 and heading:
                stated = stated_for(heading, self.vocab)
            if stated is None:
                continue
            for f in out.facts:
                if f.record != c or f.role != "value" or f.label is None or f.label.scope:
                    continue
                if stated == "node":
                    f.label = replace(f.label, scope="node")
                    if f.identity is not None:
                        f.identity = replace(f.identity, scope="node")
            if stated != "node" and c not in out.node_counts:
                out.node_counts[c] = NodeCount(stated, stated, None)

    def _series(self, out: TableFacts) -> None:
        entity = self.context
        for r, row in enumerate(self.table.rows):
            if not row.cells:
                continue
            row_label = clean(row.cells[0].text)
            year_q = self.bare[r][0] if self.bare[r] else None
            period = _period_of_cell(year_q, row_label)
            for cell in row.cells:
                label = self.labels[cell.column] if cell.column < len(self.labels) else None
                role = "period" if cell.column == 0 else _role_of(label)
                claim, facts = self._cell(row, r, cell, label, None, row_label, role=role,
                                          record=r, field=cell.column, entity=entity, period=period)
                out.facts.extend(facts)

    def _label_quantity(self, out: TableFacts) -> None:
        for r, row in enumerate(self.table.rows):
            if not row.cells:
                continue
            row_label = clean(row.cells[0].text)
            n = node_count_of_label(row_label, self.vocab)
            for cell in row.cells:
                label = self.labels[cell.column] if cell.column < len(self.labels) else None
                if cell.column == 0:
                    if n is None:
                        continue
                    q = _nodes_quantity(cell.text, n)
                    claim = self._claim(row, r, cell, label, row_label, entity_id=row_label,
                                        attribute=self.vocab.attribute("nodes"), q=q, qualifier=None)
                    fact = Fact(claim, read(q.kind, q.status, canonical_value=q.canonical_value,
                                            canonical_unit="1", dimension="count", tolerance=0.0),
                                None, role="count", record=r, field=0, label=label)
                    out.facts.append(fact)
                    continue
                # The rows are configurations of the table's generic node: no entity of their own.
                claim, facts = self._cell(row, r, cell, label, None, row_label, role=_role_of(label),
                                          record=r, field=cell.column, entity_text=row_label)
                out.facts.extend(facts)
            if n is not None:
                count_fact = next((f for f in out.facts if f.record == r and f.role == "count"), None)
                out.node_counts[r] = NodeCount(n, n, count_fact, per_node=n == 1)

    def _text(self, out: TableFacts) -> None:
        for r, row in enumerate(self.table.rows):
            if not row.cells:
                continue
            row_label = clean(row.cells[0].text)
            for cell in row.cells[1:] if len(self.table.header) > 1 else row.cells:
                label = self.labels[cell.column] if cell.column < len(self.labels) else None
                claim, facts = self._cell(row, r, cell, label, None, row_label, role="text",
                                          record=r, field=cell.column)
                out.facts.extend(facts)

    # ---- one cell ----------------------------------------------------------------------------

    def _cell(self, row, r: int, cell, label: Label | None, name: Name | None, row_label: str, *,
              role: str, record: int, field: int, total: bool = False, entity: Entity | None = None,
              period: str | None = None, column_entity: bool = False,
              entity_text: str | None = None) -> tuple[Claim, list[Fact]]:
        """The claim of one cell and the facts it states."""
        header = self.labels[cell.column] if cell.column < len(self.labels) else None
        attribute = label.attribute if label is not None else None
        if role in ("note", "link"):
            attribute = attribute if role == "note" and not column_entity else None
        unit = label.unit if label is not None and role not in ("note", "link", "ratio") else None
        expect = attribute.dimension if attribute is not None else None
        q = parse_cell(cell.text, unit, expect=expect)
        if cell.column in self.name_fields and _names_variant(q):
            q = _as_name(q)
        if q.kind == "year" and expect is None and (("col", cell.column) in self.count_lines
                                                    or ("row", r) in self.count_lines):
            q = parse_cell(cell.text, unit, expect="count")   # `2048` among `4096`, `8192`: no year
        attribute = _fit_attribute(attribute, q, self.vocab, counts=_counts_things(label))
        # Neither header nor row label names the attribute: the cell's unit, or a model's size, may.
        unnamed = attribute is None and role == "value" and not _names_attribute(row_label, self.vocab)
        if unnamed and _generic(header):
            attribute = _attribute_of_unit(q, self.vocab)
        resolved = resolve(name, self.vocab) if name is not None else None
        if entity is None and resolved is not None:
            entity = resolved
        sized = unnamed and attribute is None and not self._names_parameters \
            and _model_size(entity, q, cell.text, header)
        if sized:
            attribute = self.vocab.attribute("parameters")
        entity_id = self._entity_id(entity, name, attribute) or entity_text or \
            (clean(name.text) if name is not None and name.text else None)
        qualifier = None
        if role == "note":
            qualifier = "note"
        elif role == "ratio":
            row_attr = label.attribute if label is not None else None
            qualifier = f"ratio of {row_attr.name}" if row_attr else "ratio"
            attribute = self.vocab.attribute("ratio")
        column_label = header.text if header is not None else None
        claim = self._claim(row, r, cell, header, row_label, entity_id=entity_id,
                            attribute=attribute, q=q, qualifier=qualifier, column_label=column_label)
        if not period:
            period = (period_named(label.text) if label is not None else None) or \
                period_named(row_label) or self.heading_period
        if role in ("link", "text") or q.kind in ("missing",):
            return claim, [Fact(claim, None, None, role=role, record=record, field=field, name=name,
                                label=label, total=total, period=period)]
        parts = split_cell(cell.text, unit) if q.kind in ("number", "range") else None
        if parts is not None and not claim["reason"]:
            # The published claim holds the first figure; it says so, and lists them all.
            what = "figures" if parts.kind == "list" else "figures of different kinds"
            claim["reason"] = (f"the cell states {len(parts.texts)} {what} ({'; '.join(parts.texts)}); "
                               f"value is the first")
        readings = [(q, 0)] if parts is None else [(p, i) for i, p in enumerate(parts.quantities)]
        facts = []
        for part_q, part in readings:
            reading = _reading(part_q)
            part_attr = attribute if parts is None or parts.kind == "list" else \
                _fit_attribute(None, part_q, self.vocab, composite=True)
            identity = self._identity(entity, name, part_attr, label, part_q, row_label,
                                      period, cell.text) if role == "value" else None
            sure, doubt = self._sureness(identity, name, entity, label, part_q, parts, total,
                                         column_entity, sized)
            facts.append(Fact(claim, reading, identity, sure, doubt, role, record, field, name,
                              label, total, part, period,
                              single=parts is None and not _broken_number(part_q),
                              composite=parts is not None and parts.kind == "composite"
                              and not _broken_number(part_q)))
        return claim, facts

    def _entity_id(self, entity: Entity | None, name: Name | None, attribute: Attribute | None) -> str | None:
        """The claim's entity: the vocabulary id, with a company label standing for the note's
        subject product where the attribute is a hardware one."""
        if entity is None:
            return None
        subject = self.subject
        if entity.kind == "company" and subject is not None and subject.vendor == entity.vendor and \
                attribute is not None and attribute.name not in COMPANY_ATTRIBUTES and \
                (attribute.dimension in HARDWARE_DIMENSIONS or attribute.name in HARDWARE_COUNTS):
            return subject.id
        return entity.id

    def _identity(self, entity: Entity | None, name: Name | None, attribute: Attribute | None,
                  label: Label | None, q: Quantity, row_label: str, period: str | None,
                  raw: str) -> Identity | None:
        # What the identity depends on; a table repeats it along a row or a column, so each
        # distinct one is built once (a frozen Identity costs a microsecond to make).
        key = (entity.id if entity is not None else None, entity.kind if entity is not None else None,
               name, attribute, label, q.qualifier, q.per, q.dimension, period)
        found = self._identities.get(key, _UNSET)
        if found is _UNSET:
            found = self._identities[key] = self._new_identity(entity, name, attribute, label, q, period)
        return found

    def _new_identity(self, entity: Entity | None, name: Name | None, attribute: Attribute | None,
                      label: Label | None, q: Quantity, period: str | None) -> Identity | None:
        if entity is not None:
            key = self._entity_id(entity, name, attribute) or entity.id
            variant = frozenset() if name is None or resolve(name, self.vocab) is not None else name.variant
        elif name is not None and name.key:
            key, variant = name.key, name.variant
        else:
            return None
        if attribute is not None:
            attr_key = attribute.name
        elif label is not None and (label.unit or label.attribute):
            attr_key = label.key
        elif label is not None and q.dimension not in (None, "count"):
            attr_key = label.key
        elif label is not None and label.key != "~":
            attr_key = label.key
        else:
            return None
        qualifiers = label.qualifiers if label is not None else frozenset()
        own = _cell_qualifiers(q)
        if own & PRECISIONS:
            qualifiers = (qualifiers - PRECISIONS) | (own & PRECISIONS)
        qualifiers |= own - PRECISIONS - {"star"}
        scope = label.scope if label is not None else ""
        if not scope and q.per:
            scope = scope_of("/" + q.per)
        return Identity(norm_key(key), variant, attr_key, qualifiers, scope, period)

    def _sureness(self, identity: Identity | None, name: Name | None, entity: Entity | None,
                  label: Label | None, q: Quantity, parts, total: bool,
                  column_entity: bool, sized: bool = False) -> tuple[bool, str]:
        if identity is None:
            return False, "no entity or attribute"
        if total:
            return False, "a total row or column"
        if parts is not None:
            return False, "one of several figures in one cell"
        if _broken_number(q):
            return False, "the cell's number goes on after what could be read (`1,O00,000`, `13 2`)"
        if name is not None and entity is None and not any(ch.isalpha() for ch in name.base):
            return False, f"{name.text!r} names nothing"
        named = label is not None and (label.attribute is not None or label.unit is not None)
        measured = q.unit is not None or q.dimension not in (None, "count")
        if not named and not measured and not sized:    # sized: a model's `175B` is its size
            return False, "the label names no attribute"
        return True, ""

    def _claim(self, row, r: int, cell, header: Label | None, row_label: str, *, entity_id,
               attribute: Attribute | None, q: Quantity, qualifier, column_label=None) -> Claim:
        claim = {
            "path": self.doc.path, "table": self.table.index, "heading": self.heading,
            "line": row.line, "row_label": row_label or None,
            "column_label": column_label if column_label is not None else (header.text if header else None),
            "entity": entity_id, "attribute": attribute.name if attribute else None, "raw": cell.text,
            "value": q.value, "value_high": q.value_high, "bound": q.bound, "unit": q.unit,
            "canonical_value": q.canonical_value, "canonical_value_high": q.canonical_value_high,
            "canonical_unit": q.canonical_unit, "dimension": q.dimension, "status": q.status,
            "row": r, "column": cell.column, "kind": q.kind, "tolerance": float(q.tolerance or 0.0),
            "decimals": int(q.decimals or 0), "reason": q.reason or None, "token": q.token,
            "per": q.per, "text": q.text, "qualifier": qualifier or q.qualifier or None,
        }
        for column in _FLOAT_COLUMNS:
            value = claim[column]
            claim[column] = None if value is None or value != value else float(value)
        return claim

    # ---- records ------------------------------------------------------------------------------

    def _node_count_fields(self, labels: list[Label]) -> dict[int, bool]:
        return {c: True for c, label in enumerate(labels) if _names_nodes(label) and not label.per_node}

    def _record_node_counts(self, out: TableFacts, count_fields: dict[int, bool], by: str) -> None:
        """Each record's node count: the cell of its node-count field (a `Nodes` column, or a
        `节点数` row of a key/value table)."""
        for f in out.facts:
            if f.field in count_fields and f.reading is not None and f.part == 0 \
                    and not f.reading.unit.startswith("?") and f.reading.unit == "1":
                f.role = "count"
                out.node_counts.setdefault(f.record, NodeCount(f.reading.low, f.reading.high, f))


def _builds(tables: list[TableFacts], vocab: Vocabulary) -> None:
    """`| DGX X | 8× H100 |`, a chip column: what each record of an entity-rows table is built
    of, where the part is a chip the vocabulary knows or a thing the note itself describes."""
    known = {n.key for t in tables for n in t.record_names.values() if n.key}
    for table in tables:
        if table.shape != "entity-rows":
            continue
        for f in table.facts:
            if f.part or f.record in table.builds:
                continue
            is_chip_column = f.claim.get("attribute") == "chip"
            parsed = parse_build(f.raw)
            if parsed is None or (not is_chip_column and parsed[1] == 1):
                continue
            part_name, count = parsed
            part = read_name(part_name)
            resolved = resolve(part, vocab)
            entity = resolved or vocab.match_entity(part_name)
            if (entity is not None and entity.kind == "chip") or part.key in known:
                key = norm_key(resolved.id) if resolved is not None else part.key
                variant = frozenset() if resolved is not None else part.variant
                if count == 1:
                    count = _part_count(table, f.record) or 1
                table.builds[f.record] = Build(key, part_name, variant, count, f)


_UNSET = object()


def _count_lines(bare: list[list[Quantity]], axis: str) -> set[tuple[str, int]]:
    """The fields (columns, or rows of a transposed table) where a year-like `2048` sits among
    plain counts no year could be (`4096`, `128`): there it is a count too."""
    out = set()
    if axis == "row":
        lines = enumerate(bare)
    else:
        lines = ((c, [g[c] for g in bare if c < len(g)]) for c in range(max(map(len, bare), default=0)))
    for index, cells in lines:
        years = sum(1 for q in cells if q.kind == "year")
        counts = sum(1 for q in cells if q.kind == "number" and q.dimension == "count" and q.status == "parsed"
                     and q.value is not None and not 1900 <= q.value <= 2100)
        if years and counts >= max(1, years):
            out.add((axis, index))
    return out


def _part_count(table: TableFacts, record: int) -> int | None:
    """A chip column's count in a column of its own (`| Server | GPU | GPUs | ...`): the
    record's whole GPU count, stated once (not per node: a per-node count is cluster-total's)."""
    counts = [f for f in table.facts if f.record == record and f.claim.get("attribute") == "gpus"
              and f.reading is not None and f.single and f.reading.unit == "1" and not f.reading.is_range
              and not (f.label is not None and f.label.scope) and float(f.reading.low).is_integer()]
    return int(counts[0].reading.low) if len(counts) == 1 and counts[0].reading.low >= 1 else None


def parse_build(text: str) -> tuple[str, int] | None:
    """`WSE-2` -> (WSE-2, 1); `8× H100` / `H100 x8` / `8 颗 H100` -> (H100, 8)."""
    text = clean(text)
    if not text:
        return None
    for pattern, count_group, name_group in ((_COUNT_FIRST, 1, 2), (_COUNT_LAST, 2, 1)):
        match = pattern.match(text)
        if match and match.group(name_group).strip():
            return match.group(name_group).strip(), int(match.group(count_group))
    return text, 1


# ---- helpers --------------------------------------------------------------------------------------

def _role_of(label: Label | None) -> str:
    if label is None:
        return "value"
    kind = header_kind(label.text)
    if kind in ("note", "link"):
        return kind
    if label.attribute is not None and label.attribute.name == "ratio":
        return "ratio"
    return "value"


def _names_nodes(label: Label) -> bool:
    return label.attribute is not None and label.attribute.name == "nodes"


def _is_total(text: str) -> bool:
    from factlint.facts.labels import is_total_label
    return bool(text) and is_total_label(text)


def _duplicates(names: dict[int, Name]) -> frozenset[int]:
    """Records whose name another record of the table shares (variants told apart)."""
    keys = Counter((n.key, n.variant) for n in names.values() if n.key)
    return frozenset(r for r, n in names.items() if n.key and keys[(n.key, n.variant)] > 1)


_FORMATS = re.compile(r"(?:fp|int|tf|bf)\s?\d+", re.IGNORECASE)


def _cell_qualifiers(q: Quantity) -> frozenset[str]:
    """Qualifiers the cell's own words add (`1979 TFLOPS (BF16 / FP16)`, `2.3 PF dense`); none from
    words that hold another figure (`312 TFLOPS（稀疏 624 TFLOPS）`: the sparse one is the other)."""
    words = q.qualifier or ""
    if not words or re.search(r"\d", _FORMATS.sub("", words)):
        return frozenset()
    return qualifiers_of(words)


_RESUMES = re.compile(r"^[\dOolI][\d,.OolI]*(?:\s|$)")


def _broken_number(q: Quantity) -> bool:
    """The parser stopped inside a number: what follows the figure is more digits (or letters
    that look like digits) and nothing else of a word."""
    rest = (q.qualifier or "").strip()
    return bool(rest) and _RESUMES.match(rest) is not None and any(n.startswith("more-numbers") for n in q.notes)


def _period_of_cell(q: Quantity | None, text: str) -> str | None:
    """The period a row's first cell names: `2024Q3` keeps its quarter, `2024` is the year."""
    named = period_named(text)
    if named is not None:
        return named
    if q is not None and q.kind == "year" and q.value is not None:
        return str(int(q.value))
    return None


def _names_variant(q: Quantity) -> bool:
    """`A100 SXM4 80 GB`, `MI300X 192GB`: a figure after a model name, which names a variant
    of the product rather than stating a quantity (a `HBM3 80GB` memory cell reads the same way,
    so this is asked only of columns that name things: see `_name_fields`)."""
    if q.kind not in ("number", "range") or not q.qualifier or q.dimension != "information":
        return False
    return q.raw.lstrip().startswith(q.qualifier) and read_name(q.qualifier).product_like


def _name_fields(labels: list[Label], bare: list[list[Quantity]]) -> frozenset[int]:
    """Columns whose cells are product names even where a name carries its memory size: the
    header names a thing (`GPU`, `Accelerator`: an entity attribute), or names no attribute
    and most of its filled cells are such names (`Model`, `型号`, no header word at all)."""
    fields = set()
    for f, label in enumerate(labels):
        attribute = label.attribute
        if label.unit is not None or (attribute is not None and attribute.dimension != "entity"):
            continue
        filled = [g[f] for g in bare if f < len(g) and g[f].kind != "missing" and g[f].raw.strip()]
        named = sum(1 for q in filled if _names_variant(q))
        if named and (attribute is not None or named >= 0.6 * len(filled)):
            fields.add(f)
    return frozenset(fields)


def _as_name(q: Quantity) -> Quantity:
    return Quantity(raw=q.raw, text=clean(q.raw))


def _reading(q: Quantity) -> Reading | None:
    return read(q.kind, q.status, value=q.value, value_high=q.value_high,
                canonical_value=q.canonical_value, canonical_value_high=q.canonical_value_high,
                canonical_unit=q.canonical_unit, dimension=q.dimension, tolerance=q.tolerance,
                bound=q.bound, unit=q.unit, token=q.token, decimals=q.decimals)


# The count attribute that plain numbers under a header naming a thing state (`GPU` -> GPUs).
COUNTED_AS = {"chip": "gpus"}
# Words that make a label naming a thing a count of it (`GPU 总数`, `芯片数`, `# GPU`).
_COUNT_WORDS = re.compile(r"数|count|number|\bno\.|#|qty", re.IGNORECASE)


def _counts_things(label: Label | None) -> bool:
    """`GPU`, `每节点 GPU`, `GPU 总数` over plain numbers count GPUs; `GPU hours`, `GPU type`
    do not: their last word is something else that the vocabulary does not know."""
    return label is not None and (label.headed or bool(_COUNT_WORDS.search(label.text)))


def _fit_attribute(attribute: Attribute | None, q: Quantity, vocab: Vocabulary,
                   composite: bool = False, counts: bool = False) -> Attribute | None:
    """A generic label (`参数` = parameters, `Value`) whose cells carry another dimension's unit
    does not name their attribute: read it from the unit instead."""
    dimension = q.dimension or _misspelt_dimension(q)
    if counts and attribute is not None and attribute.dimension == "entity" \
            and q.dimension == "count" and q.unit is None:
        # `每节点 GPU`, `GPU 总数` over plain numbers: a header naming a thing counts it.
        return vocab.attribute(COUNTED_AS.get(attribute.name, "")) or attribute
    if dimension is None or q.dimension in ("count", "ratio", "percent"):
        return attribute
    if attribute is not None and attribute.dimension != "count":
        return attribute
    if attribute is None and not composite:
        return None
    return vocab.attribute(BY_DIMENSION.get(dimension, "")) or attribute


# Units that say what a figure is whatever its header: a `Notable specs` cell `420 TFLOPS (BF16)` is a
# compute figure, `~75W` a power, `28nm` a process node. Memory sizes are not among them (HBM, on-chip
# SRAM or storage: the header has to say which).
_TELLING_DIMENSIONS = frozenset({"compute", "bandwidth", "power", "length"})


def _generic(header: Label | None) -> bool:
    """A header that says only "the figures" (`Specs`, `Notable specs`, `规格`) or nothing: its cells'
    units may say what they are. A header of other words (`8-GPU server`, `Per rack`) may name what
    the figures are for, so its cells are left unread rather than taken for the row's chip."""
    return header is None or not header.text.strip() or header_kind(header.text) == "value"


def _names_attribute(text: str, vocab: Vocabulary) -> bool:
    return bool(text) and vocab.match_attribute(text) is not None


def _attribute_of_unit(q: Quantity, vocab: Vocabulary) -> Attribute | None:
    """The attribute a cell's own unit names when neither its header nor its row label names one."""
    if q.kind != "number" or not q.unit or q.dimension not in _TELLING_DIMENSIONS:
        return None
    return vocab.attribute(BY_DIMENSION[q.dimension])


# A model's size is written as a count with a scale letter: `175B`, `1.1T`, `7B,13B`, `65亿`.
_SCALED_COUNT = re.compile(r"^\s*[~≈约]?\s*\d[\d.,]*\s*(?:[BMT]|亿|万亿)\b", re.IGNORECASE)


# Headers that say "how big" without saying in what: over a model's scaled count, its parameters.
# (`Training tokens` over `300B` names something else; it is no size header.)
SIZE_HEADERS = frozenset(norm_key(s) for s in ("size", "scale", "规模", "大小", "模型大小", "模型规模", "体量"))


def _model_size(entity: Entity | None, q: Quantity, text: str, header: Label | None) -> bool:
    """A count with a scale letter (`175B`) about a model the vocabulary knows, under a header that
    only says "size", is the model's parameter count."""
    return entity is not None and entity.kind == "model" and q.kind in ("number", "range") \
        and q.dimension == "count" and header is not None and norm_key(header.name) in SIZE_HEADERS \
        and bool(_SCALED_COUNT.match(text or ""))


def _misspelt_dimension(q: Quantity) -> str | None:
    if q.status != "unknown-unit" or not q.token:
        return None
    suggestion = suggest_unit(q.token)
    info = lookup_unit(suggestion) if suggestion else None
    return info.dimension if info else None


def _nodes_quantity(raw: str, n: float) -> Quantity:
    return Quantity(raw=raw, kind="number", status="parsed", value=n, unit="nodes",
                    canonical_value=n, canonical_unit="1", dimension="count", tolerance=0.0)


def _settle(out: TableFacts) -> None:
    """What only the whole table tells: node counts join the identity of their record's figures,
    records that share a name are no identity, nor are formats a table leaves ambiguous, nor
    the cells of a row that has more cells than the header (an unescaped `|` shifts them)."""
    width = len(out.table.header)
    misaligned = {r for r, row in enumerate(out.table.rows)
                  if len(row.cells) > width and any(c.text.strip() for c in row.cells[width:])}
    for f in out.facts:
        if f.claim["row"] in misaligned:
            f.single = f.composite = False
            if f.sure:
                f.sure, f.doubt = False, "its row has cells beyond the header: the cells may be shifted"
        if f.identity is None:
            continue
        count = out.node_counts.get(f.record)
        if count is not None and f.role == "value" and not (f.label is not None and f.label.per_node):
            f.identity = replace(f.identity, nodes=count.key)
        if f.sure and f.record in out.duplicated:
            f.sure, f.doubt = False, "another record of the table has the same name"
    _exact_counts(out)
    _mark_ambiguous_formats(out)
    _mark_vector(out)
    _mark_starred_basis(out)
    _mark_sibling_fields(out)


def _mark_sibling_fields(out: TableFacts) -> None:
    """Two fields of one record under different labels are two facts, whatever the vocabulary
    makes of their words: `参数量` and `激活参数` (total and active parameters), `输入价格` and
    `输出价格` (input and output price) both read as one attribute. A table does not state a
    fact twice in one row, so where their identities meet, neither is sure."""
    seen: dict[tuple, list[Fact]] = {}
    for f in out.facts:
        if f.identity is not None and f.sure and f.reading is not None:
            seen.setdefault((f.record, f.identity), []).append(f)
    for facts in seen.values():
        labels = {clean(f.label.text) if f.label is not None else "" for f in facts}
        if len({f.field for f in facts}) < 2 or len(labels) < 2:
            continue
        for f in facts:
            f.sure, f.doubt = False, ("another column of its row reads as the same attribute under "
                                      f"another label ({' / '.join(sorted(labels))})")


def _exact_counts(out: TableFacts) -> None:
    """A field of plain counts that shows its units digit somewhere (`120`, `8`, `12` nodes;
    `128`, `1,000`, `8,192` GPUs) is counted, not rounded: its round numbers are exact too.
    Read alone, `120` allows 115-125, since trailing zeros may be rounding."""
    by_field: dict[int, list[Fact]] = {}
    for f in out.facts:
        r = f.reading
        if r is None or r.unit != "1" or r.dimension != "count" or r.is_range or r.bound != "=" \
                or f.total or r.low != int(r.low):
            continue
        by_field.setdefault(f.field, []).append(f)
    for facts in by_field.values():
        if len(facts) < 2 or not any(f.reading.low % 10 and f.reading.tolerance <= 0.5 for f in facts):
            continue
        for f in facts:
            if f.reading.tolerance > 0.5:
                f.reading = f.reading._replace(tolerance=0.5)


def _mark_vector(out: TableFacts) -> None:
    """Where a table labels some compute figures tensor (`FP16 Tensor Core (TFLOPS)`), its other
    compute figures are the non-tensor ones (`FP16 (TFLOPS)`): say so in their identity."""
    compute = [f for f in out.facts if f.identity is not None and f.reading is not None
               and f.reading.dimension == "compute"]
    if not any("tensor" in f.identity.qualifiers for f in compute):
        return
    for f in compute:
        if not f.identity.qualifiers & {"tensor", "vector"}:
            f.identity = replace(f.identity, qualifiers=f.identity.qualifiers | {"vector"})


# A starred figure twice its unstarred twin within this share (written roundings: 91 | 181).
DOUBLING_SHARE = 0.03
MIN_DOUBLED_PAIRS = 2


def _mark_starred_basis(out: TableFacts) -> None:
    """Where a table states a compute figure twice, under a label and under the same label with a
    footnote star (`TF32 Tensor Core`, `TF32 Tensor Core*`), and its starred figures are twice
    their unstarred twins, the numbers say what the star means: NVIDIA's "* with sparsity". Then
    every such pair of the table is read so, the starred figure sparse and its twin dense (a pair
    that breaks the doubling is a figure to check, not another meaning). Said only where at least
    two pairs, and all but a quarter of them, show the doubling; otherwise the star stays a mark."""
    pairs: dict[tuple, dict[bool, Fact]] = {}
    for f in out.facts:
        if f.identity is None or f.reading is None or f.reading.dimension != "compute" or not f.single \
                or f.identity.qualifiers & {"dense", "sparse"} or f.reading.is_range or f.reading.bound != "=":
            continue
        starred = "star" in f.identity.qualifiers
        twin = replace(f.identity, qualifiers=f.identity.qualifiers - {"star"})
        pairs.setdefault((f.record, twin), {})[starred] = f
    both = [(p[False], p[True]) for p in pairs.values() if len(p) == 2]
    doubled = sum(1 for plain, star in both if plain.reading.low > 0 and plain.reading.unit == star.reading.unit
                  and abs(star.reading.low / plain.reading.low - 2) <= 2 * DOUBLING_SHARE)
    if doubled < MIN_DOUBLED_PAIRS or doubled < 0.75 * len(both):
        return
    for plain, star in both:
        plain.identity = replace(plain.identity, qualifiers=plain.identity.qualifiers | {"dense"})
        star.identity = replace(star.identity, qualifiers=star.identity.qualifiers | {"sparse"})


def _mark_ambiguous_formats(out: TableFacts) -> None:
    """A compute figure that names no number format, beside compute figures that do, could be
    any of them (`TOPS` next to `FP16 / BF16`): not sure."""
    formats = {f.field for f in out.facts if f.identity is not None and f.reading is not None
               and f.reading.dimension == "compute" and f.identity.qualifiers & PRECISIONS}
    if not formats:
        return
    for f in out.facts:
        if f.sure and f.identity is not None and f.reading is not None \
                and f.reading.dimension == "compute" and not f.identity.qualifiers & PRECISIONS:
            f.sure, f.doubt = False, "names no number format, beside figures that do"


