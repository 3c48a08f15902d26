"""The matcher on hand-built claims: one row per (claim, expected verdict, expected fact)."""
from __future__ import annotations

import pytest

from factlint.reference.match import match_claim, read_claim

CASES = [
    # entity, attribute, cell, extra labels, verdict, fact id (None: any / none)
    # --- the first note's corrections --------------------------------------------------------------
    ("WSE-1", "process_node", "14nm", {}, "mismatch", "wse-1.process-node"),
    ("WSE-3", "on_chip_memory", "80GB", {}, "mismatch", "wse-3.on-chip-memory"),
    ("CS-3", "memory", "80GB", {}, "mismatch", "cs-3.on-chip-memory"),
    ("WSE-3", "compute", "8 PLOPS", {}, "mismatch", "wse-3.compute"),
    ("CS-3", "compute", "8 PLOPS", {}, "mismatch", "cs-3.compute"),
    ("TPU v5p", "compute", "2 PLOPS", {}, "mismatch", "tpu-v5p.compute"),
    ("TPU v5p", "memory", "128GB", {}, "mismatch", "tpu-v5p.hbm-memory"),
    ("Andromeda", "nodes", "16-64", {}, "mismatch", "andromeda.nodes"),
    ("Andromeda", "total_compute", "64-256 PLOPS", {}, "mismatch", "andromeda.total-compute.dense"),
    ("Andromeda", "network", "InfiniBand", {}, "mismatch", "andromeda.network"),
    ("CS-2", "compute", "4 PLOPS", {}, "mismatch", "cs-2.compute.dense"),
    ("CS-3", "power", "25kW", {}, "mismatch", "cs-3.power"),
    # --- what the first note gets right -------------------------------------------------------------
    ("WSE-3", "transistors", "4.0T", {}, "agree", "wse-3.transistors"),
    ("WSE-3", "cores", "900,000", {}, "agree", "wse-3.cores"),
    ("WSE-3", "bandwidth", "21 PB/s", {}, "agree", "wse-3.bandwidth"),
    ("WSE-3", "die_area", "46225 mm²", {}, "agree", "wse-3.die-area"),
    ("WSE-3", "process_node", "5nm", {}, "agree", "wse-3.process-node"),
    ("H100", "die_area", "814mm²", {}, "agree", "h100.die-area"),
    ("H100", "transistors", "80B", {}, "agree", "h100.transistors"),
    ("H100", "cores", "16896", {}, "agree", "h100.cores"),
    ("H100", "memory", "80GB", {}, "agree", "h100.hbm-memory"),
    ("WSE-1", "transistors", "1.2T", {}, "agree", "wse-1.transistors"),
    ("WSE-2", "on_chip_memory", "40GB", {}, "agree", "wse-2.on-chip-memory"),
    ("WSE-1", "year", "2019", {}, "agree", "wse-1.year"),
    ("CS-2", "power", "20kW", {}, "agree", "cs-2.power.wafer-heat"),
    ("Andromeda", "nodes", "16", {}, "agree", "andromeda.nodes"),
    ("Andromeda", "location", "美国", {}, "agree", "andromeda.location"),
    ("Cerebras", "price", "$2M", {"per": "节点"}, "agree", "cerebras.price"),
    ("H100", "price", "$30K", {}, "agree", None),
    ("Llama 2", "parameters", "70B", {}, "agree", "llama-2.parameters.70b"),
    ("GPT-3", "parameters", "175B", {}, "agree", "gpt-3.parameters"),
    # --- qualified variants: any variant agrees, and the result names it ----------------------------
    ("H100", "compute", "2 PLOPS", {}, "agree", "h100.compute.fp16-sparse"),
    ("H100", "compute", "989 TFLOPS", {}, "agree", "h100.compute.fp16-dense"),
    ("H100", "compute", "4 PFLOPS", {}, "agree", "h100.compute.fp8-sparse"),
    ("Andromeda", "compute", "1 EFLOPS", {}, "agree", "andromeda.total-compute.sparse"),
    ("Andromeda", "network", "SwarmX", {}, "agree", "andromeda.network"),
    ("Andromeda", "location", "Texas", {}, "mismatch", "andromeda.location"),
    # --- precision and bounds -----------------------------------------------------------------------
    ("H100", "bandwidth", "3.4 TB/s", {}, "agree", "h100.bandwidth"),
    ("H100", "bandwidth", "3.5 TB/s", {}, "mismatch", "h100.bandwidth"),
    ("H100", "bandwidth", "3.50 TB/s", {}, "mismatch", "h100.bandwidth"),
    ("H100", "bandwidth", "~3.2 TB/s", {}, "agree", "h100.bandwidth"),
    ("H100", "cores", "10000+", {}, "agree", "h100.cores"),
    ("H100", "price", "$25K-30K", {}, "agree", "h100.price.raymond-james"),
    ("H100", "price", "$20K-30K", {}, "mismatch", None),
    ("WSE-3", "year", "2023", {}, "mismatch", "wse-3.year"),
    ("TPU v4", "memory", "32GB", {}, "agree", "tpu-v4.hbm-memory"),       # published as 32 GiB
    ("TPU v4", "memory", "34.4GB", {}, "agree", "tpu-v4.hbm-memory"),
    ("TPU v4", "memory", "40GB", {}, "mismatch", "tpu-v4.hbm-memory"),
    ("GPT-4", "year", "2023", {}, "agree", "gpt-4.year"),
    # --- a one-chip system shares its chip's chip-level figures, not its power ----------------------
    ("CS-1", "memory", "18GB", {}, "agree", "wse-1.on-chip-memory"),
    ("CS-1", "on_chip_memory", "20GB", {}, "mismatch", "wse-1.on-chip-memory"),
    ("CS-1", "power", "15kW", {}, "mismatch", "cs-1.power"),
    ("Andromeda", "on_chip_memory", "40GB", {}, "no_reference", None),     # 16 systems: nothing inherited
    # --- periods (context words) ---------------------------------------------------------------------
    ("Cerebras", "revenue", "$0.25B", {"row_label": "2024"}, "mismatch", "cerebras.revenue.fy2024"),
    ("Cerebras", "revenue", "$0.5B", {"row_label": "2025"}, "agree", "cerebras.revenue.fy2025"),
    ("Cerebras", "revenue", "$1B", {"row_label": "2026"}, "no_reference", None),
    ("Cerebras", "growth", "+100%", {"row_label": "2025"}, "mismatch", "cerebras.growth.fy2025"),
    ("Cerebras", "share", "87%", {"row_label": "G42"}, "agree", "cerebras.share.g42-h1-2024"),
    ("Cerebras", "share", "40%", {"row_label": "科研机构"}, "no_reference", None),
    # --- withheld facts ------------------------------------------------------------------------------
    ("GPT-4", "parameters", "1T", {}, "undisclosed", "gpt-4.parameters"),
    ("WSE-3", "power", "15kW", {}, "undisclosed", "wse-3.power"),
    ("WSE-4", "process_node", "3nm", {}, "undisclosed", "wse-4.process-node"),
    ("WSE-4", "transistors", "8.0T", {}, "undisclosed", "wse-4.transistors"),
    ("CS-4", "compute", "16 PLOPS", {}, "undisclosed", "cs-4.compute"),
    ("WSE-1", "compute", "2 PLOPS", {}, "undisclosed", "wse-1.compute"),
    # --- confusion and nothing to compare ------------------------------------------------------------
    ("H100", "on_chip_memory", "80GB", {}, "confusion", "h100.hbm-memory"),
    ("TPU v5p", "on_chip_memory", "95GB", {}, "confusion", "tpu-v5p.hbm-memory"),
    ("TPU v5p", "power", "450W", {}, "no_reference", None),
    ("MI300X", "compute", "1.3 PFLOPS", {}, "no_reference", None),
    ("Andromeda", "storage", "PB 级", {}, "no_reference", None),
    ("Condor Galaxy 2", "total_compute", "5 EFLOPS", {}, "mismatch", "condor-galaxy-2.total-compute"),
]


@pytest.mark.parametrize("entity,attribute,cell,labels,verdict,fact_id", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_match(kb, make_claim, entity, attribute, cell, labels, verdict, fact_id):
    result = match_claim(make_claim(entity, attribute, cell, **labels), kb)
    assert (result.verdict, fact_id or (result.fact.id if result.fact else None)) == \
        (verdict, result.fact.id if result.fact else None), result.note


def test_misspelt_unit_is_read_and_said(kb, make_claim):
    result = match_claim(make_claim("WSE-3", "compute", "8 PLOPS"), kb)
    assert result.value.reading == "reading PLOPS as PFLOPS"
    assert result.value.low == pytest.approx(8e15)


def test_range_against_one_value_explains_itself(kb, make_claim):
    result = match_claim(make_claim("Andromeda", "nodes", "16-64"), kb)
    assert "range" in result.note


def test_candidates_list_every_variant(kb, make_claim):
    result = match_claim(make_claim("H100", "compute", "2 PLOPS"), kb)
    assert {f.id for f in result.candidates} >= {"h100.compute.fp16-dense", "h100.compute.fp16-sparse",
                                                 "h100.compute.fp8-dense", "h100.compute.fp64"}
    assert "sparse" in result.note


def test_mismatch_prefers_trusted_facts_over_closer_unsourced_ones(kb, make_claim):
    # CS-2 power: the low-confidence unsourced 23 kW is closer to 30 kW than nothing else, but the
    # medium-confidence lower bound (>20 kW heat) agrees, so the claim is not a mismatch at all.
    assert match_claim(make_claim("CS-2", "power", "30kW"), kb).verdict == "agree"
    # A value below the lower bound disagrees with both; the trusted one is named.
    result = match_claim(make_claim("CS-2", "power", "10kW"), kb)
    assert (result.verdict, result.fact.id) == ("mismatch", "cs-2.power.wafer-heat")


@pytest.mark.parametrize("cell,kind", [("—", "missing"), ("57x", "ratio"), ("相同", "same"), ("✅", "status")])
def test_cells_that_state_nothing_comparable(make_claim, cell, kind):
    assert read_claim(make_claim("H100", "memory", cell, kind=kind, status="missing" if kind == "missing" else "parsed")) \
        is None


def test_no_entity_or_attribute(kb, make_claim):
    assert match_claim(make_claim(None, "compute", "8 PFLOPS"), kb).verdict == "no_reference"
    assert match_claim(make_claim("WSE-3", None, "8 PFLOPS"), kb).verdict == "no_reference"


def test_short_unknown_tokens_are_not_read_as_misspellings(kb, make_claim):
    # "16 CS-2": the normaliser leaves "CS" as an unknown unit; it is no misspelt centimetre.
    cell = make_claim("Andromeda", "nodes", "16 CS-2", kind="number", status="unknown-unit", value=16.0,
                      unit="CS", token="CS", canonical_value=None, canonical_unit=None)
    assert read_claim(cell) is None
    assert match_claim(cell, kb).verdict == "no_reference"


def test_a_number_in_a_categorical_cell_is_compared_by_name(kb, make_claim):
    # The normaliser reads "100GbE + SwarmX" as 100 Gb/s; the reference names Andromeda's network.
    cell = make_claim("Andromeda", "network", "100GbE + SwarmX", kind="number", status="parsed", value=100.0,
                      unit="Gbps", canonical_value=12.5e9, canonical_unit="B/s", dimension="bandwidth",
                      tolerance=62.5e6)
    assert match_claim(cell, kb).verdict == "agree"
    cell["raw"] = "200 Gb/s InfiniBand"
    assert match_claim(cell, kb).verdict == "mismatch"


def test_inherited_comparison_says_so(kb, make_claim):
    result = match_claim(make_claim("CS-1", "on_chip_memory", "20GB"), kb)
    assert "CS-1 has one WSE-1" in result.note


def _claim_of(fact, factor: float = 1.0) -> dict:
    """A claim stating exactly what a fact says (times `factor`), in canonical units."""
    kind = "year" if fact.attribute == "year" else ("range" if fact.value is None else "number")
    low, high = fact.canonical_low * factor, fact.canonical_high * factor
    return {"entity": fact.entity, "attribute": fact.attribute, "kind": kind, "status": "parsed", "raw": "x",
            "row_label": " ".join(fact.context), "column": 1, "bound": "=", "tolerance": fact.tolerance * factor,
            "canonical_value": low, "canonical_value_high": high if kind == "range" else None,
            "canonical_unit": fact.canonical_unit}


def test_every_stated_fact_agrees_with_itself(kb):
    stated = [f for f in kb.all_facts if f.is_stated]
    for fact in stated:
        if fact.is_numeric:
            result = match_claim(_claim_of(fact), kb)
        else:
            result = match_claim({"entity": fact.entity, "attribute": fact.attribute, "kind": "text", "column": 1,
                                  "status": "text", "text": fact.text_value, "raw": fact.text_value}, kb)
        withheld = [f for f in result.candidates if not f.is_stated]
        expected = "undisclosed" if withheld else "agree"
        assert result.verdict == expected, (fact.id, result.verdict, result.note)


def test_every_numeric_fact_disagrees_with_a_value_far_from_it(kb):
    for fact in (f for f in kb.all_facts if f.is_numeric and f.attribute != "year" and f.bound in ("=", "~")):
        result = match_claim(_claim_of(fact, 3.7), kb)
        assert result.verdict != "agree" or result.fact.id != fact.id, fact.id


def test_mismatch_names_a_stated_fact_before_a_closer_derived_one(kb, make_claim):
    # A derived fact only warns; when a stated fact of the same confidence disagrees too, it is the
    # one named, so the error is not downgraded by a closer derived variant.
    from dataclasses import replace

    from factlint.reference.match import best_mismatch

    claim = make_claim("CS-2", "compute", "4 PFLOPS")
    value = read_claim(claim)
    derived = kb.fact("cs-2.compute.dense")                      # 7.5 PFLOPS, derived, medium
    stated = replace(kb.fact("cs-2.compute.sparse"), derived=False, id="cs-2.compute.stated")
    assert best_mismatch(value, [derived, stated], "compute").id == "cs-2.compute.stated"
    assert best_mismatch(value, [derived], "compute").id == "cs-2.compute.dense"


@pytest.mark.parametrize("labels,per_node", [
    ({"row_label": "Per-node compute"}, True),
    ({"row_label": "单节点算力"}, True),
    ({"column_label": "每节点算力"}, True),
    ({"row_label": "每台功耗"}, True),
    ({"row_label": "Compute per system"}, True),
    ({"row_label": "Compute (each)"}, True),
    ({"per": "node"}, True),
    ({"per": "each"}, True),
    ({"row_label": "总算力"}, False),
    ({"row_label": "节点数"}, False),
    ({"row_label": "Total compute"}, False),
    ({"row_label": "SuperNode compute"}, False),
])
def test_per_node_labels(make_claim, labels, per_node):
    from factlint.reference.match import is_per_node

    assert is_per_node(make_claim("Andromeda", "compute", "8 PFLOPS", **labels)) is per_node


@pytest.mark.parametrize("cluster,labels,cell,verdict,fact,node", [
    # Never against the cluster total (120 PFLOPS dense): against one CS-2.
    ("Andromeda", {"row_label": "Per-node compute"}, "8 PFLOPS", "agree", "cs-2.compute.dense", "CS-2"),
    ("Andromeda", {"row_label": "单节点算力"}, "4 PFLOPS", "mismatch", "cs-2.compute.dense", "CS-2"),
    ("Andromeda", {"column_label": "每节点内存"}, "80GB", "mismatch", "cs-2.on-chip-memory", "CS-2"),
    ("Condor Galaxy 3", {"row_label": "每台算力"}, "125 PFLOPS", "agree", "cs-3.compute", "CS-3"),
    # Without a per-node label the cluster's own figures apply.
    ("Andromeda", {"row_label": "总算力"}, "120 PFLOPS", "agree", "andromeda.total-compute.dense", None),
])
def test_per_node_claim_of_a_cluster_is_matched_against_its_node(kb, make_claim, cluster, labels, cell,
                                                                  verdict, fact, node):
    result = match_claim(make_claim(cluster, "compute" if "算力" in str(labels) or "compute" in str(labels)
                                    else "memory", cell, **labels), kb)
    assert (result.verdict, result.fact.id if result.fact else None, result.node) == (verdict, fact, node)
    if node:
        assert f"compared with one {node}" in result.note


def test_per_system_label_of_a_system_stays_with_the_system(kb, make_claim):
    result = match_claim(make_claim("CS-3", "compute", "8 PLOPS", row_label="Compute per system"), kb)
    assert (result.verdict, result.fact.id, result.node) == ("mismatch", "cs-3.compute", None)


def test_per_node_claim_of_a_cluster_without_a_known_node_is_not_compared(kb, make_claim):
    from dataclasses import replace

    orphan = replace(kb, clusters={**kb.clusters, "Andromeda": None})
    result = match_claim(make_claim("Andromeda", "compute", "8 PFLOPS", row_label="单节点算力"), orphan)
    assert result.verdict == "no_reference" and "per-node" in result.note


@pytest.mark.parametrize("label,qualifier,expected", [
    ("FP16 Tensor Core(TFLOPS)(FP32累计)", "FP16 tensor, dense, FP32 accumulate", True),
    ("FP16 Tensor Core(TFLOPS)(FP32累计)", "FP16 tensor, dense, FP16 accumulate", False),
    ("Peak FP16 Tensor TFLOPS with FP16 Accumulate", "FP16 tensor, dense, FP32 accumulate", False),
    ("FP16 Tensor Core(TFLOPS)", "FP16 tensor, dense, FP32 accumulate", True),   # states no accumulator
    ("FP16 Tensor Core(TFLOPS)(FP32累计)", "FP16 tensor, dense", True),          # the source states none
])
def test_the_accumulator_a_label_names_must_be_the_facts(label, qualifier, expected):
    from types import SimpleNamespace

    from factlint.facts.labels import qualifiers_of
    from factlint.reference.match import compatible

    assert compatible(qualifiers_of(label), SimpleNamespace(qualifier=qualifier)) is expected


def test_no_applicable_figure_says_which_variants_the_reference_has(kb, make_claim):
    """Every B200 compute figure is a tensor precision the claim's FP16 rules out: the note says
    which ones the reference has (it said "only for , and ..." before)."""
    result = match_claim(make_claim("B200", "compute", "2250 TFLOPS"), kb, frozenset({"fp16"}))
    assert result.verdict == "no_reference" and result.candidates
    assert result.note.startswith("the reference gives B200 compute only as ")
    assert "which the claim's qualifiers rule out" in result.note and " , " not in result.note
