"""The pieces the consistency rules share: intervals from precision (factlint.facts.intervals),
which statements agree, what period, qualifiers and scope a label states, and readable numbers."""
from __future__ import annotations

import math

import pytest

from factlint.facts.intervals import Span, read_claim
from factlint.facts.labels import period_named, qualifiers_of, scope_of, year_of_label
from factlint.rules._agreement import Statement, lines_text, split
from factlint.facts.display import replace_numbers, show, show_range


def _claim(**fields):
    base = {"kind": "number", "status": "parsed", "bound": "=", "tolerance": 0.0, "decimals": 0}
    return {**base, **fields}


@pytest.mark.parametrize("fields,low,high", [
    (dict(canonical_value=4e12, tolerance=5e10, canonical_unit="1"), 3.95e12, 4.05e12),
    (dict(kind="range", canonical_value=64e15, canonical_value_high=256e15, tolerance=5e14,
          canonical_unit="FLOP/s"), 63.5e15, 256.5e15),
    (dict(canonical_value=50, tolerance=0.5, bound=">=", canonical_unit="1"), 49.5, math.inf),
    (dict(canonical_value=8e15, tolerance=5e14, bound="~", canonical_unit="FLOP/s"), 7e15, 9e15),
    (dict(canonical_value=4500, tolerance=0.5, bound="~", canonical_unit="1"), 4275, 4725),   # 5 % beats 1 unit
    (dict(canonical_value=8, tolerance=0.5, bound="<=", canonical_unit="1"), -math.inf, 8.5),
])
def test_a_claim_allows_what_its_precision_allows(fields, low, high):
    span = read_claim(_claim(**fields)).span()
    assert (span.lo, span.hi) == pytest.approx((low, high))


def test_a_misspelt_unit_is_read_as_the_unit_it_was_meant_to_be():
    reading = read_claim(_claim(status="unknown-unit", value=8.0, unit="PLOPS", token="PLOPS",
                                tolerance=0.5))
    assert reading.unit == "FLOP/s" and reading.low == pytest.approx(8e15)
    assert reading.tolerance == pytest.approx(5e14)


def test_an_unknown_token_only_compares_with_itself():
    reading = read_claim(_claim(status="unknown-unit", value=3.0, unit="widgets", token="widgets",
                                tolerance=0.5))
    assert reading.unit == "?widgets" and reading.span() == Span(2.5, 3.5, "?widgets")


def test_a_short_unknown_token_is_not_read_as_a_unit():
    # `CS` in `16 CS-2` is no centimetre: tokens under four letters keep their own unit
    reading = read_claim(_claim(status="unknown-unit", value=16.0, unit="CS", token="CS", tolerance=0.5))
    assert reading.unit == "?CS" and not reading.misread


def test_touching_intervals_are_different_numbers_but_a_point_on_a_boundary_agrees():
    five, four = Span(4.5, 5.5, "nm"), Span(3.5, 4.5, "nm")
    assert not five.meets(four) and not four.meets(five)
    assert Span(4.5, 4.5, "nm").meets(five) and five.meets(Span(5.5, 5.5, "nm"))
    assert not Span(1, 2, "GB").meets(Span(1, 2, "TB"))


def test_text_states_no_number():
    assert read_claim(_claim(kind="text", status="text", text="全球最大")) is None


def test_quotient_propagates_both_roundings():
    # 4.0T / 80B: 3.95T/80.5B .. 4.05T/79.5B
    q = Span(3.95e12, 4.05e12, "1").over(Span(79.5e9, 80.5e9, "1"), "x")
    assert (round(q.lo, 2), round(q.hi, 2)) == (49.07, 50.94)
    assert Span(-1, 1, "1").over(Span(0, 0, "1")) is None


@pytest.mark.parametrize("spans,core,outliers", [
    ([(3.95, 4.05), (3.95, 4.05), (4.55, 4.65)], [0, 1], [2]),
    ([(3.95, 4.05), (4.55, 4.65)], [0], [1]),                  # one against one: the earlier wins
    ([(4.55, 4.65), (3.95, 4.05), (3.95, 4.05)], [1, 2], [0]),  # the majority wins even when later
    ([(1, 2), (1.5, 3), (2.5, 4)], [0, 1], [2]),
])
def test_split_finds_the_consistent_core(spans, core, outliers):
    statements = [Statement(Span(lo, hi, "1"), (i,), i) for i, (lo, hi) in enumerate(spans)]
    result = split(statements)
    assert [s.item for s in result.core] == core
    assert [s.item for s in result.outliers] == outliers


def test_split_needs_two_statements():
    assert split([Statement(Span(1, 2, "1"), (0,), 0)]) is None


@pytest.mark.parametrize("label,period", [
    ("2024 share", "2024"), ("FY2025 营收", "2025"), ("Q3 2024", "2024Q3"), ("2024年第三季度", "2024Q3"),
    ("2024 上半年", "2024H1"), ("2024-03", "2024M03"), ("2019-2026", None), ("RTX 2080", None),
    ("A2000", None), ("H100", None),
])
def test_period_named_by_a_label(label, period):
    assert period_named(label) == period


@pytest.mark.parametrize("label,year", [("2025", 2025), ("FY2024", 2024), ("2026E", 2026), ("2024 share", None)])
def test_a_year_column_header(label, year):
    assert year_of_label(label) == year


@pytest.mark.parametrize("label,qualifiers", [
    ("FP8 算力", {"fp8"}), ("Peak FP16 (sparse)", {"fp16", "sparse"}), ("算力", set()), ("推理功耗", {"inference"}),
    ("Interconnect", set()), ("FP16 / BF16", {"fp16", "bf16"}), ("BFLOAT16 (TFLOPS)", {"bf16"}),
    ("FP16 Tensor Core(TFLOPS)* (FP16累计)", {"fp16", "tensor", "star", "acc-fp16"}),
    ("FP16 Tensor Core(TFLOPS)(FP32累计)", {"fp16", "tensor", "acc-fp32"}),
    ("FP16 (non-tensor)", {"fp16", "vector"}), ("CUDA核心数", {"cuda"}), ("Tensor核心数", {"tensor"}),
    ("RT核心数", {"rt"}), ("NVLink (bidirectional)", {"bidirectional"}), ("双精度 (FP64)", {"fp64"}),
])
def test_labels_keep_their_qualifiers(label, qualifiers):
    assert qualifiers_of(label) == qualifiers


@pytest.mark.parametrize("value,unit,text", [
    (1.024e18, "FLOP/s", "1.02 EFLOPS"), (66.666, "x", "66.7x"), (1.25e8, "USD", "$125M"),
    (4e12, "1", "4T"), (46225, "mm²", "46,225 mm²"), (8e10, "B", "80 GB"), (8, "?PLOPS", "8 PLOPS"),
])
def test_readable_numbers(value, unit, text):
    assert show(value, unit) == text


def test_ranges_and_rewrites_keep_the_cell_style():
    assert show_range(128e15, 512e15, "FLOP/s") == "128-512 PFLOPS"
    assert replace_numbers("64-256 PLOPS", [128, 512], 0) == "128-512 PLOPS"
    assert replace_numbers("$1,200", [1100], 0) == "$1,100"


def test_line_lists_read_naturally():
    assert lines_text([84, 82, 83]) == "lines 82-84"
    assert lines_text([41, 50]) == "lines 41 and 50"
    assert lines_text([7]) == "line 7"


@pytest.mark.parametrize("label,scope", [
    ("单节点", "node"), ("单节点算力", "node"), ("Per-node memory", "node"), ("Single node", "node"),
    ("each system", "system"), ("16 nodes", ""), ("SuperNode", ""), ("总算力", "total"), ("64 节点", ""),
    ("CUDA Cores / 节点", "node"), ("GPU 数 / 节点", "node"), ("FP64 (TFLOPS / 节点)", "node"),
    ("Memory per Node (GB)", "node"), ("Links per GPU", "gpu"), ("Connection each", "link"),
    ("L2缓存容量(每SM)", "sm"), ("单核峰值性能", "core"), ("内存总线(位)", ""), ("Total Bandwidth", "total"),
    ("总线接口", ""),
])
def test_labels_state_their_scope(label, scope):
    assert scope_of(label) == scope
