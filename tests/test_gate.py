"""The gate validates every run's claims against the published contract."""
from __future__ import annotations

from pathlib import Path

from factlint.gate import contract_findings, run_check
from factlint.pipeline import check_document

NOTE = Path(__file__).resolve().parents[1] / "data" / "raw" / "cerebras-roadmap-note.md"


def test_the_first_note_meets_the_claims_contract():
    outcome = run_check([NOTE])
    assert not [f for f in outcome.findings if f.rule == "claims-contract"]


def test_a_claim_that_breaks_the_contract_is_a_finding_at_its_cell():
    result = check_document(NOTE)
    broken = result.claims.copy()
    at = broken.index[broken["line"] == 49][0]
    broken.loc[at, "status"] = "guessed"          # not a status the contract allows
    result.claims = broken
    found = contract_findings([result])
    assert [(f.rule, f.location.line, f.severity.value) for f in found] == [("claims-contract", 49, "error")]
    assert "status" in found[0].message and "guessed" in found[0].message


def test_slim_results_emit_the_same_bytes_as_full_ones():
    """The gate slims each note's result (no claims, prose blanked, only the tables findings
    point into); every format but the HTML report must not notice."""
    from factlint.emit import render

    notes = [NOTE.parent, NOTE.parents[2] / "tests" / "fixtures" / "notes"]
    full = run_check(notes, keep_documents=True, jobs=1)
    slim = run_check(notes, jobs=1)
    assert full.findings and {r.path for r in slim.results} == {r.path for r in full.results}
    assert all(not r.rows and r.claim_count == f.claim_count
               for r, f in zip(slim.results, full.results))
    for fmt in ("text", "json", "sarif", "github", "junit"):
        assert render(fmt, slim) == render(fmt, full), fmt


def test_tables_holding_keeps_exactly_the_tables_a_line_falls_in():
    from types import SimpleNamespace

    from factlint.pipeline import tables_holding

    tables = [SimpleNamespace(header_line=a, end_line=b) for a, b in ((3, 6), (10, 12), (20, 20))]
    assert tables_holding(tables, []) == ()
    assert tables_holding(tables, [6, 7, 20]) == (tables[0], tables[2])
    assert tables_holding(tables, [1, 8, 13, 21]) == ()
    brute = lambda lines: tuple(t for t in tables if any(t.header_line <= n <= t.end_line for n in lines))
    for lines in ([3], [12, 10], [2, 9, 19], list(range(25))):
        assert tables_holding(tables, lines) == brute(lines)
