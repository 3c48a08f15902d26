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
