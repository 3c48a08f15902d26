"""Coverage of a note's numeric claims and the `factlint refs` rows."""
from __future__ import annotations

from factlint.reference.coverage import coverage, kb_summary, refs_table


def test_coverage_counts_numeric_claims_by_verdict(make_claim, make_frame, kb):
    claims = make_frame(
        make_claim("WSE-3", "on_chip_memory", "80GB"),        # mismatch
        make_claim("WSE-3", "cores", "900,000"),              # agree
        make_claim("H100", "on_chip_memory", "80GB"),         # confusion
        make_claim("GPT-4", "parameters", "1T"),              # undisclosed
        make_claim("TPU v5p", "power", "450W"),               # no reference
        make_claim("Andromeda", "network", "InfiniBand"),     # categorical: not a numeric claim
        make_claim(None, "compute", "8 PFLOPS"),              # no entity: not counted
    )
    # GPT-4's parameters are a model's figure, the others hardware specifications.
    assert coverage(claims, kb) == {"numeric_claims": 5, "checked": 4, "share": 0.8, "agree": 1, "mismatch": 1,
                                    "confusion": 1, "undisclosed": 1, "no_reference": 1,
                                    "hardware": {"numeric_claims": 4, "checked": 3, "share": 0.75}}


def test_coverage_counts_only_known_entities(make_claim, make_frame, kb):
    from factlint.normalise.vocab import load_vocabulary

    claims = make_frame(make_claim("TPU v5p", "power", "450W"), make_claim("NVIDIA", "revenue", "$60B"),
                        make_claim("科研机构", "share", "40%"))
    assert coverage(claims, kb)["numeric_claims"] == 1
    assert coverage(claims, kb, load_vocabulary())["numeric_claims"] == 2


def test_coverage_of_nothing(make_frame, kb):
    assert coverage(make_frame(), kb)["share"] == 0.0
    assert coverage(None, kb)["numeric_claims"] == 0


def test_kb_summary_per_entity_and_per_fact(kb):
    summary = kb_summary(kb)
    assert list(summary["entity"]) == kb.entities()
    assert summary["facts"].sum() == len(kb)
    wse3 = summary.set_index("entity").loc["WSE-3"]
    assert (wse3["facts"], wse3["withheld"], wse3["high"]) == (11, 1, 10)
    facts = kb_summary(kb, "WSE-3")
    assert list(facts.columns[:4]) == ["entity", "attribute", "id", "value"]
    assert "44 GB" in set(facts["value"]) and "not disclosed" in set(facts["value"])
    assert kb_summary(kb, "Nothing").empty


def test_refs_table_with_a_note(make_claim, make_frame, kb):
    claims = make_frame(make_claim("WSE-3", "on_chip_memory", "80GB", line=41),
                        make_claim("WSE-3", "cores", "900,000", line=50))
    rows = {r["entity"]: r for r in refs_table(kb, claims)}
    assert (rows["WSE-3"]["mismatch"], rows["WSE-3"]["agree"], rows["H100"]["agree"]) == (1, 1, 0)
    facts = {r["id"]: r for r in refs_table(kb, claims, entity="WSE-3")}
    assert facts["wse-3.on-chip-memory"]["note"] == "mismatch (line 41)"
    assert facts["wse-3.cores"]["note"] == "agree (line 50)"
    assert facts["wse-3.compute"]["note"] == ""
    assert refs_table(kb) == kb_summary(kb).to_dict("records")


def test_coverage_over_a_run_adds_the_hardware_counts_and_the_summary_says_both():
    from factlint.emit.text import coverage_line
    from factlint.pipeline import DocumentResult, total_coverage

    parts = [{"numeric_claims": 4, "checked": 2, "share": 0.5, "hardware": {"numeric_claims": 2, "checked": 2}},
             {"numeric_claims": 6, "checked": 1, "share": 0.1667, "hardware": {"numeric_claims": 4, "checked": 1}}]
    results = [DocumentResult(f"n{i}.md", "", None, [], [], coverage=c) for i, c in enumerate(parts)]
    total = total_coverage(results)
    assert total["numeric_claims"] == 10 and total["share"] == 0.3
    assert total["hardware"] == {"numeric_claims": 6, "checked": 3, "share": 0.5}
    assert coverage_line(total) == ("Coverage: 3 of 10 numeric claims checked against a source (30%); "
                                    "hardware specifications: 3 of 6 (50%).")
