"""The claims frame as plain rows, for rules that walk claims one by one.

Slicing a pandas frame per table row, or `iterrows` over Arrow-backed string columns, costs
tens of microseconds a step: on a large note (thousands of claims) the consistency rules spent
a minute in pandas. They read the frame once as dicts instead (NaN as None, `index` = the
frame's row label) and group them with ordinary dicts. The conversion is shared by every rule
that runs on the same frame.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Hashable, Iterable

from factlint.claims import claim_rows as as_rows

Claim = dict[str, Any]
_CACHE: list[tuple[Any, list[Claim]]] = []
_CACHE_SIZE = 4


def claim_rows(claims) -> list[Claim]:
    """Every claim as a dict: the rows themselves when the pipeline passed rows, else the frame
    converted once (the same list for the same frame object, so do not mutate it)."""
    if isinstance(claims, list):
        return claims
    for cached, rows in _CACHE:
        if cached is claims:
            return rows
    rows = as_rows(claims)
    _CACHE.insert(0, (claims, rows))
    del _CACHE[_CACHE_SIZE:]
    return rows


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
