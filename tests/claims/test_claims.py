"""Claims extraction: table shapes, entities, attributes, header units, and the golden claims of
the first note (reviewed by eye; regenerate with FACTLINT_UPDATE_SNAPSHOTS=1 and review the diff)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from factlint.claims import extract_claims
from factlint.ingest import parse_markdown, read_document
from factlint.normalise.vocab import load_vocabulary
from schemas.claims import ClaimsSchema, CONTRACT_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
NOTE = ROOT / "data" / "raw" / "cerebras-roadmap-note.md"
GOLDEN = Path(__file__).parent / "golden" / "cerebras-roadmap-note.claims.csv"
GOLDEN_COLUMNS = ["line", "row_label", "column_label", "entity", "attribute", "raw", "kind", "status",
                  "value", "value_high", "bound", "unit", "canonical_value", "canonical_value_high",
                  "canonical_unit", "dimension", "token", "qualifier"]


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


@pytest.fixture(scope="module")
def claims(vocab):
    return extract_claims(read_document(NOTE), vocab)


def claims_of(text: str, vocab) -> pd.DataFrame:
    return extract_claims(parse_markdown(text, "note.md"), vocab)


def one(df: pd.DataFrame, **where) -> pd.Series:
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{where}: {len(sel)} rows\n{sel}"
    return sel.iloc[0]


def test_claims_satisfy_the_contract(claims):
    ClaimsSchema.validate(claims, lazy=True)
    assert list(claims.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS


def test_wse3_transistors_on_all_four_lines(claims):
    rows = claims[(claims.entity == "WSE-3") & (claims.attribute == "transistors") & (claims.status == "parsed")]
    assert sorted(rows.line) == [41, 50, 61, 182]
    assert (rows.canonical_value == 4.0e12).all()


@pytest.mark.parametrize("line,column,entity,attribute,value,unit", [
    (51, "说明", "WSE-3", "cores", 900_000, "1"),          # 90 万核
    (185, "数值", "WSE-3", "cores", 900_000, "1"),          # 90 万核 in 8.1, entity from the note's subject
    (62, "WSE-3", "WSE-3", "cores", 900_000, "1"),          # 900K
    (49, "规格", "WSE-3", "die_area", 46225, "mm²"),
    (53, "规格", "WSE-3", "bandwidth", 2.1e16, "B/s"),      # 21 PB/s
    (60, "H100", "H100", "die_area", 814, "mm²"),
    (54, "规格", "WSE-3", "power", 15_000, "W"),
    (39, "制程", "WSE-1", "process_node", 14, "nm"),
    (104, "训练时间", "GPT-3", "training_time", 2 * 86400, "s"),
    (141, "H100", "H100", "price", 30_000, "USD"),
    (139, "Cerebras", "WSE-3", "memory", 8e10, "B"),        # a Cerebras column in a note about the WSE-3
    (161, "营收", "Cerebras", "revenue", 2.5e8, "USD"),     # company attributes stay with the company
])
def test_typed_values(claims, line, column, entity, attribute, value, unit):
    c = one(claims, line=line, column_label=column)
    assert (c.entity, c.attribute, c.canonical_unit) == (entity, attribute, unit)
    assert c.canonical_value == pytest.approx(value)


def test_misspelt_unit_range_is_kept_with_its_token(claims):
    c = one(claims, line=95, column_label="规格")
    assert (c.kind, c.status, c.token, c.value, c.value_high) == ("range", "unknown-unit", "PLOPS", 64, 256)
    assert c.attribute == "total_compute" and c.entity == "Andromeda"
    assert "PLOPS" in c.reason


def test_andromeda_nodes_range(claims):
    c = one(claims, line=94, column_label="规格")
    assert (c.entity, c.attribute, c.kind, c.value, c.value_high) == ("Andromeda", "nodes", "range", 16, 64)


def test_label_quantity_rows_carry_their_node_count(claims):
    c = one(claims, line=83, column_label="配置")
    assert (c.attribute, c.canonical_value) == ("nodes", 64)
    assert one(claims, line=83, column_label="参数").attribute == "compute"


def test_every_numeric_cell_is_typed_or_explained(claims):
    doc = read_document(NOTE)
    numeric_cells = [(row.line, cell.column) for t in doc.tables for row in t.rows
                     for cell in row.cells if re.search(r"\d", cell.text)]
    by_cell = {(r.line, r.column): r for r in claims.itertuples()}
    for key in numeric_cells:
        if key[1] == 0 and key not in by_cell:
            continue   # a row label (WSE-1, GPT-3) names the entity; it is not a claim
        claim = by_cell[key]
        assert claim.status in ("parsed", "unknown-unit", "unparseable", "text"), key
        if claim.status in ("unknown-unit", "unparseable"):
            assert claim.reason, key
        if claim.status == "text":
            # prose that merely contains a digit must still be reported with a reason or be prose
            assert not re.fullmatch(r"[\d.,]+", claim.raw), key


def test_golden_claims(claims):
    got = claims[GOLDEN_COLUMNS].copy()
    if os.environ.get("FACTLINT_UPDATE_SNAPSHOTS") or not GOLDEN.exists():
        got.to_csv(GOLDEN, index=False)
    want = pd.read_csv(GOLDEN, keep_default_na=False, na_values=[""])
    got = pd.read_csv(pd.io.common.StringIO(got.to_csv(index=False)), keep_default_na=False, na_values=[""])
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


# --- shapes in English and other layouts ----------------------------------------------------
def test_key_value_table_takes_entity_from_parent_heading(vocab):
    text = ("# Notes\n\n## Wafer Scale Engine 3\n\n### Specs\n\n| Spec | Value |\n|---|---|\n"
            "| Transistors | 4 trillion |\n| Cores | 900K |\n| On-chip SRAM | 44 GB |\n")
    df = claims_of(text, vocab)
    c = one(df, row_label="On-chip SRAM")
    assert (c.entity, c.attribute, c.canonical_value, c.line) == ("WSE-3", "on_chip_memory", 44e9, 11)
    assert one(df, row_label="Transistors").canonical_value == 4e12


def test_header_units_apply_to_bare_numbers(vocab):
    text = ("| Chip | TDP (W) | Memory [GB] | BF16 dense (TFLOPS) | 功耗（kW） |\n|---|---:|---:|---:|---:|\n"
            "| H100 | 700 | 80 | 989 | 0.7 |\n")
    df = claims_of(text, vocab)
    assert one(df, column_label="TDP (W)").canonical_value == 700
    assert one(df, column_label="Memory [GB]").canonical_value == 80e9
    c = one(df, column_label="BF16 dense (TFLOPS)")
    assert (c.attribute, c.canonical_value) == ("compute", pytest.approx(989e12))
    assert one(df, column_label="功耗（kW）").canonical_value == pytest.approx(700)


def test_comparison_table_with_ratio_column(vocab):
    text = ("| Metric | WSE-3 | H100 | Ratio |\n|---|---|---|---|\n| Die area | 46,225 mm² | 814 mm² | 57× |\n")
    df = claims_of(text, vocab)
    assert one(df, column_label="H100").entity == "H100"
    ratio = one(df, column_label="Ratio")
    assert (ratio.attribute, ratio.canonical_value, ratio.qualifier) == ("ratio", 57, "ratio of die_area")


def test_series_table_without_outer_pipes(vocab):
    text = "# Cerebras revenue\n\nYear | Revenue | Growth\n--- | --- | ---\n2024 | $290M | +269%\n2025 | $510M | +76%\n"
    df = claims_of(text, vocab)
    c = one(df, line=6, column_label="Revenue")
    assert (c.entity, c.attribute, c.canonical_value) == ("Cerebras", "revenue", 510e6)


def test_row_label_with_entity_and_attribute(vocab):
    text = "| 数据 | 数值 |\n|---|---|\n| CS-3 功耗 | 23 kW |\n| WSE 3 cores | 900,000 |\n"
    df = claims_of(text, vocab)
    assert (one(df, line=3).entity, one(df, line=3).attribute) == ("CS-3", "power")
    assert (one(df, line=4).entity, one(df, line=4).attribute) == ("WSE-3", "cores")


def test_no_tables_no_claims(vocab):
    df = claims_of("# Just prose\n\nNothing tabular 123.\n", vocab)
    assert df.empty and list(df.columns)[:3] == ["path", "table", "heading"]


def test_machine_counters_in_row_labels_are_node_counts(vocab):
    text = "## 集群\n\n| 规模 | 总算力 |\n|---|---|\n| 单机 | 8 PFLOPS |\n| 16 台 | 128 PFLOPS |\n"
    df = claims_of(text, vocab)
    assert one(df, line=6, column_label="规模").canonical_value == 16
    assert one(df, line=6, column_label="规模").attribute == "nodes"
    assert one(df, line=5, column_label="规模").canonical_value == 1


# --- products the vocabulary does not know, and units in row labels --------------------------
def test_comparison_of_unknown_products_names_them_from_the_header(vocab):
    text = ("| Metric | Groq LPU | SambaNova SN40L | Ratio |\n|---|---|---|---|\n"
            "| SRAM | 230 MB | 520 MB | 5x |\n")
    df = claims_of(text, vocab)
    assert one(df, column_label="Groq LPU").entity == "Groq LPU"
    assert one(df, column_label="SambaNova SN40L").attribute == "on_chip_memory"


def test_key_value_table_names_an_unknown_product_from_its_heading(vocab):
    text = "# Notes\n\n## 2.1 Groq LPU specifications\n\n| Parameter | Value |\n|---|---|\n| SRAM | 230 MB |\n"
    assert one(claims_of(text, vocab), line=7).entity == "Groq LPU"
    text = "# 笔记\n\n## 集群规格\n\n| 参数 | 规格 |\n|---|---|\n| 节点数 | 16 |\n"
    assert one(claims_of(text, vocab), line=7).entity is None   # a generic heading names nothing


def test_value_headers_do_not_make_a_comparison(vocab):
    text = "## WSE-3\n\n| Spec | Value | Source |\n|---|---|---|\n| Cores | 900,000 | Cerebras |\n"
    df = claims_of(text, vocab)
    assert one(df, column_label="Value").entity == "WSE-3"


def test_units_in_row_labels_apply_to_the_row(vocab):
    text = ("## H100\n\n| Spec | Value |\n|---|---|\n| Power (W) | 700 |\n| 功耗（kW） | 0.7 |\n\n"
            "| Metric | H100 | A100 |\n|---|---|---|\n| TDP (W) | 700 | 400 |\n")
    df = claims_of(text, vocab)
    assert one(df, line=5).canonical_value == 700
    assert one(df, line=6).canonical_value == pytest.approx(700)
    assert one(df, line=10, column_label="A100").canonical_value == 400


def test_rules_see_unknown_products(tmp_path):
    from factlint.pipeline import check_document

    note = tmp_path / "groq.md"
    note.write_text("# Groq notes\n\n## Groq LPU specifications\n\n| Parameter | Value |\n|---|---|\n"
                    "| SRAM | 230 MB |\n\n## Lineup\n\n| Chip | SRAM |\n|---|---|\n| Groq LPU | 512 MB |\n\n"
                    "| Metric | Groq LPU | SambaNova SN40L | Ratio |\n|---|---|---|---|\n"
                    "| SRAM | 230 MB | 520 MB | 5x |\n", encoding="utf-8")
    found = {(f.rule, f.location.line) for f in check_document(note).findings}
    assert ("cross-table", 13) in found or ("cross-table", 7) in found
    assert ("ratio-column", 17) in found
