"""The rules every hand-curated primary file of data/reference/ is held to, shared by its tests
(test_vendor_specs.py, test_nvidia_ada_blackwell_tensor.py): one place says what a curated record is."""
from factlint.facts.labels import qualifiers_of


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
