"""The four reference rules run directly on hand-built claims (no ingest, no normaliser)."""
from __future__ import annotations

import pytest

from factlint.findings import Applicability, Severity
from factlint.rules import load_rules
from factlint.rules._context import RuleContext

RULES = ("reference-mismatch", "attribute-confusion", "undisclosed", "unverified")


def run(rule_id, claims, kb, severity=None):
    spec = load_rules()[rule_id]
    ctx = RuleContext(rule_id, severity or spec.severity, None, claims.claims, None, kb, facts=claims)
    return list(spec.func(None, ctx))


@pytest.fixture(scope="module")
def note_claims(make_claim, make_frame):
    """The first note's checkable cells, one per line."""
    rows = [
        ("WSE-1", "process_node", "14nm"), ("WSE-3", "on_chip_memory", "80GB"), ("WSE-3", "compute", "8 PLOPS"),
        ("CS-3", "memory", "80GB"), ("TPU v5p", "compute", "2 PLOPS"), ("TPU v5p", "memory", "128GB"),
        ("Andromeda", "nodes", "16-64"), ("Andromeda", "total_compute", "64-256 PLOPS"),
        ("Andromeda", "network", "InfiniBand"), ("WSE-3", "transistors", "4.0T"), ("WSE-3", "cores", "900,000"),
        ("WSE-3", "bandwidth", "21 PB/s"), ("WSE-3", "die_area", "46225 mm²"), ("H100", "die_area", "814mm²"),
        ("H100", "transistors", "80B"), ("H100", "cores", "16896"), ("H100", "memory", "80GB"),
        ("H100", "on_chip_memory", "80GB"), ("GPT-4", "parameters", "1T"), ("TPU v5p", "power", "450W"),
        ("Condor Galaxy 2", "total_compute", "5 EFLOPS"),
        ("科研机构", "share", "40%"),                  # a row label, not an entity: never "unverified"
    ]
    return make_frame(*(make_claim(e, a, raw, line=10 + i) for i, (e, a, raw) in enumerate(rows)))


def _lines(findings):
    return sorted((f.location.line, f.severity.value) for f in findings)


def test_reference_mismatch_flags_the_notes_errors_only(note_claims, kb):
    findings = run("reference-mismatch", note_claims, kb)
    assert _lines(findings) == [(10, "error"), (11, "error"), (12, "error"), (13, "error"), (14, "error"),
                                (15, "error"), (16, "error"), (17, "error"), (18, "error"), (30, "warning")]


@pytest.mark.parametrize("line,fix", [
    (10, "16nm"), (11, "44GB"), (12, "125 PFLOPS"), (13, "44GB"), (14, "459 TFLOPS"), (15, "95GB"),
    (16, "16"), (17, "120 PFLOPS"), (18, "Cerebras SwarmX fabric + 100 GbE"), (30, "4 EFLOPS"),
])
def test_reference_mismatch_fix_is_the_reference_value_written_the_notes_way(note_claims, kb, line, fix):
    finding = next(f for f in run("reference-mismatch", note_claims, kb) if f.location.line == line)
    assert finding.fix.replacement == fix
    assert finding.fix.applicability is Applicability.UNSAFE


def test_reference_mismatch_message_and_citation(note_claims, kb):
    finding = next(f for f in run("reference-mismatch", note_claims, kb) if f.location.line == 12)
    assert finding.message == ("WSE-3 compute: the note says 8 PLOPS, but Tom's Hardware, 2024-03 gives "
                               "125 PFLOPS (peak FP16 'AI' performance (sparse))")
    assert finding.evidence.startswith("reading PLOPS as PFLOPS; \"has a peak performance of 125 FP16 PetaFLOPS\"")
    assert "https://www.tomshardware.com/" in finding.evidence
    ref = finding.reference
    assert (ref.publication, ref.date, ref.value, ref.confidence) == ("Tom's Hardware", "2024-03", "125 PFLOPS", "high")
    assert ref.url.startswith("https://") and "125 FP16 PetaFLOPS" in ref.quote
    assert (finding.entity, finding.attribute, finding.rule) == ("WSE-3", "compute", "reference-mismatch")


def test_low_confidence_never_errors_even_when_configured_so(note_claims, kb):
    findings = run("reference-mismatch", note_claims, kb, severity=Severity.ERROR)
    low = [f for f in findings if f.reference.confidence == "low"]
    assert low and all(f.severity is Severity.WARNING for f in low)


def test_configured_severity_applies_to_trusted_facts(note_claims, kb):
    findings = run("reference-mismatch", note_claims, kb, severity=Severity.WARNING)
    assert {f.severity for f in findings} == {Severity.WARNING}


def test_attribute_confusion(note_claims, kb):
    findings = run("attribute-confusion", note_claims, kb)
    assert _lines(findings) == [(27, "warning")]
    assert findings[0].message == ("H100 on-chip memory: 80GB is its HBM memory (HBM3, 5 stacks, Glenn K. Lockwood, "
                                   "processor notes, undated); its on-chip memory is 50 MB (L2 cache (on-chip SRAM))")


def test_undisclosed(note_claims, kb):
    findings = run("undisclosed", note_claims, kb)
    assert _lines(findings) == [(28, "warning")]
    assert "not disclosed as of 2023-03-14" in findings[0].message
    assert "1.8 trillion" in findings[0].evidence      # the leak is named, not trusted


def test_unverified(note_claims, kb):
    findings = run("unverified", note_claims, kb)
    assert _lines(findings) == [(29, "info")]
    assert findings[0].message == "TPU v5p power 450W: no reference value to check it against"


def test_rules_without_a_knowledge_base_say_nothing(note_claims):
    for rule_id in RULES:
        assert run(rule_id, note_claims, None) == []


def test_rules_on_an_empty_frame(make_frame, kb):
    for rule_id in RULES:
        assert run(rule_id, make_frame(), kb) == []


def test_each_cell_gets_at_most_one_reference_verdict(note_claims, kb):
    lines = [f.location.line for rule_id in RULES for f in run(rule_id, note_claims, kb)]
    assert len(lines) == len(set(lines))


def test_fingerprints_are_stable_and_distinct(note_claims, kb):
    first = [f.fingerprint for f in run("reference-mismatch", note_claims, kb)]
    assert first == [f.fingerprint for f in run("reference-mismatch", note_claims, kb)]
    assert len(set(first)) == len(first)


def test_row_keys_are_not_checked(make_claim, make_frame, kb):
    # "64 节点 | 512 PLOPS" under an Andromeda heading: the 64 names a configuration, it does not say
    # Andromeda has 64 nodes. The same cell outside the first column is a statement and is checked.
    key = make_frame(make_claim("Andromeda", "nodes", "64", column=0))
    statement = make_frame(make_claim("Andromeda", "nodes", "64", column=1))
    assert [f for r in RULES for f in run(r, key, kb)] == []
    assert len(run("reference-mismatch", statement, kb)) == 1


@pytest.mark.parametrize("raw,flagged", [("1.8T", True), ("~1.8T (leaked)", False), ("1.8T（传闻）", False),
                                         ("估计 1.8T", False), ("1.8T (estimate)", False)])
def test_undisclosed_spares_values_the_note_marks_as_leaks_or_estimates(make_claim, make_frame, kb, raw, flagged):
    cell = {**make_claim("GPT-4", "parameters", "1.8T"), "raw": raw}
    assert bool(run("undisclosed", make_frame(cell), kb)) is flagged
