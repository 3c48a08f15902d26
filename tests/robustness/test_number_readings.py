"""Number readings of issue 14: every figure in a table cell is read right or reported by
`unparsed-number`, never read silently wrong (`10**17` as 1017, `1e309` dropped, `15 20kW` as 15),
and lists a reader sees (`1,830 1,980`, `80GB/40GB`) stay quiet."""
from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from factlint.facts import read_note
from factlint.ingest import parse_markdown
from factlint.normalise.quantity import parse_cell, unread_number
from factlint.pipeline import check_document, load_engine

from fuzz import strict_mode   # benchmarks/fuzz.py (tests/robustness/conftest.py puts it on sys.path)

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

# The hostile table of the issue, with readable rows so that its columns read as figures.
HOSTILE = """| GPU | Compute | Power |
|---|---|---|
| A | 10**17 FLOPS | 15 20kW |
| B | 1e309 PFLOPS | 80GB/40GB |
| C | 2e30x | 1_000 PFLOPS |
| D | ½T | 10^1000% |
| E | 8 PFLOPS | 700 W |
| F | 4 PFLOPS | 400 W |
"""
# cell -> the canonical value it must read as, or None for an unparsed-number finding
EXPECTED = {"10**17 FLOPS": 1e17, "2e30x": 2e30, "1_000 PFLOPS": 1e18, "½T": 5e11,
            "80GB/40GB": 80e9, "1e309 PFLOPS": None, "15 20kW": None, "10^1000%": None}


@pytest.fixture(scope="module")
def engine():
    return load_engine(None)


def _check(tmp_path, engine, text: str):
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8")
    with strict_mode():
        result = check_document(path, engine=engine)
    assert result.error is None
    return result


def test_each_hostile_cell_reads_right_or_is_reported(tmp_path, engine):
    result = _check(tmp_path, engine, HOSTILE)
    reported = {(f.location.line, f.location.column) for f in result.findings if f.rule == "unparsed-number"}
    claims = result.claims.set_index("raw")
    for cell, value in EXPECTED.items():
        claim = claims.loc[cell]
        where = (claim["line"], claim["column_label"])
        if value is None:
            assert where in reported, cell
            assert claim["status"] == "unparseable" and pd.isna(claim["canonical_value"]), cell
        else:
            assert where not in reported, cell
            assert claim["status"] == "parsed", (cell, claim["reason"])
            assert math.isclose(claim["canonical_value"], value, rel_tol=1e-12), (cell, claim["canonical_value"])
    # no fix is built from a misread: 10**17 read as 1017 once gave "Replace with `1229105211406096**17`"
    for finding in result.findings:
        if finding.fix is not None:
            assert "**17" not in finding.fix.replacement, finding.message


def test_a_variant_list_is_read_as_the_list_it_is(engine):
    facts = read_note(parse_markdown(HOSTILE), engine.vocab)
    claim = next(c for c in facts.claims if c["raw"] == "80GB/40GB")
    assert "states 2 figures (80GB; 40GB)" in claim["reason"]
    parts = sorted(f.reading.low for t in facts.tables for f in t.facts
                   if f.claim["raw"] == "80GB/40GB" and f.reading is not None)
    assert parts == [40e9, 80e9]


LISTS = """| GPU | Clock (MHz) | TDP (W) | Sizes | Specs | Memory |
|---|---|---|---|---|---|
| A | 1,830 1,980 | 300～350 | 7B,13B,30B,65B | 92 TOPS, 28nm, ~75W | 80GB/40GB |
| B | 1,410 1,755 | 250～300 | 7B,13B,70B | 64 TOPS, 16nm, ~40W | 48GB/96GB |
| C | 940 1,050 | 400 | 8B | 32 TOPS, 7nm, ~30W | 24GB |
"""


def test_cells_of_several_figures_are_no_unparsed_number(tmp_path, engine):
    result = _check(tmp_path, engine, LISTS)
    assert [f.message for f in result.findings if f.rule == "unparsed-number"] == []


def test_the_cli_reports_the_hostile_cells_and_exits_1_or_0(tmp_path):
    note = tmp_path / "note.md"
    note.write_text(HOSTILE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "factlint", "check", str(note)], capture_output=True,
                         text=True)
    assert run.returncode in (0, 1), run.stderr
    for cell in ("1e309 PFLOPS", "15 20kW", "10^1000%"):
        assert f"unparsed-number [" in run.stdout and f"] {cell} looks like a number" in run.stdout, cell


# ---- properties ---------------------------------------------------------------------------------

UNITS = ["", " ", "PFLOPS", " TFLOPS", "W", " kW", "%", "x", " GB", "nm", "T", "B", "亿", " 万核"]


@settings(max_examples=300, deadline=None)
@given(mantissa=st.integers(min_value=1, max_value=99), exp=st.integers(min_value=-420, max_value=420),
       form=st.sampled_from(["{m}e{e}", "{m}E{e}", "{m}×10^{e}", "{m} x 10^{e}", "{m}*10**{e}", "10^{e}",
                             "10**{e}"]),
       unit=st.sampled_from(UNITS))
def test_a_power_of_ten_reads_as_its_value_or_not_at_all(mantissa, exp, form, unit):
    """Scientific notation at any exponent: the value it states, or unparseable with the reason
    the rule reports (too large, too small); never the first digits of the exponent."""
    m = 1 if form.startswith("10") else mantissa
    cell = form.format(m=mantissa, e=exp) + unit
    q = parse_cell(cell)
    if q.status == "parsed":
        assert q.value is not None and math.isfinite(q.value) and q.canonical_value is not None
        scale = q.value / (m * 10.0 ** exp) if 10.0 ** exp else math.nan
        assert math.isfinite(scale) and scale > 0, (cell, q.value)
        assert math.isclose(math.log10(scale), round(math.log10(scale)), abs_tol=1e-9), (cell, q.value)
        assert round(math.log10(scale)) in (0, 3, 4, 8, 9, 12), (cell, q.value)   # a magnitude word only
    else:
        assert q.status == "unparseable" and unread_number(q.reason) == "number", (cell, q.status, q.reason)


FRAGMENTS = ["1", "0", "9", "10", "17", "1e309", "1e-400", "^", "**", "_", ",", ".", " ", "/", "-", "~",
             "½", "⅓", "⁄", "×", "x", "%", "$", "¥", "GB", "PFLOPS", "kW", "W", "nm", "T", "B", "万", "亿",
             "约", "以上", "+", "（", "）", "(", ")", "¹", "²", "e", "E", "O", "l"]
fragment_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                                   st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=3)),
                         max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(fragment_text)
def test_parse_cell_never_fails_inside_and_never_reads_a_non_finite_value(text):
    q = parse_cell(text)
    assert not q.reason.startswith("internal error"), (text, q.reason)
    for v in (q.value, q.value_high, q.canonical_value, q.canonical_value_high, q.tolerance):
        assert v is None or math.isfinite(v), (text, q)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(fragment_text, min_size=3, max_size=3), min_size=1, max_size=5))
def test_no_cell_text_makes_check_crash(tmp_path_factory, engine, rows):
    """Random digits, unit fragments and unicode in a table's cells: `check` runs every rule to
    the end (a crash would be exit 3, or a "rule … crashed" finding)."""
    lines = ["| Chip | Compute | Power |", "|---|---|---|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in row) + " |" for row in rows]
    path = tmp_path_factory.mktemp("cells") / "note.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with strict_mode():                    # a rule's exception escapes instead of being reported
        result = check_document(path, engine=engine)
    assert result.error is None
    for finding in result.findings:
        assert " crashed: " not in finding.message
    if len(result.claims):
        reasons = result.claims["reason"].dropna()
        assert not reasons.str.startswith("internal error").any(), list(reasons)
