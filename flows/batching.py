"""How many tasks a corpus becomes. Each Prefect task costs ~10 ms with threads and ~150 ms
on Dask (stack notes §3c, §3f), so documents are batched: one task for a small corpus, at most
``MAX_TASKS`` for a large one, each holding roughly the same number of bytes (on threads the
flow asks for one: its check forks a pool over the CPUs itself). Batches are contiguous runs of
the input order, so joining them keeps that order."""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Sequence

MAX_TASKS = 8
MIN_BYTES_PER_TASK = 256 * 1024     # below this, a task's overhead outweighs its work
MIN_DOCS_PER_TASK = 16


def batches(paths: Sequence[Path], max_tasks: int = MAX_TASKS,
            min_bytes: int = MIN_BYTES_PER_TASK, min_docs: int = MIN_DOCS_PER_TASK) -> list[list[Path]]:
    if not paths:
        return []
    sizes = [_size(p) for p in paths]
    total = sum(sizes)
    count = max(1, min(max_tasks, len(paths) // min_docs, math.ceil(total / min_bytes) if total else 1))
    if count == 1:
        return [list(paths)]
    out, current, filled = [], [], 0
    for path, size in zip(paths, sizes):
        current.append(path)
        filled += size
        cut_at = total * (len(out) + 1) / count
        if filled >= cut_at and len(out) < count - 1:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
