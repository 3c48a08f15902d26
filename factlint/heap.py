"""Keeping a run's long-lived objects away from Python's cyclic garbage collector.

A flow run holds every note's result (or summary) from its check to its end: over a million
objects for 2,000 notes. Each collection of the collector's oldest generation walks all of
them, ~1.4 s, and the run's later stages (the corpus rules, the plan, GX, the report) allocate
enough to set one off in most re-runs, in whichever stage it falls. ``kept_from_collector``
moves the objects that exist when it is entered to the collector's permanent generation
(``gc.freeze``) until the outermost such block ends (``gc.unfreeze``: they are collected as
before from then on). Reference counting frees as usual meanwhile, and what the block itself
makes and drops is collected as it is made.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_LOCK = threading.Lock()
_DEPTH = 0


@contextmanager
def kept_from_collector() -> Iterator[None]:
    """Freeze what exists now until the outermost ``kept_from_collector`` block ends. Blocks
    nest (the flow's run, GX's run inside it): an inner one freezes what was made since, and
    only the outermost gives everything back, so an inner block never thaws an outer one's."""
    global _DEPTH
    with _LOCK:
        gc.freeze()
        _DEPTH += 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH -= 1
            if _DEPTH == 0:
                gc.unfreeze()
