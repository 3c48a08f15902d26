"""The expectation suite and the checkpoint runner, without Prefect. Great Expectations is
imported once for the module (~5 s); two checkpoint runs cover a clean frame and a frame with
one defect per expectation family."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from factlint import gx_check
from schemas.claims import CLAIM_COLUMNS, ClaimsSchema
from tests.flows.claims_factory import claim, claims_frame, text_claim


def clean_claims() -> pd.DataFrame:
    return claims_frame(
        claim("a.md", 3, value=8.0),
        claim("a.md", 4, attribute="process_node", dimension="length", value=5),
        claim("a.md", 5, attribute="transistors", dimension="count", value=4e12),
        claim("b.md", 3, attribute="power", dimension="power", value=15, entity=None),
        claim("b.md", 4, attribute="memory", dimension="information", value=80),
        text_claim("b.md", 5, "✅"),
    )


# One defect per row; (meta.name, path, line) the finding must carry.
DEFECTS = [
    ("unit-matches-dimension", "a.md", 3, {"canonical_unit": "W"}),
    ("plausible-process-node", "a.md", 4, {"canonical_value": 5000.0}),
    ("plausible-transistors", "a.md", 5, {"canonical_value": 2e14}),
    ("range-power", "b.md", 3, {"canonical_value": -15.0}),
    ("parsed-has-canonical-value", "b.md", 4, {"canonical_value": None}),
]


def broken_claims() -> pd.DataFrame:
    frame = clean_claims()
    for _name, path, line, change in DEFECTS:
        row = frame.index[(frame["path"] == path) & (frame["line"] == line)][0]
        for column, value in change.items():
            frame.loc[row, column] = value
    duplicate = frame[(frame["path"] == "b.md") & (frame["line"] == 5)]
    return pd.concat([frame, duplicate], ignore_index=True)     # same cell twice


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    docs = tmp_path_factory.mktemp("data-docs")
    good = gx_check.run_checkpoint(clean_claims(), data_docs_dir=docs)
    bad = gx_check.run_checkpoint(broken_claims())
    return good, bad, docs


def test_clean_claims_pass_and_data_docs_are_built(outcomes):
    good, _bad, docs = outcomes
    assert good.success and good.failed == [] and good.findings == []
    assert good.evaluated == len(gx_check.load_suite()["expectations"])
    assert good.data_docs == docs / "index.html" and good.data_docs.is_file()
    assert list((docs / "validations").rglob("*.html")), "no validation page in the Data Docs"


def _site(docs) -> list[str]:
    """The Data Docs site's pages, with the run's timestamp folder left out."""
    return sorted("/".join(p.relative_to(docs).parts[:-2] + p.parts[-1:])
                  for p in docs.rglob("*.html"))


def test_data_docs_written_meanwhile_are_the_same_site(outcomes, tmp_path):
    good, _bad, docs = outcomes
    later = gx_check.run_checkpoint(clean_claims(), data_docs_dir=tmp_path, docs_meanwhile=True)
    assert later.docs_build is not None and later.docs_build._child is not None   # forked
    assert later.data_docs == tmp_path.resolve() / "index.html"
    assert later.docs_written() == tmp_path.resolve() / "index.html"
    assert later.docs_build is None and later.docs_written() == later.data_docs   # waits once
    assert _site(tmp_path) == _site(docs) and any("validations/" in p for p in _site(tmp_path))
    assert (later.success, later.failed, later.findings, later.evaluated) == \
        (good.success, good.failed, good.findings, good.evaluated)


def test_data_docs_written_by_a_child_forked_from_a_pool_thread(tmp_path, caplog):
    """As in the flow, where the suite runs in a task's thread: the child must leave without
    the pool's exit hook, which would fail it after writing."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        outcome = pool.submit(gx_check.run_checkpoint, clean_claims(), data_docs_dir=tmp_path,
                              docs_meanwhile=True).result()
    child = outcome.docs_build._child
    with caplog.at_level("WARNING", logger="factlint.gx_check"):
        assert outcome.docs_written() == tmp_path.resolve() / "index.html"
    assert child.exitcode == 0 and "failed" not in caplog.text


def test_data_docs_are_written_here_when_the_child_fails(tmp_path, monkeypatch, caplog):
    import os

    parent = os.getpid()
    real = gx_check.DocsBuild._write

    def write(self):
        if os.getpid() != parent:
            raise RuntimeError("no room in the child")
        real(self)

    monkeypatch.setattr(gx_check.DocsBuild, "_write", write)
    outcome = gx_check.run_checkpoint(clean_claims(), data_docs_dir=tmp_path, docs_meanwhile=True)
    assert outcome.docs_build._child is not None
    with caplog.at_level("WARNING", logger="factlint.gx_check"):
        assert outcome.docs_written() == tmp_path.resolve() / "index.html"
    assert "failed (exit code 1)" in caplog.text and (tmp_path / "index.html").is_file()


def test_data_docs_are_written_at_once_without_a_fork(tmp_path, monkeypatch):
    from factlint import pipeline

    monkeypatch.setattr(pipeline, "_fork_context", lambda: None)
    outcome = gx_check.run_checkpoint(clean_claims(), data_docs_dir=tmp_path, docs_meanwhile=True)
    assert outcome.docs_build._child is None and (tmp_path / "index.html").is_file()
    assert outcome.docs_written() == tmp_path.resolve() / "index.html"


def test_each_defect_fails_its_expectation_at_the_source_line(outcomes):
    _good, bad, _docs = outcomes
    assert not bad.success
    found = {(f.data["expectation"], f.location.path, f.location.line) for f in bad.findings}
    for name, path, line, _change in DEFECTS:
        assert (name, path, line) in found
    assert {("unique-cell", "b.md", 5)} <= found
    assert all(f.rule == "data-expectation" and f.severity.value == "error" for f in bad.findings)
    assert {f.name for f in bad.failed} == {d[0] for d in DEFECTS} | {"unique-cell"}


def test_row_findings_show_the_values_and_point_back_at_the_suite(outcomes):
    _good, bad, _docs = outcomes
    unit = next(f for f in bad.findings if f.data["expectation"] == "unit-matches-dimension")
    assert unit.evidence == "dimension=compute, canonical_unit=W"
    assert unit.message.startswith("Data expectation `unit-matches-dimension` fails for '8 PFLOPS'")
    (suite,) = unit.related
    assert suite.path == "gx/expectations/claims.json"
    line = gx_check.SUITE_PATH.read_text().splitlines()[suite.line - 1]
    assert '"name": "unit-matches-dimension"' in line


def test_table_level_failures_point_at_the_expectation():
    frame = clean_claims().drop(columns=["qualifier"])
    outcome = gx_check.run_checkpoint(frame)
    columns = next(f for f in outcome.findings if f.data["expectation"] == "claims-columns")
    assert columns.location.path == "gx/expectations/claims.json"
    assert "fails for the claims table" in columns.message


# --------------------------------------------------------------------------- pure parts

def test_suite_columns_and_types_follow_the_claims_contract():
    suite = gx_check.load_suite()["expectations"]
    ordered = next(e for e in suite if e["meta"]["name"] == "claims-columns")
    assert ordered["kwargs"]["column_list"] == CLAIM_COLUMNS
    types = {e["kwargs"]["column"]: e["kwargs"]["type_list"] for e in suite
             if e["type"] == "expect_column_values_to_be_in_type_list"}
    dtypes = clean_claims().dtypes
    assert set(types) == set(CLAIM_COLUMNS)
    for column, type_list in types.items():
        expected = "str" if pd.api.types.is_string_dtype(dtypes[column]) else str(dtypes[column])
        assert type_list == [expected], column


def test_every_expectation_has_a_unique_name_and_a_sentence():
    suite = gx_check.load_suite()["expectations"]
    names = [e["meta"]["name"] for e in suite]
    assert len(names) == len(set(names))
    assert all(e["meta"]["description"] for e in suite)


def test_row_findings_are_capped_with_a_count_of_the_rest():
    frame = claims_frame(*(claim("a.md", line, value=line) for line in range(3, 10)))
    failure = gx_check.FailedExpectation("range-compute", "expect_column_values_to_be_between",
                                         "compute values lie in range", ("canonical_value",),
                                         tuple(frame.index), 7)
    findings = gx_check.expectation_findings(frame, [failure], max_rows=3)
    assert [(f.location.path, f.location.line) for f in findings[:3]] == [("a.md", 3), ("a.md", 4), ("a.md", 5)]
    assert findings[-1].location.path == "gx/expectations/claims.json"
    assert findings[-1].message.startswith("Data expectation `range-compute` fails for 4 more")
    assert len({f.fingerprint for f in findings}) == 4


def test_gx_frame_turns_text_columns_into_python_strings():
    frame = gx_check.gx_frame(clean_claims())
    assert frame["path"].dtype == object and frame["line"].dtype == "int64"
    assert ClaimsSchema.validate(frame).shape == clean_claims().shape
    assert json.dumps(frame["raw"].tolist(), ensure_ascii=False)
