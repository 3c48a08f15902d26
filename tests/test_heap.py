"""heap.kept_from_collector: what exists when a block starts is left alone by the collector
until the outermost block ends; what the block makes and drops is collected meanwhile."""
from __future__ import annotations

import gc
import weakref

from factlint import heap


class _Node:
    pass


def _garbage_cycle():
    node = _Node()
    node.me = node
    return weakref.ref(node)


def test_objects_held_before_are_kept_and_collected_after_the_outermost_block():
    gc.disable()                    # no collection but the test's own
    try:
        before = _garbage_cycle()   # garbage already, but not yet collected
        assert gc.get_freeze_count() == 0
        with heap.kept_from_collector():
            assert gc.get_freeze_count() > 0
            between = _garbage_cycle()
            with heap.kept_from_collector():          # an inner block (GX's, in a flow run)
                during = _garbage_cycle()
                gc.collect()
                assert during() is None               # made and dropped inside: collected
                assert before() is not None and between() is not None
            assert gc.get_freeze_count() > 0          # the inner block did not thaw the outer
            gc.collect()
            assert before() is not None and between() is not None
        assert gc.get_freeze_count() == 0
        gc.collect()
        assert before() is None and between() is None
    finally:
        gc.enable()


def test_a_block_that_raises_still_thaws():
    try:
        with heap.kept_from_collector():
            raise RuntimeError("stage failed")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0


def test_inside_a_block_what_was_loaded_since_is_kept_too_and_outside_nothing_is():
    gc.disable()
    try:
        heap.keep_what_exists()
        assert gc.get_freeze_count() == 0           # no block: a gate frees as it goes
        with heap.kept_from_collector():
            loaded = _garbage_cycle()               # results arriving after the block began
            heap.keep_what_exists()
            gc.collect()
            assert loaded() is not None             # kept with the rest until the block ends
        gc.collect()
        assert loaded() is None and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_paused_nests_across_threads_and_restores_what_it_found():
    import threading

    entered, release = threading.Event(), threading.Event()

    def other():
        with heap.paused():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(10)
    with heap.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()                       # the other thread is still inside
    release.set()
    thread.join(10)
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.paused():
            pass
        assert not gc.isenabled()                   # a caller's own setting is left as it was
    finally:
        gc.enable()
