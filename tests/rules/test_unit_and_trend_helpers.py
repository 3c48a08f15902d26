"""Table-driven tests of the pure helpers behind unit-spelling, range-order, unparsed-number,
status-contradiction, forecast and generation-trend (the YAML cases test the rules end to end)."""
from __future__ import annotations

from datetime import date

import pytest

from factlint.normalise.vocab import load_vocabulary
from factlint.rules.dimension import counterpart
from factlint.rules.forecast import is_labelled, note_date
from factlint.rules.generation_trend import _families, _stem
from factlint.rules.range_order import swapped
from factlint.rules.status_contradiction import NO, YES, read_mark
from factlint.rules.unit_spelling import choose, close_units, written_unit
from factlint.rules.unparsed_number import diagnose


@pytest.mark.parametrize("text,expected", [
    ("64-16", "16-64"),
    ("700–300 W", "300–700 W"),
    ("2 PB - 500 TB", "500 TB - 2 PB"),
    ("$3M-$2M", "$2M-$3M"),
    ("64至16", "16至64"),
    ("1.2万-8000", "8000-1.2万"),
    ("约 64~16 台", "约 16~64 台"),
    ("256-64 PLOPS", "64-256 PLOPS"),
    ("64 to 16 nodes", "16 to 64 nodes"),
    ("1,024-512 cores", "512-1,024 cores"),
    ("no range here", None),
])
def test_swapped_keeps_units_and_separators(text, expected):
    assert swapped(text) == expected


@pytest.mark.parametrize("text,problem,fixed", [
    ("4O%", "letter O for 0", "40%"),
    ("l20", "letter l for 1", "120"),
    ("1O0 GB", "letter O for 0", "100 GB"),
    ("7O.1", "letter O for 0", "70.1"),
    ("1,O00,000", "letter O for 0", "1,000,000"),
    ("9OO,000", "letter O for 0", "900,000"),
    ("1,O00,000 cores", "letter O for 0", "1,000,000 cores"),
    ("1,2,3", "not thousands", None),
    ("12,34", "not thousands", None),
    ("1,000,00", "not thousands", None),
    ("5..6 kW", "repeated decimal point", None),
    ("1.2.3", "repeated decimal point", None),
])
def test_diagnose_finds_malformed_numbers(text, problem, fixed):
    found = diagnose(text)
    assert found is not None and problem in found[0] and found[1] == fixed


@pytest.mark.parametrize("text", ["1,234,567 widgets", "Llama 2", "10 OPS", "v1.2.3", "2024.01.03",
                                  "50+", "90 万核", "46225 mm²", "TOP500", "GPT-4o",
                                  "03.02.2026", "N/A", "—"])
def test_diagnose_leaves_good_numbers_and_names_alone(text):
    assert diagnose(text) is None


@pytest.mark.parametrize("text,fixed", [
    ("1,O00,000", "1,000,000"),      # the parser reads it as 1: a digit follows the letter
    ("1,000,O00 cores", "1,000,000 cores"),
    ("1O.5", "10.5"),
])
def test_diagnose_finds_letters_inside_a_misread_number(text, fixed):
    found = diagnose(text, lookalikes="inside")
    assert found is not None and "letter O for 0" in found[0] and found[1] == fixed


@pytest.mark.parametrize("text", ["1,000,000", "GPT-4o", "10 OPS", "100l", "4O%", "Llama 2",
                                  "1,234,567 widgets"])
def test_diagnose_leaves_parsed_cells_without_an_inner_letter_alone(text):
    assert diagnose(text, lookalikes="inside") is None


@pytest.mark.parametrize("text,status_column,polarity,rest", [
    ("✅", False, YES, ""),
    ("✅ 完整", False, YES, "完整"),
    ("✅ (planned)", False, YES, "planned"),
    ("❌", False, NO, ""),
    ("Yes", False, YES, ""),
    ("No, coming soon", False, NO, "coming soon"),
    ("不支持", False, NO, ""),
    ("支持", False, YES, ""),
    ("已支持（官方）", True, YES, "官方"),
    ("Supported (beta)", True, YES, "beta"),
])
def test_read_mark(text, status_column, polarity, rest):
    mark = read_mark(text, status_column)
    assert mark is not None and (mark.polarity, mark.rest) == (polarity, rest)


@pytest.mark.parametrize("text,status_column", [
    ("无限制", False), ("有限", False), ("Notes", False), ("部分支持", True),
    ("支持 FP8 训练", False), ("Not yet", False), ("⚠️ partial", True),
])
def test_read_mark_ignores_prose(text, status_column):
    assert read_mark(text, status_column) is None


@pytest.mark.parametrize("token,expected,symbol,certain", [
    ("PLOPS", {"compute"}, "PFLOPS", True),      # PFLOPS and POPS mean the same quantity
    ("PLOPS", set(), "PFLOPS", False),           # no expected dimension: never certain
    ("TFOLPS", {"compute"}, "TFLOPS", True),
    ("KW", {"power"}, "kW", True),
    ("TBs", {"bandwidth"}, None, False),         # TB/s and Tbps are equally close
])
def test_choose_unit(token, expected, symbol, certain):
    best, sure = choose(token, close_units(token), expected)
    assert (best.symbol if best else None, sure) == (symbol, certain)


@pytest.mark.parametrize("token", ["NP", "TSMC", "widgets", "Gaudi", "ranks", "FPS", "tok/s", "layers", "nits"])
def test_no_unit_is_close_to_names(token):
    assert choose(token, close_units(token), set())[0] is None


@pytest.mark.parametrize("raw,unit", [("8 PLOPS", "PLOPS"), ("46225mm²", "mm²"), ("64-256 PLOPS", "PLOPS"),
                                      ("125 TFLOP/s", "TFLOP/s"), ("约 15 KW", "KW"), ("16-64", None)])
def test_written_unit(raw, unit):
    assert written_unit(raw) == unit


@pytest.mark.parametrize("unit,dimension,expected", [
    ("PB", "bandwidth", "PB/s"), ("GB/s", "information", "GB"), ("kWh", "power", "kW"),
    ("kW", "energy", "kWh"), ("mm", "area", "mm²"), ("nm", "compute", None),
])
def test_counterpart(unit, dimension, expected):
    assert counterpart(unit, dimension) == expected


@pytest.mark.parametrize("text,expected", [
    ("2026-02-03", date(2026, 2, 3)), ("2026-02", date(2026, 2, 28)), ("2026", date(2026, 12, 31)),
    ("2024-02", date(2024, 2, 29)), (None, None), ("v1.0", None),
])
def test_note_date_is_the_last_day_it_can_mean(text, expected):
    assert note_date(text) == expected


@pytest.mark.parametrize("text,labelled", [
    ("7.1 营收预测", True), ("Roadmap", True), ("Table 2: projected shipments", True), ("2026E", True),
    ("FY2027F", True), ("Expected launch", True), ("2.1 产品演进", False), ("Explanation", False),
    ("Planet-scale systems", False), ("2026", False),
])
def test_forecast_labels(text, labelled):
    assert is_labelled(text) is labelled


@pytest.mark.parametrize("name,stem", [("WSE-3", "wse"), ("TPU v5p", "tpu"), ("Foo 12", "foo"),
                                        ("Bow", "bow"), ("H100", "h")])
def test_generation_stem(name, stem):
    assert _stem(name) == stem


def test_families_join_unknown_generations_to_known_ones():
    vocab = load_vocabulary()
    families = _families(["WSE-3", "wse9", "foo1", "foo2", "bow"], vocab)
    assert families["wse9"] == families["WSE-3"] == ("chip", "Cerebras")
    assert families["foo1"] == families["foo2"] == ("stem", "foo")
    assert "bow" not in families      # no generation number: nothing to order it against
