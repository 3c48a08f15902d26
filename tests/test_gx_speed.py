"""gx_speed's replacements inside Great Expectations give GX's own answers: the column-pair
metric row by row, the row-condition memo frame by frame, the configuration memo read by read,
and a whole checkpoint run verdict by verdict."""
from __future__ import annotations

import contextlib

import pandas as pd
import pytest

from factlint import gx_check, gx_speed
from tests.test_gx_check import broken_claims, clean_claims


def test_both_memos_are_installed_on_the_locked_gx():
    """If a GX upgrade moves what they replace, the run stays correct but slow: this says so."""
    assert gx_speed.installed_memos() == ("configuration", "row_conditions")


def _suite_conditions():
    conditions = []
    for expectation in gx_check.load_suite()["expectations"]:
        condition = expectation["kwargs"].get("row_condition")
        if condition and condition not in conditions:
            conditions.append(condition)
    return conditions


def _shuffled(frame: pd.DataFrame, unique: bool = False) -> pd.DataFrame:
    """Several copies, out of order, with labels that are not positions (nor unique, unless
    asked: findings look claims up by label, so a whole run needs unique ones)."""
    frame = pd.concat([frame] * 3)
    frame = frame.iloc[::-1]
    labels = [f"r{i if unique else i % 7}" for i in range(len(frame))]
    return gx_check.gx_frame(frame.set_axis(labels))


def test_the_row_condition_memo_keeps_the_rows_gx_query_keeps():
    from great_expectations.execution_engine import PandasExecutionEngine

    conditions = _suite_conditions()
    assert len(conditions) >= 10                   # the suite's range and parse conditions
    frame, engine = _shuffled(broken_claims()), PandasExecutionEngine()
    expected = [engine._apply_row_condition_filter(frame, c, {}) for c in conditions]
    assert any(0 < len(e) < len(frame) for e in expected)      # the conditions do filter
    with gx_speed.memoised_within_run():
        for _ in range(2):                         # the first answer, then the kept one
            for condition, rows in zip(conditions, expected):
                pd.testing.assert_frame_equal(
                    engine._apply_row_condition_filter(frame, condition, {}), rows)
        other = frame.iloc[:5]                     # another frame is not answered from memory
        pd.testing.assert_frame_equal(engine._apply_row_condition_filter(other, conditions[0], {}),
                                      other.query(engine.condition_to_filter_clause(
                                          _condition(conditions[0]))))
    assert PandasExecutionEngine._apply_row_condition_filter is not None
    assert "filtered" not in PandasExecutionEngine._apply_row_condition_filter.__qualname__


def test_a_frame_the_row_condition_memo_hands_out_can_be_changed_without_changing_the_next():
    from great_expectations.execution_engine import PandasExecutionEngine

    condition = _suite_conditions()[0]
    frame, engine = _shuffled(broken_claims()), PandasExecutionEngine()
    batch = frame.copy()
    expected = engine._apply_row_condition_filter(frame, condition, {})
    with gx_speed.memoised_within_run():
        first = engine._apply_row_condition_filter(frame, condition, {})
        first["added"] = 1                                  # what a metric could do to it
        first.iloc[0, 0] = "changed"
        del first[first.columns[1]]
        second = engine._apply_row_condition_filter(frame, condition, {})
        pd.testing.assert_frame_equal(second, expected)
    pd.testing.assert_frame_equal(frame, batch)


def _condition(spec):
    from great_expectations.expectations.row_conditions import deserialize_row_condition
    return deserialize_row_condition(spec)


def test_the_configuration_memo_follows_assignments_and_is_removed_afterwards():
    import great_expectations as gx
    from great_expectations.expectations.expectation import Expectation

    original = Expectation.__dict__["configuration"]
    expectation = gx.expectations.ExpectColumnValuesToBeBetween(column="value", min_value=0)
    with gx_speed.memoised_within_run():
        first = expectation.configuration
        assert expectation.configuration is first              # remembered
        expectation.max_value = 10
        changed = expectation.configuration
        assert changed is not first and changed.kwargs["max_value"] == 10
        assert changed == gx.expectations.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, max_value=10).configuration
    assert Expectation.__dict__["configuration"] is original
    assert "__setattr__" not in Expectation.__dict__
    assert expectation.configuration is not expectation.configuration     # GX's own again


def _outcome_without_memos(monkeypatch, claims):
    monkeypatch.setattr(gx_speed, "memoised_within_run", contextlib.nullcontext)
    return gx_check.run_checkpoint(claims)


@pytest.mark.parametrize("claims", [clean_claims, broken_claims,
                                    lambda: _shuffled(broken_claims(), unique=True)], ids=["clean", "broken", "shuffled"])
def test_a_checkpoint_run_gives_the_same_outcome_with_and_without_the_memos(monkeypatch, claims):
    with_memos = gx_check.run_checkpoint(claims())
    with monkeypatch.context() as patched:
        without = _outcome_without_memos(patched, claims())
    assert with_memos.evaluated == without.evaluated > 0
    assert with_memos.success == without.success
    assert with_memos.failed == without.failed
    assert [f.as_dict() for f in with_memos.findings] == [f.as_dict() for f in without.findings]


def test_the_column_pair_metric_by_columns_answers_as_gx_own_provider():
    """gx_speed registers its own pandas provider of ``column_pair_values.in_set`` (GX's walks
    the rows with iterrows). Row by row it must give GX's answer, missing values included."""
    import inspect

    import numpy as np
    from great_expectations.expectations.metrics.column_pair_map_metrics.column_pair_values_in_set \
        import ColumnPairValuesInSet

    gx_own = inspect.unwrap(ColumnPairValuesInSet.__dict__["_pandas"])     # undecorated
    a = pd.Series(["compute", "compute", None, np.nan, "power", pd.NA, "x", 1, 1.0, "power"],
                  dtype=object, index=range(10, 20))
    b = pd.Series(["FLOP/s", "W", "W", None, "W", None, None, 2, 2, np.nan], dtype=object,
                  index=range(10, 20))
    pairs = [["compute", "FLOP/s"], ["power", "W"], [None, "W"], ["x", None], [1, 2]]
    ours = gx_speed.pairs_in_set(a, b, pairs)
    assert list(ours) == list(gx_own(ColumnPairValuesInSet, a, b, value_pairs_set=pairs)) == \
        [True, False, True, False, True, False, True, True, True, False]
    assert list(ours.index) == list(a.index)
    assert list(gx_speed.pairs_in_set(a, b, None)) == \
        list(gx_own(ColumnPairValuesInSet, a, b, value_pairs_set=None))
    # the checkpoint runs ours: registered over GX's for the pandas engine
    from great_expectations.expectations.registry import get_metric_provider
    from great_expectations.execution_engine import PandasExecutionEngine

    gx_speed.register_pair_metric_by_columns()
    provider, _ = get_metric_provider("column_pair_values.in_set.condition", PandasExecutionEngine())
    assert provider is gx_speed._PAIR_METRICS[0]
