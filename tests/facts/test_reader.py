"""The facts layer reads what each cell states about what: shapes, identities, sureness, relations."""
from __future__ import annotations

import pytest

from factlint.facts import read_note
from factlint.facts.relations import relations, total_record
from factlint.ingest.markdown import parse_markdown
from factlint.normalise.vocab import load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def facts_of(text: str, vocab):
    return read_note(parse_markdown(text, "note.md"), vocab)


def by_raw(facts, raw: str):
    found = [f for f in facts.facts if f.raw == raw]
    assert found, raw
    return found[0]


def test_the_entity_column_is_the_distinct_names_not_the_family_column(vocab):
    facts = facts_of("| Architecture | Name | Memory |\n|---|---|---|\n| Orbit | Kestrel K20 | 80 GB |\n"
                     "| Orbit | Kestrel K40 | 141 GB |\n| Orbit | Kestrel K60 | 192 GB |\n", vocab)
    table = facts.tables[0]
    assert (table.shape, table.entity_field) == ("entity-rows", 1)
    assert {by_raw(facts, r).identity.entity for r in ("80 GB", "141 GB")} == {"kestrelk20", "kestrelk40"}
    assert all(by_raw(facts, r).sure for r in ("80 GB", "141 GB", "192 GB"))


def test_products_across_the_header_make_a_transposed_table_with_variants_kept_apart(vocab):
    facts = facts_of("| Spec | Orion-2 SXM | Orion-2 PCIe | Orion-2 NVL |\n|---|---|---|---|\n"
                     "| Memory BW | 3,350 GB/s | 2,000 GB/s | 3,900 GB/s |\n"
                     "| FP16 Tensor Core (TFLOPS)* | 1,979 | 1,513 | 1,671 |\n"
                     "| FP16 (TFLOPS) | 134 | 102 | 120 |\n| TDP | 700W | 350W | 400W |\n", vocab)
    assert facts.tables[0].shape == "entity-columns"
    sxm, pcie = by_raw(facts, "3,350 GB/s").identity, by_raw(facts, "2,000 GB/s").identity
    assert (sxm.entity, sxm.variant, sxm.attribute) == ("orion2", frozenset({"sxm"}), "bandwidth")
    assert pcie.variant == frozenset({"pcie"}) and pcie != sxm
    tensor, vector = by_raw(facts, "1,979").identity, by_raw(facts, "134").identity
    assert tensor.qualifiers == {"fp16", "tensor", "star"}
    assert vector.qualifiers == {"fp16", "vector"}          # the table's other FP16 row is the tensor one


STARRED = ("| Spec | Orion-2 SXM | Orion-2 PCIe |\n|---|---|---|\n"
           "| TF32 Tensor Core (TFLOPS) | 495 | 378 |\n| TF32 Tensor Core (TFLOPS)* | {tf32} | 756 |\n"
           "| FP8 Tensor Core (TFLOPS) | 1,979 | 1,513 |\n| FP8 Tensor Core (TFLOPS)* | 3,958 | {fp8} |\n"
           "| FP64 Tensor Core (TFLOPS) | 67 | 51 |\n")


@pytest.mark.parametrize("tf32,fp8,basis", [
    ("989", "3,026", True),     # every starred figure twice its twin: the star is the sparse figure
    ("495", "3,026", True),     # one pair of four breaks the doubling: a figure to check, same reading
    ("495", "1,513", False),    # half the pairs do not double: the star means something else
])
def test_a_starred_twin_twice_its_figure_is_the_sparse_one(vocab, tf32, fp8, basis):
    facts = facts_of(STARRED.format(tf32=tf32, fp8=fp8), vocab)
    plain, starred = by_raw(facts, "378").identity, by_raw(facts, "756").identity
    broken = [f.identity for f in facts.facts if f.line == 4 and f.field == 1][0]
    if basis:
        assert plain.qualifiers == {"tf32", "tensor", "dense"}
        assert starred.qualifiers == {"tf32", "tensor", "star", "sparse"} == broken.qualifiers
    else:
        assert "dense" not in plain.qualifiers and starred.qualifiers == {"tf32", "tensor", "star"}
    assert not by_raw(facts, "67").identity.qualifiers & {"dense", "sparse"}      # no twin: unread


def test_one_starred_pair_says_nothing_of_the_star(vocab):
    facts = facts_of("| Spec | Orion-2 SXM |\n|---|---|\n| TF32 Tensor Core (TFLOPS) | 495 |\n"
                     "| TF32 Tensor Core (TFLOPS)* | 989 |\n", vocab)
    assert by_raw(facts, "989").identity.qualifiers == {"tf32", "tensor", "star"}


def test_per_node_columns_and_node_counts_are_part_of_the_identity(vocab):
    facts = facts_of("| GPU 型号 | GPU 数 / 节点 | CUDA Cores / 节点 | FP64 (TFLOPS / 节点) | 节点数 |\n"
                     "|---|---|---|---|---|\n| K80 | 8 | 55,296 | 77.6 | 5 |\n| K40 | 4 | 21,760 | 41.2 | 3 |\n", vocab)
    per_gpu = by_raw(facts, "55,296").identity
    assert (per_gpu.attribute, per_gpu.scope, per_gpu.qualifiers) == ("cores", "node", {"cuda"})
    compute = by_raw(facts, "77.6").identity
    assert compute.scope == "node" and by_raw(facts, "77.6").reading.unit == "FLOP/s"
    assert facts.tables[0].node_counts[0].key == (5.0, 5.0)


def test_two_records_of_one_name_are_no_identity(vocab):
    facts = facts_of("| Name | Memory | Bandwidth |\n|---|---|---|\n| K40 | 40 GB | 1.55 TB/s |\n"
                     "| K40 | 80 GB | 1.94 TB/s |\n| K20 | 24 GB | 600 GB/s |\n", vocab)
    assert not by_raw(facts, "40 GB").sure and not by_raw(facts, "80 GB").sure
    assert by_raw(facts, "24 GB").sure


def test_capacity_bus_width_and_bandwidth_labels(vocab):
    facts = facts_of("| 型号 | K10 | K20 |\n|---|---|---|\n| 显存容量 | 16GB | 24GB |\n| 内存总线(位) | 256 | 384 |\n"
                     "| HBM 带宽 | 800 GB/s | 1,200 GB/s |\n| Memory BW | 0.8 TB/s | 1.2 TB/s |\n", vocab)
    assert by_raw(facts, "16GB").identity.attribute == "memory"
    assert by_raw(facts, "256").identity.attribute == "memory_bus"
    assert by_raw(facts, "800 GB/s").identity.attribute == "bandwidth"
    assert by_raw(facts, "0.8 TB/s").identity.attribute == "bandwidth"


def test_a_cell_of_several_figures_is_several_unsure_facts_and_its_claim_says_so(vocab):
    facts = facts_of("| Chip | Notable specs |\n|---|---|\n| K1 | 92 TOPS, 28nm, ~75W |\n| K2 | 4 TOPS |\n", vocab)
    parts = [f for f in facts.facts if f.raw == "92 TOPS, 28nm, ~75W"]
    assert [f.reading.dimension for f in parts] == ["compute", "length", "power"]
    assert not any(f.sure or f.single for f in parts)
    assert "3 figures of different kinds" in parts[0].claim["reason"]


def test_a_slash_between_figures_of_two_kinds_is_two_parts_and_of_one_kind_variants(vocab):
    facts = facts_of("| 平台 | 单核峰值性能/单核内存 |\n|---|---|\n| A | 37Gflops/4GB |\n"
                     "| B | 80GB/40GB |\n", vocab)
    paired = [f for f in facts.facts if f.raw == "37Gflops/4GB"]
    assert [f.reading.dimension for f in paired] == ["compute", "information"]
    assert [f.reading.low for f in paired] == [37e9, 4e9]
    variants = [f for f in facts.facts if f.raw == "80GB/40GB"]
    assert [f.reading.low for f in variants] == [80e9, 40e9]
    assert not any(f.sure for f in paired + variants)


def test_counts_are_exact_and_a_cells_own_unit_wins(vocab):
    facts = facts_of("| Type | Nodes | Memory (GB) |\n|---|---|---|\n| A | 24 | 280.1(TB) |\n| B | 12 | 512 |\n", vocab)
    assert by_raw(facts, "24").reading.tolerance == 0.0
    assert by_raw(facts, "280.1(TB)").reading.low == pytest.approx(280.1e12)
    assert by_raw(facts, "512").reading.low == pytest.approx(512e9)


def test_period_columns_keep_quarters_and_months(vocab):
    facts = facts_of("# Results\n\n| ($M) | Three Months Ended Apr 27, 2025 | Three Months Ended Jan 26, 2025 | Q/Q |\n"
                     "|---|---|---|---|\n| Revenue | $2,640 | $2,400 | 10% |\n", vocab)
    assert facts.tables[0].shape == "period-columns"
    assert by_raw(facts, "$2,640").period == "2025M04" and by_raw(facts, "$2,400").period == "2025M01"
    assert not by_raw(facts, "10%").sure


def test_relations_are_found_in_the_numbers_and_chance_is_not_one(vocab):
    facts = facts_of("| Type | Nodes | CPUs per Node | CPU Cores |\n|---|---|---|---|\n"
                     "| A | 120 | 96 | 11,520 |\n| B | 8 | 96 | 768 |\n| C | 24 | 64 | 1,563 |\n"
                     "| D | 12 | 64 | 768 |\n| E | 4 | 32 | 128 |\n\n"
                     "| 型号 | K1 | K2 | K3 | K4 |\n|---|---|---|---|---|\n| SLOT数 | 2 | 2 | 1 | 2 |\n"
                     "| INT8 (TOPS) | 100 | 200 | 60 | 300 |\n| INT8 (TOPS)* | 200 | 400 | 120 | 600 |\n", vocab)
    (found,) = relations(facts.tables[0])
    assert (found.kind, found.result, found.operands) == ("product", 3, (1, 2))
    assert [r for r, _ in found.breaking] == [2]
    assert relations(facts.tables[1]) == []          # `* = 2 × dense` with a slot count of 2: no product


def test_an_unlabelled_last_row_is_a_total_only_by_its_numbers(vocab):
    facts = facts_of("| Site | Nodes | GPUs | Memory (TB) |\n|---|---|---|---|\n| N | 12 | 96 | 24 |\n"
                     "| S | 8 | 64 | 16 |\n| E | 4 | 32 | 8 |\n|  | 24 | 192 | 52 |\n\n"
                     "| Gen | Links | Bandwidth (GB/s) | Total (GB/s) |\n|---|---|---|---|\n| V1 | 4 | 40 | 160 |\n"
                     "| V2 | 6 | 50 | 300 |\n| V3 | 10 | 90 | 460 |\n", vocab)
    found = total_record(facts.tables[0])
    assert found.holding == (1, 2) and [f for f, _ in found.breaking] == [3]
    assert total_record(facts.tables[1]) is None     # a named last row is that product, whatever its sums


def test_every_cell_is_one_claim_in_note_order(vocab):
    facts = facts_of("| Chip | Specs |\n|---|---|\n| K1 | 92 TOPS, 28nm |\n| K2 | 4 TOPS |\n", vocab)
    assert [c["raw"] for c in facts.claims] == ["92 TOPS, 28nm", "4 TOPS"]
    assert [c["index"] for c in facts.claims] == [0, 1]
