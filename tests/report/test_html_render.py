"""The HTML report as a string: escaping, links, counts, charts, file layout."""
from __future__ import annotations

import base64
import html as html_lib
import hashlib
import json
import re

import pandas as pd
import pytest

from factlint.document import Document
from factlint.emit import html as report
from factlint.emit.html import embed_json, link_url, page_name, render_report, write_report
from factlint.findings import Applicability, Finding, Fix, Location, Reference, Severity
from factlint.pipeline import DocumentResult

from report_support import NOTES, SEED_NOTE, cell_location, elements, finding, make_result

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile():
    result = make_result((NOTES / "hostile.md").read_text(encoding="utf-8"), "notes/hostile.md")
    doc = result.document
    findings = [
        finding(doc, 1, 0, 0, severity=Severity.ERROR, message=f"bad {HOSTILE} value \"q\" 'a'",
                evidence="</pre><img src=x onerror=alert(1)> 5 × 2 = 10",
                related=(cell_location(doc, 1, 1, 1, role=f"role {HOSTILE}"),),
                fix=Fix('"><img src=x onerror=alert(1)>', f"Replace with {HOSTILE}",
                        Applicability.UNSAFE, "</td>")),
        finding(doc, 1, 1, 1, rule="kb-mismatch", message="differs from the source",
                reference=Reference(publication=f"<b>{HOSTILE}</b>", url="javascript:alert(1)",
                                    quote="</blockquote><script>alert(2)</script>",
                                    date="2024", confidence="high", value="8 PFLOPS")),
        finding(doc, 2, 1, 1, rule="kb-mismatch", severity=Severity.INFO, message="{{ 7*7 }}",
                reference=Reference("Vendor page", "https://example.com/a?b=1&c=2", "quote",
                                    "2024-03", "medium")),
    ]
    return result, findings


@pytest.fixture(scope="module")
def hostile_html(hostile):
    result, findings = hostile
    return render_report([result], findings, title=f"report {HOSTILE}")


def inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, flags=re.S)


def data_blob(html: str) -> dict:
    blob = re.search(r'<script type="application/json" id="factlint-data">(.*?)</script>', html,
                     flags=re.S).group(1)
    assert "<" not in blob and ">" not in blob and "&" not in blob
    return json.loads(blob)


# --------------------------------------------------------------------------- safety

def test_note_markup_never_becomes_markup(hostile_html):
    tags = elements(hostile_html)
    assert not [e.tag for e in tags if e.tag in {"img", "iframe", "object", "embed", "link", "base"}]
    assert "<b onclick" not in hostile_html and "<b><script>" not in hostile_html
    assert not [(e.tag, k) for e in tags for k in e.attrs if k.startswith("on")]
    scripts = [e for e in tags if e.tag == "script"]
    assert len(scripts) == 3                                   # early flag, JSON data, the app
    assert [s.attrs.get("type") for s in scripts] == [None, "application/json", None]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile_html
    assert "{{ 7*7 }}" in hostile_html and ">49<" not in hostile_html


def test_every_script_is_ours_and_pinned_by_the_csp(hostile_html):
    csp = html_lib.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', hostile_html).group(1))
    for script in inline_scripts(hostile_html):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_only_http_links_and_they_open_without_referrer(hostile_html):
    links = [e for e in elements(hostile_html) if e.tag == "a"]
    hrefs = [a.attrs["href"] for a in links]
    assert all(h.startswith("#") or h.startswith("https://") for h in hrefs), hrefs
    external = [a for a in links if a.attrs["href"].startswith("https://")]
    assert [a.attrs["href"] for a in external] == ["https://example.com/a?b=1&c=2"]
    assert 'href="https://example.com/a?b=1&amp;c=2"' in hostile_html
    assert external[0].attrs["rel"] == "noopener noreferrer"
    assert "javascript:alert(1)" in hostile_html                 # shown, as text only


@pytest.mark.parametrize("url, expected", [
    ("https://example.com/x?a=1&b=2", "https://example.com/x?a=1&b=2"),
    ("  http://example.com/  ", "http://example.com/"),
    ("javascript:alert(1)", None), (" JavaScript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None), ("//evil.example/x", None),
    ("ftp://example.com/f", None), ('https://x.example/"onmouseover=alert(1)', None),
    ("", None), (None, None),
])
def test_link_url(url, expected):
    assert link_url(url) == expected


def test_embedded_json_cannot_end_its_element():
    value = {"m": "</script><!-- \u2028 \u2029 & > <b>", "n": [1, "x"]}
    text = str(embed_json(value))
    for forbidden in ("</script", "<!--", "<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    assert json.loads(text) == value


def test_hostile_json_blob_round_trips(hostile, hostile_html):
    result, findings = hostile
    blob = data_blob(hostile_html)
    assert sorted(row[5] for row in blob["f"]) == sorted(f.message for f in findings)


@pytest.mark.parametrize("path", [
    "../../etc/passwd.md", "/etc/passwd.md", "..\\..\\Windows\\system32\\hosts.md",
    "a/b/../../../c.md", "笔记/芯片路线图.md", "", ".md", "a" * 300 + ".md", "x/.hidden.md",
])
def test_page_names_are_plain_file_names(path):
    name = page_name(path)
    assert report.PAGE_NAME.fullmatch(name), name
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}-[0-9a-f]{10}\.html", name), name


def test_page_names_differ_for_the_same_stem_in_two_folders():
    assert page_name("a/note.md") != page_name("b/note.md")
    assert page_name("a/note.md") == page_name("a/note.md")


# --------------------------------------------------------------------------- file layout

def _results(paths):
    return [make_result("| A | B |\n|---|---|\n| x | 1 |\n", p) for p in paths]


def test_a_document_digest_is_worked_out_once_while_its_result_lives(monkeypatch):
    import gc

    first = make_result(SEED_NOTE.read_text(encoding="utf-8"), "notes/seed.md")
    other = make_result(SEED_NOTE.read_text(encoding="utf-8") + "\nmore\n", "notes/seed.md")
    digest = report.document_digest(first)
    assert report.document_digest(other) != digest
    reprs = []
    real_repr = Document.__repr__
    monkeypatch.setattr(Document, "__repr__", lambda self: reprs.append(1) or real_repr(self))
    assert report.document_digest(first) == digest and reprs == []        # remembered
    key = id(first)
    del first
    gc.collect()
    assert key not in report._DIGESTS                  # it did not keep the result alive


def test_small_corpus_is_one_file(tmp_path):
    index = write_report(_results(["a.md", "b.md"]), [], tmp_path / "out")
    assert index == tmp_path / "out" / "index.html"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["index.html"]


def test_pages_of_earlier_runs_are_pruned_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "SPLIT_ABOVE_DOCUMENTS", 1)
    out = tmp_path / "out"
    write_report(_results(["a.md", "b.md", "c.md"]), [], out)
    (out / "docs" / "notes.txt").write_text("mine")
    write_report(_results(["a.md", "b.md"]), [], out)
    assert sorted(p.name for p in (out / "docs").iterdir()) == \
        sorted([page_name("a.md"), page_name("b.md"), "notes.txt"])
    monkeypatch.setattr(report, "SPLIT_ABOVE_DOCUMENTS", 200)
    write_report(_results(["a.md"]), [], out)
    assert [p.name for p in (out / "docs").iterdir()] == ["notes.txt"]
    assert not list(out.rglob(".*.partial"))


def test_a_symlink_in_place_of_a_page_is_refused_not_followed(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "SPLIT_ABOVE_DOCUMENTS", 1)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere.html"
    elsewhere.write_text("not the report's")
    (out / "docs").mkdir(parents=True)
    (out / "docs" / page_name("b.md")).symlink_to(elsewhere)
    with pytest.raises(ValueError, match="refusing to write outside"):
        write_report(_results(["a.md", "b.md"]), [], out)
    assert elsewhere.read_text() == "not the report's"


@pytest.mark.parametrize("name", ["../escape.html", "sub/x-0123456789.html", "index.html",
                                  "x-0123456789.htm"])
def test_a_page_target_must_be_a_page_name(tmp_path, name):
    with pytest.raises(ValueError, match="refusing to write outside"):
        report._page_target(tmp_path, name)
    assert report._page_target(tmp_path, "x-0123456789.html") == tmp_path / "x-0123456789.html"


def test_large_corpus_splits_per_document_inside_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "SPLIT_ABOVE_DOCUMENTS", 2)
    paths = ["../../etc/passwd.md", "/abs/note.md", "docs/note.md"]
    results = _results(paths)
    doc0 = results[0].document
    findings = [finding(doc0, 1, 0, 1, message="first",
                        related=(cell_location(results[2].document, 1, 0, 1, "same figure"),))]
    out = tmp_path / "out"
    index = write_report(results, findings, out)
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted([index] + [out / "docs" / page_name(p) for p in paths])
    html = index.read_text(encoding="utf-8")
    for p in paths:
        assert f'href="docs/{page_name(p)}"' in html
    assert data_blob(html)["f"][0][6] == f"docs/{page_name(paths[0])}#{report.finding_anchor(paths[0], 0)}"
    page0 = (out / "docs" / page_name(paths[0])).read_text(encoding="utf-8")
    assert 'href="../index.html"' in page0
    # the related cell lives on the third document's page
    target = report.cell_anchor(paths[2], 1, 0, 1)
    assert f'href="{page_name(paths[2])}#{target}"' in page0
    assert f'id="{target}"' in (out / "docs" / page_name(paths[2])).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- what it shows

@pytest.fixture(scope="module")
def seed():
    result = make_result(SEED_NOTE.read_text(encoding="utf-8"), "data/raw/cerebras-roadmap-note.md")
    doc = result.document
    per_node, total = _find_cell(doc, "8 PLOPS"), _find_cell(doc, "1 EFLOPS")
    findings = [
        finding(doc, *total, rule="cluster-total", severity=Severity.ERROR,
                message="128 nodes × 8 PFLOPS = 1024 PFLOPS, not 1 EFLOPS",
                evidence="128 × 8 PFLOPS = 1024 PFLOPS ≠ 1 EFLOPS",
                related=(cell_location(doc, *per_node, role="per-node figure"),)),
        finding(doc, *per_node, message="`PLOPS` is not a unit",
                fix=Fix("8 PFLOPS", "Replace `PLOPS` with `PFLOPS`", Applicability.SAFE, "8 PLOPS")),
        finding(doc, *per_node, rule="unverified", severity=Severity.INFO, message="no source"),
        finding(doc, *_find_cell(doc, "80B"), rule="unverified", severity=Severity.INFO,
                message="no source"),
    ]
    return result, findings


@pytest.fixture(scope="module")
def seed_html(seed):
    result, findings = seed
    return render_report([result], findings)


def _find_cell(doc: Document, text: str) -> tuple[int, int, int]:
    for t in doc.tables:
        for r, row in enumerate(t.rows):
            for c in row.cells:
                if c.text == text:
                    return t.index, r, c.column
    raise LookupError(text)


def stat(html: str, name: str) -> str:
    return re.search(rf'data-stat="{name}".*?<span class="v[^"]*">(.*?)</span>', html, re.S).group(1)


def test_summary_counts(seed):
    result, findings = seed
    html = render_report([result], findings)
    assert stat(html, "documents") == "1"
    assert stat(html, "tables") == str(len(result.document.tables))
    assert stat(html, "claims") == str(len(result.claims))
    assert stat(html, "findings") == "4"
    assert "not measured" in html        # hand-made results: nothing measured coverage
    assert 'data-stat="publication"' not in html


def test_coverage_is_the_measured_one_not_a_count_of_unverified_findings(seed):
    """The figure `check` prints (the documents' measured coverage, summed) is the figure the
    flow's report shows, which passes no coverage of its own: one definition, one number."""
    import dataclasses

    from factlint.pipeline import total_coverage

    result, findings = seed
    measured = [dataclasses.replace(result, coverage={"numeric_claims": 84, "checked": 73,
                                                      "share": 0.869}),
                dataclasses.replace(result, path="b.md",
                                    coverage={"numeric_claims": 4, "checked": 4, "share": 1.0})]
    expected = total_coverage(measured)
    view = report.coverage(measured, findings)
    assert (view["checked"], view["numeric"]) == (expected["checked"], expected["numeric_claims"])
    assert (view["checked"], view["numeric"]) == (77, 88)
    html = render_report(measured, findings)
    assert stat(html, "coverage") == "88%" and "77 of 88 numeric" in html


def test_coverage_from_run_and_unknown_without_it(seed):
    result, findings = seed
    plain = [f for f in findings if f.rule != "unverified"]
    assert report.coverage([result], plain) is None
    assert report.coverage([result], findings) is None       # unverified findings measure nothing
    assert "not measured" in render_report([result], plain)
    assert report.coverage([result], plain, {"coverage": {"checked": 3, "numeric": 12}}) == \
        {"checked": 3, "numeric": 12, "percent": 25.0}
    assert report.coverage([result], plain, {"coverage": 0.5})["percent"] == 50.0


@pytest.mark.parametrize("explicit, expected", [
    (0.5, {"checked": 5, "numeric": 10, "percent": 50.0}),
    ({"checked": 3, "numeric": 12}, {"checked": 3, "numeric": 12, "percent": 25.0}),
    ({"numeric_claims": 72, "checked": 66, "share": 0.9167},        # factlint.reference.coverage
     {"checked": 66, "numeric": 72, "percent": 100 * 66 / 72}),
    ({"checked": 4}, {"checked": 4, "numeric": 10, "percent": 40.0}),
])
def test_explicit_coverage_shapes(explicit, expected):
    claims = pd.DataFrame({"kind": ["number"] * 10 + ["text"] * 3, "status": ["parsed"] * 13})
    result = DocumentResult(path="a.md", sha256="", document=None, claims=claims)
    assert report.coverage([result], [], {"coverage": explicit}) == expected


def test_the_flows_run_metadata(tmp_path):
    """The shape factlint.history.RunSummary.report_metadata() hands to write_report."""
    from factlint.history import RunSummary

    summary = RunSummary(
        run_id="20260203T100000Z-abc123", started="2026-02-03T10:00:00+00:00",
        finished="2026-02-03T10:00:09+00:00", documents=2, published=1, held_back=1, removed=0,
        claims=10, findings_by_severity={"error": 2, "warning": 0, "info": 0},
        findings_by_rule={"cluster-total": 2}, cache_hits=0, cache_misses=2, expectations={},
        statuses=[{"path": "a.md", "status": "published", "reason": "", "version": "v1"},
                  {"path": "b.md", "status": "held-back", "reason": "2 errors <b>", "version": None}],
        published_version="v1", blocked="1 data expectation(s) failed <x>", dataset="data/validated")
    history = [{"date": "2026-02-01T09:00:00+00:00", "counts": {"error": 4, "warning": 1, "info": 0}},
               {"date": "2026-02-03T10:00:00+00:00", "counts": {"error": 2, "warning": 0, "info": 0}}]
    html = write_report(_results(["a.md", "b.md"]), [], tmp_path, run=summary.report_metadata(),
                        history=history).read_text(encoding="utf-8")
    assert re.sub(r"<[^>]+>|\s", "", stat(html, "publication")) == "1/1"
    assert "2 errors &lt;b&gt;" in html
    assert "Publishing blocked: 1 data expectation(s) failed &lt;x&gt;" in html
    assert "20260203T100000Z-abc123" in html and "published version <code>v1</code>" in html
    assert "02-03 10:00: 2 error, 0 warning, 0 info" in html


@pytest.mark.parametrize("run", [
    {"published": ["a.md"], "held_back": {"b.md": "2 errors", "c.md": ["schema", "kb"]}},
    {"documents": [{"path": "a.md", "status": "published"},
                   {"path": "b.md", "published": False, "reasons": ["2 errors"]},
                   {"path": "c.md", "status": "held-back", "reasons": ["schema", "kb"]}]},
    {"published": ["a.md"], "held_back": [{"path": "b.md", "reason": "2 errors"},
                                          {"path": "c.md", "reasons": ["schema", "kb"]}]},
])
def test_publication_from_run(run):
    html = render_report(_results(["a.md", "b.md", "c.md"]), [], run={**run, "run_id": "r-42"})
    assert re.sub(r"<[^>]+>|\s", "", stat(html, "publication")) == "1/2"
    markup = html.split('<script type="application/json"')[0]
    # documents table + the document's header; the mark is drawn by CSS, not a font
    assert markup.count('<i class="ic ic-ok" aria-hidden="true"></i> published') == 2
    assert "schema; kb" in html and "r-42" in html


def test_flagged_cell_is_a_labelled_button_with_its_details(seed, seed_html):
    result, findings = seed
    html = seed_html
    tags = elements(html)
    by_id = {e.attrs["id"]: e for e in tags if "id" in e.attrs}
    buttons = [e for e in tags if "data-findings" in e.attrs]
    assert len(buttons) == 3                      # three distinct cells carry the four findings
    for b in buttons:
        assert b.tag == "a" and b.attrs["role"] == "button" and b.attrs["href"].startswith("#f-")
        for fid in b.attrs["data-findings"].split():
            assert by_id[fid].tag == "article"
    per_node = next(b for b in buttons if len(b.attrs["data-findings"].split()) == 2)
    icon = '<i class="ic ic-{0}" aria-hidden="true"></i> {0}'
    assert icon.format("warning") + " · 2" in html   # worst severity, as icon + word + count
    assert icon.format("error") in html and icon.format("info") in html
    total_card = next(e for e in tags if e.tag == "article" and "sev-error" in e.attrs["class"])
    card_html = html.split(f'id="{total_card.attrs["id"]}"')[1].split("</article>")[0]
    assert "128 × 8 PFLOPS = 1024 PFLOPS ≠ 1 EFLOPS" in card_html
    operands = card_html.split('<tbody class="operands">')[1]          # the sum, laid out
    related = re.search(r'<a href="#(c-[^"]+)" data-cell="\1">line \d+', operands).group(1)
    assert by_id[related].tag == "td"
    assert related == report.cell_anchor(result.path, *_find_cell(result.document, "8 PLOPS"))
    assert "<del>8 PLOPS</del> → <ins>8 PFLOPS</ins>" in html


def test_findings_list_is_in_the_html_for_readers_without_javascript(seed, seed_html):
    result, findings = seed
    html = seed_html
    noscript = html.split("<noscript>")[1].split("</noscript>")[0]
    body = noscript.split('<table class="list" id="findings-static">')[1].split("<tbody>")[1]
    body = body.split("</tbody>")[0]
    assert body.count("<tr") == len(findings)
    rows = data_blob(html)["f"]
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)        # worst first
    assert all(r[7] and f'id="{r[7]}"' in html for r in rows)       # cells on this page


def test_rule_chart_has_one_bar_per_rule_and_trend_needs_history(seed, seed_html):
    result, findings = seed
    html = seed_html
    assert html.count('<g class="bar"') == 3
    assert "unverified: 2 (2 info)" in html
    assert "Findings across runs" not in html
    history = [{"date": f"2026-01-{d:02d}", "error": 3, "warning": d, "info": 1} for d in (1, 2, 3)]
    with_trend = render_report([result], findings, history=history)
    assert "Findings across runs" in with_trend
    assert len(re.findall(r'<polyline class="l-(error|warning|info)"', with_trend)) == 3
    assert "01-03: 3 error, 3 warning, 1 info" in with_trend


def test_page_is_self_contained_and_light(seed, seed_html):
    result, findings = seed
    html = seed_html
    tags = elements(html)
    assert not [e for e in tags if "src" in e.attrs or e.tag == "link"]
    # the only URLs are our icons, inline data: SVG (whose xmlns names a namespace, not a fetch)
    assert re.findall(r"url\((?!\"data:image/svg\+xml,)", html) == [] and "@import" not in html
    assert set(re.findall(r"https?://[^'\s\"]*", html)) <= {"http://www.w3.org/2000/svg"}
    assert not re.search(r'href="https?:', html)
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assets = len(css.encode()) + sum(len(s.encode()) for s in inline_scripts(html))
    assert assets < 40_000, assets
    assert '"Noto Sans CJK SC"' in css and '"Microsoft YaHei"' in css


def test_the_script_survives_losing_its_indentation():
    """The page ships report.js without its lines' indentation: safe only while no string or
    template literal spans lines."""
    source = (report.TEMPLATES / "report.js").read_text(encoding="utf-8")
    assert "`" not in source
    assert not re.search(r"\\$", source, re.M)


def test_tables_are_semantic_with_source_lines(seed):
    result, _ = seed
    html = render_report([result], [])
    doc = result.document
    assert html.count('<table class="note">') == len(doc.tables)
    heads = [e for e in elements(html) if e.tag == "th" and e.attrs.get("scope") == "col"]
    assert len(heads) >= sum(len(t.header) + 1 for t in doc.tables)
    for t in doc.tables:
        for row in t.rows:
            anchor = report.cell_anchor(doc.path, t.index, t.rows.index(row), None)
            assert f'<td id="{anchor}" class="ln">{row.line}</td>' in html


def test_cell_located_by_line_and_column_label_alone(seed):
    result, _ = seed
    doc = result.document
    table, row, column = _find_cell(doc, "1 EFLOPS")
    t = doc.tables[table - 1]
    bare = Location(path=doc.path, line=t.rows[row].line, column=f"**{t.header[column].text}**")
    assert report.CellIndex(doc).anchor(bare) == report.cell_anchor(doc.path, table, row, column)
    outside = Location(path=doc.path, line=1)
    assert report.CellIndex(doc).anchor(outside) is None


def test_unreadable_documents_ragged_rows_and_stray_findings(tmp_path):
    broken = DocumentResult(path="bad.md", sha256="", document=None, claims=pd.DataFrame(),
                            error="not UTF-8, GB18030 or UTF-16")
    ragged = make_result("| A | B |\n|---|---|\n| 1 | 2 | 3 |\n| 4 |\n", "ragged.md")
    stray = Finding(rule="cross-document", severity=Severity.WARNING, message="elsewhere",
                    location=Location(path="other.md", line=3))
    html = render_report([broken, ragged], [stray])
    assert "Could not read this file: not UTF-8, GB18030 or UTF-16" in html
    assert "Findings outside the checked documents" in html and "elsewhere" in html
    table = html.split('<table class="note">')[1].split("</table>")[0]
    assert len(re.findall(r"<th[ >]", table)) == 4 and len(re.findall(r"<td[ >]", table)) == 2 * 4     # padded to 3 columns
    assert data_blob(html)["f"][0][2] == -1


def test_a_reference_shows_its_publication_host_tier_and_date(seed):
    """A reviewer weighs a source by who published it, where, how trustworthy and how old."""
    result, _ = seed
    doc = result.document
    sourced = [finding(doc, *_find_cell(doc, "8 PLOPS"), rule="reference-mismatch", message="m1",
                       reference=Reference("AnandTech", "https://www.anandtech.com/show/16626",
                                           "TSMC 16nm", "2021-04", "high", "16 nm", tier="secondary")),
               finding(doc, *_find_cell(doc, "80B"), rule="reference-mismatch", message="m2",
                       reference=Reference("", "https://gogoai.xin/article/x", "q", "", "low",
                                           tier="low"))]
    html = render_report([result], sourced)
    first = html.split('<dd class="ref">')[1].split("</dd>")[0]
    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", first))).strip()
    assert text.startswith("AnandTech · anandtech.com secondary source 2021-04 confidence high")
    assert first.index("<cite>AnandTech</cite>") < first.index(">anandtech.com</a>")
    assert 'class="tier tier-secondary"' in first
    second = html.split('<dd class="ref">')[2].split("</dd>")[0]
    # no publication name: the host stands for it; no date: said so
    assert "<cite>gogoai.xin</cite>" in second and ">undated<" in second and "tier-low" in second


def test_a_split_report_says_it_is_a_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "SPLIT_ABOVE_DOCUMENTS", 1)
    index = write_report(_results(["a.md", "b.md"]), [], tmp_path / "out")
    html = index.read_text(encoding="utf-8")
    assert "This report is a folder" in html and "<code>docs/</code>" in html
    assert "more than 1 documents" in html or "more than 1 document" in html
    page = next((tmp_path / "out" / "docs").iterdir()).read_text(encoding="utf-8")
    assert 'href="../index.html"' in page and "one document of a split report" in page


def test_paths_break_between_folders_only():
    assert str(report.path_breaks("a-b/c<d>/e-f.md")) == \
        '<span class="seg">a-b</span>/<wbr><span class="seg">c&lt;d&gt;</span>/<wbr><span class="seg">e-f.md</span>'


def test_pictographs_only_an_emoji_font_draws_are_not_drawn_as_boxes():
    assert str(report.glyphs("📊 Chart ★☆ →")) == \
        '<span class="glyph-text" title="📊">📊</span> Chart ★☆ →'
    assert 'class="glyph g-no"' in str(report.glyphs("❌")) and "<b>" not in str(report.glyphs("<b>✅"))


@pytest.mark.parametrize("split", [False, True])
def test_a_finding_that_breaks_the_contract_stops_the_report(tmp_path, monkeypatch, split):
    import pandera.errors

    monkeypatch.setattr(report, "SPLIT_ABOVE_DOCUMENTS", 1 if split else 200)
    bad = Finding("cluster-total", Severity.ERROR, "", Location("a.md", 1))     # no message
    with pytest.raises(pandera.errors.SchemaError):
        write_report(_results(["a.md", "b.md"]), [bad], tmp_path / "out")
    assert not (tmp_path / "out" / "index.html").exists()
