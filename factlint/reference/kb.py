"""The reference knowledge base: cited facts about products and companies, loaded from YAML.

A fact is one value of one attribute of one entity, with its citation:

    id            stable identifier, "<entity>.<attribute>[.<variant>]"
    entity        canonical id from factlint/vocab/entities.yaml
    attribute     canonical name from factlint/vocab/attributes.yaml
    status        stated | not_disclosed | not_announced
    value | value_low + value_high      the number(s) as published, in `unit`
    bound         "=" (default), "~" (approximate), ">" / ">=" (at least), "<" / "<=" (at most)
    unit          a unit the normaliser knows ("PFLOPS", "GB", "mm²", "kW", "USD", "%"), optionally after a
                  scale word ("1.2 trillion", "290.3 million USD"); "" for a plain count or a year
    text_value    the categorical value ("TSMC 16nm", "SwarmX fabric + 100 GbE") or the full date of a year
    text_aliases  other names of a categorical value (places in both languages: "Santa Clara", "美国")
    qualifier     which variant this is ("peak FP16 sparse", "chip only", "per system")
    context       label words a claim must carry for the fact to apply (a fiscal year: ["2024"])
    as_of, source_url, publication, quote, confidence (high | medium | low), derived, note

The reference precision of a value is half a unit of the last digit it is written with ("44" -> 0.5 GB,
"3.35" -> 0.005 TB/s), so a fact agrees with any claim that rounds the same number.
"""
from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from factlint.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = REPO_ROOT / "data" / "reference"

SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
CONFIDENCE_RANK = {"high": 3, "medium": 2, "low": 1}
# Dimensions whose values carry no unit in the knowledge base.
UNITLESS = {"count": "1", "year": "year"}
FIELDS = ("id", "entity", "attribute", "status", "value", "value_low", "value_high", "bound", "unit",
          "text_value", "text_aliases", "qualifier", "context", "as_of", "source_url", "publication", "quote",
          "confidence", "derived", "note")


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
    # Resolved at load: the value in the dimension's canonical unit, and its precision there.
    dimension: str | None = None
    canonical_unit: str | None = None
    canonical_low: float | None = None
    canonical_high: float | None = None
    tolerance: float = 0.0

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

    def value_text(self) -> str:
        """The value as published: "44 GB", "25000-30000 USD", "TSMC 16nm", "2024-03-13", "not disclosed"."""
        if not self.is_stated:
            return self.status.replace("_", " ")
        if self.attribute == "year" and self.text_value:
            return self.text_value
        if self.value is None and self.value_low is None:
            return self.text_value or ""
        number = (_number(self.value) if self.value is not None
                  else f"{_number(self.value_low)}-{_number(self.value_high)}")
        prefix = {"~": "~", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}.get(self.bound, "")
        words = self.unit.split()
        if words and words[-1] == "USD":       # money reads "$290.3 million", not "290.3 million USD"
            scale = " ".join(words[:-1])
            return f"{prefix}${number}{' ' + scale if scale else ''}"
        unit = f" {self.unit}" if self.unit and self.unit != "%" else (self.unit or "")
        return f"{prefix}{number}{unit}"


def _number(x: float) -> str:
    return f"{x:,.15g}" if abs(x) >= 10000 else f"{x:.15g}"


@dataclass(frozen=True)
class KnowledgeBase:
    facts_by_key: dict
    all_facts: tuple[Fact, ...]
    files: tuple[str, ...]
    hash: str
    parts: dict = field(default_factory=dict)      # entity -> (entity it is built from, count)
    clusters: dict = field(default_factory=dict)   # cluster entity -> (its node system, count) or None

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
        """Facts of an entity, optionally of one attribute, in file order."""
        if attribute is None:
            return list(self._facts_by_entity.get(entity, ()))
        return list(self.facts_by_key.get((entity, attribute), ()))

    def knows(self, entity: str | None) -> bool:
        """The knowledge base has facts of `entity`, or of what it is built from or made of."""
        return bool(entity) and (entity in self._facts_by_entity or entity in self.parts
                                 or entity in self.clusters)

    def variants(self, entity: str) -> tuple[str, ...]:
        """The knowledge base's other entities that are variants of `entity` (`H100 PCIe` of
        `H100`): its product name with variant words added (factlint.facts.names)."""
        return self._variants.get(entity, ())

    @functools.cached_property
    def _variants(self) -> dict[str, tuple[str, ...]]:
        from factlint.facts.names import read_name

        names = {e: read_name(e) for e in self.entities()}
        out: dict[str, tuple[str, ...]] = {}
        for entity, name in names.items():
            if not name.variant:
                out[entity] = tuple(e for e, n in names.items()
                                    if e != entity and n.key == name.key and n.variant)
        return out

    @functools.cached_property
    def _facts_by_entity(self) -> dict[str, list[Fact]]:
        # Built once: matching asks for an entity's facts per claim, and a scan of every fact
        # per claim (a 100,000-row table names 100,000 entities) was the matcher's main cost.
        by_entity: dict[str, list[Fact]] = {}
        for fact in self.all_facts:             # file order
            by_entity.setdefault(fact.entity, []).append(fact)
        return by_entity

    def entities(self) -> list[str]:
        return sorted({f.entity for f in self.all_facts})

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.all_facts if f.id == fact_id), None)

    def __len__(self) -> int:
        return len(self.all_facts)


def load_kb(path: str | Path | None = None, *, entities: Iterable[str] | None = None) -> KnowledgeBase:
    """Load every *.yaml file of a knowledge-base folder (or one file). Default: the repository's
    data/reference/. `entities`: the known entity ids (default: factlint/vocab/entities.yaml).
    A bad file or record raises ConfigError naming the file, the record and what is wrong."""
    root = Path(path) if path is not None else DEFAULT_PATH
    if not root.exists():
        raise ConfigError(f"{root}: reference knowledge base not found")
    files = sorted(root.glob("*.yaml")) if root.is_dir() else [root]
    if not files:
        raise ConfigError(f"{root}: no *.yaml fact files in the reference folder")
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    known = tuple(sorted(entities)) if entities is not None else None
    return _load(tuple(str(f) for f in files), digest.hexdigest(), known)


@functools.lru_cache(maxsize=8)
def _load(files: tuple[str, ...], digest: str, known_entities: tuple[str, ...] | None) -> KnowledgeBase:
    dimensions = attribute_dimensions()
    entity_ids = set(known_entities) if known_entities is not None else _entity_ids()
    facts: list[Fact] = []
    for file in files:
        records = _read_records(Path(file))
        file_facts = [_fact(r, Path(file), i, dimensions) for i, r in enumerate(records, 1)]
        _validate(file_facts, Path(file), dimensions)
        for i, fact in enumerate(file_facts, 1):
            if fact.entity not in entity_ids:
                raise ConfigError(f"{file}: record {fact.id} (#{i}): entity {fact.entity!r} is not in "
                                  f"factlint/vocab/entities.yaml")
        facts.extend(file_facts)
    seen: dict[str, str] = {}
    for fact in facts:
        if fact.id in seen:
            raise ConfigError(f"{fact.source_file}: record {fact.id}: id already used in {seen[fact.id]}")
        seen[fact.id] = fact.source_file
    by_key: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        by_key.setdefault((fact.entity, fact.attribute), []).append(fact)
    return KnowledgeBase({k: tuple(v) for k, v in by_key.items()}, tuple(facts), files, digest[:16], _entity_parts(),
                         _cluster_nodes())


def _read_records(path: Path) -> list[dict]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read reference facts: {exc}") from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ConfigError(f"{path}: expected a list of fact records (mappings)")
    for i, record in enumerate(data, 1):
        unknown = sorted(set(record) - set(FIELDS))
        if unknown:
            raise ConfigError(f"{path}: record {record.get('id', '?')} (#{i}): unknown field(s) {unknown}")
        if not record.get("id"):
            raise ConfigError(f"{path}: record #{i}: missing id")
    return data


def _fact(r: dict, path: Path, index: int, dimensions: dict[str, str]) -> Fact:
    where = f"{path}: record {r.get('id')} (#{index})"
    try:
        value, low, high = (_float(r.get(k)) for k in ("value", "value_low", "value_high"))
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: value, value_low and value_high must be numbers") from None
    fact = Fact(
        id=str(r["id"]), entity=str(r.get("entity") or ""), attribute=str(r.get("attribute") or ""),
        status=str(r.get("status") or "stated"), value=value, value_low=low, value_high=high,
        bound=str(r.get("bound") or "="), unit=str(r.get("unit") or ""),
        text_value=None if r.get("text_value") is None else str(r["text_value"]),
        text_aliases=_strings(r.get("text_aliases"), where, "text_aliases"),
        qualifier=str(r.get("qualifier") or ""), context=_strings(r.get("context"), where, "context"),
        as_of=None if r.get("as_of") is None else str(r["as_of"]),
        source_url=r.get("source_url"), publication=str(r.get("publication") or ""),
        quote=str(r.get("quote") or ""), confidence=str(r.get("confidence") or ""),
        derived=bool(r.get("derived", False)), note=str(r.get("note") or ""), source_file=str(path),
    )
    return _resolve(fact, r, dimensions.get(fact.attribute))


def _float(v) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise TypeError("a boolean is not a number")
    return float(v)


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
    return replace(fact, dimension=dimension, canonical_unit=canonical, canonical_low=low * factor,
                    canonical_high=high * factor, tolerance=tolerance)


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
        "quote": f.quote, "confidence": f.confidence, "derived": f.derived, "note": f.note,
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
        if case.schema_context == "DataFrameSchema":
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
