"""The bilingual vocabulary: header/label text -> canonical attribute, alias -> entity.

Both vocabularies are data (factlint/vocab/*.yaml), validated at load; a bad file is a
ConfigError (exit 2), never a silent pass.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from factlint.errors import ConfigError

VOCAB_DIR = Path(__file__).resolve().parent.parent / "vocab"
DIRECTIONS = ("higher", "lower", "none")
ENTITY_KINDS = ("chip", "system", "cluster", "model", "company", "software", "other")
# Attributes that describe a company rather than its product: a "Cerebras" label keeps them.
COMPANY_ATTRIBUTES = frozenset({"revenue", "growth", "share", "customers", "year", "location",
                                "price"})

_MARKUP = re.compile(r"[*_`~]")
_SPACING = re.compile(r"[\s\-_‐‑‒–—/·・.]+")


@functools.lru_cache(maxsize=65_536)    # pure, and notes repeat their labels and headers
def norm_key(text: str) -> str:
    """Matching key: NFKC, lower case, markup, spaces, hyphens and slashes removed."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACING.sub("", _MARKUP.sub("", text)).casefold()


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    dimension: str
    direction: str = "none"
    scales_with_nodes: bool = False
    aliases: tuple[str, ...] = ()
    group: str = "other"        # hardware (a chip or system specification), business, model, other


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: str
    vendor: str | None = None
    aliases: tuple[str, ...] = ()
    contains: tuple[str, int] | None = None   # (entity id, count)


_MATCH_MEMO_SIZE = 100_000


@dataclass(frozen=True)
class Vocabulary:
    attributes: dict[str, Attribute]
    entities: dict[str, Entity]
    hash: str
    _attr_index: dict[str, str] = field(repr=False, default_factory=dict)
    _entity_index: dict[str, str] = field(repr=False, default_factory=dict)
    # text -> match result. The vocabulary never changes after loading and notes repeat the
    # same headers and labels, so each distinct text is matched once (the scan over every
    # alias was a sixth of `factlint check`'s time).
    _matched: dict[tuple[str, str], Any] = field(repr=False, compare=False, default_factory=dict)

    # ---- attributes -------------------------------------------------------------------
    def attribute(self, name: str | None) -> Attribute | None:
        return self.attributes.get(name) if name else None

    def match_attribute(self, text: str) -> Attribute | None:
        """Exact alias first; else the longest alias contained in the text ("WSE-3 晶体管",
        "BF16 dense (TFLOPS)"). Latin aliases match whole words only; CJK aliases match inside
        CJK text; one-character aliases ("x") only match exactly."""
        key = ("attribute", text)
        if key not in self._matched:
            self._remember(key, self._match_attribute(text))
        return self._matched[key]

    def _match_attribute(self, text: str) -> Attribute | None:
        for candidate in (_strip_parenthetical(text), text):
            key = norm_key(candidate)
            if key in self._attr_index:
                return self.attributes[self._attr_index[key]]
        best = _longest_contained(text, self._attr_index)
        return self.attributes[best] if best else None

    def attribute_named(self, text: str) -> Attribute | None:
        """The attribute one of whose aliases is exactly `text` (case and spacing aside)."""
        name = self._attr_index.get(norm_key(text)) if text else None
        return self.attributes[name] if name else None

    # ---- entities ---------------------------------------------------------------------
    def entity(self, entity_id: str | None) -> Entity | None:
        return self.entities.get(entity_id) if entity_id else None

    def match_entity(self, text: str) -> Entity | None:
        """Exact alias, else the longest alias contained in the text as whole words
        ("CS-3 系统" -> CS-3, "Cerebras Systems Roadmap" -> Cerebras; "WSE-30" is not WSE-3)."""
        memo = ("entity", text)
        if memo not in self._matched:
            self._remember(memo, self._match_entity(text))
        return self._matched[memo]

    def entity_named(self, text: str) -> Entity | None:
        """The entity one of whose aliases is exactly `text` (case, spacing and hyphens aside):
        no longest-contained match, so `H100 NVL` is not the H100."""
        entity_id = self._entity_index.get(norm_key(text)) if text else None
        return self.entities[entity_id] if entity_id else None

    def memo(self, key: tuple, compute):
        """`compute()` answered once per key for this vocabulary: what the facts layer reads from
        a label or a name depends on the text and the vocabulary only, and notes repeat them."""
        if key not in self._matched:
            self._remember(key, compute())
        return self._matched[key]

    def _remember(self, key: tuple, result: Any) -> None:
        if len(self._matched) >= _MATCH_MEMO_SIZE:     # bounded on huge corpora of unique labels
            self._matched.clear()
        self._matched[key] = result

    def _match_entity(self, text: str) -> Entity | None:
        key = norm_key(text)
        if key in self._entity_index:
            return self.entities[self._entity_index[key]]
        best = _longest_contained(text, self._entity_index)
        return self.entities[best] if best else None

    # ---- snapshot (factlint/snapshot.py) ----------------------------------------------
    def snapshot(self) -> dict:
        """The loaded, validated vocabulary as plain JSON data (no match memo)."""
        return {"attributes": [[a.name, a.dimension, a.direction, a.scales_with_nodes, list(a.aliases), a.group]
                               for a in self.attributes.values()],
                "entities": [[e.id, e.kind, e.vendor, list(e.aliases), None if e.contains is None else list(e.contains)]
                             for e in self.entities.values()],
                "hash": self.hash, "attr_index": self._attr_index, "entity_index": self._entity_index}

    @classmethod
    def from_snapshot(cls, data: dict) -> "Vocabulary":
        attributes = {row[0]: Attribute(row[0], row[1], row[2], row[3], tuple(row[4]), row[5])
                      for row in data["attributes"]}
        entities = {row[0]: Entity(row[0], row[1], row[2], tuple(row[3]), None if row[4] is None else tuple(row[4]))
                    for row in data["entities"]}
        return cls(attributes, entities, data["hash"], dict(data["attr_index"]), dict(data["entity_index"]))


_WORD = re.compile(r"[0-9A-Za-z\u00C0-\u024F+#.]+|[\u3400-\u9FFF\uF900-\uFAFF]+")


def _words(text: str) -> list[str]:
    """Latin/number words and CJK runs, lower case; separators and punctuation dropped."""
    text = unicodedata.normalize("NFKC", _MARKUP.sub("", text or "")).casefold()
    return [w.strip(".") for w in _WORD.findall(text) if w.strip(".")]


def _is_cjk(s: str) -> bool:
    return bool(s) and all("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in s)


def _longest_contained(text: str, index: dict[str, str]) -> str | None:
    """The longest alias found in `text`: runs of whole Latin words (joined without separators,
    so "wse 3" finds the alias key "wse3"), or a substring of a CJK run. A run may not end
    just before a number word, which would change the name ("WSE-30")."""
    words = _words(text)
    best: str | None = None
    for i in range(len(words)):
        joined = ""
        for j in range(i, min(i + 5, len(words))):
            joined += words[j]
            nxt = words[j + 1] if j + 1 < len(words) else ""
            if joined in index and len(joined) >= 2 and not nxt.isdigit():
                if best is None or len(joined) > len(best):
                    best = joined
    cjk, longest = _cjk_keys(index)
    for word in words:
        if not cjk or not _is_cjk(word):
            continue
        # Every substring up to the longest CJK alias, looked up (the scan over every alias per
        # word was a third of reading a note's facts); of equal lengths the alias listed first wins.
        found = [(len(sub), -cjk[sub], sub) for start in range(len(word))
                 for end in range(start + 2, min(len(word), start + longest) + 1)
                 if (sub := word[start:end]) in cjk]
        if found:
            alias_key = max(found)[2]
            if best is None or len(alias_key) > len(best):
                best = alias_key
    return index[best] if best else None


_CJK_KEYS: dict[int, tuple[dict, dict[str, int], int]] = {}


def _cjk_keys(index: dict[str, str]) -> tuple[dict[str, int], int]:
    """The CJK alias keys of `index` (two characters or more) with their place in it, and the
    longest one's length; worked out once per index (a vocabulary's never changes)."""
    found = _CJK_KEYS.get(id(index))
    if found is None or found[0] is not index:
        keys = {k: rank for rank, k in enumerate(index) if len(k) >= 2 and _is_cjk(k)}
        found = _CJK_KEYS[id(index)] = (index, keys, max(map(len, keys), default=0))
    return found[1], found[2]


def _strip_parenthetical(text: str) -> str:
    return re.sub(r"[（(\[【].*?[)）\]】]", "", text)


def _read_yaml(path: Path) -> dict:
    from schemas.vocabulary_file import shape_problem

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (a vocabulary file is UTF-8 YAML): {exc}") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot load vocabulary: {exc}") from None
    problem = shape_problem(data)
    if problem:
        raise ConfigError(f"{path}: {problem}")
    return data


def _validate(frame, schema, path: Path) -> None:
    import pandera.pandas as pa

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(5)
        detail = "; ".join(f"{r.column or 'record'} {r.check}: {r.failure_case!r} (record {r.index})"
                           for r in cases.itertuples())
        raise ConfigError(f"{path}: invalid vocabulary: {detail}") from None


# (extra files, validated) -> the vocabulary loaded from them: once per process, or handed over
# by factlint/snapshot.py from the project cache (`remember_vocabulary`).
_LOADED: dict[tuple[tuple[str, ...], bool], Vocabulary] = {}
_LOADED_MAX = 8


def load_vocabulary(extra_files: tuple[str, ...] = (), validate: bool = True) -> Vocabulary:
    """Load the built-in vocabulary plus extra YAML files (later files add aliases and entries)."""
    key = (tuple(extra_files), validate)
    if key not in _LOADED:
        remember_vocabulary(key[0], _load_vocabulary(key[0], validate), validated=validate)
    return _LOADED[key]


def remember_vocabulary(extra_files: tuple[str, ...], vocab: Vocabulary, validated: bool = True) -> None:
    """What `load_vocabulary(extra_files)` answers from now on in this process."""
    if len(_LOADED) >= _LOADED_MAX:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[(tuple(extra_files), validated)] = vocab


def _load_vocabulary(extra_files: tuple[str, ...], validate: bool) -> Vocabulary:
    files = [VOCAB_DIR / "attributes.yaml", VOCAB_DIR / "entities.yaml"] + [Path(f) for f in extra_files]
    attributes: dict[str, Attribute] = {}
    entities: dict[str, Entity] = {}
    contained_in: dict[str, Path] = {}          # entity id -> the file that says what it contains
    digest = hashlib.sha256()
    for path in files:
        if not path.is_file():
            raise ConfigError(f"{path}: vocabulary file not found (or not a file)")
        data = _read_yaml(path)
        digest.update(path.read_bytes())
        attr_rows = data.get("attributes") or []
        ent_rows = data.get("entities") or []
        if validate:
            import pandas as pd

            from schemas.vocabulary import AttributesSchema, EntitiesSchema

            if attr_rows:
                _validate(pd.DataFrame([_attr_record(r) for r in attr_rows]), AttributesSchema, path)
            if ent_rows:
                _validate(pd.DataFrame([_entity_record(r) for r in ent_rows]), EntitiesSchema, path)
        for r in attr_rows:
            a = Attribute(r["name"], r["dimension"], r.get("direction", "none"),
                          bool(r.get("scales_with_nodes", False)), tuple(map(str, r.get("aliases") or ())),
                          r.get("group", "other"))
            old = attributes.get(a.name)
            attributes[a.name] = a if old is None else Attribute(
                a.name, a.dimension, a.direction, a.scales_with_nodes, old.aliases + a.aliases,
                a.group if "group" in r else old.group)
        for r in ent_rows:
            contains = r.get("contains")
            e = Entity(str(r["id"]), r.get("kind", "other"), r.get("vendor"),
                       tuple(map(str, r.get("aliases") or ())),
                       (str(contains["entity"]), int(contains.get("count", 1))) if contains else None)
            if e.contains:
                contained_in[e.id] = path
            old = entities.get(e.id)
            entities[e.id] = e if old is None else Entity(e.id, e.kind, e.vendor, old.aliases + e.aliases,
                                                          e.contains or old.contains)
        try:        # after each file: the files before it agreed, so a clash is this file's
            attr_index = _index(((a.name, (a.name,) + a.aliases) for a in attributes.values()), "attribute")
            entity_index = _index(((e.id, (e.id,) + e.aliases) for e in entities.values()), "entity")
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None
    _check_contained(entities, contained_in)
    return Vocabulary(attributes, entities, digest.hexdigest()[:16], attr_index, entity_index)


def _check_contained(entities: dict[str, Entity], contained_in: dict[str, Path]) -> None:
    """What an entity is built from must be an entity too: a typo there would silently drop the
    part-of reasoning (a CS-3 built from "WSE3" matches no fact)."""
    for entity_id, path in contained_in.items():
        part = entities[entity_id].contains[0]
        if part not in entities:
            raise ConfigError(f"{path}: entities (id {entity_id!r}): contains.entity: {part!r} is not an "
                              f"entity id of the vocabulary")


def _index(entries: Iterable[tuple[str, Sequence[str]]], what: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, aliases in entries:
        for alias in aliases:
            key = norm_key(alias)
            if not key:
                continue
            if index.get(key, name) != name:
                raise ConfigError(f"{what} alias {alias!r} names both {index[key]!r} and {name!r}")
            index[key] = name
    return index


def _attr_record(r: dict) -> dict:
    return {"name": r.get("name"), "dimension": r.get("dimension"),
            "direction": r.get("direction", "none"),
            "scales_with_nodes": bool(r.get("scales_with_nodes", False)),
            "group": r.get("group", "other"), "aliases": len(r.get("aliases") or [])}


def _entity_record(r: dict) -> dict:
    return {"id": str(r.get("id")), "kind": r.get("kind", "other"),
            "aliases": len(r.get("aliases") or [])}
