"""data/reference/nvidia-ampere-tensor.yaml: NVIDIA's Ampere tensor-core figures, curated by hand
(issue #12; see data/reference/README.md). Every record cites NVIDIA's own table with its quote;
dense and sparse are separate records that agree with each other; the accumulator is in the
qualifier when the quote states it; and every entity is a product TechPowerUp's import knows, so
the curated figures meet the imported ones of the same card."""
import re
from pathlib import Path

import pytest
import yaml

from factlint.facts.labels import qualifiers_of
from factlint.reference.kb import load_kb

FILE = Path(__file__).resolve().parents[2] / "data" / "reference" / "nvidia-ampere-tensor.yaml"
RECORDS = yaml.safe_load(FILE.read_text(encoding="utf-8"))
TENSOR = [r for r in RECORDS if "tensor" in qualifiers_of(r["qualifier"])]
ID = re.compile(r"^nvidia\.[a-z0-9-]+\.(compute\.(tf32|fp16|bf16|int8|int4)-(dense|sparse)(-acc32)?"
                r"|compute\.fp32|power|memory|bandwidth)$")


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


def test_every_record_cites_nvidia_with_its_quote_and_says_where_it_was_read():
    assert RECORDS
    for r in RECORDS:
        assert r["tier"] == "primary" and r["publication"].startswith("NVIDIA, "), r["id"]
        assert r["quote"].strip() and r["source_url"].startswith("https://"), r["id"]
        assert r["confidence"] in ("high", "medium"), r["id"]
        if "nvidia.com" not in r["source_url"]:
            # Read in a copy: the confidence is at most medium and the note names where.
            assert r["confidence"] == "medium" and "verbatim" in r["note"], r["id"]
            assert r["source_url"] in r["note"], r["id"]


def test_ids_follow_the_curation_pattern():
    for r in RECORDS:
        assert ID.match(r["id"]), r["id"]


def test_a_tensor_figure_states_one_basis_and_a_sparse_one_is_the_starred_column():
    assert TENSOR
    for r in TENSOR:
        basis = qualifiers_of(r["qualifier"]) & {"dense", "sparse"}
        assert len(basis) == 1, r["id"]
        assert r["id"].rsplit(".", 1)[1].split("-")[1] == next(iter(basis)), r["id"]    # tf32-dense
        if basis == {"sparse"}:
            assert "*" in r["quote"] and "sparsity" in r["quote"].lower(), r["id"]


def test_the_dense_and_sparse_figures_of_one_row_agree():
    """Sparse is twice dense: exactly when the dense figure is derived (half the printed sparse
    one), within the printed rounding when NVIDIA prints both."""
    by_id = {r["id"]: r for r in RECORDS}
    dense = [r for r in TENSOR if "dense" in qualifiers_of(r["qualifier"])]
    assert dense
    for r in dense:
        sparse = by_id[r["id"].replace("-dense", "-sparse")]
        assert sparse["entity"] == r["entity"] and sparse["quote"] == r["quote"], r["id"]
        if r["derived"]:
            assert r["value"] == sparse["value"] / 2 and r["note"].startswith("DERIVED"), r["id"]
            assert r["confidence"] == "medium", r["id"]
        else:
            step = 10.0 ** -max(_decimals(r["value"]), _decimals(sparse["value"]))
            assert abs(sparse["value"] - 2 * r["value"]) <= 1.5 * step, r["id"]


def test_the_accumulator_is_in_the_qualifier_exactly_when_the_quote_states_it():
    for r in TENSOR:
        quoted = set(re.findall(r"with (FP16|FP32) Accumulate", r["quote"], re.IGNORECASE))
        stated = {q for q in qualifiers_of(r["qualifier"]) if q.startswith("acc-")}
        assert stated == {f"acc-{q.lower()}" for q in quoted}, r["id"]
        assert r["id"].endswith("-acc32") == (stated == {"acc-fp32"}), r["id"]


@pytest.mark.parametrize("entity", sorted({r["entity"] for r in RECORDS}))
def test_the_curated_figures_meet_the_imported_product(entity):
    facts = load_kb().facts(entity)
    ids = {f.id for f in facts}
    assert any(i.startswith("tpu.") for i in ids), entity                    # TechPowerUp's product
    assert {r["id"] for r in RECORDS if r["entity"] == entity} <= ids          # and ours, loaded beside it


def test_a_tensor_figure_loads_with_its_printed_value_in_its_unit():
    kb = load_kb()
    for r in TENSOR:
        fact = next(f for f in kb.facts(r["entity"], "compute") if f.id == r["id"])
        assert fact.canonical_low == pytest.approx(r["value"] * 1e12), r["id"]      # TFLOPS and TOPS
