"""Cells and reference records from the hostile test of issue 14 that crashed a run: each is now
read (or refused as configuration) and the run exits with a code that means something."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from factlint.errors import ConfigError
from factlint.reference.kb import DEFAULT_PATH, load_kb


@pytest.mark.parametrize("cell", ["5--10 GB", "10--5 GB", "-5 GB", "0 GB", "0--0 GB"])
def test_a_range_through_zero_or_below_is_matched_without_a_crash(tmp_path, cell):
    note = tmp_path / "note.md"
    note.write_text(f"| 指标 | WSE-3 | H100 |\n|---|---|---|\n| **核心数** | 900K | {cell} |\n"
                    f"| 内存 | 44 GB | {cell} |\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "factlint", "check", str(note), "-f", "json", "-o", "-"],
                         capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr


@pytest.mark.parametrize("value,problem", [(float("inf"), "finite"), (float("-inf"), "finite"),
                                           (float("nan"), "value: expected a finite number")])
def test_a_non_finite_reference_value_is_a_configuration_error(tmp_path, value, problem):
    record = {"id": "x.compute", "entity": "WSE-3", "attribute": "compute", "value": value, "unit": "PFLOPS",
              "publication": "T", "source_url": "https://example.org/x", "quote": "q", "confidence": "high",
              "tier": "primary"}
    (tmp_path / "facts.yaml").write_text((DEFAULT_PATH / "facts.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump([record]), encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"bad\.yaml: invalid reference facts: record x\.compute .*{problem}"):
        load_kb(tmp_path)


@pytest.mark.parametrize("debug,traceback_shown", [("0", False), ("", False), ("1", True), ("true", True)])
def test_an_internal_error_exits_3_with_a_traceback_only_when_asked(tmp_path, debug, traceback_shown):
    crash = ("import sys, factlint.cli as cli, factlint.pipeline as pipeline\n"
             "def boom(*args, **kwargs):\n    raise RuntimeError('boom')\n"
             "pipeline.check_paths = boom\n"
             "sys.argv = ['factlint', 'check', 'note.md']\ncli.main()\n")
    (tmp_path / "note.md").write_text("| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    env = {**__import__("os").environ, "FACTLINT_DEBUG": debug}
    run = subprocess.run([sys.executable, "-c", crash], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert run.returncode == 3, run.stderr
    assert "internal error: RuntimeError: boom" in run.stderr
    assert ("Traceback" in run.stderr) is traceback_shown


def test_a_header_row_that_is_only_a_factlint_comment_is_no_table():
    """`|<!-- factlint-disable-line … -->` over `|---|`: the comment is taken out of the header,
    which leaves no cell; the table is not read, and the note says why (hypothesis found it)."""
    from factlint.ingest import parse_markdown

    doc = parse_markdown("|<!-- factlint-disable-line r -- x -->\n|---|\n| 5 |\n")
    assert not doc.tables
    assert [p.kind for p in doc.problems] == ["table-without-header"]


# Found by the 100,000-note fuzz run: a product named by a run of digits and a fraction (a
# generated note's `QUFENM-2` edited into `9999…9 ½`) made generation-trend's suffix regex
# backtrack exponentially; the run never ended (two batches ran for an hour before they were
# stopped). Before the fix this test did not end either.
HANGING_NOTE = ("| Chip | Process | Compute | Year |\n| :--- | :--- | :--- | :--- |\n"
                "| QUFENM-1 | 5nm | 1 PFLOPS | 2018 |\n| " + "9" * 40 + " ½ | 3nm | 2 PFLOPS | 2020 |\n"
                "| QUFENM-3 | 2nm | 4 PFLOPS | 2022 |\n")


def test_a_product_named_by_forty_digits_and_a_fraction_is_checked(tmp_path):
    from factlint.pipeline import check_document

    note = tmp_path / "note.md"
    note.write_text(HANGING_NOTE, encoding="utf-8")
    result = check_document(note)
    assert result.error is None and len(result.claims) >= 6


def test_generation_stems_are_what_the_old_regex_made_of_them():
    """The one-pass reading strips the same suffix as `(v?\\d+[a-z]?)+$` did, on every string of
    up to five characters over the letters that matter."""
    import itertools
    import re

    from factlint.normalise.vocab import norm_key
    from factlint.rules.generation_trend import _stem

    old = re.compile(r"(v?\d+[a-z]?)+$")
    for length in range(6):
        for chars in itertools.product("av5x0٣⁄-", repeat=length):
            key = "".join(chars)
            assert _stem(key) == old.sub("", norm_key(key)), key
    assert [_stem(k) for k in ("H100", "TPU v5p", "MI300X", "WSE-3", "9" * 40 + "1⁄2")] == \
        ["h", "tpu", "mi", "wse", "9" * 40 + "1⁄"]
