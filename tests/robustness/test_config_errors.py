"""Every configuration mistake exits 2 with a message naming the file and the key (#14).

Each case writes a project (pyproject.toml, a tiny note, and the bad vocabulary, knowledge-base or
option it is about) and runs `factlint check` on the note as a user would: the exit code must be 2
(a configuration error), never 0 (accepted silently: a string read as a list of one-letter aliases,
an empty knowledge base switching the reference checks off) or 3 (an internal error), and the
message must name the file and the key, and say what was expected.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

NOTE = "| 指标 | WSE-3 |\n|---|---|\n| 制程 | 5 nm |\n| 核心数 | 900,000 |\n"

# One valid knowledge-base record; a case changes one field of it.
RECORD = {"id": "zz-1.process-node", "entity": "ZZ-1", "attribute": "process_node", "status": "stated",
          "value": 5, "unit": "nm", "as_of": "2024-03", "source_url": "https://example.com/zz-1",
          "publication": "Example", "tier": "primary", "quote": "built on a 5 nm process",
          "confidence": "high", "derived": False}


def _yaml_record(**changes) -> str:
    import yaml

    return yaml.safe_dump([{**RECORD, **changes}], allow_unicode=True, sort_keys=False)


def _run(project: Path, pyproject: str, files: dict[str, str | bytes], *args: str,
         config: str = "pyproject.toml") -> subprocess.CompletedProcess:
    (project / "pyproject.toml").write_text(textwrap.dedent(pyproject), encoding="utf-8")
    (project / "note.md").write_text(NOTE, encoding="utf-8")
    for name, body in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "factlint", "check", "--config", config, *args, "note.md"],
                          capture_output=True, text=True, cwd=project, timeout=300,
                          env={**os.environ, "FACTLINT_DEBUG": "0"})


def _assert_config_error(run: subprocess.CompletedProcess, *named: str) -> None:
    assert run.returncode == 2, f"exit {run.returncode}\n{run.stdout}\n{run.stderr}"
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    for text in named:
        assert text in run.stderr, f"{text!r} not in {run.stderr!r}"


VOCAB_CONFIG = '[tool.factlint]\nvocabulary = ["vocab.yaml"]\n'

VOCABULARY_CASES = {
    # name: (vocab.yaml, what the message must name besides the file)
    "aliases-a-string": ("entities:\n- {id: ZZ-1, kind: chip, aliases: ZZ-Prime}\n",
                         ("aliases", "expected a list")),
    "id-null": ("entities:\n- {id: null, kind: chip, aliases: [ZZ]}\n", ("entities[1]", "id")),
    "id-missing": ("entities:\n- {kind: chip, aliases: [ZZ]}\n", ("entities[1]", "id")),
    "attributes-a-string": ("attributes: power\n", ("attributes", "expected a list")),
    "attributes-numbers": ("attributes: [1, 2]\n", ("attributes[1]", "expected a mapping")),
    "attribute-aliases-a-string": ("attributes:\n- {name: zz_speed, dimension: compute, aliases: zz}\n",
                                   ("zz_speed", "aliases")),
    "contains-a-string": ("entities:\n- {id: ZZ-1, kind: system, aliases: [ZZ], contains: WSE-3}\n",
                          ("ZZ-1", "contains", "expected a mapping")),
    "contains-count-a-word": ("entities:\n- {id: ZZ-1, kind: system, aliases: [ZZ], "
                              "contains: {entity: WSE-3, count: many}}\n", ("contains.count",)),
    "contains-without-entity": ("entities:\n- {id: ZZ-1, kind: system, aliases: [ZZ], "
                                "contains: {count: 2}}\n", ("contains.entity",)),
    "contains-unknown-entity": ("entities:\n- {id: ZZ-1, kind: system, aliases: [ZZ], "
                                "contains: {entity: ZZ-404, count: 2}}\n", ("contains.entity", "ZZ-404")),
    "unknown-record-key": ("entities:\n- {id: ZZ-1, kind: chip, alias: [ZZ]}\n", ("alias", "unknown key")),
    "unknown-top-level-key": ("entity:\n- {id: ZZ-1, kind: chip, aliases: [ZZ]}\n", ("entity", "unknown key")),
    "alias-of-another-entity": ("entities:\n- {id: ZZ-1, kind: chip, aliases: [WSE-3]}\n",
                                ("entity alias 'WSE-3' names both",)),
    "not-utf8": (b"entities:\n- {id: ZZ-\xff, kind: chip, aliases: [ZZ]}\n", ("UTF-8",)),
}


@pytest.mark.parametrize("case", sorted(VOCABULARY_CASES))
def test_a_bad_vocabulary_file_exits_2_naming_the_file_and_key(tmp_path, case):
    body, named = VOCABULARY_CASES[case]
    run = _run(tmp_path, VOCAB_CONFIG, {"vocab.yaml": body})
    _assert_config_error(run, "vocab.yaml", *named)


def test_a_good_vocabulary_file_still_loads(tmp_path):
    body = ("entities:\n- {id: ZZ-1, kind: system, aliases: [ZZ One], contains: {entity: WSE-3, count: 2}}\n"
            "attributes:\n- {name: zz_speed, dimension: compute, aliases: [zz speed]}\n")
    run = _run(tmp_path, VOCAB_CONFIG, {"vocab.yaml": body})
    assert run.returncode in (0, 1), run.stderr


KB_CASES = {
    # name: (pyproject [tool.factlint] lines, files, what the message must name)
    "empty-file-in-folder": ('reference = "kb"\n', {"kb/facts.yaml": ""}, ("kb/facts.yaml", "no fact records")),
    "empty-list-in-folder": ('reference = "kb"\n', {"kb/facts.yaml": "[]\n"}, ("kb/facts.yaml", "no fact records")),
    "empty-user-file": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": "# nothing yet\n"},
                        ("ours.yaml", "no fact records")),
    "empty-user-csv": ('reference-files = ["ours.csv"]\n', {"ours.csv": "id,entity,attribute\n"},
                       ("ours.csv", "no fact records")),
    "negative-process-node": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": _yaml_record(value=-5)},
                              ("ours.yaml", "zz-1.process-node", "value", "negative")),
    "negative-range": ('reference-files = ["ours.yaml"]\n',
                       {"ours.yaml": _yaml_record(value=None, value_low=-3, value_high=5)},
                       ("ours.yaml", "zz-1.process-node", "value_low", "negative")),
    "not-utf8-file": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": b"- id: zz\xff\n"},
                      ("ours.yaml", "UTF-8")),
    # Values that str() or bool() used to turn into something else without a word.
    "derived-a-word": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": _yaml_record(derived="maybe")},
                       ("ours.yaml", "zz-1.process-node", "derived: expected true or false")),
    "derived-a-word-in-csv": ('reference-files = ["ours.csv"]\n',
                              {"ours.csv": "id,entity,attribute,value,unit,publication,tier,quote,confidence,"
                                           "derived\nzz-1.process-node,ZZ-1,process_node,5,nm,Example,primary,"
                                           "q,high,maybe\n"},
                              ("ours.csv", "zz-1.process-node", "derived: expected true or false")),
    "entity-a-list": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": _yaml_record(entity=["ZZ-1"])},
                      ("ours.yaml", "entity: expected a text")),
    "status-a-number": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": _yaml_record(status=0)},
                        ("ours.yaml", "zz-1.process-node", "status")),
    "value-nan": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": _yaml_record(value="nan")},
                  ("ours.yaml", "value: expected a finite number")),
    "value-too-big-for-a-float": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": _yaml_record(value=10**400)},
                                  ("ours.yaml", "value: expected a finite number")),
    "margin-a-word": ('reference-files = ["ours.yaml"]\n', {"ours.yaml": _yaml_record(margin="ten")},
                      ("ours.yaml", "margin: expected a finite number")),
}


@pytest.mark.parametrize("case", sorted(KB_CASES))
def test_a_bad_knowledge_base_exits_2_naming_the_file_and_key(tmp_path, case):
    lines, files, named = KB_CASES[case]
    if "kb/facts.yaml" not in files and 'reference = "kb"' in lines:
        files = {**files, "kb/facts.yaml": _yaml_record()}
    run = _run(tmp_path, "[tool.factlint]\n" + lines, files)
    _assert_config_error(run, *named)


def test_a_negative_growth_is_a_fact_not_a_mistake(tmp_path):
    record = _yaml_record(id="zz-1.growth", attribute="growth", value=-12, unit="%",
                          quote="revenue fell 12 %")
    run = _run(tmp_path, '[tool.factlint]\nreference-files = ["ours.yaml"]\n', {"ours.yaml": record})
    assert run.returncode in (0, 1), run.stderr


@pytest.mark.parametrize("make, name", [
    (lambda kb: (kb / "x.yaml").mkdir(), "x.yaml"),
    (lambda kb: (kb / "gone.yaml").symlink_to(kb / "no-such-target.yaml"), "gone.yaml"),
    (lambda kb: (kb / "loop.yaml").symlink_to(kb / "loop.yaml"), "loop.yaml"),
])
def test_a_knowledge_base_entry_that_is_not_a_file_exits_2(tmp_path, make, name):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "facts.yaml").write_text(_yaml_record(), encoding="utf-8")
    make(kb)
    run = _run(tmp_path, '[tool.factlint]\nreference = "kb"\n', {})
    _assert_config_error(run, name, "not a readable file")


def test_a_config_file_that_is_not_toml_exits_2_naming_it(tmp_path):
    binary = Path("/bin/ls") if Path("/bin/ls").is_file() else Path(sys.executable).resolve()  # not UTF-8
    run = _run(tmp_path, "[tool.factlint]\n", {}, config=str(binary))
    _assert_config_error(run, str(binary), "UTF-8")


def test_a_config_file_that_is_text_but_not_toml_exits_2_naming_it(tmp_path):
    run = _run(tmp_path, "[tool.factlint]\n", {"notes.txt": "just words\n"}, config="notes.txt")
    _assert_config_error(run, "notes.txt", "invalid TOML")


OPTION_CASES = {
    # name: (pyproject body, what the message must name)
    "option-of-a-rule-that-takes-none": ("[tool.factlint.rules.cross-table]\ntolerance = 0.01\n",
                                         ("[tool.factlint.rules.cross-table] tolerance", "takes no options")),
    "typo-of-an-option": ("[tool.factlint.rules.forecast]\nlabls = [\"outlook\"]\n",
                          ("[tool.factlint.rules.forecast] labls", "unknown option", "forecast takes: labels")),
    "typo-on-a-rule-that-takes-none": ("[tool.factlint.rules.cross-table]\ntolerence = 0.01\n",
                                       ("[tool.factlint.rules.cross-table] tolerence", "unknown option")),
    "wrong-type": ("[tool.factlint.rules.forecast]\nlabels = \"outlook\"\n",
                   ("[tool.factlint.rules.forecast] labels", "expected a list of strings")),
    "wrong-item-type": ("[tool.factlint.rules.forecast]\nlabels = [1, 2]\n",
                        ("[tool.factlint.rules.forecast] labels", "expected a list of strings")),
    "unknown-rule": ("[tool.factlint.rules.cross-tabel]\ntolerance = 0.01\n",
                     ("tool.factlint.rules", "unknown rule 'cross-tabel'")),
    "unknown-top-level-key": ("[tool.factlint]\ntolerance = 0.01\n", ("tool.factlint.tolerance", "unknown key")),
    "option-tables-dotted": ("[tool.factlint]\nrules.cross-table.tolerance = 0.01\n",
                             ("[tool.factlint.rules.cross-table] tolerance", "takes no options")),
}


@pytest.mark.parametrize("case", sorted(OPTION_CASES))
def test_a_bad_rule_option_exits_2_naming_the_key(tmp_path, case):
    body, named = OPTION_CASES[case]
    run = _run(tmp_path, body, {})
    _assert_config_error(run, "pyproject.toml", *named)


def test_a_real_option_of_the_right_type_is_accepted(tmp_path):
    run = _run(tmp_path, "[tool.factlint.rules.forecast]\nlabels = [\"outlook\"]\n", {})
    assert run.returncode in (0, 1), run.stderr
