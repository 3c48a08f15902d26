"""No cell text, file name, configuration value or reference record makes a command exit 3
(an internal error) (#14). Whatever a user writes, `factlint` answers with 0, 1 (findings),
2 (a usage or configuration error, with a message) or 4 (a note it could not read).

test_pipeline_properties.py holds the rules to no exception on generated tables; this file
drives the command line itself, in-process (`factlint.cli.main`, as the console script does),
with each example in a project of its own: pyproject.toml, a note, and the vocabulary or
knowledge-base file the example is about. Example counts are bounded so that the suite stays
fast; `benchmarks/fuzz.py` is the large-scale counterpart for notes.
"""
from __future__ import annotations

import contextlib
import io
import json
import math
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from factlint import pipeline
from factlint.config import KEYS
from factlint.reference.kb import FIELDS
from factlint.rules import load_rules

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
# Bounded for CI; FACTLINT_PROPERTY_EXAMPLES=500 hunts longer (each example is one command run).
EXAMPLES = int(os.environ.get("FACTLINT_PROPERTY_EXAMPLES", "25"))
FEW = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
FEWER = settings(max_examples=max(1, EXAMPLES // 2), deadline=None, suppress_health_check=list(HealthCheck))
ANSWERS = (0, 1, 2, 4)

# A note the reference checks reach: ZZ-1's process node, beside a known chip's figures.
NOTE = "| 指标 | ZZ-1 | WSE-3 |\n|---|---|---|\n| 制程 | 5 nm | 5nm |\n| 核心数 | 900,000 | 900,000 |\n"
RECORD = {"id": "zz-1.process-node", "entity": "ZZ-1", "attribute": "process_node", "status": "stated",
          "value": 5, "unit": "nm", "as_of": "2024-03", "source_url": "https://example.com/zz-1",
          "publication": "Example", "tier": "primary", "quote": "built on a 5 nm process",
          "confidence": "high", "derived": False}
VOCAB = {"entities": [{"id": "ZZ-1", "kind": "chip", "aliases": ["ZZ One"]}]}


def factlint(project: Path, *args: str) -> tuple[int, str, str]:
    """`factlint ARGS` run in `project`: (exit code, stdout, stderr)."""
    from factlint.cli import main

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.argv", ["factlint", *args])
        mp.setenv("FACTLINT_DEBUG", "1")               # an exit 3 shows its traceback below
        mp.setenv("FACTLINT_JOBS", "1")
        os.chdir(project)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                    pytest.raises(SystemExit) as exit_:
                main()
        finally:
            os.chdir(here)
            pipeline._ENGINES.clear()                  # each example's project is new
    return exit_.value.code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def project(pyproject: str, files: dict[str, str | bytes] | None = None):
    with tempfile.TemporaryDirectory(prefix="factlint-prop-") as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        (root / "note.md").write_text(NOTE, encoding="utf-8")
        for name, body in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
        yield root


def assert_answered(code: int, err: str) -> None:
    assert code in ANSWERS, f"exit {code}:\n{err[-3000:]}"
    assert "internal error" not in err and "Traceback" not in err, err[-3000:]


# ---- values of any type -------------------------------------------------------------------------

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
words = st.sampled_from(["", "error", "warning", "info", "never", "data/raw", "*", "**/*.md", "vocab.yaml",
                         "kb", "ours.yaml", "../", "/etc", "nm", "-5", "nan", "inf", "cluster-total",
                         "forecast", "unverified", "ZZ-1", "WSE-3", "5 nm", "null", "~", "[]", "{}"])
numbers = st.one_of(st.integers(min_value=-2 ** 63, max_value=2 ** 63 - 1),
                    st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(words, text, numbers, st.booleans())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(words, text), inner, max_size=3)), max_leaves=8)


def toml_value(value) -> str:
    """A TOML literal for `value` (tomllib reads, nothing here writes TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items()) + "}"


# ---- configuration values -----------------------------------------------------------------------

RULE_IDS = sorted(load_rules())
rule_ids = st.one_of(st.sampled_from(RULE_IDS), words)
string_lists = st.lists(st.one_of(words, text), max_size=3)
severities = st.sampled_from(["error", "warning", "info", "off", "ERROR", "", "fatal"])
# Each key mostly gets a value of the shape it takes (so the run goes past the key and uses it),
# otherwise anything.
SHAPED = {"paths": string_lists, "exclude": string_lists, "select": string_lists, "ignore": string_lists,
          "vocabulary": string_lists, "reference-files": string_lists, "fail-on": words, "reference": words,
          "severity": st.dictionaries(rule_ids, severities, max_size=3),
          "rules": st.dictionaries(rule_ids, st.dictionaries(st.sampled_from(["labels", "tolerance", "x"]),
                                                             st.one_of(string_lists, values), max_size=2),
                                   max_size=2)}
config_tables = st.fixed_dictionaries({}, optional={key: st.one_of(SHAPED[key], SHAPED[key], values)
                                                for key in KEYS})


@FEW
@given(config_tables)
def test_no_configuration_value_makes_check_exit_3(table):
    body = "[tool.factlint]\n" + "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in table.items())
    with project(body, {"vocab.yaml": yaml.safe_dump(VOCAB), "ours.yaml": yaml.safe_dump([RECORD]),
                        "kb/facts.yaml": yaml.safe_dump([RECORD])}) as root:
        code, _, err = factlint(root, "check", "--config", "pyproject.toml", "note.md")
    assert_answered(code, err)


@FEWER
@given(st.sampled_from(["check", "refs", "extract", "rules", "baseline"]), config_tables)
def test_no_configuration_value_makes_another_command_exit_3(command, table):
    body = "[tool.factlint]\n" + "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in table.items())
    with project(body, {"vocab.yaml": yaml.safe_dump(VOCAB), "ours.yaml": yaml.safe_dump([RECORD])}) as root:
        args = {"rules": ["rules"], "baseline": ["baseline", "--config", "pyproject.toml", "-o", "b.json", "note.md"]}
        code, _, err = factlint(root, *args.get(command, [command, "--config", "pyproject.toml", "note.md"]))
    assert_answered(code, err)


# ---- vocabulary files ---------------------------------------------------------------------------

entity_records = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.just("ZZ-1"), values), "kind": st.one_of(st.sampled_from(["chip", "system", "company"]), values),
    "aliases": st.one_of(st.lists(st.one_of(words, text), max_size=3), values),
    "contains": st.one_of(st.fixed_dictionaries({"entity": st.one_of(st.just("WSE-3"), values),
                                                 "count": st.one_of(st.integers(-3, 10 ** 20), values)}), values),
    "variant": values})
attribute_records = st.fixed_dictionaries({}, optional={
    "name": st.one_of(st.just("zz_speed"), values), "dimension": st.one_of(st.sampled_from(["compute", "power", "length"]), values),
    "aliases": st.one_of(st.lists(st.one_of(words, text), max_size=3), values)})
vocabularies = st.one_of(values, st.fixed_dictionaries({}, optional={
    "entities": st.one_of(st.lists(entity_records, max_size=3), values),
    "attributes": st.one_of(st.lists(attribute_records, max_size=2), values)}))


@FEW
@given(vocabularies)
def test_no_vocabulary_file_makes_check_exit_3(vocabulary):
    with project('[tool.factlint]\nvocabulary = ["vocab.yaml"]\n',
                 {"vocab.yaml": yaml.safe_dump(vocabulary, allow_unicode=True)}) as root:
        code, _, err = factlint(root, "check", "--config", "pyproject.toml", "note.md")
    assert_answered(code, err)


# ---- reference records --------------------------------------------------------------------------

def _odd(*extra: str):
    return st.sampled_from([*extra, "", " ", "nan", ".inf", "null", "ZZ-1", "5 nm"])


# Each field mostly gets a value of its kind, odd or extreme (so the record loads and the matcher
# compares the note with it), otherwise anything at all.
FIELD_VALUES = {
    **{name: st.one_of(numbers, _odd("1e309", "4.9e-324", "-0", "5", "1_000", "½"), st.none())
       for name in ("value", "value_low", "value_high", "margin")},
    "status": _odd("stated", "not-disclosed", "derived", "estimated"),
    "tier": _odd("primary", "secondary", "mirror", "low", "Primary"),
    "confidence": _odd("high", "medium", "low", "certain"),
    "bound": _odd("upper", "lower", "at-least", "at-most"),
    "derived": st.one_of(st.booleans(), _odd("true", "yes")),
    "unit": _odd("nm", "GB", "PFLOPS", "W", "%", "x", "nm²", "万"),
    "attribute": _odd("process_node", "compute", "power", "cores", "memory"),
    "as_of": st.one_of(st.dates().map(str), _odd("2024-13", "2024", "2024-03-99", "Q3 2024")),
    "text_aliases": st.one_of(string_lists, words), "context": st.one_of(string_lists, words),
}


@st.composite
def records(draw):
    """The valid record with one to three fields given other values, rarely one dropped or an
    unknown one added."""
    record = dict(RECORD)
    for name in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3, unique=True)):
        kind = FIELD_VALUES.get(name, st.one_of(words, text))
        record[name] = draw(st.one_of(kind, kind, kind, kind, kind, values))
    if draw(st.integers(0, 7)) == 7:            # rare (hypothesis leans to 0)
        record.pop(draw(st.sampled_from(sorted(RECORD))), None)
    if draw(st.integers(0, 7)) == 7:            # rare (hypothesis leans to 0)
        record[draw(st.one_of(words, text))] = draw(values)
    return record


@FEW
@given(st.lists(records(), min_size=1, max_size=2), st.sampled_from(["yaml", "csv"]))
def test_no_reference_record_makes_check_exit_3(recs, form):
    for n, record in enumerate(recs[1:], 2):            # a repeated id is a mistake of its own
        if record.get("id") == RECORD["id"]:
            record["id"] = f"zz-1.record-{n}"
    if form == "yaml":
        body = yaml.safe_dump(recs, allow_unicode=True)
    else:
        columns = sorted({k for r in recs for k in r if isinstance(k, str)})
        body = _csv(columns, recs)
    with project(f'[tool.factlint]\nreference-files = ["ours.{form}"]\n', {f"ours.{form}": body}) as root:
        code, _, err = factlint(root, "check", "--config", "pyproject.toml", "note.md", "-f", "json")
    assert_answered(code, err)


def _csv(columns: list[str], recs: list[dict]) -> str:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for r in recs:
        writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return buf.getvalue()


# ---- file names and cell text -------------------------------------------------------------------

names = st.binary(min_size=1, max_size=24).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))


@FEW
@given(names, st.sampled_from(["text", "json", "sarif", "junit", "github", "html"]))
def test_no_file_name_makes_check_exit_3(name, fmt):
    with project("[tool.factlint]\n") as root:
        os.makedirs(root / "notes")
        with open(os.path.join(os.fsencode(root / "notes"), name + b".md"), "wb") as f:
            f.write(NOTE.encode("utf-8"))
        code, out, err = factlint(root, "check", "notes", "-f", fmt)
    assert_answered(code, err)
    out.encode("utf-8")                          # printable: no lone surrogate reached stdout


cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@FEW
@given(st.lists(cells, min_size=2, max_size=6), st.sampled_from(["text", "json", "sarif", "junit", "github", "html"]))
def test_no_cell_text_makes_check_exit_3_in_any_format(row, fmt):
    inner = " | ".join(c.replace("\n", " ").replace("|", "\\|") for c in row)
    note = NOTE + f"| {inner} |\n"
    with project("[tool.factlint]\n", {"note.md": note}) as root:
        code, out, err = factlint(root, "check", "note.md", "-f", fmt)
    assert_answered(code, err)
    out.encode("utf-8")


def test_the_harness_sees_an_internal_error(monkeypatch):
    """The properties above could not fail if an exception inside a command did not reach
    `factlint` here as exit 3."""
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("factlint.gate.run_check", broken)
    with project("[tool.factlint]\n") as root:
        code, _, err = factlint(root, "check", "note.md")
    assert code == 3 and "ZeroDivisionError: boom" in err
    with pytest.raises(AssertionError):
        assert_answered(code, err)
