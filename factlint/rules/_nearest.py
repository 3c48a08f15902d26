"""The few cells nearest a line, picked from runs already in line order without a full sort.

`findings.nearest` sorts every candidate: fine for a handful, but a note that repeats a table
N times states a figure in N cells, each of the N findings about it then sorted N cells, and a
50 MB note spent most of its time there. Cells of one note arrive in line order (tables top to
bottom, rows in order), so a binary search finds the nearest ones in O(log N + limit).

The result is exactly `findings.nearest(the runs' items one after another, line, limit)`: the
`limit` items nearest to `line` (ties: the earlier item), in their own order, and how many were
left off.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from factlint.findings import MAX_RELATED, nearest


@dataclass(frozen=True, slots=True)
class Run:
    """Items with their lines, and whether the lines ascend (checked once, when built)."""
    items: Sequence[Any]
    lines: Sequence[int]
    ascending: bool

    @classmethod
    def of(cls, items: Sequence[Any], key: Callable[[Any], int] | None = None) -> "Run":
        """A run of `items`, each at line `key(item)` (default: a claim's `["line"]`)."""
        lines = [int(key(item)) if key is not None else int(item["line"]) for item in items]
        return cls(items, lines, all(a <= b for a, b in zip(lines, lines[1:])))


def nearest_in_runs(runs: Sequence[Run], line: int, limit: int = MAX_RELATED) -> tuple[list[Any], int]:
    """`findings.nearest` over the items of `runs`, one run after another."""
    total = sum(len(run.items) for run in runs)
    if total <= limit:
        return [item for run in runs for item in run.items], 0
    picked: list[tuple[int, int, Any]] = []      # (distance, position in all the items, item)
    offset = 0
    for run in runs:
        picked.extend((abs(run.lines[i] - line), offset + i, run.items[i])
                      for i in _candidates(run, line, limit))
        offset += len(run.items)
    kept = sorted(sorted(picked, key=lambda p: (p[0], p[1]))[:limit], key=lambda p: p[1])
    return [item for _, _, item in kept], total - limit


def _candidates(run: Run, line: int, limit: int) -> Sequence[int]:
    """Positions of the run that may be among its `limit` nearest to `line`: all within the
    limit-th smallest distance, ties included (the caller's exact order decides between them)."""
    lines = run.lines
    if len(lines) <= limit:
        return range(len(lines))
    if not run.ascending:
        return nearest(range(len(lines)), line, limit, key=lambda i: lines[i])[0]
    right = bisect_left(lines, line)
    left = right - 1
    farthest = 0
    for _ in range(limit):          # the limit smallest distances, merging outwards from `line`
        if right < len(lines) and (left < 0 or lines[right] - line <= line - lines[left]):
            farthest = lines[right] - line
            right += 1
        else:
            farthest = line - lines[left]
            left -= 1
    return range(bisect_left(lines, line - farthest), bisect_right(lines, line + farthest))
