"""Hand-built claims (rows of the claims contract) for testing the matcher and the rules without
the ingest, normalise and table-reading stages. Canonical values come from the real unit table;
each claim states one sure fact of its entity and attribute, as a key/value table would."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from factlint.document import Document
from factlint.facts.intervals import read_claim
from factlint.facts.labels import qualifiers_of, scope_of
from factlint.facts.model import Fact, Identity, NoteFacts
from factlint.normalise.units import lookup_unit
from factlint.normalise.vocab import norm_key
from factlint.reference.kb import DEFAULT_PATH, load_kb
from schemas.claims import CLAIM_COLUMNS

MAGNITUDE = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "万": 1e4, "亿": 1e8}
_NUM = r"\d[\d,]*(?:\.\d+)?"
_CELL = re.compile(rf"^(?P<bound>~|>=|>)?\+?(?P<cur>\$)?(?P<a>{_NUM})(?P<mag_a>[KMBT](?![A-Za-z]))?"
                   rf"(?:\s*-\s*\$?(?P<b>{_NUM})(?P<mag_b>[KMBT](?![A-Za-z]))?)?(?P<plus>\+)?\s*(?P<unit>\S*)$")


def claim(entity, attribute, raw, **extra) -> dict:
    """A claims row for `raw` ("80GB", "8 PLOPS", "16-64", "$0.25B", "InfiniBand", "2019", "4.0T")."""
    row = {c: None for c in CLAIM_COLUMNS}
    row.update(path="note.md", table=1, heading="Specs", line=extra.pop("line", 3), row_label=entity,
               column_label=attribute, entity=entity, attribute=attribute, raw=raw, bound="=", row=0,
               column=1, tolerance=0.0, decimals=0)
    row.update(_parse(raw))
    row.update(extra)
    return row


def _parse(raw: str) -> dict:
    if re.fullmatch(r"(19|20)\d{2}", raw):
        return {"kind": "year", "status": "parsed", "value": float(raw), "canonical_value": float(raw),
                "canonical_unit": "year", "dimension": "year"}
    m = _CELL.match(raw.replace("%", " %"))
    if not m:
        return {"kind": "text", "status": "text", "text": raw}
    a_text = m.group("a")
    decimals = len(a_text.split(".")[1]) if "." in a_text else 0
    a = float(a_text.replace(",", "")) * MAGNITUDE.get(m.group("mag_a") or "", 1)
    b = None
    if m.group("b"):
        b = float(m.group("b").replace(",", "")) * MAGNITUDE.get(m.group("mag_b") or m.group("mag_a") or "", 1)
    unit = "USD" if m.group("cur") else (m.group("unit") or None)
    step = 0.5 * 10 ** -decimals * MAGNITUDE.get(m.group("mag_a") or "", 1)
    bound = ">=" if m.group("plus") else (m.group("bound") or "=")
    base = {"kind": "range" if b is not None else ("money" if m.group("cur") else "number"), "value": a,
            "value_high": b, "unit": unit, "decimals": decimals, "bound": bound}
    if unit is None:
        return {**base, "status": "parsed", "canonical_value": a, "canonical_value_high": b,
                "canonical_unit": "1", "dimension": "count", "tolerance": step}
    info = lookup_unit(unit)
    if info is None:
        return {**base, "status": "unknown-unit", "token": unit, "reason": f"unknown unit {unit}"}
    f = info.factor
    return {**base, "status": "parsed", "canonical_value": a * f, "canonical_value_high": None if b is None else b * f,
            "canonical_unit": info.canonical, "dimension": info.dimension, "tolerance": step * f,
            "kind": "percent" if info.dimension == "percent" else base["kind"]}


def frame(*claims: dict) -> NoteFacts:
    """The facts of a note whose cells are `claims`: each one sure fact of its entity and attribute."""
    rows = [{**c, "index": i} for i, c in enumerate(claims)]
    doc = Document(path="note.md", text="", encoding="utf-8", sha256="")
    return NoteFacts(doc, rows, [_fact(r) for r in rows], [])


def _fact(row: dict) -> Fact:
    labels = f"{row.get('row_label') or ''} {row.get('column_label') or ''}"
    identity = None
    if row.get("entity") and row.get("attribute"):
        identity = Identity(norm_key(row["entity"]), frozenset(), row["attribute"], qualifiers_of(labels),
                            scope_of(str(row.get("column_label") or "")))
    if row.get("column") == 0:          # a row key (`| 64 节点 | ... |`): the reader gives it no identity
        return Fact(row, read_claim(row), None, role="label")
    role = "count" if row.get("attribute") == "nodes" else "value"
    return Fact(row, read_claim(row), identity, sure=identity is not None, role=role)


def claims_frame(*claims: dict) -> pd.DataFrame:
    return pd.DataFrame(list(claims), columns=CLAIM_COLUMNS)


@pytest.fixture(scope="session")
def make_claim():
    return claim


@pytest.fixture(scope="session")
def make_frame():
    return frame


@pytest.fixture(scope="session")
def kb():
    """The hand-curated facts only: matcher tests pin what they give (the imported TechPowerUp
    rows are tested on their own, in test_imported_sources.py)."""
    return load_kb(DEFAULT_PATH / "facts.yaml")


@pytest.fixture(scope="session")
def full_kb():
    """The knowledge base a check uses: curated facts and the real TechPowerUp import."""
    return load_kb()
