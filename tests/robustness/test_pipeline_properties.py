"""Properties of the whole check path (tests/ingest and tests/normalise cover the parser and the
cell reader alone): any table, in any layout, goes through claims and every rule without an
exception; the claims always meet their contract; and a quantity written into a table cell
comes back as that cell's claim, whatever the table's markup."""
from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from factlint.claims import extract_claims
from factlint.ingest import parse_markdown
from factlint.pipeline import check_document, load_engine
from schemas.claims import ClaimsSchema

from fuzz import strict_mode   # benchmarks/fuzz.py (tests/robustness/conftest.py puts it on sys.path)

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # big repr of the engine
PROFILE = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HEADERS = ["产品", "制程", "晶体管", "算力", "内存", "功耗", "时间", "占比", "增速", "营收", "节点数", "系统", "芯片",
           "Chip", "Process", "Transistors", "Compute", "Memory", "Power", "Year", "Share", "Growth",
           "Revenue", "Nodes", "差距", "Ratio", "说明", "Notes", "WSE-3", "H100", "参数", "规格", ""]
CELLS = ["WSE-3", "H100", "CS-3", "TPU v5p", "5nm", "4.0T", "80B", "900,000", "90 万核", "44GB", "21 PB/s",
         "8 PLOPS", "125 PFLOPS", "1 EFLOPS", "15kW", "46225 mm²", "2024", "2027E", "$0.25B", "+100%",
         "40%", "57x", "16-64", "64-16", "50+", "✅", "❌ 研发中", "—", "", "N/A", "4O%", "1,2,3", "5..6",
         "**64 节点**", "单节点", "`code`", "a \\| b", "1e309", "-0", "½", "２０２４", "约 3 倍"]
# Any printable text (control characters make a file binary, which ingest reports: tested in
# test_malformed_inputs.py).
cell = st.one_of(st.sampled_from(CELLS),
                 st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12))


@st.composite
def tables(draw):
    width = draw(st.integers(min_value=1, max_value=5))
    header = [draw(st.sampled_from(HEADERS)) for _ in range(width)]
    rows = draw(st.lists(st.lists(cell, min_size=max(1, width - 1), max_size=width + 1),
                         min_size=0, max_size=6))
    outer = draw(st.booleans())
    heading = draw(st.sampled_from(["", "## WSE-3 规格\n\n", "## 2026 营收预测\n\n", "# CS-3 vs H100\n\n"]))
    date = draw(st.sampled_from(["", "> 学习笔记 | 2025-06-01\n\n"]))

    def line(cells):
        inner = " | ".join(c.replace("\n", " ").replace("|", "\\|") for c in cells)
        return f"| {inner} |" if outer else inner

    return date + heading + "\n".join([line(header), line(["---"] * width)] + [line(r) for r in rows]) + "\n"


@pytest.fixture(scope="module")
def engine():
    return load_engine(None)


@PROFILE
@given(st.lists(tables(), min_size=1, max_size=3))
def test_check_document_never_raises_and_claims_meet_the_contract(tmp_path_factory, engine, notes):
    path = tmp_path_factory.mktemp("prop") / "note.md"
    path.write_text("\n\n".join(notes), encoding="utf-8")
    with strict_mode():                           # a rule's exception must escape, not be reported
        result = check_document(path, engine=engine)
    assert result.error is None
    if len(result.claims):
        ClaimsSchema.validate(result.claims)
    for finding in result.findings:
        assert 1 <= finding.location.line <= result.document.line_count
        assert " crashed: " not in finding.message


@PROFILE
@given(st.text(max_size=300))
def test_extract_claims_never_raises_on_any_text(engine, text):
    extract_claims(parse_markdown(text), engine.vocab)


UNITS = ["nm", "GB", "TB/s", "PFLOPS", "kW", "W", "mm²"]


@PROFILE
@given(number=st.integers(min_value=1, max_value=9_999_999), decimals=st.integers(min_value=0, max_value=2),
       grouping=st.booleans(), unit=st.sampled_from(UNITS), glued=st.booleans(), bold=st.booleans(),
       outer=st.booleans(), column=st.integers(min_value=1, max_value=3))
def test_quantity_in_any_table_layout_comes_back_as_its_claim(engine, number, decimals, grouping, unit,
                                                              glued, bold, outer, column):
    value = number / 10 ** decimals
    text = f"{value:,.{decimals}f}" if grouping else f"{value:.{decimals}f}"
    written = f"{text}{'' if glued else ' '}{unit}"
    cells = ["X-1"] + ["—"] * 3
    cells[column] = f"**{written}**" if bold else written
    header = ["Chip", "A", "B", "C"]

    def line(cs):
        inner = " | ".join(cs)
        return f"| {inner} |" if outer else inner

    doc = parse_markdown("\n".join([line(header), line(["---"] * 4), line(cells)]) + "\n")
    claims = extract_claims(doc, engine.vocab)
    claim = claims[claims["column"] == column].iloc[0]
    assert claim["raw"] == written
    assert claim["status"] == "parsed", claim["reason"]
    assert claim["unit"] == unit
    assert math.isclose(claim["value"], value, rel_tol=1e-12)
    assert claim["line"] == 3
