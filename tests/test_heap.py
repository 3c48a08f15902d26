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
