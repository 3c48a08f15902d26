"""CSV text of a frame, as `frame.to_csv(index=False)` writes it, byte for byte, in less time.

pandas formats every cell of a chunk into a string array of its own before handing the rows to
the standard library's `csv` writer; for the 97,000 claims of a published version that took
1.75 s (median of 5). The same writer fed the columns' own values (Python floats, ints and
strings, with None for a missing value) writes the same file in 1.2 s: `csv` writes a float as
`repr` does, as pandas does for float64 (`tests/test_csvtext.py` holds the two to each other,
strings and floats drawn by hypothesis). A frame with any other kind of column (dates, float32,
categories, a column MultiIndex) is written by pandas itself.
"""
from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# What pandas.to_csv passes to csv.writer by default (pandas.io.formats.csvs.CSVFormatter).
_DIALECT = {"delimiter": ",", "quotechar": '"', "quoting": csv.QUOTE_MINIMAL,
            "doublequote": True, "escapechar": None, "lineterminator": "\n"}


def frame_csv(frame: pd.DataFrame) -> str:
    """`frame.to_csv(index=False)`."""
    columns = _plain_columns(frame)
    if columns is None:
        return frame.to_csv(index=False, lineterminator="\n")
    text = io.StringIO()
    _write_rows(text, frame, columns)
    return text.getvalue()


def write_frame_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """`frame.to_csv(path, index=False, encoding="utf-8")`."""
    columns = _plain_columns(frame)
    if columns is None:
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        _write_rows(handle, frame, columns)


# Rows go to the file this many at a time, through an in-memory buffer: the csv writer makes a
# write call per row, and each one through a text file's encoder costs more than into memory.
CHUNK_ROWS = 10_000


def _write_rows(handle, frame: pd.DataFrame, columns: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, **_DIALECT)
    writer.writerow([str(name) for name in frame.columns])
    rows = zip(*columns)
    for _ in range(0, len(frame), CHUNK_ROWS):
        writer.writerows(itertools.islice(rows, CHUNK_ROWS))
        handle.write(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    handle.write(buffer.getvalue())         # the header alone, for a frame without rows


def _plain_columns(frame: pd.DataFrame) -> list[list[Any]] | None:
    """Each column as a list of Python values the csv module writes as pandas does, or None
    when a column is of a kind this does not vouch for."""
    if isinstance(frame.columns, pd.MultiIndex) or not frame.columns.is_unique \
            or not len(frame.columns):
        return None
    columns = []
    for name in frame.columns:
        values = _plain_values(frame[name])
        if values is None:
            return None
        columns.append(values)
    return columns


def _plain_values(series: pd.Series) -> list[Any] | None:
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype == np.float64:
        return [None if value != value else value for value in series.tolist()]     # NaN: ""
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype) \
            or pd.api.types.is_string_dtype(dtype):
        if isinstance(dtype, pd.CategoricalDtype):
            return None
        values = series.to_numpy(dtype=object, na_value=None)
        if pd.api.types.is_object_dtype(dtype) and not all(_text_or_missing(v) for v in values):
            return None
        return values.tolist()
    return None


def _text_or_missing(value: Any) -> bool:
    return value is None or type(value) is str
