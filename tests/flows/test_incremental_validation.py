"""A re-run validates with Great Expectations only the claims the same suite has not passed:
which rows that is (publish.claims_to_validate), which suites allow it
(gx_check.validates_per_document), and that the shortcut never hides a failure."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from factlint import gx_check, publish
from tests.flows.claims_factory import claim, error_at, result

REPO = Path(__file__).resolve().parents[2]
KEY = "suite-key-1"


def plan(results, previous=None, run_id="v1", key=KEY):
    findings = [f for r in results for f in r.findings]
    return publish.plan_publication(results, findings, previous, run_id=run_id,
                                    created="2026-01-01T00:00:00+00:00", engine={"version": "t"},
                                    validation_key=key)


def doc(path, *values):
    return result(path, *(claim(path, 3 + i, value=v) for i, v in enumerate(values)))


def published(tmp_path, results, run_id="v1", key=KEY):
    out = tmp_path / "validated"
    publish.publish(plan(results, publish.read_published(out), run_id, key), out)
    return publish.read_published(out)


def pending_paths(publication, previous) -> list[str]:
    return sorted(set(publish.claims_to_validate(publication, previous)["path"]))


# --------------------------------------------------------------------------- which rows

def test_a_first_publication_validates_every_claim():
    p = plan([doc("a.md", 1, 2), doc("b.md", 3)])
    assert len(publish.claims_to_validate(p, None)) == len(p.claims) == 3


def test_only_the_changed_documents_claims_are_validated_again(tmp_path):
    previous = published(tmp_path, [doc("a.md", 1, 2), doc("b.md", 3), doc("c.md", 4)])
    again = plan([doc("a.md", 1, 2), doc("b.md", 3, 5), doc("c.md", 4)], previous, "v2")
    todo = publish.claims_to_validate(again, previous)
    assert sorted(set(todo["path"])) == ["b.md"] and len(todo) == 2      # all of b's rows
    # the rows keep their labels in the published frame (findings are placed by them)
    pd.testing.assert_frame_equal(todo, again.claims.loc[todo.index])


def test_nothing_is_validated_again_when_nothing_changed(tmp_path):
    previous = published(tmp_path, [doc("a.md", 1, 2), doc("b.md", 3)])
    assert pending_paths(plan([doc("a.md", 1, 2), doc("b.md", 3)], previous, "v2"), previous) == []


def test_a_duplicated_row_counts_as_a_change(tmp_path):
    previous = published(tmp_path, [doc("a.md", 1), doc("b.md", 3)])
    twice = result("a.md", claim("a.md", 3, value=1), claim("a.md", 3, value=1))
    assert pending_paths(plan([twice, doc("b.md", 3)], previous, "v2"), previous) == ["a.md"]


def test_claims_carried_forward_for_a_held_back_document_are_not_validated_again(tmp_path):
    previous = published(tmp_path, [doc("a.md", 1), doc("b.md", 3)])
    broken = result("b.md", claim("b.md", 3, value=9), findings=[error_at("b.md", 3)])
    again = plan([doc("a.md", 1), broken], previous, "v2")
    assert {d.path: d.status for d in again.documents}["b.md"] == publish.HELD_BACK
    assert pending_paths(again, previous) == []


@pytest.mark.parametrize("key", ["suite-key-2", None])
def test_another_suite_or_one_not_proven_per_document_validates_everything(tmp_path, key):
    previous = published(tmp_path, [doc("a.md", 1), doc("b.md", 3)])
    again = plan([doc("a.md", 1), doc("b.md", 3)], previous, "v2", key=key)
    assert pending_paths(again, previous) == ["a.md", "b.md"]


def test_a_change_of_the_frames_dtypes_validates_everything(tmp_path):
    previous = published(tmp_path, [doc("a.md", 1), doc("b.md", 3)])
    again = plan([doc("a.md", 1), doc("b.md", 3)], previous, "v2")
    schema = [[c, "object" if c == "line" else t] for c, t in again.validation["schema"]]
    again.validation = {**again.validation, "schema": schema}
    assert pending_paths(again, previous) == ["a.md", "b.md"]


def test_the_manifest_records_what_validated_each_document(tmp_path):
    dataset = published(tmp_path, [doc("a.md", 1, 2), doc("b.md", 3)])
    assert dataset.manifest["validation"]["suite"] == KEY
    digests = {d["path"]: d["claims_digest"] for d in dataset.manifest["documents"]}
    assert digests == publish.claims_digests(dataset.claims())
    assert digests["a.md"] != digests["b.md"]


# --------------------------------------------------------------------------- which suites

def test_every_expectation_of_the_repo_suite_is_decided_per_document():
    suite = gx_check.load_suite()
    assert gx_check.validates_per_document(suite)
    assert gx_check.suite_key() is not None
    kinds = {e["type"] for e in suite["expectations"]}
    assert kinds <= gx_check.ROW_WISE | gx_check.COLUMNS_ONLY | gx_check.PER_DOCUMENT


@pytest.mark.parametrize("expectation", [
    {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "value", "min_value": 0}},
    {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "path", "mostly": 0.9}},
    {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["entity", "attribute"]}},
])
def test_a_suite_with_a_whole_table_expectation_is_validated_whole(tmp_path, expectation):
    suite = gx_check.load_suite()
    suite = {**suite, "expectations": [*suite["expectations"], expectation]}
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite), encoding="utf-8")
    assert not gx_check.validates_per_document(suite)
    assert gx_check.suite_key(path) is None


def test_the_suite_key_follows_the_suite_file(tmp_path):
    copy = tmp_path / "claims.json"
    copy.write_text(gx_check.SUITE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert gx_check.suite_key(copy) == gx_check.suite_key()
    text = copy.read_text(encoding="utf-8")
    edited = text.replace('"min_value": 1900', '"min_value": 1800')
    assert edited != text
    copy.write_text(edited, encoding="utf-8")
    assert gx_check.suite_key(copy) != gx_check.suite_key()


def test_with_nothing_new_to_validate_great_expectations_is_not_even_imported():
    code = ("import sys, pandas as pd; from factlint import gx_check; "
            "o = gx_check.run_checkpoint(pd.DataFrame(), carried=12); "
            "print(o.success, o.evaluated, o.rows, o.carried, 'great_expectations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["True", "0", "0", "12", "False"]


# --------------------------------------------------------------------------- never hides a failure

def test_the_changed_documents_rows_alone_still_fail_the_suite(tmp_path):
    """Validating b.md's rows alone finds both its row defect and its duplicated cell: the
    per-path uniqueness needs no other document."""
    previous = published(tmp_path, [doc("a.md", 1), doc("b.md", 3)])
    bad = result("b.md", claim("b.md", 3, value=3), claim("b.md", 4, value=1e30),
                 claim("b.md", 4, value=2))
    again = plan([doc("a.md", 1), bad], previous, "v2")
    todo = publish.claims_to_validate(again, previous)
    assert set(todo["path"]) == {"b.md"}
    outcome = gx_check.run_checkpoint(todo, carried=len(again.claims) - len(todo))
    assert not outcome.success and outcome.rows == 3 and outcome.carried == 1
    assert {f.name for f in outcome.failed} == {"range-compute", "unique-cell"}
    assert {f.location.path for f in outcome.findings} >= {"b.md"}
