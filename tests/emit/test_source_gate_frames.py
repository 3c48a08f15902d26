"""Cell spans and fixed lines (what SARIF and GitHub columns rest on), the gate's exit code, and
the findings contract every emitter reads through."""
from __future__ import annotations

import json

import pandera.pandas as pa
import pytest

from factlint.document import Cell, Document, Row, Table
from factlint.emit import exit_code
from factlint.emit.source import cell_span, cell_spans, fixed_line
from factlint.emit.summary import findings_table, related_table, summarise
from factlint.findings import Finding, Fix, Location, Severity

from emit_fixtures import findings, results

# ------------------------------------------------------------------------------ cell spans


def _texts(line: str) -> list[str]:
    return [line[a:b] for a, b in cell_spans(line)]


@pytest.mark.parametrize("line, cells", [
    ("| a | b | c |", ["a", "b", "c"]),
    ("a | b | c", ["a", "b", "c"]),
    ("|a|b|", ["a", "b"]),
    ("| **粗体** | 46225 mm² |", ["**粗体**", "46225 mm²"]),
    ("| Condor \\| Galaxy | 64 |", ["Condor \\| Galaxy", "64"]),
    ("| ends in backslash \\\\| x |", ["ends in backslash \\\\", "x"]),
    ("| `a|b` | c |", ["`a", "b`", "c"]),                 # GFM splits inside code spans too
    ("> | quoted | table |", ["quoted", "table"]),
    ("|  | empty middle |  |", ["", "empty middle", ""]),
    ("no pipes at all", []),
])
def test_cell_spans(line, cells):
    assert _texts(line) == cells


def _doc(line: str, header=("Chip", "Power"), cells=(("WSE-3", "WSE-3"), ("23 kW", "23 kW"))) -> Document:
    text = f"| {' | '.join(header)} |\n|---|---|\n{line}\n"
    table = Table(1, (), 1, 3, tuple(Cell(h, h, i) for i, h in enumerate(header)),
                  (Row(3, tuple(Cell(raw, txt, i) for i, (raw, txt) in enumerate(cells))),))
    return Document("n.md", text, "utf-8", "", tables=(table,))


def test_cell_span_uses_the_table_model_when_the_text_repeats_on_the_line():
    doc = _doc("| 8 | 8 |", header=("Nodes", "Per node"), cells=(("8", "8"), ("8", "8")))
    assert cell_span(doc, Location("n.md", 3, 1, 0, "Per node", text="8")) == (6, 7)
    assert cell_span(doc, Location("n.md", 3, 1, 0, "Nodes", text="8")) == (2, 3)


def test_cell_span_of_a_header_cell_and_of_unknown_text():
    doc = _doc("| WSE-3 | 23 kW |")
    assert cell_span(doc, Location("n.md", 1, 1, None, "Power", text="Power")) == (9, 14)
    assert cell_span(doc, Location("n.md", 3, 1, 0, None, text="nowhere")) is None
    assert cell_span(doc, Location("n.md", 99, 1, 0, "Power", text="23 kW")) is None


@pytest.mark.parametrize("raw, text, fix, original, new_line", [
    ("23 kw", "23 kw", "23 kW", "23 kw", "| WSE-3 | 23 kW |"),
    ("**23 kw**", "23 kw", "23 kW", "23 kw", "| WSE-3 | **23 kW** |"),     # markup kept
    ("23 kw¹", "23 kw¹", "23 kW", "23 KW", "| WSE-3 | 23 kW |"),          # not inside: whole cell
    ("23 kw", "23 kw", "a | b", "23 kw", "| WSE-3 | a \\| b |"),           # pipe escaped
])
def test_fixed_line_rewrites_only_the_cell(raw, text, fix, original, new_line):
    doc = _doc(f"| WSE-3 | {raw} |", cells=(("WSE-3", "WSE-3"), (raw, text)))
    f = Finding("unit-spelling", Severity.WARNING, "m", Location("n.md", 3, 1, 0, "Power", text=text),
                fix=Fix(fix, "t", original=original))
    assert fixed_line(doc, f) == (f"| WSE-3 | {raw} |", new_line)


# ------------------------------------------------------------------------------------ gate


@pytest.mark.parametrize("severities, fail_on, code", [
    ([], "error", 0),
    (["info", "warning"], "error", 0),
    (["info", "error"], "error", 1),
    (["warning"], "warning", 1),
    (["info"], "warning", 0),
    (["info"], "info", 1),
    (["error", "warning", "info"], "never", 0),
])
def test_exit_code(severities, fail_on, code):
    fs = [Finding("r", Severity(s), "m", Location("a.md", 1)) for s in severities]
    assert exit_code(fs, fail_on) == code


def test_exit_code_rejects_an_unknown_threshold():
    with pytest.raises(ValueError, match="fail-on"):
        exit_code([], "sometimes")


# ---------------------------------------------------------------------------------- frames


def test_findings_table_validates_and_keeps_one_row_per_finding():
    frame = findings_table(findings())
    assert len(frame) == len(findings())
    assert list(frame["path"]) == sorted(frame["path"])
    assert json.loads(frame.loc[frame["rule"] == "cluster-total", "related"].iloc[0])[0]["role"] == "node count"


@pytest.mark.parametrize("bad", [
    Finding("cluster-total", Severity.ERROR, "", Location("a.md", 1)),
    Finding("cluster-total", Severity.ERROR, "m", Location("a.md", -1)),
    Finding("Cluster Total", Severity.ERROR, "m", Location("a.md", 1)),
    Finding("cluster-total", Severity.ERROR, "m", Location("a.md", 1), fingerprint="NOT-HEX"),
])
def test_emitters_refuse_findings_that_break_the_contract(bad):
    with pytest.raises(pa.errors.SchemaError):
        summarise([bad], [])


def test_related_table_is_long_one_row_per_related_location():
    frame = related_table(findings())
    assert len(frame) == sum(len(f.related) for f in findings())
    cluster = frame[frame["rule"] == "cluster-total"]
    assert list(cluster["role"]) == ["node count", "per-node figure"]
    assert list(cluster["text"]) == ["16", "8 PFLOPS"]
    positions = findings_table(findings()).reset_index(drop=True)
    assert set(positions.loc[cluster["finding"], "rule"]) == {"cluster-total"}


def test_summary_counts():
    s = summarise(findings(), results(), fail_on="warning")
    assert (s.files, s.unreadable, s.tables, s.claims, s.findings) == (4, 1, 2, 11, 6)
    assert dict(s.by_severity) == {"error": 3, "warning": 2, "info": 1}
    assert s.failing == 5 and s.failed


def test_sarif_columns_come_from_the_findings_column_index(tmp_path):
    """The same misspelt cell twice in one row: each finding's SARIF region is its own cell, from
    the claim's column index, not the first cell on the line that holds the text."""
    from factlint.emit import sarif
    from factlint.pipeline import check_document

    note = tmp_path / "n.md"
    line = "| Memory | 8 TB | 8 TBB | 8 TBB |"
    note.write_text("| Spec | K10 | K20 | K30 |\n|---|---|---|---|\n" + line + "\n", encoding="utf-8")
    result = check_document(note)
    spelling = sorted((f for f in result.findings if f.rule == "unit-spelling"),
                      key=lambda f: f.location.column_index)
    assert [f.location.column_index for f in spelling] == [2, 3]
    log = json.loads(sarif.render(spelling, [result]))
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in log["runs"][0]["results"]]
    starts = sorted(r["startColumn"] for r in regions)
    assert starts == [line.index("8 TBB") + 1, line.rindex("8 TBB") + 1]
