"""SARIF: valid against the OASIS 2.1.0 schema shipped in tests/schemas, and carrying what GitHub
code scanning reads (rule metadata, ruleIndex, levels, regions, fingerprints, fixes)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from factlint.emit import sarif
from factlint.findings import Finding, Fix, Location, Severity

from emit_fixtures import CHIPS, CHIPS_NOTE, CLUSTER, CLUSTER_NOTE, fake_registry, findings, results

SCHEMA_FILE = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _log(fs=None, registry=None) -> dict:
    fs = findings() if fs is None else fs
    return json.loads(sarif.render(fs, results(), registry=registry or fake_registry()))


def _results_by_rule(log: dict) -> dict[str, dict]:
    return {r["ruleId"]: r for r in log["runs"][0]["results"]}


def test_the_shipped_schema_is_the_official_2_1_0_text():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    assert len(schema["definitions"]) == 52
    assert "state" in schema["definitions"]["suppression"]["properties"]     # 2.1.0 final, not rtm


def test_log_is_valid_sarif_2_1_0(validator):
    errors = sorted(validator.iter_errors(_log()), key=str)
    assert not errors, [e.message for e in errors]


def test_log_with_the_real_rule_registry_is_valid(validator):
    log = json.loads(sarif.render(findings(), results()))
    assert not list(validator.iter_errors(log))


def test_schema_validation_can_fail(validator):
    """Guards the test above: the validator really rejects what GitHub would reject."""
    log = _log()
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken))
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert list(validator.iter_errors(broken))


def test_driver_lists_registered_rules_then_unregistered_ids_sorted_with_matching_indexes():
    log = _log()
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "factlint" and driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids)
    assert {"cluster-total", "unit-spelling", "cross-table", "malformed-input"} <= set(ids)
    for result in log["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    cluster = driver["rules"][ids.index("cluster-total")]
    assert cluster["name"] == "ClusterTotal"
    assert cluster["shortDescription"]["text"] == "Node count × per-node figure must equal the stated total."
    assert cluster["fullDescription"]["text"] == "Multiplies the node count by the per-node figure."
    assert cluster["help"]["markdown"].startswith("Node count")
    assert cluster["defaultConfiguration"] == {"level": "error"}


@pytest.mark.parametrize("severity, level", [(Severity.ERROR, "error"),
                                             (Severity.WARNING, "warning"),
                                             (Severity.INFO, "note")])
def test_levels(severity, level):
    f = Finding("cluster-total", severity, "m", Location(CHIPS, 5), fingerprint="ab")
    assert _log([f])["runs"][0]["results"][0]["level"] == level


@pytest.mark.parametrize("path, uri", [
    ("notes/集群 clusters.md", "notes/%E9%9B%86%E7%BE%A4%20clusters.md"),
    ("notes\\windows\\x.md", "notes/windows/x.md"),
    ("./x.md", "x.md"),
    ("a#b?.md", "a%23b%3F.md"),
    ("a:b.md", "a%3Ab.md"),                        # not the scheme "a"
    ("100%.md", "100%25.md"),
    ("/abs/x y.md", "file:///abs/x%20y.md"),
    ("C:\\notes\\x.md", "file:///C:/notes/x.md"),
])
def test_artifact_uri_is_relative_forward_slashed_and_escaped(path, uri):
    assert sarif.artifact_uri(path) == uri


def test_region_columns_point_at_the_cell():
    result = _results_by_rule(_log())["cluster-total"]
    region = result["locations"][0]["physicalLocation"]["region"]
    line = CLUSTER_NOTE.split("\n")[4]
    assert region["startLine"] == 5
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "64 PLOPS"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        sarif.artifact_uri(CLUSTER)


def test_escaped_pipe_does_not_shift_the_column():
    region = _results_by_rule(_log())["cross-table"]["locations"][0]["physicalLocation"]["region"]
    line = CLUSTER_NOTE.split("\n")[5]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "512 PFLOPS"


def test_related_locations_carry_role_and_cell_text():
    result = _results_by_rule(_log())["cluster-total"]
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert [r["message"]["text"] for r in related] == ["node count: 16", "per-node figure: 8 PFLOPS"]
    line = CLUSTER_NOTE.split("\n")[4]
    region = related[0]["physicalLocation"]["region"]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "16"
    other_file = _results_by_rule(_log())["cross-table"]["relatedLocations"][0]
    assert other_file["physicalLocation"]["artifactLocation"]["uri"] == CHIPS


def test_partial_fingerprint_is_the_line_independent_fingerprint():
    result = _results_by_rule(_log())["cluster-total"]
    assert result["partialFingerprints"] == {"factlint/v1": "0c1a55e7f00d0001"}


def test_fix_replaces_the_whole_line_with_the_cell_rewritten():
    by_rule = _results_by_rule(_log())
    fix = by_rule["cluster-total"]["fixes"][0]
    change = fix["artifactChanges"][0]
    replacement = change["replacements"][0]
    line = CLUSTER_NOTE.split("\n")[4]
    assert replacement["deletedRegion"] == {"startLine": 5, "startColumn": 1, "endColumn": len(line) + 1}
    assert replacement["insertedContent"]["text"] == line.replace("64 PLOPS", "128 PFLOPS")
    assert fix["description"]["text"] == "Replace `64 PLOPS` with `128 PFLOPS`"
    # Markup around the cell text survives: only the text is rewritten.
    unit = by_rule["unit-spelling"]["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert unit["insertedContent"]["text"] == line.replace("64 PLOPS", "64 PFLOPS")
    assert by_rule["unit-spelling"]["fixes"][0]["properties"] == {"applicability": "safe"}


def test_fix_without_a_table_falls_back_to_the_first_occurrence_on_the_line():
    prose = Finding("unit-spelling", Severity.WARNING, "m", Location(CHIPS, 1, text="Chips"),
                    fix=Fix("Chip list", "Rename", original="Chips"), fingerprint="ab")
    change = _log([prose])["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]
    assert change["replacements"][0]["insertedContent"]["text"] == "# Chip list"


def test_fix_is_left_out_when_its_text_is_not_on_the_line():
    stray = Finding("unit-spelling", Severity.WARNING, "m", Location(CHIPS, 1, text="absent"),
                    fix=Fix("x", "Replace", original="absent"), fingerprint="ab")
    assert "fixes" not in _log([stray])["runs"][0]["results"][0]


def test_whole_file_finding_has_no_region(validator):
    f = Finding("malformed-input", Severity.ERROR, "empty", Location(CHIPS, 0), fingerprint="ab")
    log = _log([f])
    assert "region" not in log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert not list(validator.iter_errors(log))


def test_message_carries_evidence_and_properties_carry_the_reference():
    by_rule = _results_by_rule(_log())
    assert by_rule["cluster-total"]["message"]["text"].splitlines() == [
        "总算力 64 PLOPS is not 16 nodes × 8 PFLOPS = 128 PFLOPS.",
        "16 nodes × 8 PFLOPS (line 5) = 128 PFLOPS, but the table says 64"]
    ref = by_rule["reference-mismatch"]["properties"]["reference"]
    assert ref["url"] == "https://example.org/cs3" and ref["quote"] == "peak power 23 kW"
    assert CHIPS_NOTE  # the fixture note the regions above were computed from
