"""The findings contract in plain Python (schemas.finding_columns.rows_certainly_pass) against
FindingsSchema: it mirrors every column rule, and whenever it says rows pass, pandera passes them
too. It may only be unsure (then pandera decides), never wrong."""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from hypothesis import given, settings, strategies as st

from factlint.emit.summary import check_findings_contract
from factlint.findings import FINDING_COLUMNS, Finding, Location, Severity, findings_rows
from schemas import finding_columns as light
from schemas.findings import FindingsSchema

GOOD = findings_rows([Finding("unit-spelling", Severity.WARNING, "PLOPS is no unit", Location("a.md", 3, 1, 0, "Peak"),
                              fingerprint="0a1b"),
                      Finding("cluster-total", Severity.ERROR, "total", Location("b.md", 0), entity="CS-3")])


def _pandera_passes(rows) -> bool:
    try:
        frame = pd.DataFrame(rows, columns=FINDING_COLUMNS).astype({"table": "Int64", "row": "Int64", "line": "int64"})
    except (TypeError, ValueError, OverflowError):
        return False
    try:
        FindingsSchema.validate(frame)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors):
        return False
    return True


def test_every_column_rule_of_the_schema_is_mirrored():
    schema = FindingsSchema.to_schema()
    assert (schema.strict, schema.ordered, schema.checks) == (True, True, [])
    assert list(schema.columns) == FINDING_COLUMNS
    mirrored = {}
    for column, (minimum, nullable) in light.INT_COLUMNS.items():
        mirrored[column] = (nullable, (("greater_than_or_equal_to", minimum),))
    for column in (*light.REQUIRED_TEXT, *light.NULLABLE_TEXT):
        checks = []
        if column in light.MATCHES:
            checks.append(("str_matches", light.MATCHES[column].pattern))
        if column in light.NON_EMPTY:
            checks.append(("str_length", (1, None)))
        if column == "severity":
            checks.append(("isin", tuple(light.SEVERITIES)))
        mirrored[column] = (column in light.NULLABLE_TEXT, tuple(checks))
    declared = {}
    for name, column in schema.columns.items():
        checks = []
        for check in column.checks:
            stats = check.statistics
            value = (stats["min_value"], stats["max_value"]) if check.name == "str_length" else \
                tuple(stats["allowed_values"]) if check.name == "isin" else next(iter(stats.values()))
            checks.append((check.name, getattr(value, "pattern", value)))
        declared[name] = (column.nullable, tuple(checks))
    assert declared == mirrored
    assert {n: str(c.dtype) for n, c in schema.columns.items() if n in light.INT_COLUMNS} == \
        {"line": "int64", "table": "Int64", "row": "Int64"}


def test_findings_of_rules_certainly_pass():
    assert light.rows_certainly_pass(GOOD) and _pandera_passes(GOOD)


ANY = st.one_of(st.none(), st.text(max_size=5), st.integers(-2, 3), st.just(2 ** 64), st.booleans(),
                st.floats(allow_nan=True), st.sampled_from(["", "error", "info", "Rule", "a-b", "x\n", "0f"]))


@settings(max_examples=400, deadline=None)
@given(changes=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(FINDING_COLUMNS), ANY), max_size=4))
def test_certain_means_pandera_passes_too(changes):
    rows = [dict(row) for row in GOOD]
    for i, column, value in changes:
        rows[i][column] = value
    if light.rows_certainly_pass(rows):
        assert _pandera_passes(rows)


def test_a_finding_it_is_unsure_of_is_checked_by_pandera_which_stops_the_emitter():
    bad = Finding("Not A Rule", Severity.ERROR, "x", Location("a.md", 1))
    assert not light.rows_certainly_pass(findings_rows([bad]))
    try:
        check_findings_contract([bad])
    except pa.errors.SchemaError as exc:
        assert "str_matches" in str(exc)
    else:
        raise AssertionError("the findings contract let a bad rule id through")
