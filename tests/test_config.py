"""[tool.factlint]: found like ruff finds [tool.ruff], every bad key or value a ConfigError naming
it (exit 2 at the CLI), paths relative to the file, overrides from the command line on top."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from factlint.config import Settings, find_config, load_config, parse_table
from factlint.errors import ConfigError
from factlint.findings import Severity
from factlint.rules import RuleSpec, load_rules

KNOWN = sorted(load_rules())[0]          # any registered id; the tests name no rule by hand
OTHER = sorted(load_rules())[-1]


def _declared(rule_id: str) -> dict:
    return getattr(sys.modules[load_rules()[rule_id].module], "OPTIONS", None) or {}


# A registered rule that takes an option, and that option (the tests name no rule by hand).
WITH_OPTION, OPTION = next((r, sorted(_declared(r))[0]) for r in sorted(load_rules()) if _declared(r))


def _write(folder: Path, body: str, name: str = "pyproject.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_without_any_configuration(project):
    settings = load_config(project)
    assert settings == Settings()
    assert settings.fail_on == "error" and settings.config_file is None
    assert settings.enabled_rule_ids() == tuple(sorted(load_rules()))


def test_reads_every_key(project):
    (project / "vocab").mkdir()
    (project / "vocab" / "extra.yaml").write_text("entities: []\n", encoding="utf-8")
    (project / "kb").mkdir()
    _write(project, f"""
        [project]
        name = "notes"
        [tool.factlint]
        paths = ["notes", "more notes"]
        select = ["{KNOWN}", "{OTHER}"]
        ignore = ["{OTHER}"]
        severity = {{ {KNOWN} = "info" }}
        fail-on = "warning"
        vocabulary = ["vocab/extra.yaml"]
        reference = "kb"
        [tool.factlint.rules.{WITH_OPTION}]
        {OPTION} = ["x"]
    """)
    s = load_config(project)
    assert s.paths == ("notes", "more notes")
    assert (s.select, s.ignore) == ((KNOWN, OTHER), (OTHER,))
    assert dict(s.severity) == {KNOWN: Severity.INFO}
    assert s.fail_on == "warning"
    assert s.vocabulary == (str(Path("vocab/extra.yaml")),) and s.reference == "kb"
    assert dict(s.options_for(WITH_OPTION)) == {OPTION: ["x"]}
    assert s.enabled_rule_ids() == (KNOWN,)
    assert s.severity_for(KNOWN, Severity.ERROR) is Severity.INFO
    assert s.severity_for(OTHER, Severity.ERROR) is Severity.ERROR


def test_nearest_pyproject_with_the_section_wins_and_paths_are_relative_to_it(project):
    _write(project, '[tool.factlint]\npaths = ["data/raw"]\n')
    _write(project / "sub", '[project]\nname = "no factlint section here"\n')
    (project / "sub" / "deeper").mkdir()
    assert find_config(project / "sub" / "deeper") == Path("pyproject.toml")
    inner = _write(project / "inner", '[tool.factlint]\npaths = ["notes"]\n')
    assert find_config(project / "inner") == Path("inner/pyproject.toml")
    assert load_config(project / "inner").paths == (str(Path("inner/notes")),)
    assert load_config(inner).paths == (str(Path("inner/notes")),)     # a file is read as given


def test_settings_are_frozen_and_hashable(project):
    s = load_config(project, severity={KNOWN: "warning"})
    with pytest.raises(AttributeError):
        s.fail_on = "never"
    with pytest.raises(TypeError):
        s.severity[KNOWN] = Severity.INFO
    assert hash(s) == hash(load_config(project, severity={KNOWN: "warning"}))


@pytest.mark.parametrize("body, names", [
    ('colour = "always"', "tool.factlint.colour: unknown key"),
    ('paths = "notes"', "tool.factlint.paths: expected a list"),
    ('select = ["no-such-rule"]', "tool.factlint.select: unknown rule 'no-such-rule'"),
    ('ignore = [""]', "tool.factlint.ignore: expected a list of non-empty strings"),
    ('severity = { no-such-rule = "error" }', "tool.factlint.severity: unknown rule"),
    ('severity = { %KNOWN% = "fatal" }', "tool.factlint.severity.%KNOWN%: 'fatal' is not one of"),
    ('severity = ["error"]', "tool.factlint.severity: expected a table"),
    ('fail-on = "sometimes"', "tool.factlint.fail-on: 'sometimes' is not one of"),
    ('fail-on = ["error"]', "tool.factlint.fail-on: ['error'] is not one of"),
    ('vocabulary = ["missing.yaml"]', "tool.factlint.vocabulary: 'missing.yaml': no such file"),
    ('reference = "no-kb-here"', "tool.factlint.reference: 'no-kb-here': no such folder"),
    ('reference = 3', "tool.factlint.reference: expected a folder path"),
    ('rules = { no-such-rule = { x = 1 } }', "tool.factlint.rules: unknown rule 'no-such-rule'"),
    ('rules = { %KNOWN% = 1 }', "tool.factlint.rules: expected [tool.factlint.rules.<rule-id>]"),
])
def test_bad_configuration_names_the_key(project, body, names):
    _write(project, "[tool.factlint]\n" + body.replace("%KNOWN%", KNOWN) + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(project)
    assert names.replace("%KNOWN%", KNOWN) in str(err.value)
    assert "pyproject.toml" in str(err.value)


def test_invalid_toml_and_missing_config_file(project):
    _write(project, "[tool.factlint\npaths = [")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(project)
    (project / "pyproject.toml").write_bytes(b"[tool.factlint]\npaths = ['\xff']\n")
    with pytest.raises(ConfigError, match="pyproject.toml: not UTF-8 text"):
        load_config(project)
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(project / "nope.toml")


def test_command_line_overrides(project):
    _write(project, f'[tool.factlint]\nselect = ["{KNOWN}"]\nignore = ["{OTHER}"]\n'
                    f'severity = {{ {KNOWN} = "info" }}\nfail-on = "warning"\n')
    s = load_config(project, select=[OTHER, KNOWN], ignore=[KNOWN], severity={OTHER: "error"},
                    fail_on="never", paths=["x"])
    assert s.select == (OTHER, KNOWN)                                 # replaces
    assert s.ignore == (OTHER, KNOWN)                                 # adds
    assert dict(s.severity) == {KNOWN: Severity.INFO, OTHER: Severity.ERROR}   # merges
    assert (s.fail_on, s.paths) == ("never", ("x",))
    assert s.enabled_rule_ids() == ()


@pytest.mark.parametrize("override, message", [
    ({"select": ["no-such-rule"]}, "command line: select: unknown rule 'no-such-rule'"),
    ({"ignore": ["no-such-rule"]}, "command line: ignore: unknown rule"),
    ({"fail_on": "maybe"}, "command line: fail-on: 'maybe'"),
    ({"severity": {"no-such-rule": "error"}}, "command line: severity: unknown rule"),
])
def test_bad_overrides_are_blamed_on_the_command_line(project, override, message):
    with pytest.raises(ConfigError, match=message):
        load_config(project, **override)


def _spec_with_options(module_name: str, options: dict | None) -> RuleSpec:
    module = types.ModuleType(module_name)
    if options is not None:
        module.OPTIONS = options

    def func(doc, ctx):
        return iter(())

    func.__module__ = module_name
    sys.modules[module_name] = module
    return RuleSpec("demo-rule", Severity.ERROR, "Demo.", "Demo.", False, "document", (), func)


@pytest.mark.parametrize("options, error", [
    ({"tolerance": 0.01, "mode": "strict", "labels": ["a"]}, None),
    ({"tolerance": 1}, None),                                   # an int is a fine float
    ({"labels": []}, None),
    ({"tolerence": 0.01}, r"\[tool.factlint.rules.demo-rule\] tolerence: unknown option; demo-rule takes: "
                          r"labels \(a list of strings\), mode \(one of 'strict', 'loose'\), tolerance \(a number\)"),
    ({"tolerance": "1%"}, r"\[tool.factlint.rules.demo-rule\] tolerance: expected a number, got '1%'"),
    ({"tolerance": True}, "expected a number, got True"),
    ({"mode": "lenient"}, r"rules.demo-rule\] mode: expected one of 'strict', 'loose', got 'lenient'"),
    ({"labels": "a"}, r"labels: expected a list of strings, got 'a'"),
    ({"labels": ["a", 2]}, r"labels: expected a list of strings, got \['a', 2\]"),
])
def test_rule_options_are_checked_against_what_the_rule_declares(options, error):
    spec = _spec_with_options("tests_demo_rule_module", {"tolerance": float, "mode": ("strict", "loose"),
                                                         "labels": list[str]})
    settings = parse_table({"rules": {"demo-rule": options}}, Path("pyproject.toml"))
    if error is None:
        settings.check_rule_ids({"demo-rule": spec})
    else:
        with pytest.raises(ConfigError, match=error):
            settings.check_rule_ids({"demo-rule": spec})


@pytest.mark.parametrize("declared", [None, {}])
def test_a_rule_that_declares_no_options_takes_none(declared):
    spec = _spec_with_options(f"tests_demo_rule_without_options_{declared is None}", declared)
    settings = parse_table({"rules": {"demo-rule": {"tolerance": 0.01}}}, Path("pyproject.toml"))
    with pytest.raises(ConfigError, match=r"pyproject.toml: \[tool.factlint.rules.demo-rule\] tolerance: "
                                          r"unknown option; demo-rule takes no options"):
        settings.check_rule_ids({"demo-rule": spec})
    parse_table({"rules": {"demo-rule": {}}}).check_rule_ids({"demo-rule": spec})     # an empty table is fine


def test_rule_ids_are_checked_lazily_when_no_rule_is_registered_yet():
    settings = parse_table({"select": ["written-tomorrow"]})
    settings.check_rule_ids({})                       # nothing registered: nothing to check against
    with pytest.raises(ConfigError, match="unknown rule 'written-tomorrow'"):
        settings.check_rule_ids({"other": object()})


def test_cli_turns_a_configuration_error_into_exit_code_2(project):
    config = _write(project, '[tool.factlint]\nfail-on = "sometimes"\n')
    (project / "note.md").write_text("# x\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "factlint", "check", "--config", str(config),
                          "note.md"], capture_output=True, text=True, cwd=project, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "tool.factlint.fail-on" in run.stderr and "Traceback" not in run.stderr
