"""The unit table against pint, its schema, and the unit helpers rules use."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
import yaml

from factlint.errors import ConfigError
from factlint.normalise.units import (
    UNITS_PATH, best_unit, case_variants, convert, format_quantity, load_unit_table, lookup_unit,
    magnitude, pint_factor, suggest_unit, unit_table, units_frame,
)
from schemas.units import UNIT_DIMENSIONS, UnitsSchema

TABLE = unit_table()


# ---- every precomputed factor is pint's -------------------------------------------------------

@pytest.mark.parametrize("info", TABLE.units, ids=lambda u: u.symbol)
def test_factor_equals_pint(info):
    dimension = TABLE.dimensions[info.dimension]
    target = dimension.pint or lookup_unit(info.canonical).pint   # money: its own currency
    assert math.isclose(info.factor, pint_factor(info.pint, target), rel_tol=1e-12), \
        f"{info.symbol}: units.yaml says {info.factor}, pint says {pint_factor(info.pint, target)}"


@pytest.mark.parametrize("name", [d for d in TABLE.dimensions if TABLE.dimensions[d].pint])
def test_canonical_unit_is_the_dimension_pint_base(name):
    dimension = TABLE.dimensions[name]
    canonical = lookup_unit(dimension.canonical, strict=True)
    assert canonical is not None and canonical.factor == 1.0
    assert math.isclose(pint_factor(canonical.pint, dimension.pint), 1.0, rel_tol=1e-12)


def test_pint_keeps_dimensions_apart():
    with pytest.raises(ValueError):
        pint_factor("gigabyte", "hertz")         # bytes are information, not dimensionless
    with pytest.raises(ValueError):
        pint_factor("USD", "CNY")


# ---- the table's schema -----------------------------------------------------------------------

def test_units_frame_satisfies_schema():
    frame = UnitsSchema.validate(units_frame(), lazy=True)
    assert len(frame) == sum(len(u.spellings) for u in TABLE.units)


def test_schema_dimensions_match_the_yaml():
    assert set(UNIT_DIMENSIONS) == set(TABLE.dimensions)


def test_physical_attribute_dimensions_have_units():
    attributes = yaml.safe_load((UNITS_PATH.parent / "attributes.yaml").read_text(encoding="utf-8"))
    not_units = {"year", "date", "entity", "category", "status"}
    used = {a["dimension"] for a in attributes["attributes"]} - not_units
    assert used <= set(TABLE.dimensions)


def _broken(frame: pd.DataFrame, change) -> pd.DataFrame:
    frame = frame.copy()
    change(frame)
    return frame


@pytest.mark.parametrize("what,change", [
    ("duplicate spelling", lambda f: f.loc.__setitem__((1, "spelling"), f.loc[0, "spelling"])),
    ("unknown dimension", lambda f: f.loc.__setitem__((0, "dimension"), "speed")),
    ("zero factor", lambda f: f.loc.__setitem__((0, "factor"), 0.0)),
    ("canonical not a unit", lambda f: f.loc.__setitem__((0, "canonical"), "FLOPZ")),
    ("symbol with two factors", lambda f: f.loc.__setitem__(
        (f.index[(f["symbol"] == "PFLOPS") & ~f["is_symbol"]][0], "factor"), 1e12)),
], ids=lambda v: v if isinstance(v, str) else "")
def test_schema_rejects_a_broken_table(what, change):
    with pytest.raises(pa.errors.SchemaErrors):
        UnitsSchema.validate(_broken(units_frame(), change), lazy=True)


@pytest.mark.parametrize("edit,message", [
    (lambda d: d["units"][1]["aliases"].append("FLOPS"), "names both"),
    (lambda d: d["units"][0].__setitem__("factor", "1.0e9"), "finite number"),
    (lambda d: d["units"][0].__setitem__("factor", -1.0), "positive"),
    (lambda d: d["units"][0].__setitem__("dimension", "speed"), "known dimension"),
    (lambda d: d["dimensions"]["compute"].__setitem__("canonical", "TFLOPS"), "factor 1"),
    (lambda d: d.pop("magnitudes"), "magnitudes"),
    (lambda d: d["shorthand_words"].__setitem__("power", ["TDP"]), "shorthand_words need a dimension with shorthands"),
    (lambda d: d["shorthand_words"].__setitem__("information", "内存"), "a list of words"),
])
def test_loading_a_broken_table_is_a_config_error(tmp_path: Path, edit, message):
    data = yaml.safe_load(UNITS_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_unit_table(path)


# ---- lookups --------------------------------------------------------------------------------------

@pytest.mark.parametrize("token,symbol,dimension,factor", [
    ("PFLOPS", "PFLOPS", "compute", 1e15), ("FLOP/s", "FLOPS", "compute", 1.0),
    ("petaflops", "PFLOPS", "compute", 1e15), ("TOPS", "TOPS", "compute", 1e12),
    ("GB", "GB", "information", 1e9), ("Gb", "Gb", "information", 1.25e8),
    ("GiB", "GiB", "information", 2.0 ** 30), ("kb", "Kb", "information", 125.0),
    ("Gbps", "Gbps", "bandwidth", 1.25e8), ("PB/s", "PB/s", "bandwidth", 1e15),
    ("mm^2", "mm²", "area", 1.0), ("平方毫米", "mm²", "area", 1.0),
    ("个月", "month", "time", 2_629_800.0), ("小时", "h", "time", 3600.0),
    ("核", "cores", "count", 1.0), ("$", "USD", "money", 1.0), ("元", "CNY", "money", 1.0),
    ("%", "%", "percent", 1.0), ("倍", "x", "ratio", 1.0), ("kWh", "kWh", "energy", 1000.0),
    ("ＰＦＬＯＰＳ", "PFLOPS", "compute", 1e15),
])
def test_lookup_unit(token, symbol, dimension, factor):
    info = lookup_unit(token)
    assert (info.symbol, info.dimension) == (symbol, dimension)
    assert math.isclose(info.factor, factor)


def test_lookup_by_letter_case_is_lenient_unless_strict():
    assert lookup_unit("KW").symbol == "kW"
    assert lookup_unit("KW", strict=True) is None
    assert lookup_unit("mb").symbol == "Mb"            # lower-case b reads as bit
    assert lookup_unit("PLOPS") is None


def test_compound_units():
    info = lookup_unit("TFLOPS/W")
    assert (info.dimension, info.canonical, info.factor) == ("compute/power", "FLOP/s/W", 1e12)


@pytest.mark.parametrize("token,variants", [
    ("KW", ("kW",)), ("kw", ("kW",)), ("Gb", ("GB",)), ("GB", ("Gb",)), ("mb", ("Mb", "MB")),
    ("PFLOPS", ()), ("PLOPS", ()),
])
def test_case_variants(token, variants):
    assert case_variants(token) == variants


@pytest.mark.parametrize("token,dimension,suggestion", [
    ("PLOPS", None, "PFLOPS"), ("PLOPS", "compute", "PFLOPS"), ("TFOLPS", None, "TFLOPS"),
    ("GFLOP", None, "GFLOPS"), ("EFLOP", None, "EFLOPS"), ("PFLOPSS", None, "PFLOPS"),
    ("Mhz", None, "MHz"), ("Gbs", "information", "Gb"), ("Gbs", "bandwidth", "GB/s"),
    ("xyzzy", None, None), ("N", None, None), ("sparse", None, None), ("TSMC", None, None),
    ("纳秒", None, None),
])
def test_suggest_unit(token, dimension, suggestion):
    assert suggest_unit(token, dimension) == suggestion


@pytest.mark.parametrize("word,factor", [
    ("K", 1e3), ("k", 1e3), ("M", 1e6), ("B", 1e9), ("Bn", 1e9), ("T", 1e12), ("billion", 1e9),
    ("Billion", 1e9), ("万", 1e4), ("亿", 1e8), ("万亿", 1e12), ("千亿", 1e11), ("b", None),
    ("m", None), ("GB", None),
])
def test_magnitude(word, factor):
    assert magnitude(word) == factor


# ---- conversion and formatting --------------------------------------------------------------------

@pytest.mark.parametrize("value,source,target,expected", [
    (1, "EFLOPS", "PFLOPS", 1000.0), (80, "GB", "GiB", 80e9 / 2 ** 30), (21, "PB/s", "TB/s", 21000.0),
    (100, "Gbps", "GB/s", 12.5), (15, "kW", "W", 15000.0), (2, "day", "h", 48.0),
    (1, "FLOP/s", "PFLOPS", 1e-15), (46225, "mm²", "cm²", 462.25), (3.6e6, "J", "kWh", 1.0),
])
def test_convert(value, source, target, expected):
    assert math.isclose(convert(value, source, target), expected, rel_tol=1e-12)


@pytest.mark.parametrize("source,target", [("GB", "W"), ("USD", "CNY"), ("PLOPS", "PFLOPS")])
def test_convert_refuses_what_does_not_convert(source, target):
    with pytest.raises(ValueError):
        convert(1, source, target)


def test_convert_outside_the_table_goes_through_pint():
    assert math.isclose(convert(1, "inch", "mm"), 25.4, rel_tol=1e-12)   # inch: pint; mm: table


@pytest.mark.parametrize("args,kwargs,text", [
    ((128, "PFLOPS", 0), {}, "128 PFLOPS"), ((46225, "mm²"), {}, "46225 mm²"),
    ((40, "%"), {}, "40%"), ((57, "x"), {}, "57x"), ((2e6, "USD", 0), {}, "$2000000"),
    ((2e6, "$", 0), {"grouping": True}, "$2,000,000"), ((1e5, "CNY"), {}, "¥100000"),
    ((2.5, None), {}, "2.5"), ((4.0, "TB", 1), {}, "4.0 TB"), ((-5, "%"), {}, "-5%"),
    ((-2e6, "USD", 0), {}, "-$2000000"), ((3, "day"), {}, "3 day"), ((1, "JPY"), {}, "1 JPY"),
    ((900000, "cores"), {"grouping": True}, "900,000 cores"), ((8, "PLOPS"), {}, "8 PLOPS"),
    ((0.05, None, 1), {}, "0.1"), ((-0.0001, "W", 0), {}, "0 W"), ((15, "KW"), {}, "15 kW"),
])
def test_format_quantity(args, kwargs, text):
    assert format_quantity(*args, **kwargs) == text


@pytest.mark.parametrize("value,dimension,like,symbol", [
    (1.28e17, "compute", None, "PFLOPS"), (2.1e16, "bandwidth", None, "PB/s"),
    (1.25e10, "bandwidth", "Gbps", "Gbps"), (5e10, "information", "GiB", "GiB"),
    (172_800, "time", None, "day"), (0.003, "time", None, "ms"), (5, "count", None, "1"),
    (5, "money", "¥", "CNY"), (5, "nonsense", None, None), (0.5, "compute", None, "FLOPS"),
])
def test_best_unit(value, dimension, like, symbol):
    assert best_unit(value, dimension, like) == symbol
