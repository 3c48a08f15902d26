"""data/reference/vendor-specs.yaml: the hand-curated primary figures (see data/reference/README.md)."""
from pathlib import Path

import yaml

from factlint.facts.labels import qualifiers_of
from factlint.reference.kb import load_kb

SPECS = Path(__file__).resolve().parents[2] / "data" / "reference" / "vendor-specs.yaml"
RECORDS = yaml.safe_load(SPECS.read_text(encoding="utf-8"))


def test_every_record_is_a_primary_source_with_its_quote_and_link():
    assert RECORDS
    for r in RECORDS:
        assert r["tier"] == "primary", r["id"]
        assert r["quote"].strip() and r["source_url"].startswith("https://"), r["id"]
        assert r["confidence"] in ("high", "medium"), r["id"]


def test_a_derived_dense_figure_is_half_its_sparse_sibling_and_says_so():
    by_id = {r["id"]: r for r in RECORDS}
    derived = [r for r in RECORDS if r["derived"]]
    assert derived
    for r in derived:
        sparse = by_id[r["id"].replace("-dense", "-sparse")]
        assert r["value"] == sparse["value"] / 2, r["id"]
        assert "dense" in qualifiers_of(r["qualifier"]) and "sparse" in qualifiers_of(sparse["qualifier"])
        assert r["note"].startswith("DERIVED"), r["id"]


def test_the_curated_figures_load_beside_the_import_and_meet_the_same_product():
    kb = load_kb()
    nvl = {f.id: f for f in kb.facts("H100 NVL", "compute")}
    assert "nvidia.h100-nvl.compute.fp16-sparse" in nvl                        # curated
    assert any(i.startswith("tpu.") for i in nvl)                              # TechPowerUp's, same entity
    assert nvl["nvidia.h100-nvl.compute.fp16-sparse"].canonical_low == 1671e12
