"""SARIF locations as code scanning matches them: relative to the project root (SRCROOT in
originalUriBaseIds) whatever the working directory, and each rule's helpUri at its section of
docs/rules.md."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from factlint import cli
from factlint.emit import sarif

ROOT = Path(__file__).resolve().parents[2]
NOTE = "| Config | Compute |\n|---|---|\n| **16 nodes** | 128 PLOPS |\n"


def _check_sarif(monkeypatch, capsys, cwd: Path, *paths) -> dict:
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["factlint", "check", "-f", "sarif", *map(str, paths)])
    with pytest.raises(SystemExit):
        cli.main()
    return json.loads(capsys.readouterr().out)


def _locations(log: dict) -> list[dict]:
    return [loc["physicalLocation"]["artifactLocation"]
            for r in log["runs"][0]["results"] for loc in r["locations"]]


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    (root / "notes" / "sub dir").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "notes"\n', encoding="utf-8")
    (root / "notes" / "sub dir" / "a.md").write_text(NOTE, encoding="utf-8")
    return root


def test_uris_are_the_same_from_the_root_a_subfolder_or_with_absolute_paths(monkeypatch, capsys, project):
    runs = [_check_sarif(monkeypatch, capsys, project, "notes"),
            _check_sarif(monkeypatch, capsys, project / "notes", "sub dir/a.md"),
            _check_sarif(monkeypatch, capsys, project.parent, project / "notes" / "sub dir" / "a.md")]
    locations = [_locations(log) for log in runs]
    assert locations[0] and all(loc == locations[0] for loc in locations)
    assert locations[0][0] == {"uri": "notes/sub%20dir/a.md", "uriBaseId": "SRCROOT"}
    assert {json.dumps(log["runs"][0]["originalUriBaseIds"]) for log in runs} == \
        {json.dumps({"SRCROOT": {"uri": project.as_uri() + "/"}})}


def test_git_marks_the_root_before_a_nested_pyproject(tmp_path, project):
    (project.parent / ".git").mkdir()
    assert sarif.project_root(["notes/sub dir/a.md"], cwd=str(project)) == project.parent


def test_a_file_outside_the_root_keeps_an_absolute_uri(tmp_path, project):
    where = sarif.Artifacts(project)
    outside = tmp_path / "elsewhere.md"
    assert where.location(str(outside)) == {"uri": outside.as_uri()}
    assert where.location(str(project / "x.md")) == {"uri": "x.md", "uriBaseId": "SRCROOT"}


def test_help_uri_points_at_each_rules_section_of_the_docs(monkeypatch):
    monkeypatch.delenv("FACTLINT_DOCS_URL", raising=False)
    log = json.loads(sarif.render([], []))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    headings = set(re.findall(r"^## (\S+)$", (ROOT / "docs" / "rules.md").read_text(encoding="utf-8"), re.M))
    assert rules and all(r["helpUri"] == f"{(ROOT / 'docs' / 'rules.md').as_uri()}#{r['id']}" for r in rules)
    assert {r["id"] for r in rules} <= headings                # GitHub's anchor of `## id` is the id
    assert all(urlparse(r["helpUri"]).scheme for r in rules)   # SARIF wants an absolute URI


def test_help_uri_follows_factlint_docs_url(monkeypatch):
    monkeypatch.setenv("FACTLINT_DOCS_URL", "https://github.com/o/r/blob/main/docs/rules.md#top")
    rules = json.loads(sarif.render([], []))["runs"][0]["tool"]["driver"]["rules"]
    assert {r["helpUri"] for r in rules if r["id"] == "unit-spelling"} == \
        {"https://github.com/o/r/blob/main/docs/rules.md#unit-spelling"}


def test_a_backslash_in_a_posix_name_is_part_of_the_name():
    """A file name that is not UTF-8 is shown as `x_\\xff.md`: its backslash is no separator."""
    from factlint.emit.sarif import artifact_uri

    assert artifact_uri("raw/x_\\xff\\xfe.md") == "raw/x_%5Cxff%5Cxfe.md"
    assert artifact_uri("C:\\notes\\x.md") == "file:///C:/notes/x.md"
