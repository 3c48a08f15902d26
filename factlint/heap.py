"""Keeping a run's long-lived objects away from Python's cyclic garbage collector.

A flow run holds every note's result (or summary) from its check to its end: over a million
objects for 2,000 notes. Each collection of the collector's oldest generation walks all of
them, ~1.4 s, and the run's later stages (the corpus rules, the plan, GX, the report) allocate
enough to set one off in most re-runs, in whichever stage it falls. ``kept_from_collector``
moves the objects that exist when it is entered to the collector's permanent generation
(``gc.freeze``) until the outermost such block ends (``gc.unfreeze``: they are collected as
before from then on). Reference counting frees as usual meanwhile, and what the block itself
makes and drops is collected as it is made. Inside such a block, code that has just loaded many
long-lived objects (results unpickled, summaries read from the cache) hands them over too
(``keep_what_exists``): otherwise the collector's young generations walk each of them twice
on their way to the old one, and its old generation on every pass until the block ends.

``paused`` is the other tool: no collection at all while a burst of objects is built.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_LOCK = threading.Lock()
_DEPTH = 0
_PAUSE_LOCK = threading.Lock()
_PAUSERS = 0
_WAS_ENABLED = True


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


def keep_what_exists() -> None:
    """Inside a ``kept_from_collector`` block, move what exists now to the permanent
    generation as well, until the outermost block ends; outside one, do nothing (a gate's
    check, say, frees its results as it goes)."""
    with _LOCK:
        if _DEPTH > 0:
            gc.freeze()


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while the block builds many objects: markdown-it's tokens for a
    large note (a 100,000-row table parsed 13.6 -> 4.7 s), or results unpickled by the
    thousand (4,000 cached results loaded 6.5 -> 2.4 s), which the collector would otherwise
    rescan again and again. Reference counting still frees. A counter under a lock keeps this
    right when several threads pause at once (Prefect's thread pool): the last one out
    restores the collector as the first one found it."""
    global _PAUSERS, _WAS_ENABLED
    with _PAUSE_LOCK:
        if _PAUSERS == 0:
            _WAS_ENABLED = gc.isenabled()
            gc.disable()
        _PAUSERS += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSERS -= 1
            if _PAUSERS == 0 and _WAS_ENABLED:
                gc.enable()
