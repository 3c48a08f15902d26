"""Regression tests for the unit-parsing defects an audit found (one section per fix)."""
from __future__ import annotations

import math

import pytest

from factlint.normalise.quantity import parse_cell
from factlint.normalise.units import match_unit


def reads(raw, unit, canonical, dimension, expect=None):
    q = parse_cell(raw, expect=expect)
    assert (q.status, q.unit, q.dimension) == ("parsed", unit, dimension), (q.status, q.unit, q.reason)
    assert math.isclose(q.canonical_value, canonical, rel_tol=1e-12), q.canonical_value
    return q


# ---- milliwatt and microwatt: a lower-case m is milli, never mega --------------------------------

@pytest.mark.parametrize("raw,unit,watts", [
    ("2 mW", "mW", 2e-3), ("2mW", "mW", 2e-3), ("2 MW", "MW", 2e6), ("2 milliwatts", "mW", 2e-3),
    ("5 µW", "µW", 5e-6), ("5 μW", "µW", 5e-6), ("5 uW", "µW", 5e-6), ("15 kW", "kW", 15e3),
])
def test_milliwatt_and_microwatt(raw, unit, watts):
    q = reads(raw, unit, watts, "power", expect="power")
    assert not any(n.startswith("unit-case") for n in q.notes), q.notes


# ---- singular flop words ----------------------------------------------------------------------

@pytest.mark.parametrize("raw,unit,flops", [
    ("1 exaflop", "EFLOPS", 1e18), ("1 Exaflop", "EFLOPS", 1e18), ("2 petaflop", "PFLOPS", 2e15),
    ("3 teraflop", "TFLOPS", 3e12), ("3 TeraFLOP", "TFLOPS", 3e12), ("4 gigaflop", "GFLOPS", 4e9),
    ("4 exaFLOPS", "EFLOPS", 4e18), ("125 petaflops", "PFLOPS", 125e15),
])
def test_singular_flop_words(raw, unit, flops):
    for expect in (None, "compute"):
        reads(raw, unit, flops, "compute", expect=expect)


# ---- binary prefixes: Gib is bits, GiB bytes ----------------------------------------------------

@pytest.mark.parametrize("raw,unit,nbytes", [
    ("12 Gib", "Gib", 12 * 2**30 / 8), ("12 GiB", "GiB", 12 * 2**30), ("4 Kib", "Kib", 4 * 1024 / 8),
    ("4 KiB", "KiB", 4 * 1024), ("2 Mib", "Mib", 2 * 2**20 / 8), ("1 Tib", "Tib", 2**40 / 8),
    ("1 TiB", "TiB", 2**40),
])
def test_binary_bits_and_bytes(raw, unit, nbytes):
    q = reads(raw, unit, nbytes, "information", expect="information")
    assert not any(n.startswith("unit-case") for n in q.notes), q.notes


# ---- PF / EF / TF: compute shorthand only where compute is expected --------------------------

@pytest.mark.parametrize("raw,unit,flops", [
    ("8 PF", "PFLOPS", 8e15), ("2 EF", "EFLOPS", 2e18), ("500 TF", "TFLOPS", 500e12),
    ("8PF", "PFLOPS", 8e15), ("19.5 TF (FP64)", "TFLOPS", 19.5e12), ("2 PFLOP/s", "PFLOPS", 2e15),
    ("8 PF/GPU", "PFLOPS", 8e15),
])
def test_compute_shorthand_in_a_compute_column(raw, unit, flops):
    reads(raw, unit, flops, "compute", expect="compute")


@pytest.mark.parametrize("raw", ["8 PF", "2 EF", "500 TF"])
@pytest.mark.parametrize("expect", [None, "information", "power", "count"])
def test_compute_shorthand_stays_unknown_elsewhere(raw, expect):
    q = parse_cell(raw, expect=expect)
    assert q.status == "unknown-unit" and q.dimension is None, (q.status, q.unit)


def test_compute_shorthand_in_the_header():
    q = parse_cell("8", "PF", expect="compute")
    assert (q.status, q.unit, q.canonical_value) == ("parsed", "PFLOPS", 8e15)
    assert parse_cell("8", "PF").status == "unknown-unit"


@pytest.mark.parametrize("raw", ["TF32", "BF16", "FP8"])
def test_number_formats_are_not_units(raw):
    for expect in (None, "compute"):
        assert parse_cell(raw, expect=expect).status == "text"


def test_shorthand_is_exact_letters():
    assert parse_cell("8 pf", expect="compute").status == "unknown-unit"
    assert match_unit("PF") is None and match_unit("TF") is None


def test_a_shorthand_must_name_a_unit_of_its_dimension(tmp_path):
    import yaml

    from factlint.errors import ConfigError
    from factlint.normalise.units import UNITS_PATH, load_unit_table

    data = yaml.safe_load(UNITS_PATH.read_text(encoding="utf-8"))
    data["shorthands"] = {"compute": {"PF": "PB"}}
    bad = tmp_path / "units.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="shorthand 'PF'"):
        load_unit_table(bad)


# ---- a pipe inside a number --------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["900\\|000", "900|000", "8 PF | 2 PF", "$1\\|2M"])
def test_a_pipe_makes_a_number_unparseable(raw):
    q = parse_cell(raw, expect="count")
    assert (q.status, q.value, q.token) == ("unparseable", None, "|"), (q.status, q.value)
    assert "pipe" in q.reason
    assert raw[q.token_start] == "|"


@pytest.mark.parametrize("raw,status", [("Yes | No", "parsed"), ("A|B", "text"), ("900,000", "parsed")])
def test_a_pipe_in_words_is_not_a_number_problem(raw, status):
    assert parse_cell(raw).status == status


# ---- a second figure after a slash is noted, not dropped ---------------------------------------

@pytest.mark.parametrize("raw,value,unit,rest", [
    ("5nm/3nm", 5.0, "nm", "3nm"), ("5 nm/3 nm", 5.0, "nm", "3 nm"), ("TSMC 5nm/3nm", 5.0, "nm", "TSMC, 3nm"),
    ("1.5 PFLOPS/2 racks", 1.5, "PFLOPS", "2 racks"),
])
def test_a_second_figure_after_a_slash_is_noted(raw, value, unit, rest):
    q = parse_cell(raw)
    assert (q.status, q.value, q.unit, q.per, q.qualifier) == ("parsed", value, unit, None, rest)
    notes = [n for n in q.notes if n.startswith("more-numbers:")]
    assert len(notes) == 1 and "only the first" in notes[0], q.notes


@pytest.mark.parametrize("raw,value,unit,per", [
    ("3 TFLOPS/W", 3.0, "TFLOPS/W", None), ("2.5 TFLOPS/W", 2.5, "TFLOPS/W", None),
    ("8 PFLOPS/GPU", 8.0, "PFLOPS", "GPU"), ("$2M/节点", 2e6, "USD", "节点"), ("57x", 57.0, "x", None),
    ("21 PB/s", 21.0, "PB/s", None),
])
def test_compound_units_and_per_units_are_unchanged(raw, value, unit, per):
    q = parse_cell(raw)
    assert (q.status, q.value, q.unit, q.per) == ("parsed", value, unit, per)
    assert not any(n.startswith("more-numbers:") for n in q.notes), q.notes
