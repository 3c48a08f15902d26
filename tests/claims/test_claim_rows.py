"""The claims contract in plain Python (schemas.claim_columns.rows_certainly_pass) against the
contract itself (schemas.claims.ClaimsSchema): it mirrors every column rule, and whenever it says
rows pass, pandera passes them too. It may only be unsure (then pandera decides), never wrong."""
from __future__ import annotations

import functools
import math
from pathlib import Path

import pandera.pandas as pa
import pytest
from hypothesis import given, settings, strategies as st

from factlint.claims import claims_frame, extract_claim_rows
from factlint.ingest import read_document
from factlint.normalise.vocab import load_vocabulary
from factlint.pipeline import DocumentResult, contract_findings
from schemas import claim_columns as light
from schemas.claims import ClaimsSchema

ROOT = Path(__file__).resolve().parents[2]
NOTE = ROOT / "data" / "raw" / "cerebras-roadmap-note.md"


def _pandera_passes(rows) -> bool:
    try:
        frame = claims_frame(rows)
    except (KeyError, TypeError, ValueError, OverflowError):      # no frame at all: certainly no pass
        return False
    try:
        ClaimsSchema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors:
        return False
    return True


@functools.cache
def _note_rows() -> tuple:
    return tuple(extract_claim_rows(read_document(NOTE), load_vocabulary()))


@pytest.fixture
def note_rows():
    return list(_note_rows())


def test_every_column_rule_of_the_schema_is_mirrored():
    schema = ClaimsSchema.to_schema()
    assert (schema.strict, schema.ordered, schema.unique) == (True, True, None)
    assert list(schema.columns) == light.CLAIM_COLUMNS
    mirrored: dict[str, tuple] = {}
    for column, minimum in light.INT_COLUMNS.items():
        mirrored[column] = ("int64", False, (("greater_than_or_equal_to", minimum),))
    for column, minimum in light.FLOAT_COLUMNS.items():
        checks = () if minimum is None else (("greater_than_or_equal_to", minimum),)
        mirrored[column] = ("float64", minimum is None, checks)
    for column in light.NULLABLE_TEXT:
        mirrored[column] = ("Text", True, ())
    for column in light.REQUIRED_TEXT:
        allowed = light.ALLOWED.get(column)
        mirrored[column] = ("Text", False, () if allowed is None else (("isin", allowed),))
    declared = {}
    for name, column in schema.columns.items():
        checks = []
        for check in column.checks:
            (value,) = check.statistics.values()
            checks.append((check.name, frozenset(value) if check.name == "isin" else value))
        dtype = "Text" if type(column.dtype).__name__ == "Text" else str(column.dtype)
        declared[name] = (dtype, column.nullable, tuple(checks))
    assert declared == mirrored
    assert tuple(check.name for check in schema.checks) == light.ROW_CHECKS


def test_a_real_note_certainly_passes(note_rows):
    assert note_rows and light.rows_certainly_pass(note_rows)
    assert _pandera_passes(note_rows)


TEXT = st.one_of(st.none(), st.text(max_size=4), st.sampled_from(["parsed", "range", "=", "\ud800", "~"]))
NUMBER = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 3),
                   st.just(2 ** 63), st.booleans())
VALUE = {**{c: st.one_of(st.integers(-2, 5), st.just(2 ** 64), st.none(), st.booleans(), st.just(1.0))
            for c in light.INT_COLUMNS},
         **{c: NUMBER for c in light.FLOAT_COLUMNS},
         **{c: TEXT for c in (*light.NULLABLE_TEXT, *light.REQUIRED_TEXT)},
         "bound": st.sampled_from([*light.BOUNDS, "≈", None]),
         "status": st.sampled_from([*light.STATUSES, "bogus", None]),
         "kind": st.sampled_from([*light.KINDS, "bogus", None])}


@st.composite
def mutated_rows(draw):
    """The note's claims with a few fields of a few rows replaced by anything a field can hold."""
    out = [dict(row) for row in _note_rows()[:6]]
    for _ in range(draw(st.integers(0, 4))):
        row = out[draw(st.integers(0, len(out) - 1))]
        column = draw(st.sampled_from(light.CLAIM_COLUMNS))
        if draw(st.integers(0, 20)) == 0:
            row.pop(column, None)
        else:
            row[column] = draw(VALUE[column])
    return out


@settings(max_examples=300, deadline=None)
@given(rows=mutated_rows())
def test_certain_means_pandera_passes_too(rows):
    if light.rows_certainly_pass(rows):
        assert _pandera_passes(rows)


def test_rows_it_is_unsure_of_go_to_pandera_which_names_the_failure(note_rows):
    rows = [dict(row) for row in note_rows[:3]]
    rows[1]["tolerance"] = math.nan
    rows[2]["raw"] = "x\ud800y"                 # pandera cannot store it as an Arrow string
    assert not light.rows_certainly_pass(rows)
    result = DocumentResult(str(NOTE), "", None, rows)
    messages = sorted(f.message for f in contract_findings([result]))
    assert len(messages) == 2
    assert "tolerance failed not_nullable" in messages[1]
    assert "raw failed coerce_dtype" in messages[0]
