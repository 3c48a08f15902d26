"""Results pickle by fields (factlint.pickling): what the flow's workers send and its cache
keeps reads back equal, and one call of the class rebuilds each object."""
from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from factlint import pipeline
from factlint.document import Cell, Table
from factlint.findings import Finding
from factlint.pickling import by_fields

NOTES = sorted((Path(__file__).parent / "notes").glob("en-*.md"))


def test_a_checked_note_reads_back_equal():
    result = pipeline.check_document(NOTES[0])
    again = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.document == result.document
    assert again.findings == result.findings and result.findings
    assert again.rows == result.rows and again.collected == result.collected


def test_an_object_is_its_class_and_its_fields():
    cell = Cell("**12**", "12", 3)
    assert cell.__reduce__() == (Cell, ("**12**", "12", 3))
    table = pipeline.check_document(NOTES[0]).document.tables[0]
    cls, args = table.__reduce__()
    assert cls is Table and cls(*args) == table
    assert [f.name for f in dataclasses.fields(Finding)] and Finding.__reduce__ is not object.__reduce__


def test_a_field_outside_init_is_refused():
    with pytest.raises(TypeError):
        @by_fields
        @dataclasses.dataclass(frozen=True, slots=True)
        class Odd:
            a: int
            b: int = dataclasses.field(init=False, default=0)
