"""The interface-standards list's rules (schemas/standards.py::StandardsSchema) without pandera:
a plain-Python test that the rows of factlint/vocab/standards.yaml certainly pass the schema, so
the unknown-version rule of a one-note check needs neither pandas nor pandera to trust its list.
tests/rules/test_standards_file.py holds this mirror to the schema."""
from __future__ import annotations

import re

COLUMNS = ("name", "names", "versions", "lanes", "source")
VERSION = re.compile(r"^\d+\.\d+$")


def compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def rows_certainly_pass(rows) -> bool:
    """True when every row certainly passes StandardsSchema; False means "not certain" (pandera
    then decides and says what fails), never "fails"."""
    if not isinstance(rows, list) or not all(isinstance(r, dict) and set(r) == set(COLUMNS) for r in rows):
        return False
    names = [r["name"] for r in rows]
    if len(set(map(str, names))) != len(names):
        return False
    return all(_row_passes(r) for r in rows)


def _row_passes(row: dict) -> bool:
    if not all(type(row[c]) is str and row[c] for c in ("name", "names", "source")):
        return False
    versions, lanes = row["versions"], row["lanes"]
    return (compiles(row["names"])
            and type(versions) is list and bool(versions)
            and all(type(v) is str and VERSION.match(v) for v in versions)
            and type(lanes) is list and all(type(x) is int and x > 0 for x in lanes))
