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
