"""Properties of parse_cell: it never raises, and a generated quantity written in any supported
way (plain, thousands separators, K/M/B/T, 万/亿, with a unit, as a range) reads back as itself."""
from __future__ import annotations

import math
import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factlint.normalise.quantity import parse_cell
from factlint.normalise.units import format_quantity, unit_table

# NORMALISE_EXAMPLES=5000 for a deeper local run; 300 keeps CI fast.
SETTINGS = settings(max_examples=int(os.environ.get("NORMALISE_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
TABLE = unit_table()

# Spellings a generated cell may use after a number. Left out, each for a documented reason:
# `B` after a number is the billion suffix; `年` after a year-like integer is a calendar year;
# "1" is the count's canonical symbol, never written.
UNIT_SPELLINGS = sorted(s for s, u in TABLE.by_spelling.items()
                        if s not in ("B", "年", "1") and u.dimension != "money")
CURRENCY_PREFIXES = sorted({p for u in TABLE.units for p in u.prefixes})
SUFFIXES = {"K": 1e3, "k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12, "Bn": 1e9, "million": 1e6,
            "billion": 1e9, "万": 1e4, "亿": 1e8, "万亿": 1e12}
CELL_ALPHABET = ("0123456789.,+-~%$¥€ ×x/()[]^*<>≥≤≈–—年月天个核万亿千百十一二三四五两"
                 "KMBTGPEkmbtnsWHzBFLOPSsbpiµμ²³¹⁰✅❌⚠️🚧相同支持以上约超过至到toandper"
                 "ＰＦＬＯＰＳ１２３，．　\u00a0\u2009\u202f\t\n")


@st.composite
def written_numbers(draw):
    """A non-negative number as a note writes it: (text, value, place of its last significant
    digit). A whole number's trailing zeros past its first two digits are no significant digits
    (`990` is 990 ± 5, `1,000` is 1,000 ± 50)."""
    mantissa = draw(st.integers(min_value=0, max_value=9_999_999))
    decimals = draw(st.integers(min_value=0, max_value=3))
    value = mantissa / 10 ** decimals
    style = draw(st.sampled_from(["plain", "comma", "space"]))
    text = f"{value:,.{decimals}f}" if style != "plain" else f"{value:.{decimals}f}"
    if style == "space":
        text = text.replace(",", " ")
    place = 10.0 ** -decimals
    if decimals == 0:
        digits = str(mantissa)
        zeros = min(len(digits) - len(digits.rstrip("0")), len(digits) - 2)
        place *= 10.0 ** max(0, zeros)
    return text, value, place


@st.composite
def written_quantities(draw):
    """(cell text, expected canonical value, expected canonical high or None, unit info or None,
    expected tolerance)."""
    low_text, low, place = draw(written_numbers())
    suffix = draw(st.sampled_from([None, *SUFFIXES]))
    magnitude = SUFFIXES.get(suffix, 1.0)
    spelling = draw(st.sampled_from([None, *UNIT_SPELLINGS]))
    info = TABLE.by_spelling[spelling] if spelling else None
    factor = info.factor if info else 1.0
    ranged = draw(st.booleans())
    text = low_text + (suffix or "")
    high = None
    coarsest = place                   # a range is as precise as its less precise end
    if ranged:
        high_text, high_value, high_place = draw(written_numbers())
        text = f"{text}{draw(st.sampled_from(['-', '–', ' - ', ' to ', '~', ' 至 ']))}{high_text}{suffix or ''}"
        high = high_value * magnitude * factor
        coarsest = max(place, high_place)
    if spelling:
        # a magnitude word and a unit that starts with a letter need a space ("1.2T transistors")
        text += draw(st.sampled_from([" ", ""])) if not suffix else " "
        text += spelling
    tolerance = 0.5 * coarsest * magnitude * factor
    if spelling is None and suffix is None and coarsest == 1.0:
        tolerance = 0.0                # a plain count written in full is exact
    return text, low * magnitude * factor, high, info, tolerance


def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@SETTINGS
@given(st.text())
def test_never_raises_on_any_text(text):
    q = parse_cell(text)
    assert q.kind and q.status and "internal error" not in q.reason


@SETTINGS
@given(st.text(alphabet=CELL_ALPHABET, max_size=24),
       st.sampled_from([None, "W", "$M", "亿元", "%", "PLOPS", "B", "nonsense (x)", ""]),
       st.sampled_from([None, "count", "year", "compute"]))
def test_never_raises_on_cell_like_text(text, header, expect):
    q = parse_cell(text, header, expect=expect)
    assert "internal error" not in q.reason, (text, q.reason)
    assert q.bound in ("=", "~", ">=", ">", "<=", "<")
    if q.status == "parsed" and q.kind in ("number", "range", "percent", "ratio", "money", "year"):
        assert q.canonical_value is not None and math.isfinite(q.canonical_value)
        assert q.tolerance >= 0


@SETTINGS
@given(written_quantities())
def test_written_quantity_reads_back(case):
    text, value, high, info, tolerance = case
    q = parse_cell(text)
    assert q.status == "parsed", (text, q.status, q.reason)
    if q.kind == "year" or q.dimension == "year":      # four bare digits 1900-2100: a year
        assert _close(q.value, value) and info is None
        return
    assert _close(q.canonical_value, value), (text, q.canonical_value, value)
    if high is None:
        assert q.value_high is None and q.kind != "range"
    else:
        assert q.kind == "range" and _close(q.canonical_value_high, high), (text, q)
    assert q.unit == (info.symbol if info else None), (text, q.unit)
    assert q.canonical_unit == (info.canonical if info else "1")
    assert _close(q.tolerance, tolerance), (text, q.tolerance, tolerance)


@SETTINGS
@given(written_numbers(), st.sampled_from([None, *SUFFIXES]), st.sampled_from(CURRENCY_PREFIXES),
       st.booleans())
def test_written_money_reads_back(number, suffix, prefix, negative):
    text, value, _ = number
    cell = f"{'-' if negative else ''}{prefix}{text}{suffix or ''}"
    q = parse_cell(cell)
    expected = (-1 if negative else 1) * value * SUFFIXES.get(suffix, 1.0)
    assert (q.kind, q.status, q.dimension) == ("money", "parsed", "money"), (cell, q)
    assert _close(q.canonical_value, expected), (cell, q.canonical_value, expected)
    assert q.canonical_unit == TABLE.by_spelling[prefix].canonical


@SETTINGS
@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=3),
       st.sampled_from([u.symbol for u in TABLE.units if u.symbol not in ("B", "1")]),
       st.booleans())
def test_format_quantity_round_trips(mantissa, decimals, symbol, grouping):
    value = mantissa / 10 ** decimals
    text = format_quantity(value, symbol, decimals, grouping=grouping)
    q = parse_cell(text)
    assert q.status == "parsed", (text, q.reason)
    assert _close(q.value, value), (text, q.value, value)
    if q.kind != "year":
        assert q.unit == symbol, (text, q.unit)
        assert q.decimals == decimals
