"""The encoded fixture notes are exactly what tests/fixtures/make_fixtures.py writes."""
from __future__ import annotations

import importlib.util

import pytest

from ingest_helpers import NOTES

_SCRIPT = NOTES.parent / "make_fixtures.py"
_spec = importlib.util.spec_from_file_location("make_fixtures", _SCRIPT)
make_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixtures)


@pytest.mark.parametrize("name, expected", sorted(make_fixtures.fixtures().items()))
def test_committed_fixture_matches_the_generator(name, expected):
    assert (NOTES / name).read_bytes() == expected, f"run python {_SCRIPT} and commit the result"


def test_generator_covers_the_encodings_the_ingest_tests_need():
    data = make_fixtures.fixtures()
    assert data["zh-utf16le-bom.md"].startswith(b"\xff\xfe")
    assert data["en-utf16be-bom.md"].startswith(b"\xfe\xff")
    assert data["zh-utf8-bom.md"].startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data["en-crlf.md"] and b"\n" not in data["en-crlf.md"].replace(b"\r\n", b"")
    with pytest.raises(UnicodeDecodeError):
        data["zh-gbk.md"].decode("utf-8")
