"""One snapshot per format from the same fixed report, and the determinism every format owes CI:
same input, same bytes, whatever order the findings arrive in."""
from __future__ import annotations

import json
import os
import random
import re
import xml.etree.ElementTree as ET

import pytest

from factlint.emit import FORMATS, Report, render
from factlint.emit import sarif
from factlint.emit.summary import summarise

from emit_fixtures import (CHIPS, CLUSTER, assert_snapshot, fake_registry, findings, normalise, report,
                           results)

PLAIN_FORMATS = ["text", "json", "junit", "github"]
# Two stale baseline entries (given out of order, one matched twice before) and a coverage
# measurement as `factlint.reference.coverage.coverage` returns it.
STALE = [
    {"fingerprint": "0c1a55e7f00d0009", "rule": "cluster-total", "path": CLUSTER, "entity": "condor",
     "attribute": "total_compute", "message": "总算力 2 EFLOPS is not 64 × 8 PFLOPS.", "count": 2},
    {"fingerprint": "ffff", "rule": "unit-spelling", "path": CHIPS, "entity": None,
     "attribute": None, "message": "`kw` is not a unit\nsecond line", "count": 1},
]
COVERAGE = {"numeric_claims": 84, "checked": 73, "share": 0.869, "agree": 70, "mismatch": 2,
            "confusion": 1, "undisclosed": 0, "no_reference": 11}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


RULE_DOCS = "https://example.org/factlint/docs/rules.md"


def _sarif(rep: Report) -> str:
    summary = summarise(rep.findings, rep.results)
    return sarif.render(rep.findings, rep.results, summary, registry=fake_registry(), rule_docs=RULE_DOCS)


@pytest.mark.parametrize("fmt", PLAIN_FORMATS)
def test_format_matches_snapshot(fmt):
    rep = report(suppressed=findings()[:1], baselined=findings()[1:2],
                 stale_baseline=STALE[::-1], coverage=COVERAGE)
    assert_snapshot(f"report.{fmt}", normalise(render(fmt, rep, fail_on="warning")))


def test_sarif_matches_snapshot():
    root = sarif.project_root([CLUSTER]).as_uri().rstrip("/") + "/"      # where the tests run
    assert_snapshot("report.sarif", normalise(_sarif(report())).replace(root, "file:///<project root>/"))


def test_text_in_colour_matches_snapshot_and_strips_to_the_plain_text():
    coloured = render("text", report(), color=True)
    assert_snapshot("report.text.ansi", coloured)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == render("text", report(), color=False)


@pytest.mark.parametrize("fmt", PLAIN_FORMATS)
def test_rendering_twice_gives_identical_bytes(fmt):
    assert render(fmt, report()).encode() == render(fmt, report()).encode()


@pytest.mark.parametrize("fmt", [*PLAIN_FORMATS, "sarif"])
def test_finding_order_does_not_change_the_output(fmt):
    shuffled = findings()
    random.Random(7).shuffle(shuffled)
    shuffled_results = list(reversed(results()))
    if fmt == "sarif":
        assert _sarif(Report(shuffled, shuffled_results)) == _sarif(report())
    else:
        assert render(fmt, Report(shuffled, shuffled_results)) == render(fmt, report())


@pytest.mark.parametrize("fmt", [*PLAIN_FORMATS, "sarif"])
def test_output_names_no_machine_specific_path(fmt):
    """SARIF names the project root once, as SRCROOT (code scanning and viewers resolve the
    relative URIs against it); nothing else in any format depends on the machine."""
    if fmt == "sarif":
        log = json.loads(_sarif(report()))
        assert set(log["runs"][0].pop("originalUriBaseIds")) == {"SRCROOT"}
        text = json.dumps(log, ensure_ascii=False)
    else:
        text = render(fmt, report())
    assert os.getcwd() not in text
    assert os.path.expanduser("~") not in text


def test_formats_cover_every_emitter_module_and_reject_unknown_names():
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "github", "html"}
    with pytest.raises(ValueError, match="unknown format"):
        render("xml", report())
    with pytest.raises(ValueError, match="fail-on"):
        render("text", report(), fail_on="sometimes")


def test_html_dispatches_to_the_reviewer_page():
    page = render("html", report())
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "notes/集群 clusters.md" in page and "<script>alert(1)</script>" not in page


def test_an_empty_run_renders_in_every_format():
    empty = Report([], [])
    assert render("text", empty).splitlines()[-2:] == ["Found 0 findings.", "Gate: passed (fail-on error)."]
    payload = json.loads(render("json", empty))
    assert (payload["findings"], payload["documents"], payload["summary"]["failed"]) == ([], [], False)
    assert ET.fromstring(render("junit", empty).encode()).attrib["tests"] == "0"
    assert render("github", empty) == ""
