"""JUnit XML for CI test-report viewers: one ``<testsuite>`` per checked file, one
``<testcase>`` per finding (a ``<failure>`` when it is at or above the gate's fail-on level, a
passing case with the message in ``<system-out>`` below it), and one passing ``clean`` case for a
file with no findings, so every file shows up.

Built with ElementTree, which escapes ``<``, ``&`` and quotes; characters XML 1.0 cannot carry at
all (most C0 controls) are replaced, so the document always parses. No timestamps or host names.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import Sequence

from factlint.findings import Finding
from factlint.emit.summary import Summary, ordered, summarise
from factlint.findings import fails_gate

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(findings: Sequence[Finding], results: Sequence, summary: Summary | None = None) -> str:
    summary = summary or summarise(findings, results)
    by_path = {path: list(group) for path, group in
               groupby(ordered(findings), key=lambda f: f.location.path)}
    paths = sorted({r.path for r in results} | set(by_path))
    root = ET.Element("testsuites", name="factlint")
    for path in paths:
        root.append(testsuite(path, by_path.get(path, []), summary.fail_on))
    _count(root, root.findall("testsuite"))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def testsuite(path: str, findings: list[Finding], fail_on: str) -> ET.Element:
    suite = ET.Element("testsuite", name=_xml(path))
    for f in findings:
        suite.append(testcase(f, fails_gate(f, fail_on)))
    if not findings:
        ET.SubElement(suite, "testcase", classname=_classname(path), name="clean")
    _count(suite, [suite])
    return suite


def testcase(f: Finding, failing: bool) -> ET.Element:
    loc = f.location
    column = f" [{loc.column}]" if loc.column else ""
    case = ET.Element("testcase", classname=_classname(loc.path),
                      name=_xml(f"{f.rule} line {loc.line}{column}"), file=_xml(loc.path),
                      line=str(loc.line))
    body = _xml("\n".join(part for part in (f"{loc.path}:{loc.line}: {f.message}", f.evidence,
                                            f.fix.title if f.fix else "") if part))
    if failing:
        failure = ET.SubElement(case, "failure", message=_xml(f.message), type=_xml(f.rule))
        failure.text = body
    else:
        ET.SubElement(case, "system-out").text = f"{f.severity.value}: {body}"
    return case


def _count(element: ET.Element, suites: list[ET.Element]) -> None:
    cases = [c for s in suites for c in s.findall("testcase")]
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    element.set("errors", "0")
    element.set("skipped", "0")


def _classname(path: str) -> str:
    """Report viewers split classnames on dots into packages; keep the file's name whole."""
    return _xml("factlint." + path.replace(".", "_"))


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
