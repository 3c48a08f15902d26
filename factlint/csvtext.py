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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

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


@dataclass(frozen=True)
class EarlierCsv:
    """A CSV that ``write_runs_csv`` wrote of an earlier frame with the same columns and dtypes:
    its bytes, each key's byte span in them, and the digest of each key's rows then."""
    data: bytes
    spans: Mapping[str, Sequence[int]]
    digests: Mapping[str, str | None]


def write_runs_csv(frame: pd.DataFrame, path: str | Path, key: str,
                   digests: Mapping[str, str | None],
                   earlier: EarlierCsv | None = None) -> dict[str, list[int]]:
    """``write_frame_csv(frame, path)``, byte for byte, for a frame whose rows come in runs of
    one ``key`` value (a version's claims, sorted by document). Returns each key's byte span
    [start, stop) in the file. A key whose rows have the digest ``earlier`` had for it is
    copied from there instead of formatted: the CSV text of a row depends on that row alone,
    so a re-run after one note changed formats that note's rows, not 97,000 (0.7-0.9 s of
    the version's writing). ``digests`` and ``earlier`` are the caller's to trust: the same
    digest must mean the same rows. A key whose rows are not all together gets no spans
    (the file is written whole, and the next write cannot copy from it)."""
    runs = _runs(frame[key].tolist()) if len(frame) else []
    if len({value for value, _, _ in runs}) != len(runs):
        write_frame_csv(frame, path)
        return {}
    fresh = [run for run in runs if not _copyable(run[0], digests, earlier)]
    texts = _run_texts(frame, fresh, all_fresh=len(fresh) == len(runs))
    if texts is None:                   # a column this module does not vouch for: pandas
        write_frame_csv(frame, path)
        return {}
    header = frame_csv(frame.iloc[:0]).encode("utf-8")
    spans, offset = {}, len(header)
    with open(path, "wb") as handle:
        handle.write(header)
        for value, _, _ in runs:
            if value in texts:
                chunk = texts[value]
            else:
                start, stop = earlier.spans[value]
                chunk = earlier.data[start:stop]
            handle.write(chunk)
            spans[value] = [offset, offset + len(chunk)]
            offset += len(chunk)
    return spans


def _runs(values: list) -> list[tuple[Any, int, int]]:
    """(value, start, stop) of each run of equal neighbours."""
    runs, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((values[start], start, i))
            start = i
    return runs


def _copyable(value, digests: Mapping[str, str | None], earlier: EarlierCsv | None) -> bool:
    digest = digests.get(value)
    return earlier is not None and digest is not None and value in earlier.spans \
        and earlier.digests.get(value) == digest


def _run_texts(frame: pd.DataFrame, runs: list[tuple[Any, int, int]], *,
               all_fresh: bool) -> dict[Any, bytes] | None:
    """The CSV bytes of each run's rows (no header), or None when pandas must write them."""
    if not runs:
        return {}
    rows = frame if all_fresh else frame.iloc[np.concatenate([np.arange(a, b) for _, a, b in runs])]
    columns = _plain_columns(rows)
    if columns is None:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, **_DIALECT)
    values: Iterator = zip(*columns)
    texts = {}
    for value, start, stop in runs:
        writer.writerows(itertools.islice(values, stop - start))
        texts[value] = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    return texts


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
