"""The shape of a vocabulary YAML file (factlint/vocab/*.yaml and the user's `vocabulary` files).

Checked before the records are flattened for schemas.vocabulary: a string where a list belongs is
iterable, so without this check `aliases: ZZ-Prime` became eight one-letter aliases, `id: null` an
entity named "None", and `attributes: power` or `contains: WSE-3` crashed the loader. Plain Python
(no pandera import): the loader checks the shape of every file, validated or not.
"""
from __future__ import annotations

from typing import Any, Callable

# A problem with a value, or None when it fits.
Check = Callable[[Any], "str | None"]


def _name(value: Any) -> str | None:
    # YAML reads `id: 4090` as a number; it names the entity all the same.
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        return "expected a name (a non-empty string)"
    return None


def _optional_name(value: Any) -> str | None:
    return None if value is None else _name(value)


def _names(value: Any) -> str | None:
    if not isinstance(value, list):
        return "expected a list of names, e.g. [WSE-3, 晶圆级引擎]"
    for i, item in enumerate(value, 1):
        if _name(item):
            return f"item {i} ({item!r}): expected a name (a non-empty string)"
    return None


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "expected true or false"


def _count(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return "expected a whole number of at least 1"
    return None


ATTRIBUTE_FIELDS: dict[str, Check] = {"name": _name, "dimension": _name, "direction": _name,
                                      "scales_with_nodes": _boolean, "aliases": _names, "group": _name}
ENTITY_FIELDS: dict[str, Check] = {"id": _name, "kind": _name, "vendor": _optional_name, "aliases": _names,
                                   "contains": lambda value: None}     # checked by _contains
CONTAINS_FIELDS: dict[str, Check] = {"entity": _name, "count": _count}
# section -> (the fields a record may have, the fields it must have; the first names the record)
SECTIONS: dict[str, tuple[dict[str, Check], tuple[str, ...]]] = {
    "attributes": (ATTRIBUTE_FIELDS, ("name", "dimension")),
    "entities": (ENTITY_FIELDS, ("id",)),
}


def shape_problem(data: Any) -> str | None:
    """The first thing wrong with the shape of a loaded vocabulary file, as "key: what was expected,
    got what" (the loader adds the file), or None when every section, record and field fits."""
    if not isinstance(data, dict):
        return f"expected a mapping with {' and/or '.join(map(repr, SECTIONS))}, got {_got(data)}"
    for section in data:
        if section not in SECTIONS:
            return f"{section}: unknown key (a vocabulary file has {', '.join(SECTIONS)})"
    for section, (fields, required) in SECTIONS.items():
        problem = _section_problem(section, data.get(section), fields, required)
        if problem:
            return problem
    return None


def _section_problem(section: str, rows: Any, fields: dict[str, Check], required: tuple[str, ...]) -> str | None:
    if rows is None:
        return None
    if not isinstance(rows, list):
        return f"{section}: expected a list of records (`- {required[0]}: …`), got {_got(rows)}"
    for i, record in enumerate(rows, 1):
        where = f"{section}[{i}]"
        if not isinstance(record, dict):
            return f"{where}: expected a mapping with {', '.join(required)}, got {_got(record)}"
        named = record.get(required[0])
        if isinstance(named, (str, int)) and not isinstance(named, bool):
            where += f" ({required[0]} {str(named)!r})"
        problem = _record_problem(record, fields, required)
        if problem is None and section == "entities" and "contains" in record:
            problem = _contains_problem(record["contains"])
        if problem:
            return f"{where}: {problem}"
    return None


def _record_problem(record: dict, fields: dict[str, Check], required: tuple[str, ...]) -> str | None:
    for key in record:
        if key not in fields:
            return f"{key}: unknown key (known: {', '.join(fields)})"
    for key in required:
        if key not in record:
            return f"{key}: missing; {_name(None)}"
    for key, value in record.items():
        problem = fields[key](value)
        if problem:
            return f"{key}: {problem}, got {_got(value)}"
    return None


def _contains_problem(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"contains: expected a mapping {{entity: <entity id>, count: <n>}}, got {_got(value)}"
    problem = _record_problem(value, CONTAINS_FIELDS, ("entity",))
    return f"contains.{problem}" if problem else None


def _got(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    kind = {str: "the string", int: "the number", float: "the number", bool: "the value",
            list: "the list", dict: "the mapping"}.get(type(value), type(value).__name__)
    return f"{kind} {value!r}"
