"""The claims frame as plain rows, for rules that walk claims one by one.

Slicing a pandas frame per table row, or `iterrows` over Arrow-backed string columns, costs
tens of microseconds a step: on a large note (thousands of claims) the consistency rules spent
a minute in pandas. They read the frame once as dicts instead (NaN as None, `index` = the
frame's row label) and group them with ordinary dicts. The conversion is shared by every rule
that runs on the same frame.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Callable, Hashable, Iterable

import pandas as pd

Claim = dict[str, Any]
_CACHE: list[tuple[pd.DataFrame, list[Claim]]] = []
_CACHE_SIZE = 4


def claim_rows(frame: pd.DataFrame) -> list[Claim]:
    """Every claim as a dict (the same list for the same frame object, so do not mutate it)."""
    for cached, rows in _CACHE:
        if cached is frame:
            return rows
    rows = [_clean(record, index) for index, record in zip(frame.index, frame.to_dict("records"))]
    _CACHE.insert(0, (frame, rows))
    del _CACHE[_CACHE_SIZE:]
    return rows


def _clean(record: dict, index: Hashable) -> Claim:
    out = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}
    for key in ("table", "row", "column", "line", "decimals"):
        if out.get(key) is not None:
            out[key] = int(out[key])
    out["index"] = index
    return out


def group(rows: Iterable[Claim], key: Callable[[Claim], Hashable]) -> dict[Hashable, list[Claim]]:
    """Rows grouped by `key`, groups and rows in their original order."""
    out: dict[Hashable, list[Claim]] = defaultdict(list)
    for row in rows:
        out[key(row)].append(row)
    return dict(out)


def cell_key(row: Claim) -> tuple[str, int, int]:
    """(path, table, row): the claims of one table row. The path matters for corpus rules,
    which see every note's claims at once: table 2 row 0 of two notes are different rows."""
    return (row["path"], row["table"], row["row"])
