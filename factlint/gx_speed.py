"""What factlint does to make Great Expectations 1.x fast on pandas without changing a verdict.

Each piece replaces a computation GX repeats or does row by row with one that gives the same
answer; ``tests/test_gx_speed.py`` holds every piece to GX's own. GX is imported inside these
functions only (``gx_check`` imports this module, and the ``factlint check`` gate never needs GX).

- ``register_pair_metric_by_columns``: the column-pair set check from the columns' arrays, not
  ``iterrows`` (a metric provider, GX's own extension point).
- ``object_strings``: pandas 3's string inference off while GX builds frames of its own.
- ``memoised_within_run``: two pure computations GX repeats for every metric of every
  expectation, remembered for one checkpoint run.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any

import pandas as pd

_PAIR_METRICS: list = []


def register_pair_metric_by_columns() -> None:
    """GX 1.x computes ``column_pair_values.in_set`` (``expect_column_pair_values_to_be_in_set``)
    on pandas with ``iterrows``, a Series built per row: 7.5 s of 15 s over 97,000 claims. This
    registers, for the pandas engine only, a provider of the same metric that gives the same
    answer per row, ``(A or None, B or None) in value_pairs_set``, from the two columns' arrays.
    GX's registry lets a provider be replaced (and logs a warning saying so, silenced here);
    the suite and its verdicts stay as they are."""
    if _PAIR_METRICS:
        return
    import logging

    from great_expectations.execution_engine import PandasExecutionEngine
    from great_expectations.expectations.metrics.column_pair_map_metrics.column_pair_values_in_set \
        import ColumnPairValuesInSet
    from great_expectations.expectations.metrics.map_metric_provider import column_pair_condition_partial

    registry_log = logging.getLogger("great_expectations.expectations.registry")
    level = registry_log.level
    registry_log.setLevel(logging.ERROR)
    try:
        class ColumnPairValuesInSetByColumns(ColumnPairValuesInSet):
            @column_pair_condition_partial(engine=PandasExecutionEngine)
            def _pandas(cls, column_A, column_B, **kwargs):
                return pairs_in_set(column_A, column_B, kwargs.get("value_pairs_set"))
    finally:
        registry_log.setLevel(level)
    _PAIR_METRICS.append(ColumnPairValuesInSetByColumns)


def pairs_in_set(column_A: pd.Series, column_B: pd.Series, value_pairs_set) -> Any:
    """Per row, ``(A, B) in value_pairs_set`` with a missing value read as None; all true
    without a set. GX's pandas provider of ``column_pair_values.in_set``, by columns."""
    import numpy as np

    if value_pairs_set is None:                 # vacuously true, as GX's own
        return np.ones(len(column_A), dtype=np.bool_)
    allowed = {(a, b) for a, b in value_pairs_set}
    rows = zip(column_A.to_numpy(dtype=object), column_B.to_numpy(dtype=object),
               pd.isnull(column_A).to_numpy(), pd.isnull(column_B).to_numpy())
    return pd.Series([(None if no_a else a, None if no_b else b) in allowed
                      for a, b, no_a, no_b in rows], index=column_A.index, dtype=bool)


@contextlib.contextmanager
def object_strings():
    """GX's pandas metrics build frames and row Series of their own (the column-pair set check
    walks the claims with iterrows); with pandas 3's string inference each of those is an
    Arrow-backed array, built per row: ~4.5 s of ~20 s over 97,000 claims. The claims reach GX
    as object columns already (``gx_check.gx_frame``), so its verdicts are the same either way;
    the option is pandas 3's (deprecated there; already off in pandas 2, gone in pandas 4: then
    nothing changes)."""
    import warnings

    def quietly(step):                  # pandas 3 warns of the option's removal on every set
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)     # Pandas4Warning is one
            return step()

    try:
        context = pd.option_context("future.infer_string", False)
        quietly(context.__enter__)
    except KeyError:                                        # OptionError: no such option
        context = None
    try:
        yield
    finally:
        if context is not None:
            quietly(lambda: context.__exit__(None, None, None))


# --------------------------------------------------------------------------- one run's memos

# The memos are installed on GX's classes for the length of one run, so two runs (two flow
# threads) must not overlap; GX's ephemeral contexts are not meant to run side by side either.
_ONE_RUN = threading.Lock()


@contextlib.contextmanager
def memoised_within_run():
    """Within one checkpoint run, remember two things GX 1.x recomputes for every metric:

    - **An expectation's configuration.** ``Expectation.configuration`` is a property that
      serialises the pydantic model afresh (``self.dict()``) on every read, and GX reads it once
      per success, domain and runtime key of every metric it plans: ~9,000 times for 100
      expectations, about a third of a small run. It is kept per expectation object until that
      object is assigned to (any ``setattr`` drops it), so what GX reads is what it would build.
    - **Which rows a row condition keeps.** ``PandasExecutionEngine`` filters the batch with
      ``DataFrame.query`` for every metric of an expectation with a ``row_condition``: 183
      queries for the suite's 17 distinct conditions, each evaluating the condition over the
      whole frame. The rows the first query keeps are kept by position, per frame and
      condition text, and later metrics get ``frame.take`` of them: the same rows, labels and
      dtypes (the query's own result decides which rows; only repeats are skipped).

    Either memo is installed only when the installed GX has the attribute it replaces as this
    was written against (GX 1.24); otherwise GX runs as it is. ``installed_memos()`` says which
    are in effect, and the tests hold both to GX's own answers."""
    with _ONE_RUN:
        undo = [patch() for patch in (_memoise_configuration, _memoise_row_conditions)]
        try:
            yield
        finally:
            for restore in undo:
                if restore is not None:
                    restore()


def installed_memos() -> tuple[str, ...]:
    """The memos ``memoised_within_run`` installs on this GX (for the tests and the docs)."""
    return tuple(name for name, original in (("configuration", _original_configuration()),
                                             ("row_conditions", _original_row_filter()))
                 if original is not None)


def _original_configuration() -> property | None:
    """GX's ``Expectation.configuration``, when it is the property the memo replaces."""
    from great_expectations.expectations.expectation import Expectation
    original = Expectation.__dict__.get("configuration")
    return original if isinstance(original, property) else None


def _original_row_filter():
    """GX's ``PandasExecutionEngine._apply_row_condition_filter``, when it has one."""
    from great_expectations.execution_engine import PandasExecutionEngine
    original = PandasExecutionEngine.__dict__.get("_apply_row_condition_filter")
    return original if callable(original) else None


def _remembered(kept: dict, key, owner, compute):
    """``kept[key]``'s value while it was made for this very ``owner`` object (an id can be
    reused once its object is gone); else ``compute()``, kept for it."""
    entry = kept.get(key)
    if entry is None or entry[0] is not owner:
        entry = kept[key] = (owner, compute())
    return entry[1]


def _memoise_configuration():
    original = _original_configuration()
    if original is None:
        return None
    from great_expectations.expectations.expectation import Expectation as expectation
    original_setattr = expectation.__dict__.get("__setattr__")
    kept: dict[int, tuple[Any, Any]] = {}

    def configuration(self):
        return _remembered(kept, id(self), self, lambda: original.fget(self))

    def assigned(self, name, value):
        kept.pop(id(self), None)
        if original_setattr is None:                # pydantic's, inherited
            super(expectation, self).__setattr__(name, value)
        else:
            original_setattr(self, name, value)

    expectation.configuration = property(configuration, doc=original.__doc__)
    expectation.__setattr__ = assigned

    def restore():
        expectation.configuration = original
        if original_setattr is None:
            del expectation.__setattr__
        else:
            expectation.__setattr__ = original_setattr
        kept.clear()
    return restore


def _copies_on_write() -> bool:
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    return pd.options.mode.copy_on_write is True


def _memoise_row_conditions():
    original = _original_row_filter()
    if original is None:
        return None
    from great_expectations.execution_engine import PandasExecutionEngine as engine
    from great_expectations.expectations.row_conditions import (
        Condition, PassThroughCondition, deserialize_row_condition)
    kept: dict[tuple[int, str], tuple[pd.DataFrame, Any]] = {}
    deep = not _copies_on_write()

    def query_text(self, row_condition) -> str | None:
        condition = deserialize_row_condition(row_condition) \
            if isinstance(row_condition, dict) else row_condition
        if isinstance(condition, PassThroughCondition):
            return condition.pass_through_filter
        if isinstance(condition, Condition):
            return self.condition_to_filter_clause(condition)
        return None                 # a legacy string condition: GX's own path, not kept

    def filtered(self, data, row_condition, domain_kwargs):
        text = query_text(self, row_condition)
        if text is None or not isinstance(data, pd.DataFrame):
            return original(self, data, row_condition, domain_kwargs)

        def rows():
            # GX's own query, on the frame renumbered 0..n-1 (a view): its labels are the
            # positions of the rows it keeps, whatever the batch's own labels are.
            numbered = data.set_axis(pd.RangeIndex(len(data)), axis=0)
            return data.take(original(self, numbered, row_condition, domain_kwargs).index.to_numpy())
        # The rows taken once (taking them again for every metric was 2.8 s of a 2,000-note
        # run), handed out as a shallow copy where pandas copies on write (pandas 3 always
        # does): whatever GX then changes in the frame it got changes neither the kept rows
        # nor the batch. Without copy on write each metric gets a copy of its own.
        return _remembered(kept, (id(data), text), data, rows).copy(deep=deep)

    engine._apply_row_condition_filter = filtered

    def restore():
        engine._apply_row_condition_filter = original
        kept.clear()
    return restore
