"""The facts of one note: what each cell states, about what, built once and queried by the rules.

A **fact** is one figure a cell states, with its full identity: the entity and its variant, the
attribute with its qualifiers, the scope it is stated for (per node, per GPU, total), the period
and, for a configuration, the number of nodes. Two facts state the same thing only when their
identities are equal, and only a fact whose identity the table establishes is `sure`: a rule
compares sure facts and says nothing about the rest.

The cell itself stays a **claim** (a row of the published claims contract, schemas/claims.py):
facts point at their claim for the cell's text and place. A cell that lists several figures
(`92 TOPS, 28nm, ~75W`) is one claim and several facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from factlint.document import Document, Table
from factlint.facts.intervals import Reading
from factlint.facts.labels import Label
from factlint.facts.names import Name
from factlint.pickling import by_fields

Claim = dict      # one cell: every CLAIM_COLUMNS key, None where absent, plus "index"


@by_fields
@dataclass(frozen=True, slots=True)
class Identity:
    """What a fact is about. Equal identities state the same thing."""
    entity: str                          # vocabulary id, else the name's key
    variant: frozenset[str]
    attribute: str                       # vocabulary attribute name, else `~` + the label's words
    qualifiers: frozenset[str]
    scope: str = ""                      # "" (the thing itself), node, gpu, sm, link, total, ...
    period: str | None = None
    nodes: tuple[float, float] | None = None   # stated for this many nodes (a configuration)


@dataclass(slots=True)
class Fact:
    claim: Claim                         # the cell
    reading: Reading | None              # the interval it states (None: no number)
    identity: Identity | None            # None: states no figure of an entity (a label, a note)
    sure: bool = False                   # the table establishes the identity
    doubt: str = ""                      # why not, in words
    role: str = "value"                  # value, entity, label, note, ratio, link, period, count
    record: int = 0                      # the record within its table (a row, or a column when transposed)
    field: int = 0                       # the field within its record (a column, or a row when transposed)
    name: Name | None = None             # the entity's name as the table writes it
    label: Label | None = None           # the label of the cell's field
    total: bool = False                  # in a total row or column
    part: int = 0                        # the figure's place in a cell that lists several
    period: str | None = None            # the period its record is about (`2025`, `2024Q3`)
    single: bool = True                  # the cell states this one figure, whole and in its place
    composite: bool = False              # one of figures of different kinds the cell lists (`64核，256GB`)

    # The cell's place, for messages and locations.
    @property
    def line(self) -> int:
        return self.claim["line"]

    @property
    def table(self) -> int:
        return self.claim["table"]

    @property
    def raw(self) -> str:
        return self.claim["raw"]

    @property
    def index(self) -> int:
        return self.claim["index"]


@dataclass(frozen=True, slots=True)
class NodeCount:
    """How many nodes a record is about: exact integers, both ends for a range (16-64)."""
    low: float
    high: float
    fact: Fact | None = None             # the cell that states it (None: a per-node label, the vocabulary)
    per_node: bool = False               # the figure is stated for one node by its label or header

    @property
    def key(self) -> tuple[float, float]:
        return (self.low, self.high)


@dataclass(frozen=True, slots=True)
class Build:
    """What a system (a record) is made of: `count` × `part`, and where the note says so."""
    part: str                            # the part's entity key
    part_name: str                       # as written
    part_variant: frozenset[str]
    count: int
    source: Fact | None                  # the cell naming the part; None when the vocabulary says it


@dataclass
class TableFacts:
    """One table read: its shape, what each field is, and its facts by record and field."""
    table: Table
    shape: str                           # entity-rows, entity-columns, key-value, series, label-quantity, text
    entity_field: int | None             # the column naming each row's entity (entity-rows)
    facts: list[Fact] = field(default_factory=list)
    field_labels: dict[int, Label] = field(default_factory=dict)
    record_names: dict[int, Name] = field(default_factory=dict)
    duplicated: frozenset[int] = frozenset()     # records whose entity another record of the table names too
    node_counts: dict[int, NodeCount] = field(default_factory=dict)   # record -> its node count
    builds: dict[int, Build] = field(default_factory=dict)             # record -> what it is built of
    why: str = ""                        # how the shape was recognised, for `factlint extract --explain`

    @property
    def index(self) -> int:
        return self.table.index

    def records(self) -> dict[int, list[Fact]]:
        out: dict[int, list[Fact]] = {}
        for f in self.facts:
            out.setdefault(f.record, []).append(f)
        return out

    def fields(self) -> dict[int, list[Fact]]:
        out: dict[int, list[Fact]] = {}
        for f in self.facts:
            out.setdefault(f.field, []).append(f)
        return out


@dataclass
class NoteFacts:
    """Every fact of one note, with the indexes rules ask."""
    doc: Document
    claims: list[Claim]
    facts: list[Fact]
    tables: list[TableFacts]
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def table(self, index: int) -> TableFacts | None:
        for t in self.tables:
            if t.index == index:
                return t
        return None

    def numeric(self) -> Iterator[Fact]:
        """Facts that state a number."""
        return (f for f in self.facts if f.reading is not None)

    def statements(self) -> dict[Identity, list[Fact]]:
        """Sure numeric facts grouped by identity and unit: what a consistency rule compares."""
        if "statements" not in self._cache:
            groups: dict[Identity, list[Fact]] = {}
            for f in self.facts:
                if f.sure and f.identity is not None and f.reading is not None and f.role == "value":
                    groups.setdefault(f.identity, []).append(f)
            self._cache["statements"] = groups
        return self._cache["statements"]

    def memo(self, key: str, compute):
        """A value derived from this note's facts, computed once (rules that need the same
        derived view ask for it by name)."""
        if key not in self._cache:
            self._cache[key] = compute(self)
        return self._cache[key]
