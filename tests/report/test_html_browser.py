"""The report in headless Debian chromium: what a reviewer sees and can do, and what it never does."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from factlint.emit import html as report
from factlint.emit.html import write_report
from factlint.findings import Severity

from report_support import NOTES, REPO, cell_location, distinct_colours, finding, make_result, settle

pytestmark = pytest.mark.browser

SEED_PATH = "data/raw/cerebras-roadmap-note.md"


def assert_inert(watch):
    assert watch.dialogs == []
    assert watch.console_errors == []
    assert watch.foreign_requests() == []
    assert watch.page.evaluate("window.__pwned") == 0


@pytest.fixture(scope="module")
def seed_run():
    """The first real note through the real pipeline, and the JSON emitter's view of it."""
    import os

    from factlint.emit import json as json_emitter
    from factlint.pipeline import across_documents, check_documents

    cwd = os.getcwd()
    os.chdir(REPO)                      # paths as a user gives them: relative to the repo
    try:
        results = check_documents([SEED_PATH])
        findings = [f for r in results for f in r.findings] + across_documents(results)
    finally:
        os.chdir(cwd)
    return results, findings, json.loads(json_emitter.render(findings, results))


@pytest.fixture(scope="module")
def seed_index(seed_run, tmp_path_factory):
    results, findings, _ = seed_run
    return write_report(results, findings, tmp_path_factory.mktemp("seed") / "report")


def test_seed_note_report(seed_run, seed_index, open_page):
    results, findings, emitted = seed_run
    assert findings, "the seed note has known problems; an empty run means the pipeline broke"
    page, watch = open_page(seed_index)
    summary = emitted["summary"]

    for sev, count in summary["by_severity"].items():
        assert page.locator(f".top-counts .chip.sev-{sev} b").inner_text() == str(count)
    for stat in ("tables", "claims", "findings"):
        assert page.locator(f'[data-stat="{stat}"] .v').inner_text() == str(summary[stat])
    total = len(emitted["findings"])
    groups = page.locator("#findings-body tr.group")
    entries = page.locator("#findings-body tr").count()
    assert groups.count() >= 1
    assert page.locator("#findings-status").inner_text() == \
        f"Showing 1–{entries} of {entries} entries ({total} findings, repeats grouped)"
    assert page.locator("table.note").count() == len(results[0].document.tables)

    # filter: one rule only
    rule, count = max(summary["by_rule"].items(), key=lambda kv: kv[1])
    page.select_option("select[name=rule]", label=rule)
    expect(page.locator("#findings-status")).to_contain_text(f"(filtered from {total})")
    assert set(page.locator("#findings-body tr td.what code.rule").all_inner_texts()) == {rule}
    status = page.locator("#findings-status").inner_text()
    assert f"({count} findings, repeats grouped)" in status or f" of {count} (" in status
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(_screens() / "html-report-seed.png"))
    assert_inert(watch)


def _cluster_total(emitted) -> dict:
    found = [f for f in emitted["findings"] if f["rule"] == "cluster-total"]
    assert found, "the first note's cluster-total finding is gone"
    return found[0]


def test_selecting_a_cluster_total_lights_up_its_operands(seed_run, seed_index, open_page):
    """From the findings list to the cell, with every operand marked in its own table (another
    table than the total's), and the sum laid out: operands, what they make, stated, difference."""
    results, _, emitted = seed_run
    wanted = _cluster_total(emitted)
    page, watch = open_page(seed_index)
    page.select_option("select[name=rule]", label="cluster-total")
    page.locator("#findings-body a[data-finding]", has_text=wanted["message"][:30]).click()
    panel = page.locator("#detail-body")
    expect(panel.locator("article.card.current")).to_have_count(1)
    card = panel.locator("article.card.current")
    assert wanted["message"] in card.locator(".msg").inner_text()

    index = report.cell_indexes(results)
    operands = [r for r in wanted["related"]]
    other_tables = {r["table"] for r in operands} - {wanted["location"]["table"]}
    assert other_tables, "the cluster-total's operands sit in other tables"
    for r in operands:
        anchor = report.locate(index, report.Location(**r))
        assert anchor, r
        target = page.locator(f'[id="{anchor}"]')
        expect(target).to_have_class(re.compile(r"\boperand-cell\b"))
        assert target.get_attribute("data-role") == r["role"]
    # each operand in another table links to that table
    for table in other_tables:
        link = card.locator(f'.calc a[href="#{report.table_anchor(SEED_PATH, table)}"]').first
        expect(link).to_be_visible()
    rows = card.locator(".calc .operands tr")
    assert rows.count() == len(operands)
    assert [t.strip() for t in card.locator(".calc .operands td.val").all_inner_texts()] == \
        [r["text"] for r in operands]
    assert card.locator(".calc .stated .val").inner_text() == wanted["location"]["text"]
    assert card.locator(".calc .result .val").inner_text() == wanted["fix"]["replacement"]
    assert card.locator(".calc .diff td").inner_text().strip()
    assert card.locator(".steps li").count() == len(wanted["evidence"].split("; "))
    total = page.locator(f'[id="{report.locate(index, report.Location(**wanted["location"]))}"]')
    expect(total).to_have_class(re.compile(r"\bselected\b"))
    expect(total).to_be_in_viewport()
    settle(page)
    page.screenshot(path=str(_screens() / "html-report-seed-selected.png"))

    # another finding's selection clears the marks
    page.locator("#detail-close").click()
    assert page.locator(".operand-cell").count() == 0
    assert_inert(watch)


def test_repeats_are_one_entry_that_expands(seed_run, seed_index, open_page):
    _, _, emitted = seed_run
    repeats = [f for f in emitted["findings"] if f["rule"] == "unit-spelling"
               and "is not a unit; did you mean PFLOPS?" in f["message"]]
    assert len(repeats) > 5
    page, watch = open_page(seed_index)
    group = page.locator("#findings-body tr.group", has_text="PLOPS in “…” is not a unit")
    expect(group).to_have_count(1)
    assert f"× {len(repeats)}" in group.inner_text()
    assert page.locator("#findings-body tr.member").count() == 0
    group.locator("button.expander").click()
    members = page.locator("#findings-body tr.member")
    expect(members).to_have_count(len(repeats))
    assert group.locator("button.expander").get_attribute("aria-expanded") == "true"
    assert sorted(int(t) for t in members.locator("td.num").all_inner_texts()) == \
        sorted(f["location"]["line"] for f in repeats)
    # a member opens its own cell
    members.nth(2).locator("a[data-finding]").click()
    assert "is not a unit" in page.locator("#detail-body article.card.current .msg").inner_text()
    group.locator("button.expander").click()
    expect(page.locator("#findings-body tr.member")).to_have_count(0)
    assert_inert(watch)


def test_copy_a_fix_and_the_notes_safe_fixes(seed_run, seed_index, open_page):
    import subprocess
    import sys

    _, _, emitted = seed_run
    page, watch = open_page(seed_index, permissions=["clipboard-read", "clipboard-write"])
    fixable = next(f for f in emitted["findings"] if f["fix"] and f["fix"]["applicability"] == "safe")
    page.locator(f'[id="{fixable_cell(seed_run, fixable)}"] a.flag').click()
    button = page.locator("#detail-body article.card", has_text=fixable["message"]).locator("button.copy")
    button.click()
    expect(button).to_have_class(re.compile(r"\bcopied\b"))
    diff = page.evaluate("navigator.clipboard.readText()")
    line = fixable["location"]["line"]
    assert diff.startswith(f"--- a/{SEED_PATH}\n+++ b/{SEED_PATH}\n@@ ")
    removed = [l for l in diff.splitlines() if l.startswith("-") and not l.startswith("---")]
    added = [l for l in diff.splitlines() if l.startswith("+") and not l.startswith("+++")]
    assert len(removed) == len(added) == 1
    assert fixable["fix"]["original"] in removed[0] and fixable["fix"]["replacement"] in added[0]
    source = (REPO / SEED_PATH).read_text(encoding="utf-8").splitlines()
    assert removed[0][1:] == source[line - 1]

    # the whole note's safe fixes: exactly what `factlint check --diff` prints for it
    page.locator(".doc-actions button.copy").click()
    expect(page.locator(".doc-actions button.copy")).to_have_class(re.compile(r"\bcopied\b"))
    printed = subprocess.run([sys.executable, "-m", "factlint", "check", "--diff", SEED_PATH],
                             cwd=REPO, capture_output=True, text=True).stdout
    assert printed and page.evaluate("navigator.clipboard.readText()") == printed
    assert_inert(watch)


def fixable_cell(seed_run, f) -> str:
    results, _, _ = seed_run
    return report.locate(report.cell_indexes(results), report.Location(**f["location"]))


def test_a_finding_links_to_its_line_in_the_source(seed_run, seed_index, open_page):
    _, _, emitted = seed_run
    wanted = _cluster_total(emitted)
    page, watch = open_page(seed_index)
    line = wanted["location"]["line"]
    source = page.locator("details.source")
    assert source.get_attribute("open") is None
    page.locator("#findings-body a[data-finding]", has_text=wanted["message"][:30]).click()
    page.locator("#detail-body article.card.current .src-link").click()
    target = page.locator(f'[id="{report.line_anchor(SEED_PATH, line)}"]')
    expect(target).to_be_in_viewport(timeout=15_000)      # the scroll runs late on a loaded machine
    assert source.get_attribute("open") is not None
    text = (REPO / SEED_PATH).read_text(encoding="utf-8").splitlines()[line - 1]
    assert target.locator("code").inner_text() == text
    assert "hit" in target.get_attribute("class")
    _below_header(page, target)
    # a step of the evidence names lines: they link into the source as well
    steps = page.locator("#detail-body article.card.current .steps a[data-src]")
    assert steps.count() >= 3
    assert_inert(watch)


def _below_header(page, target):
    header = page.locator("header.topbar").bounding_box()
    box = target.bounding_box()
    assert box["y"] >= header["y"] + header["height"] - 1, (box, header)


def test_a_jumped_to_table_is_not_under_the_sticky_header(seed_index, open_page):
    page, watch = open_page(seed_index)
    table = page.locator("figure.tbl").nth(6)
    anchor = table.locator("figcaption").get_attribute("id")
    page.goto(seed_index.resolve().as_uri() + "#" + anchor)
    page.wait_for_timeout(100)
    _below_header(page, page.locator(f'[id="{anchor}"]'))
    assert_inert(watch)


def test_full_page_screenshot_draws_every_table(seed_index, open_page):
    """No region is left undrawn (content-visibility: auto skipped off-screen documents): each
    table's area in a full-page capture has the table's lines and text, not one colour."""
    page, watch = open_page(seed_index)
    page.screenshot(path=str(_screens() / "html-report-seed-full.png"), full_page=True)
    tables = page.locator("table.note")
    for i in range(tables.count()):
        box = tables.nth(i).bounding_box()
        scroll = page.evaluate("window.scrollY")
        clip = {"x": box["x"], "y": box["y"] + scroll, "width": min(box["width"], 600),
                "height": min(box["height"], 400)}
        shot = page.screenshot(full_page=True, clip=clip)
        assert distinct_colours(page, shot) > 8, f"table {i + 1} is drawn blank"
    assert page.evaluate("""[...document.querySelectorAll('section, .doc, figure')]
        .every(e => getComputedStyle(e).contentVisibility !== 'auto')""")
    assert_inert(watch)


def test_status_marks_and_icons_need_no_emoji_font(seed_index, open_page):
    """✅ ❌ in a note's cells and the page's own icons are drawn shapes: no text the page shows
    depends on an emoji or symbol font (CI has only Noto CJK); the mark is kept for readers."""
    page, watch = open_page(seed_index)
    marks = "".join(report.GLYPHS) + "✖ℹ✔⚑✓✕"
    visible = page.evaluate("""([marks, pictographs]) => {
        const out = [];
        const drawnByFontOnly = new RegExp('[' + pictographs + ']', 'u');
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            const p = n.parentElement;
            if (p.closest('script, style, noscript, .glyph-text')) continue;
            const text = n.textContent;
            if ([...text].some(c => marks.includes(c)) || drawnByFontOnly.test(text)) out.push(text);
        }
        return out;
    }""", [marks, report._PICTOGRAPH])
    assert visible == []
    drawn = page.locator(".note .glyph.g-yes")
    assert drawn.count() >= 1
    assert drawn.first.get_attribute("aria-label") == "✅"
    box = drawn.first.bounding_box()
    assert box["width"] > 8 and box["height"] > 8
    assert page.evaluate("""getComputedStyle(document.querySelector('.note .glyph.g-yes'))
        .backgroundImage.startsWith('url("data:image/svg+xml')""")
    assert page.evaluate("""[...document.querySelectorAll('.badge .ic')].every(i =>
        getComputedStyle(i).maskImage.startsWith('url("data:image/svg+xml'))""")
    assert_inert(watch)


def _screens():
    folder = REPO / "reports"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    result = make_result((NOTES / "hostile.md").read_text(encoding="utf-8"), "../../etc/hostile.md")
    doc = result.document
    findings = [finding(doc, 1, 0, 0, severity=Severity.ERROR,
                        message="<img src=x onerror=\"window.__pwned=1\"> </td></table> 'q' \"q\"",
                        evidence="<script>window.__pwned=1</script>",
                        related=(cell_location(doc, 1, 1, 0, role="<b>role</b>"),)),
                finding(doc, 2, 1, 1, severity=Severity.INFO, message="{{ 7*7 }} <!-- x")]
    index = write_report([result], findings, tmp_path_factory.mktemp("hostile"))
    return result, findings, index


def test_hostile_note_stays_text(hostile_report, open_page):
    result, findings, index = hostile_report
    page, watch = open_page(index)
    doc = result.document
    assert page.locator("table.note").count() == len(doc.tables)
    for i, table in enumerate(doc.tables):
        drawn = page.locator("table.note").nth(i)
        assert drawn.locator("thead th").count() == len(table.header) + 1       # + line number
        assert drawn.locator("tbody td").count() == sum(len(r.cells) + 1 for r in table.rows)
        # a flagged cell also shows its severity label after the text: read the text part
        texts = drawn.locator("tbody td:not(.ln)").evaluate_all(
            "cells => cells.map(c => (c.querySelector('.flag .v') || c).innerText)")
        expected = [c.text or c.raw for r in table.rows for c in r.cells]
        assert [t.strip() for t in texts] == expected
    body = page.inner_text("body")
    for f in findings:
        assert f.message in body
    assert page.locator(".doc-head h2").inner_text() == doc.title
    assert "<script>alert(1)</script>" in doc.title
    page.locator("a.flag").first.click()
    assert "<script>window.__pwned=1</script>" in page.inner_text("#detail-body")
    # a related cell link scrolls to that cell and highlights it
    related = page.locator("#detail-body .related a").first
    target = page.locator(f'[id="{related.get_attribute("data-cell")}"]')
    related.click()
    expect(target).to_have_class(re.compile(r"\bflash\b"))
    expect(target).to_be_in_viewport()
    assert_inert(watch)


def test_keyboard_selects_cells(hostile_report, open_page):
    _, findings, index = hostile_report
    page, watch = open_page(index)
    flags = page.locator("a.flag")
    flags.nth(0).focus()
    page.keyboard.press("Enter")
    assert findings[0].message in page.inner_text("#detail-body")
    flags.nth(1).focus()
    page.keyboard.press(" ")
    assert findings[1].message in page.inner_text("#detail-body")
    assert findings[0].message not in page.inner_text("#detail-body")
    # Tab order reaches the flagged cells from the page start
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    reached = False
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('flag')"):
            reached = True
            break
    assert reached
    assert_inert(watch)


def test_without_javascript_everything_is_listed(hostile_report, open_page):
    _, findings, index = hostile_report
    page, watch = open_page(index, java_script_enabled=False)
    assert page.locator("#findings-static tbody tr").count() == len(findings)
    assert not page.locator("#findings-list").is_visible()
    assert page.locator("article.card").count() == len(findings)
    assert all(page.locator("article.card").nth(i).is_visible() for i in range(len(findings)))
    assert not page.locator("#filters").is_visible()
    assert not page.locator("#detail").is_visible()
    assert watch.foreign_requests() == [] and watch.dialogs == []


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """250 findings over one table: enough for three pages of the list."""
    rows = "\n".join(f"| node-{i} | {i} PFLOPS |" for i in range(125))
    result = make_result(f"# 集群 cluster\n\n| 节点 | 算力 |\n|---|---|\n{rows}\n", "many.md")
    doc = result.document
    findings = [finding(doc, 1, i, 1, rule="unit-spelling", message=f"cell node-{i} 算力 wrong")
                for i in range(125)]
    findings += [finding(doc, 1, i, 0, rule="naming", severity=Severity.INFO,
                         message=f"name node-{i}") for i in range(125)]
    return write_report([result], findings, tmp_path_factory.mktemp("many"))


def test_list_pages_and_search(many, open_page):
    page, watch = open_page(many)
    status = page.locator("#findings-status")
    assert status.inner_text() == "Showing 1–100 of 250"
    page.click("nav[data-list=findings] .next")
    page.click("nav[data-list=findings] .next")
    assert status.inner_text() == "Showing 201–250 of 250"
    assert page.locator("#findings-body tr").count() == 50
    assert page.locator("nav[data-list=findings] .next").is_disabled()
    page.fill("input[name=q]", "算力 wrong")
    expect(status).to_have_text("Showing 1–100 of 125 (filtered from 250)")
    assert page.locator("#findings-body tr").count() == 100
    page.uncheck("input[name=sev][value='1']")                   # no warnings left
    expect(status).to_have_text("No findings match these filters.")
    page.check("input[name=sev][value='1']")
    page.fill("input[name=q]", "")
    page.click(".top-counts .chip.sev-info")                     # only info
    expect(status).to_have_text("Showing 1–100 of 125 (filtered from 250)")
    # a row's message opens its cell's details
    page.locator("#findings-body tr").first.locator("td").last.locator("a").click()
    assert "name node-0" in page.inner_text("#detail-body")
    assert page.evaluate("document.querySelector('.note .selected') !== null")
    assert_inert(watch)


def test_split_report_links_into_document_pages(tmp_path, open_page, monkeypatch):
    monkeypatch.setattr(report, "SPLIT_ABOVE_DOCUMENTS", 1)
    results = [make_result(f"| Chip | Power |\n|---|---|\n| C{i} | {i} kW |\n", p)
               for i, p in enumerate(["a/one.md", "../../etc/two.md"])]
    findings = [finding(r.document, 1, 0, 1, message=f"power of {r.path}",
                        related=(cell_location(results[0].document, 1, 0, 0, "chip"),))
                for r in results]
    index = write_report(results, findings, tmp_path / "out")
    page, watch = open_page(index)
    assert page.locator("table.note").count() == 0
    assert page.locator("#findings-body tr").count() == 2
    page.locator("#findings-body a", has_text="power of ../../etc/two.md").click()
    page.wait_for_load_state()
    assert page.url.startswith((tmp_path / "out" / "docs").as_uri())
    assert "power of ../../etc/two.md" in page.inner_text("#detail-body")
    # the related cell is on the other document's page
    page.locator("#detail-body .related a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/docs/one-[0-9a-f]{10}\.html#c-", page.url)
    assert_inert(watch)
    # without JavaScript the index still lists every document page
    static, _ = open_page(index, java_script_enabled=False)
    assert static.locator("#docs-static tbody tr a").count() == 2
    assert "each document's page" in static.inner_text("#findings")
