"""data/reference/vendor-specs.yaml: the hand-curated primary figures (see data/reference/README.md)."""
from pathlib import Path

import yaml

from factlint.reference.kb import load_kb
from tests.reference.curated_records import (assert_derived_dense_is_half_its_sparse,
                                             assert_primary_with_quote_and_link)

SPECS = Path(__file__).resolve().parents[2] / "data" / "reference" / "vendor-specs.yaml"
RECORDS = yaml.safe_load(SPECS.read_text(encoding="utf-8"))


def test_every_record_is_a_primary_source_with_its_quote_and_link():
    assert_primary_with_quote_and_link(RECORDS)


def test_a_derived_dense_figure_is_half_its_sparse_sibling_and_says_so():
    assert_derived_dense_is_half_its_sparse(RECORDS)


def test_the_curated_figures_load_beside_the_import_and_meet_the_same_product():
    kb = load_kb()
    nvl = {f.id: f for f in kb.facts("H100 NVL", "compute")}
    assert "nvidia.h100-nvl.compute.fp16-sparse" in nvl                        # curated
    assert any(i.startswith("tpu.") for i in nvl)                              # TechPowerUp's, same entity
    assert nvl["nvidia.h100-nvl.compute.fp16-sparse"].canonical_low == 1671e12


def test_the_a100_datasheet_figures_hold_for_its_pcie_cards_too(tmp_path):
    # One datasheet column covers the 40 and 80 GB, PCIe and SXM parts: a note's PCIe card is
    # checked against it (it resolves to TechPowerUp's `A100 PCIe 80 GB`, which has no tensor rates).
    from factlint.config import Settings
    from factlint.pipeline import check_document

    kb = load_kb()
    for card in ("A100 PCIe 40 GB", "A100 PCIe 80 GB"):
        assert "nvidia.a100.compute.tf32-dense" in {f.id for f in kb.facts(card, "compute")}
    note = tmp_path / "a100.md"
    note.write_text("| 型号 | NVIDIA A100 for PCIe 80GB | NVIDIA A100 for PCIe 40GB |\n|---|---|---|\n"
                    "| TF32 Tensor Core(TFLOPS) | 156 | 165 |\n"
                    "| INT8 Tensor Core(TOPS)* | 1247 | 1,248 |\n", encoding="utf-8")
    result = check_document(note, Settings(select=("reference-mismatch",)))
    assert [(f.location.line, f.location.column) for f in result.findings] == [(3, "NVIDIA A100 for PCIe 40GB")]
    assert "156 TFLOPS" in result.findings[0].message
