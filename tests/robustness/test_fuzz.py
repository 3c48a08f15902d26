"""Mutation fuzzing in CI: a fixed, seeded budget of randomly edited real notes (bytes, lines,
cells) through rules, suppressions and emitters, with FACTLINT_STRICT=1, and zero crashes.
`benchmarks/run.py --fuzz N` runs a larger budget (docs/benchmarks.md records it)."""
from __future__ import annotations

import random
from dataclasses import replace

import pytest

import fuzz
from robustness_support import FIXTURE_NOTES, SAMPLE_NOTE
from factlint.pipeline import check_document, load_engine

CI_BUDGET = 150
CI_SEED = 20260203


def test_seeded_budget_of_mutated_notes_never_crashes():
    crashes = fuzz.fuzz(FIXTURE_NOTES + [SAMPLE_NOTE], CI_BUDGET, seed=CI_SEED)
    assert crashes == [], "\n\n".join(f"{c.seed_note} case {c.case} ({c.mutation}):\n{c.error}"
                                      for c in crashes[:3])


def test_mutations_are_reproducible_from_their_seed():
    data = SAMPLE_NOTE.read_bytes()
    first = fuzz.mutate(data, random.Random("9:41"))
    assert first == fuzz.mutate(data, random.Random("9:41"))
    assert first[0] != data


def test_mutations_reach_table_cells():
    data = SAMPLE_NOTE.read_bytes()
    done = ",".join(fuzz.mutate(data, random.Random(f"1:{i}"))[1] for i in range(200))
    kinds = {step.split("@")[0] for step in done.split(",")}
    assert {"cell", "drop-cell", "add-cell", "byte", "insert", "truncate", "swap-lines"} <= kinds


def test_an_exception_escaping_the_check_is_reported_as_a_crash():
    def broken(path):
        raise ZeroDivisionError("boom")

    crashes = fuzz.fuzz([SAMPLE_NOTE], 2, seed=1, check=broken)
    assert [c.case for c in crashes] == [0, 1]
    assert "ZeroDivisionError: boom" in crashes[0].error


def _engine_with_a_broken_rule():
    """The real engine with one rule replaced by one that raises."""
    engine = load_engine(None)

    def explode(doc, ctx):
        raise RuntimeError("rule bug")

    rules = tuple((replace(spec, func=explode) if spec.id == "range-order" else spec, severity)
                  for spec, severity in engine.rules)
    return replace(engine, rules=rules)


def test_strict_mode_lets_a_rule_exception_escape(strict):
    """Without this the fuzz test could not fail: the pipeline turns rule exceptions into
    findings unless FACTLINT_STRICT is set."""
    with pytest.raises(RuntimeError, match="rule bug"):
        check_document(SAMPLE_NOTE, engine=_engine_with_a_broken_rule())


def test_a_crash_finding_counts_as_a_crash(monkeypatch):
    monkeypatch.delenv("FACTLINT_STRICT", raising=False)
    result = check_document(SAMPLE_NOTE, engine=_engine_with_a_broken_rule())
    assert any("rule range-order crashed: RuntimeError: rule bug" in f.message for f in result.findings)
    crashes = fuzz.fuzz([SAMPLE_NOTE], 1, seed=0, check=lambda path: result)
    assert crashes[0].error.startswith("rule range-order crashed")
