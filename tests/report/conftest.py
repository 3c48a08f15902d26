"""Builders for hand-made DocumentResults and the shared headless-chromium fixture."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from factlint.document import Cell, Document, Row, Table
from factlint.findings import Finding, Location, Severity
from factlint.pipeline import DocumentResult

REPO = Path(__file__).resolve().parents[2]
NOTES = REPO / "tests" / "fixtures" / "notes"
SEED_NOTE = REPO / "data" / "raw" / "cerebras-roadmap-note.md"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def parse_note(text: str, path: str) -> Document:
    """The real ingest when it is implemented; until then a plain pipe-table reader so the
    report can be developed against the same Document shape."""
    from factlint.ingest import parse_markdown
    try:
        return parse_markdown(text, path)
    except NotImplementedError:
        return _pipe_tables(text, path)


def _split_row(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", body)]


def _pipe_tables(text: str, path: str) -> Document:
    lines = text.split("\n")
    tables, headings, i = [], [], 0
    while i < len(lines):
        heading = re.match(r"^(#{1,6})\s+(.*)$", lines[i])
        if heading:
            level = len(heading.group(1))
            headings = headings[: level - 1] + [heading.group(2).strip()]
        if (lines[i].strip().startswith("|") and i + 1 < len(lines)
                and re.match(r"^\s*\|?\s*:?-{3,}", lines[i + 1])):
            header = [Cell(c, c.replace("**", ""), k) for k, c in enumerate(_split_row(lines[i]))]
            rows, j = [], i + 2
            while j < len(lines) and lines[j].strip().startswith("|"):
                cells = tuple(Cell(c, c.replace("**", ""), k)
                              for k, c in enumerate(_split_row(lines[j])))
                rows.append(Row(j + 1, cells, len(cells) != len(header)))
                j += 1
            tables.append(Table(len(tables) + 1, tuple(headings), i + 1, j, tuple(header),
                                tuple(rows)))
            i = j
            continue
        i += 1
    return Document(path=path, text=text, encoding="utf-8", sha256="", tables=tuple(tables))


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
    doc = parse_note(text, path)
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
