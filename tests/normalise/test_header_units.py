"""split_header_unit: the unit a column header gives its bare numbers, and the label left."""
from __future__ import annotations

import pytest

from factlint.normalise.quantity import parse_cell, split_header_unit


@pytest.mark.parametrize("header,label,unit", [
    ("TDP (W)", "TDP", "W"),
    ("Memory [GB]", "Memory", "GB"),
    ("BF16 dense (TFLOPS)", "BF16 dense", "TFLOPS"),
    ("功耗（kW）", "功耗", "kW"),
    ("Area, mm²", "Area", "mm²"),
    ("Revenue ($M)", "Revenue", "$M"),
    ("Revenue (USD bn)", "Revenue", "USD bn"),
    ("Price (in $M)", "Price", "$M"),
    ("营收（亿元）", "营收", "亿元"),
    ("营收 (单位: 亿元)", "营收", "亿元"),
    ("Power in W", "Power", "W"),
    ("功耗/W", "功耗", "W"),
    ("Share (%)", "Share", "%"),
    ("Transistors (B)", "Transistors", "B"),
    ("Cores (K)", "Cores", "K"),
    ("Transistors (millions)", "Transistors", "millions"),
    ("Time (days)", "Time", "days"),
    ("Time (天)", "Time", "天"),
    ("制程 (nm)", "制程", "nm"),
    ("**带宽 (TB/s)**", "带宽", "TB/s"),
    ("Compute (PFLOPS, sparse)", "Compute (sparse)", "PFLOPS"),
    ("Compute (PLOPS)", "Compute", "PLOPS"),        # a misspelt unit is still the header's unit
    ("Compute (sparse)", "Compute (sparse)", None),
    ("Perf/W", "Perf/W", None),                     # a ratio label, not "Perf" in watts
    ("WSE-3", "WSE-3", None),
    ("H100 (SXM)", "H100 (SXM)", None),
    ("产品", "产品", None),
    ("", "", None),
])
def test_split_header_unit(header, label, unit):
    assert split_header_unit(header) == (label, unit)


@pytest.mark.parametrize("header,cell,value,unit,canonical", [
    ("TDP (W)", "700", 700.0, "W", 700.0),
    ("Revenue ($M)", "290.3", 290.3e6, "USD", 290.3e6),
    ("营收（亿元）", "2.9", 2.9e8, "CNY", 2.9e8),
    ("Transistors (B)", "80", 80e9, None, 80e9),
    ("带宽 (TB/s)", "3.35", 3.35, "TB/s", 3.35e12),
    ("Share (%)", "40", 40.0, "%", 40.0),
])
def test_header_unit_applies_to_bare_numbers(header, cell, value, unit, canonical):
    _, header_unit = split_header_unit(header)
    q = parse_cell(cell, header_unit)
    assert (q.status, q.value, q.unit, q.canonical_value) == ("parsed", pytest.approx(value), unit,
                                                               pytest.approx(canonical))


def test_cell_unit_wins_over_header_unit():
    q = parse_cell("2 PB/s", "TB/s")
    assert (q.unit, q.canonical_value) == ("PB/s", 2e15)
    assert not q.notes                               # same dimension: nothing to say
