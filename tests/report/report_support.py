"""Builders for hand-made DocumentResults and the shared headless-chromium fixture."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from factlint.document import Document
from factlint.findings import Finding, Location, Severity
from factlint.ingest import parse_markdown
from factlint.pipeline import DocumentResult

REPO = Path(__file__).resolve().parents[2]
NOTES = REPO / "tests" / "fixtures" / "notes"
SEED_NOTE = REPO / "data" / "raw" / "cerebras-roadmap-note.md"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def claims_for(doc: Document) -> pd.DataFrame:
    """One claim per body cell: numeric when the cell starts with a number (enough for the
    report's counts; the real claims come from the pipeline)."""
    rows = [{"path": doc.path, "table": t.index, "line": r.line, "row": ri, "column": c.column,
             "raw": c.raw, "kind": "number" if re.match(r"^\$?\d", c.text) else "text",
             "status": "parsed"}
            for t in doc.tables for ri, r in enumerate(t.rows) for c in r.cells]
    return pd.DataFrame(rows, columns=["path", "table", "line", "row", "column", "raw", "kind",
                                       "status"])


def make_result(text: str, path: str) -> DocumentResult:
    """A DocumentResult from the real ingest, with stand-in claims and no rules run, so each
    test chooses its own findings."""
    doc = parse_markdown(text, path)
    return DocumentResult(path=path, sha256=doc.sha256, document=doc, claims=claims_for(doc))


def cell_location(doc: Document, table: int, row: int | None, column: int, role: str = ""
                  ) -> Location:
    """Location of a body cell (row None: the header cell), as a rule would report it."""
    t = doc.tables[table - 1]
    cell = t.header[column] if row is None else t.rows[row].cells[column]
    return Location(path=doc.path, line=t.header_line if row is None else t.rows[row].line,
                    table=table, row=row, column=t.header[column].raw, role=role, text=cell.raw)


def finding(doc: Document, table: int, row: int | None, column: int, *, rule: str = "unit-spelling",
            severity: Severity = Severity.WARNING, message: str = "something is off",
            **extra) -> Finding:
    return Finding(rule=rule, severity=severity, message=message,
                   location=cell_location(doc, table, row, column), **extra)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the session. Missing chromium fails in CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageWatch:
    """Everything a page did that a self-contained, inert report must never do."""

    def __init__(self, page):
        self.page = page
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith("file://")]


@pytest.fixture
def open_page(browser):
    """open_page(path, **context options) -> (page, watch); pages are closed afterwards."""
    contexts = []

    def opener(path: Path, **options):
        context = browser.new_context(**{"viewport": {"width": 1400, "height": 900}, **options})
        contexts.append(context)
        page = context.new_page()
        page.add_init_script("window.__pwned = 0;")
        watch = PageWatch(page)
        page.goto(path.resolve().as_uri())
        return page, watch

    yield opener
    for context in contexts:
        context.close()


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs, self.text = tag, attrs, ""


def elements(html: str) -> list[Element]:
    """Every start tag with its attributes (entities decoded) and the raw text that follows
    it up to the next tag: enough to check structure without a DOM library."""
    from html.parser import HTMLParser

    found: list[Element] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append(Element(tag, {k: v or "" for k, v in attrs}))

        def handle_data(self, data):
            if found:
                found[-1].text += data

    Collector(convert_charrefs=True).feed(html)
    return found


def distinct_colours(page, png: bytes, enough: int = 64) -> int:
    """How many colours a PNG (a screenshot) has, counted up to `enough`, decoded by the page's
    own browser (no imaging library here): a blank region has one or two."""
    import base64

    return page.evaluate("""async ([b64, enough]) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d');
        ctx.drawImage(bitmap, 0, 0);
        const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
        const seen = new Set();
        for (let i = 0; i < px.length && seen.size < enough; i += 4)
            seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
        return seen.size;
    }""", [base64.b64encode(png).decode(), enough])


def settle(page) -> None:
    """Until a smooth scroll has come to rest (a screenshot taken mid-scroll is offset)."""
    page.evaluate("""() => new Promise(done => {
        let last = -1;
        const tick = () => { if (scrollY === last) done(); else { last = scrollY; setTimeout(tick, 100); } };
        tick();
    })""")
