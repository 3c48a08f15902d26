"""Mutation fuzzing in CI: a fixed, seeded budget of randomly edited notes (real, hostile and
generated, English and Chinese; byte, line, cell and Unicode edits) through rules, corpus rules,
suppressions and all six emitters, in batches as the 100,000-note run does, one batch also
through the `factlint check` process, with FACTLINT_STRICT=1, and zero crashes.
`benchmarks/fuzz.py N` runs a larger budget (docs/benchmarks.md records the 100,000 run)."""
from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

import fuzz
from robustness_support import FIXTURE_NOTES, SAMPLE_NOTE
from factlint.pipeline import check_document, load_engine

CI_BUDGET = 300
CI_SEED = 20260203


def test_seeded_budget_of_mutated_notes_never_crashes():
    report = fuzz.fuzz_at_scale(CI_BUDGET, CI_SEED, batch=50, workers=1, cli_every=3, generated=20)
    assert report.notes == CI_BUDGET and report.cli_notes == 100
    assert report.crashes == [], "\n\n".join(f"{c.seed_note} case {c.case} ({c.mutation}):\n{c.error}"
                                             for c in report.crashes[:3])


def test_the_notes_mutated_are_real_hostile_and_generated_in_both_languages():
    names = [name for name, _ in fuzz.sources(generated=6, seed=1)]
    assert {"cerebras-roadmap-note.md", "training-cluster-plan.md"} <= set(names)
    assert any(n.startswith("en-") for n in names) and any(n.startswith("zh-") for n in names)
    assert {p.name for p in FIXTURE_NOTES} <= set(names)
    generated = [data.decode("utf-8") for name, data in fuzz.sources(generated=6, seed=1)
                 if name.startswith("generated-")]
    assert len(generated) == 6
    assert any("芯片" in text or "营收" in text for text in generated)
    assert any("Business" in text or "Chips" in text for text in generated)


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
    assert {"unicode-invisible", "unicode-lookalike", "unicode-nfd", "cell-invisible",
            "cell-lookalike", "cell-odd-char"} <= kinds


def test_a_unicode_edit_puts_a_look_alike_or_invisible_character_in_a_cell():
    line = "| H100 | 80 GB | 700 W |"
    seen = {fuzz._unicode_edit(line, random.Random(i)) for i in range(300)}
    lookalikes = {text for text, how in seen if how == "lookalike"}
    assert lookalikes
    for text in lookalikes:                     # one character swapped for one that looks like it
        [(was, now)] = [(a, b) for a, b in zip(line, text) if a != b]
        assert len(text) == len(line) and now in fuzz.LOOKALIKE[was]
    assert any(how == "invisible" and any(ch in text for ch in fuzz.INVISIBLE) for text, how in seen)


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


def _cases(tmp_path: Path, texts: list[bytes]) -> dict:
    cases = {}
    for case, data in enumerate(texts):
        path = tmp_path / f"mutant-{case}.md"
        path.write_bytes(data)
        cases[str(path)] = (path, f"source-{case}", case, "edit")
    return cases


def test_a_batch_that_crashes_names_the_note_that_did_it(tmp_path, monkeypatch):
    real = fuzz.check_and_emit

    def fragile(paths):
        if any(b"BOOM" in Path(p).read_bytes() for p in paths):
            raise ZeroDivisionError("boom")
        return real(paths)

    monkeypatch.setattr(fuzz, "check_and_emit", fragile)
    note = SAMPLE_NOTE.read_bytes()
    crashes = fuzz._batch_crashes(_cases(tmp_path, [note, note + b"\nBOOM\n", note]))
    assert [(c.seed_note, c.case) for c in crashes] == [("source-1", 1)]
    assert "ZeroDivisionError: boom" in crashes[0].error


@pytest.mark.parametrize("fmt, out", [("json", '{"findings": ['), ("sarif", ""),
                                      ("junit", "<testsuites><testsuite>"),
                                      ("github", "::error file=a.md::x\nforged line\n"),
                                      ("text", "\ud800")])
def test_an_output_that_does_not_parse_is_a_crash(fmt, out):
    with pytest.raises(Exception):
        fuzz.check_output(fmt, out)


def test_outputs_of_a_real_check_parse(tmp_path):
    (tmp_path / "note.md").write_bytes(SAMPLE_NOTE.read_bytes())
    outcome = fuzz.check_and_emit([tmp_path / "note.md"])
    assert outcome.findings


def test_the_cli_sample_fails_on_any_exit_but_0_and_1(tmp_path):
    cases = _cases(tmp_path, [SAMPLE_NOTE.read_bytes()])
    assert fuzz._cli_crashes(tmp_path, cases) == []
    (tmp_path / "pyproject.toml").write_text('[tool.factlint]\nfail-on = "sometimes"\n', encoding="utf-8")
    [crash] = fuzz._cli_crashes(tmp_path, cases)
    assert crash.error.startswith("exit 2: ") and "fail-on" in crash.error


def test_a_note_that_never_answers_is_reported_as_a_hang(tmp_path, monkeypatch):
    import time

    real = fuzz.check_and_emit

    def slow(paths):
        if any(b"SLOW" in Path(p).read_bytes() for p in paths):
            while True:
                time.sleep(0.05)
        return real(paths)

    monkeypatch.setattr(fuzz, "check_and_emit", slow)
    monkeypatch.setattr(fuzz, "HANG_SECONDS", 1.0)
    note = SAMPLE_NOTE.read_bytes()
    crashes = fuzz._batch_crashes(_cases(tmp_path, [note, note + b"\nSLOW\n"]))
    assert [(c.seed_note, c.case) for c in crashes] == [("source-1", 1)]
    assert "hang: no answer after 1 s" in crashes[0].error and "in slow" in crashes[0].error
