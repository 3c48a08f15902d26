"""data/reference/nvidia-hopper-tensor.yaml: NVIDIA's datasheet figures for Hopper cards (see
data/reference/README.md), held to the rules of the hand-curated primary files. NVIDIA's H100 table
prints tensor rates with sparsity only, so every dense tensor figure is derived from its sparse one."""
import pytest
import yaml

from factlint.facts.labels import qualifiers_of
from factlint.reference.kb import load_kb
from tests.reference.curated_records import (REFERENCE, assert_derived_dense_is_half_its_sparse,
                                             assert_entities_are_imported_products_or_vocabulary,
                                             assert_ids_unique_across_the_reference_folder,
                                             assert_primary_with_quote_and_link, reference_mismatches_of)

SPECS = REFERENCE / "nvidia-hopper-tensor.yaml"
RECORDS = yaml.safe_load(SPECS.read_text(encoding="utf-8"))
TENSOR = [r for r in RECORDS if {"tensor", "sparse"} <= qualifiers_of(r["qualifier"])
          or {"tensor", "dense"} <= qualifiers_of(r["qualifier"])]


def test_every_record_is_a_primary_source_with_its_quote_and_link():
    assert_primary_with_quote_and_link(RECORDS, publisher="NVIDIA, ", copy_note=True)


def test_a_derived_dense_figure_is_half_its_sparse_sibling_and_says_so():
    assert_derived_dense_is_half_its_sparse(RECORDS, same_quote=True)


def test_a_sparse_figure_is_the_starred_one_and_every_dense_one_is_derived():
    assert TENSOR
    for r in TENSOR:
        if "sparse" in qualifiers_of(r["qualifier"]):
            assert "*" in r["quote"] and "sparsity" in r["quote"].lower() and not r["derived"], r["id"]
        else:
            assert r["derived"], r["id"]          # the table prints no dense tensor figure


def test_ids_are_unique_across_every_file_of_the_reference_folder():
    assert_ids_unique_across_the_reference_folder(RECORDS, SPECS)


def test_every_entity_is_an_imported_product_or_a_vocabulary_entity():
    assert_entities_are_imported_products_or_vocabulary(RECORDS)


def test_the_h100_pcie_figures_meet_the_imported_product_and_the_whitepapers():
    facts = {f.id: f for f in load_kb().facts("H100 PCIe", "compute")}
    assert {"nvidia.h100-pcie.compute.tf32-sparse", "nvidia.h100-pcie.compute.fp8-sparse"} <= set(facts)
    assert "nvidia.h100-pcie.compute.fp16-sparse" in facts          # vendor-specs.yaml, not repeated here
    assert any(i.startswith("tpu.") for i in facts)                 # TechPowerUp's, the same entity
    assert facts["nvidia.h100-pcie.compute.int8-sparse"].canonical_low == pytest.approx(3026e12)


# The layout of the Chinese GPU maps (one column per card, the sparse star in the row label). The
# H100 PCIe's sparse FP8 written as the SXM's (3,958 where NVIDIA prints 3,026*) is flagged; the
# dense figures agree with half the starred ones.
NOTE = """# Hopper 显卡

| 型号 | NVIDIA H100 for PCIe |
| :---: | :---: |
| FP64 Tensor Core(TFLOPS) | 51 |
| TF32 Tensor Core(TFLOPS) | 378 |
| TF32 Tensor Core(TFLOPS)* | 756 |
| FP8 Tensor Core(TFLOPS) | 1,513 |
| FP8 Tensor Core(TFLOPS)* | 3,958 |
| INT8 Tensor Core(TOPS)* | 3,026 |
"""


@pytest.fixture(scope="module")
def note_findings(tmp_path_factory):
    return reference_mismatches_of(NOTE, tmp_path_factory.mktemp("hopper"))


def test_another_cards_figure_is_flagged_with_nvidias_table(note_findings):
    assert [f.location.line for f in note_findings] == [9]
    finding = note_findings[0]
    assert finding.severity.value == "error"
    assert "3026" in finding.reference.value.replace(",", "") and finding.reference.quote.startswith("FP8 Tensor")
