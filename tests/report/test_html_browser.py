"""The report in headless Debian chromium: what a reviewer sees and can do, and what it never does."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from factlint.emit import html as report
from factlint.emit.html import write_report
from factlint.findings import Severity

from report_support import NOTES, REPO, cell_location, finding, make_result

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


def test_seed_note_report(seed_run, open_page, tmp_path):
    results, findings, emitted = seed_run
    assert findings, "the seed note has known problems; an empty run means the pipeline broke"
    index = write_report(results, findings, tmp_path / "report")
    page, watch = open_page(index)
    summary = emitted["summary"]

    for sev, count in summary["by_severity"].items():
        assert page.locator(f".top-counts .chip.sev-{sev} b").inner_text() == str(count)
    for stat in ("tables", "claims", "findings"):
        assert page.locator(f'[data-stat="{stat}"] .v').inner_text() == str(summary[stat])
    total = len(emitted["findings"])
    assert page.locator("#findings-status").inner_text() == \
        f"Showing 1–{min(total, 100)} of {total}"
    assert page.locator("#findings-body tr").count() == min(total, 100)
    assert page.locator("table.note").count() == len(results[0].document.tables)

    # a flagged cell whose finding carries evidence: select it, see the arithmetic
    with_evidence = [f for f in emitted["findings"] if f["evidence"]]
    assert with_evidence, "no finding with evidence on the seed note"
    card_id = page.evaluate("""(ev) => [...document.querySelectorAll('article.card')]
        .find(a => a.dataset.cell && a.querySelector('.evidence')
                   && a.querySelector('.evidence').textContent === ev).id""",
                            with_evidence[0]["evidence"])
    cell = page.locator(f'[data-findings~="{card_id}"]')
    cell.scroll_into_view_if_needed()
    cell.click()
    panel = page.locator("#detail-body")
    assert with_evidence[0]["evidence"] in panel.locator(".evidence").all_inner_texts()
    assert with_evidence[0]["message"] in panel.inner_text()
    page.screenshot(path=str(_screens() / "html-report-seed-selected.png"))

    # filter: one rule only
    rule, count = max(summary["by_rule"].items(), key=lambda kv: kv[1])
    page.select_option("select[name=rule]", label=rule)
    expect(page.locator("#findings-body tr")).to_have_count(min(count, 100))
    assert set(page.locator("#findings-body tr td:nth-child(2)").all_inner_texts()) == {rule}
    if count != total:
        assert f"of {count} (filtered from {total})" in page.locator("#findings-status").inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(_screens() / "html-report-seed.png"))
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
        texts = drawn.locator("tbody td:not(.ln)").all_inner_texts()
        expected = [c.text or c.raw for r in table.rows for c in r.cells]
        # a flagged cell also shows its severity label after the text
        assert [t.split("\n")[0].removesuffix("✖ error").removesuffix("ℹ info").strip()
                for t in texts] == expected
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
    findings = [finding(doc, 1, i, 1, rule="unit-spelling", message=f"cell {i} 算力 wrong")
                for i in range(125)]
    findings += [finding(doc, 1, i, 0, rule="naming", severity=Severity.INFO,
                         message=f"name {i}") for i in range(125)]
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
    assert "name 0" in page.inner_text("#detail-body")
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
    page.locator("#detail-body .related a").click()
    page.wait_for_load_state()
    assert re.search(r"/docs/one-[0-9a-f]{10}\.html#c-", page.url)
    assert_inert(watch)
    # without JavaScript the index still lists every document page
    static, _ = open_page(index, java_script_enabled=False)
    assert static.locator("#docs-static tbody tr a").count() == 2
    assert "each document's page" in static.inner_text("#findings")
