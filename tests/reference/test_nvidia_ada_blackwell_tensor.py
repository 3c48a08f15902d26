"""data/reference/nvidia-ada-blackwell-tensor.yaml: NVIDIA's tensor figures for Ada and Blackwell cards
(see data/reference/README.md), held to the rules of the hand-curated primary files."""
import pytest
import yaml

from factlint.reference.kb import load_kb
from tests.reference.curated_records import (REFERENCE, assert_derived_dense_is_half_its_sparse,
                                             assert_entities_are_imported_products_or_vocabulary,
                                             assert_ids_unique_across_the_reference_folder,
                                             assert_primary_with_quote_and_link, reference_mismatches_of)

SPECS = REFERENCE / "nvidia-ada-blackwell-tensor.yaml"
RECORDS = yaml.safe_load(SPECS.read_text(encoding="utf-8"))


def test_every_record_is_a_primary_source_with_its_quote_and_link():
    assert_primary_with_quote_and_link(RECORDS, publisher="NVIDIA, ", copy_note=True)


def test_a_derived_dense_figure_is_half_its_sparse_sibling_and_says_so():
    assert_derived_dense_is_half_its_sparse(RECORDS, same_quote=True)


def test_a_printed_dense_and_sparse_pair_is_two_records_of_one_quote():
    by_id = {r["id"]: r for r in RECORDS}
    for r in RECORDS:
        if r["id"].endswith("-dense") and not r["derived"]:
            sparse = by_id[r["id"].replace("-dense", "-sparse")]
            assert sparse["quote"] == r["quote"] and not sparse["derived"], r["id"]
            assert sparse["value"] > r["value"], r["id"]


def test_ids_are_unique_across_every_file_of_the_reference_folder():
    assert_ids_unique_across_the_reference_folder(RECORDS, SPECS)


def test_every_entity_is_an_imported_product_or_a_vocabulary_entity():
    assert_entities_are_imported_products_or_vocabulary(RECORDS)


@pytest.mark.parametrize("entity,curated", [
    ("L40", "nvidia.l40.compute.bf16-sparse"),
    ("RTX 6000 Ada Generation", "nvidia.rtx-6000-ada.compute.fp8-sparse"),
])
def test_the_curated_figures_meet_the_imported_product(entity, curated):
    facts = {f.id: f for f in load_kb().facts(entity, "compute")}
    assert curated in facts
    assert any(i.startswith("tpu.") for i in facts)          # TechPowerUp's, the same entity


# The layout of the Chinese GPU maps: one column per card, one row per precision, the accumulator and
# the sparse star in the row label. The L40's sparse FP8 figure written as the L40S's (733 where NVIDIA
# prints 724*) is flagged; the RTX 5000 Ada prints FP8 1,044.4 sparse only (its dense 522.2 is derived).
NOTE = """# Ada 显卡

| 型号 | NVIDIA L40 | NVIDIA RTX 5000 Ada |
| :---: | :---: | :---: |
| TF32 Tensor Core(TFLOPS)* | 181 | |
| BFLOAT16 Tensor Core(TFLOPS) (FP32累计) | 181 | |
| BFLOAT16 Tensor Core(TFLOPS)* (FP32累计) | 362 | |
| FP8 Tensor Core(TFLOPS) | 362 | 522 |
| FP8 Tensor Core(TFLOPS)* | 733 | 1,044 |
| INT4 Tensor Core(TOPS)* | 1,448 | |
"""


@pytest.fixture(scope="module")
def note_findings(tmp_path_factory):
    return reference_mismatches_of(NOTE, tmp_path_factory.mktemp("ada"))


def test_another_cards_figure_is_flagged_with_nvidias_table(note_findings):
    assert [(f.location.line, f.entity) for f in note_findings] == [(9, "NVIDIA L40")]
    finding = note_findings[0]
    assert finding.severity.value == "error"
    assert "724" in finding.reference.value and finding.reference.quote.startswith("FP8 Tensor Core")


def test_the_figures_nvidia_prints_agree(note_findings):
    flagged = {f.location.line for f in note_findings}
    assert not flagged & {5, 6, 7, 8, 10}
