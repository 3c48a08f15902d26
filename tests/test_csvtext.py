"""csvtext writes what pandas.to_csv(index=False) writes, byte for byte: on drawn frames of the
column kinds it writes itself, on the edge cases of CSV quoting, and on a claims frame; other
kinds of column are handed to pandas."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factlint import csvtext

TEXT = st.one_of(st.none(), st.text(max_size=12),
                 st.sampled_from(["", " ", ",", '"', '""', "a,b", 'say "hi"', "\n", "\r", "\r\n",
                                  "tab\there", "算力 1 EFLOPS", "✅", "-", "nan", "None", "1e+16"]))
FLOAT = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                  st.sampled_from([0.0, -0.0, 1e16, 1e15, 8e15, 1e-4, 1e-5, 9e-6, 0.1 + 0.2,
                                   2.046e18, 1.5, 1e308, 5e-324]))


@st.composite
def frames(draw):
    rows = draw(st.integers(0, 6))
    kinds = draw(st.lists(st.sampled_from(["str", "object", "float", "int", "Int64", "bool",
                                           "boolean"]), min_size=1, max_size=5))
    data = {}
    for i, kind in enumerate(kinds):
        name = draw(st.sampled_from([f"c{i}", f"col,{i}", f'q"{i}', f"名{i}"]))
        if kind in ("str", "object"):
            values = draw(st.lists(TEXT, min_size=rows, max_size=rows))
            data[name] = pd.Series(values, dtype="str" if kind == "str" else object)
        elif kind == "float":
            data[name] = pd.Series(draw(st.lists(FLOAT, min_size=rows, max_size=rows)),
                                   dtype="float64")
        elif kind == "int":
            data[name] = pd.Series(draw(st.lists(st.integers(-2**63, 2**63 - 1), min_size=rows,
                                                 max_size=rows)), dtype="int64")
        elif kind == "Int64":
            data[name] = pd.Series(draw(st.lists(st.one_of(st.none(), st.integers(-10**6, 10**6)),
                                                 min_size=rows, max_size=rows)), dtype="Int64")
        else:
            values = draw(st.lists(st.booleans() if kind == "bool"
                                   else st.one_of(st.none(), st.booleans()),
                                   min_size=rows, max_size=rows))
            data[name] = pd.Series(values, dtype=kind)
    return pd.DataFrame(data)


@settings(max_examples=300, deadline=None)
@given(frames())
def test_drawn_frames_are_written_as_pandas_writes_them(frame):
    assert csvtext.frame_csv(frame) == frame.to_csv(index=False, lineterminator="\n")


def test_quoting_edge_cases_and_a_lone_empty_field():
    frame = pd.DataFrame({"only": pd.Series(["", None, "x", ' lead', "a\nb"], dtype=object)})
    assert csvtext.frame_csv(frame) == frame.to_csv(index=False, lineterminator="\n")
    assert csvtext._plain_columns(frame) is not None        # written here, not by pandas


def test_a_claims_frame_is_written_here_and_to_a_file_alike(tmp_path):
    from tests.flows.claims_factory import claim, claims_frame, text_claim

    claims = claims_frame(claim("a.md", 3, value=8.0), claim("a.md", 4, value=1e16, entity=None),
                          text_claim("b.md", 5, "✅, \"yes\""))
    assert csvtext._plain_columns(claims) is not None
    csvtext.write_frame_csv(claims, tmp_path / "ours.csv")
    claims.to_csv(tmp_path / "pandas.csv", index=False, encoding="utf-8")
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


@pytest.mark.parametrize("column", [
    pd.Series([1.5, None], dtype="float32"),
    pd.Series(pd.to_datetime(["2026-12-03", None])),
    pd.Series(["a", "b"], dtype="category"),
    pd.Series([[1], (2,)], dtype=object),
    pd.Series([1.5, "x"], dtype=object),
])
def test_other_kinds_of_column_are_written_by_pandas(column):
    frame = pd.DataFrame({"x": column, "y": [1, 2]})
    assert csvtext._plain_columns(frame) is None
    assert csvtext.frame_csv(frame) == frame.to_csv(index=False, lineterminator="\n")


# ---- write_runs_csv: a version's CSV, unchanged documents' rows copied from the last one ----

def _with_documents(frame: pd.DataFrame, documents: list[str]) -> pd.DataFrame:
    """``frame`` with a first column naming each row's document, in runs."""
    names = [documents[i * len(documents) // max(len(frame), 1)] for i in range(len(frame))]
    return pd.concat([pd.DataFrame({"path": pd.Series(names, dtype="str")}), frame], axis=1)


def _digests(frame: pd.DataFrame) -> dict[str, str]:
    from factlint.publish import claims_digests
    return claims_digests(frame)


def _written(frame, tmp_path, name, earlier=None):
    path = tmp_path / name
    spans = csvtext.write_runs_csv(frame, path, "path", _digests(frame), earlier)
    return path.read_bytes(), spans


@settings(max_examples=150, deadline=None)
@given(frames(), st.lists(st.sampled_from(["a.md", "b.md", "c.md", "d.md"]), min_size=1,
                          max_size=4, unique=True), st.integers(0, 3), st.data())
def test_runs_are_written_as_pandas_writes_them_copied_or_not(tmp_path_factory, frame, documents,
                                                              changed, data):
    tmp_path = tmp_path_factory.mktemp("runs")
    old = _with_documents(frame, sorted(documents))
    old_bytes, old_spans = _written(old, tmp_path, "old.csv")
    assert old_bytes == csvtext.frame_csv(old).encode("utf-8")
    for doc, (start, stop) in old_spans.items():      # each span is that document's rows
        rows = csvtext.frame_csv(old[old["path"] == doc]).encode("utf-8")
        assert old_bytes[start:stop] == rows[rows.index(b"\n") + 1:]
    # The next version: one document's rows changed (a row dropped), the rest kept.
    target = sorted(documents)[changed % len(documents)]
    keep = ~((old["path"] == target) & (np.arange(len(old)) == data.draw(st.integers(0, 6))))
    new = old[keep].reset_index(drop=True)
    earlier = csvtext.EarlierCsv(old_bytes, old_spans, _digests(old))
    new_bytes, _ = _written(new, tmp_path, "new.csv", earlier)
    assert new_bytes == csvtext.frame_csv(new).encode("utf-8")


def test_only_rows_with_the_same_digest_are_copied(tmp_path):
    old = pd.DataFrame({"path": ["a.md", "a.md", "b.md"], "value": [1.5, 2.0, 3.0]})
    _, spans = _written(old, tmp_path, "old.csv")
    planted = b"path,value\n" + b"X" * (spans["b.md"][1] - len(b"path,value\n"))
    # Planted bytes stand where the earlier file had a.md and b.md: copied for a.md, whose rows
    # kept their digest, and not for b.md, whose value changed.
    new = pd.DataFrame({"path": ["a.md", "a.md", "b.md"], "value": [1.5, 2.0, 4.0]})
    new_bytes, new_spans = _written(new, tmp_path, "new.csv",
                                    csvtext.EarlierCsv(planted, spans, _digests(old)))
    a_start, a_stop = spans["a.md"]
    assert new_bytes == planted[:a_stop] + b"b.md,4.0\n"
    assert new_spans == {"a.md": [a_start, a_stop], "b.md": [a_stop, a_stop + 9]}


def test_a_document_in_two_places_gets_no_spans(tmp_path):
    frame = pd.DataFrame({"path": ["a.md", "b.md", "a.md"], "value": [1, 2, 3]})
    data, spans = _written(frame, tmp_path, "split.csv")
    assert spans == {} and data == csvtext.frame_csv(frame).encode("utf-8")
