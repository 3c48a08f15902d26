"""Front matter and what a note says about itself (title, date, version)."""
from __future__ import annotations

import datetime as dt

import pytest

from factlint.ingest import parse_markdown, read_document
from factlint.ingest.front_matter import split_front_matter
from factlint.ingest.metadata import iso_date

from ingest_helpers import NOTES, kinds


def test_front_matter_is_parsed_and_blanked_with_line_numbers_kept():
    doc = read_document(NOTES / "front-matter.md")
    assert doc.front_matter == {"title": "Front matter note", "date": dt.date(2026, 1, 15),
                                "version": "3.2", "tags": ["chips", "roadmap"]}
    assert (doc.title, doc.date, doc.version) == ("Front matter note", "2026-01-15", "3.2")
    assert (doc.tables[0].header_line, doc.tables[0].rows[0].line) == (9, 11)
    assert doc.tables[0].heading == ("Heading that is not the title",)
    assert doc.text.startswith("---\ntitle: Front matter note")         # Document.text stays the source
    assert doc.problems == ()


def test_unclosed_front_matter_is_reported_and_read_as_text():
    doc = read_document(NOTES / "front-matter-unclosed.md")
    assert kinds(doc) == [("unclosed-front-matter", 1)]
    assert doc.front_matter == {}
    assert (doc.title, doc.tables[0].header_line) == ("Unclosed front matter", 7)


@pytest.mark.parametrize("text, data, problem", [
    ("---\n---\n# T\n", {}, None),                                    # empty front matter
    ("---\nkey: [unclosed\n---\n# T\n", {}, "invalid-front-matter"),
    ("---\ndate: 2026-13-45\n---\n", {}, "invalid-front-matter"),     # PyYAML raises ValueError
    ("---\nkey: value\n...\n# T\n", {"key": "value"}, None),          # YAML's document end marker
    ("---\n- a\n- b\n---\n", {}, None),                               # a list: not front matter
    ("---\n\n# Title\n\nText.\n\n---\n", {}, None),                   # thematic breaks around Markdown
    ("---\n# Title\n---\n", {}, None),                                # YAML sees only a comment
    ("----\ntitle: x\n----\n", {}, None),                             # four dashes: a thematic break
    ("---\n标题: 中文键\n---\n", {"标题": "中文键"}, None),
])
def test_front_matter_edge_cases(text, data, problem):
    split = split_front_matter(text)
    assert split.data == data
    assert [p.kind for p in split.problems] == ([problem] if problem else [])
    assert split.markdown.count("\n") == text.count("\n")            # never shifts a line


def test_front_matter_that_is_not_a_mapping_stays_markdown():
    text = "---\n# Title\n---\n| a |\n|---|\n| 1 |\n"
    doc = parse_markdown(text)
    assert (doc.title, doc.front_matter, doc.tables[0].header_line) == ("Title", {}, 4)


@pytest.mark.parametrize("line, date, version", [
    ("> 学习笔记 | 版本：1.0 | 2026-02-03", "2026-02-03", "1.0"),
    ("*版本：1.0 | 2026-02-03*", "2026-02-03", "1.0"),
    ("Last updated: 2026-05-10", "2026-05-10", None),
    ("更新时间：2026年5月10日", "2026-05-10", None),
    ("最后更新于 2026年5月", "2026-05", None),
    ("Version 2.1 (2025-11-30)", "2025-11-30", "2.1"),
    ("Updated on May 10, 2026", "2026-05-10", None),
    ("_Last modified: 10 May 2026_", "2026-05-10", None),
    ("Date: 2026/02/03", "2026-02-03", None),
    ("日期：2026.02.03", "2026-02-03", None),
    ("Notes · v3.0.1 · 2026-01-01", "2026-01-01", "3.0.1"),
    ("As of March 2026", "2026-03", None),
    ("学习笔记 | 2026-02-03", "2026-02-03", None),                    # a whole byline segment
    ("版本号：V2", None, "2"),
    # not metadata: dates and versions inside ordinary sentences
    ("Cerebras launched WSE-3 on 2024-03-13.", None, None),
    ("The release date: 2024-03-01 was delayed.", None, None),
    ("Version 2 of the chip is faster than version 1.", None, None),
    ("Version 2.1, updated 2026-01-02", "2026-01-02", "2.1"),
    ("TPU v5p | 2 PLOPS", None, None),
    ("Last updated: 2026-13-45", None, None),                          # impossible date
])
def test_metadata_lines(line, date, version):
    doc = parse_markdown(f"# Title\n\n{line}\n")
    assert (doc.date, doc.version) == (date, version)


def test_updated_date_beats_an_earlier_plain_date():
    doc = parse_markdown("# T\n\n> Notes | 2025-01-01\n\ntext\n\nLast updated: 2026-05-10\n")
    assert doc.date == "2026-05-10"


def test_first_date_wins_between_equals():
    doc = parse_markdown("# T\n> 版本：1.0 | 2026-02-03\n\n*版本：2.0 | 2026-03-01*\n")
    assert (doc.date, doc.version) == ("2026-02-03", "1.0")


def test_dates_in_lists_tables_and_code_are_not_the_notes_date():
    text = ("# T\n\n- Last updated: 2020-01-01\n\n| Last updated: 2021-01-01 |\n|---|\n| x |\n\n"
            "```\nLast updated: 2022-01-01\n```\n")
    assert parse_markdown(text).date is None


@pytest.mark.parametrize("front_matter, date, version", [
    ("date: 2026-01-15\nupdated: 2026-04-01", "2026-04-01", None),     # updated beats date
    ("last_updated: '2026年4月2日'", "2026-04-02", None),
    ("date: 2026", "2026", None),
    ("date: 2026-01-15 10:30:00", "2026-01-15", None),
    ("version: 1.0", None, "1.0"),
    ("version: 3", None, "3"),
    ("updated: v4.1", None, "4.1"),                                    # a revision kept under `updated`
    ("Title: Capitalised keys\nDate: 2026-02-02", "2026-02-02", None),
])
def test_front_matter_metadata(front_matter, date, version):
    doc = parse_markdown(f"---\n{front_matter}\n---\n# T\n")
    assert (doc.date, doc.version) == (date, version)


def test_front_matter_beats_the_body():
    doc = parse_markdown("---\ndate: 2026-01-15\nversion: '9'\ntitle: FM title\n---\n# H1 title\n"
                         "> 版本：1.0 | 2026-02-03\n")
    assert (doc.title, doc.date, doc.version) == ("FM title", "2026-01-15", "9")


def test_body_fills_what_front_matter_lacks():
    doc = parse_markdown("---\ntags: [x]\n---\n# H1 title\n> 版本：1.0 | 2026-02-03\n")
    assert (doc.title, doc.date, doc.version) == ("H1 title", "2026-02-03", "1.0")


@pytest.mark.parametrize("text, title", [
    ("# **Bold** `title`\n", "Bold title"),
    ("Setext title\n===\n", "Setext title"),
    ("## Only an H2\n", None),
    ("## H2 first\n# Then H1\n# Second H1\n", "Then H1"),
])
def test_title_is_the_first_h1(text, title):
    assert parse_markdown(text).title == title


@pytest.mark.parametrize("value, iso", [
    (dt.date(2026, 2, 3), "2026-02-03"),
    (dt.datetime(2026, 2, 3, 10, 0), "2026-02-03"),
    (2026, "2026"),
    (True, None),
    (3, None),
    ("2026-2-3", "2026-02-03"),
    ("3 Feb 2026", "2026-02-03"),
    ("February 2026", "2026-02"),
    ("2026年2月", "2026-02"),
    ("2026-02-30", None),
    ("2024-2026", None),                                                 # a range of years, not a date
    ("nonsense", None),
])
def test_iso_date(value, iso):
    assert iso_date(value) == iso
