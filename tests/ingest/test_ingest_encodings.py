"""Bytes -> text: encodings, line ends, and input that is not a note at all."""
from __future__ import annotations

import hashlib

import pytest

from factlint.errors import FactlintError
from factlint.ingest import IngestError, parse_markdown, read_document
from factlint.ingest.decoding import BinaryContent, decode_bytes

from ingest_helpers import NOTES, row_texts, table_shape

ZH_SOURCE = "zh-note.md"
EN_SOURCE = "english-note.md"


@pytest.mark.parametrize("name, source, encoding", [
    ("zh-gbk.md", ZH_SOURCE, "gb18030"),
    ("zh-utf16le-bom.md", ZH_SOURCE, "utf-16"),
    ("zh-utf8-bom.md", ZH_SOURCE, "utf-8-sig"),
    ("mixed-line-endings.md", ZH_SOURCE, "utf-8"),
    ("en-utf16be-bom.md", EN_SOURCE, "utf-16"),
    ("en-crlf.md", EN_SOURCE, "utf-8"),
])
def test_same_note_in_other_bytes_gives_the_same_document(name, source, encoding):
    expected = read_document(NOTES / source)
    doc = read_document(NOTES / name)
    assert doc.encoding == encoding
    assert doc.text == expected.text                        # BOM gone, every line end is \n
    assert [table_shape(t) for t in doc.tables] == [table_shape(t) for t in expected.tables]
    assert row_texts(doc) == row_texts(expected)
    assert (doc.title, doc.date, doc.version) == (expected.title, expected.date, expected.version)
    assert doc.sha256 == hashlib.sha256((NOTES / name).read_bytes()).hexdigest() != expected.sha256


def test_gb18030_only_characters():
    doc = read_document(NOTES / "zh-gb18030.md")
    assert doc.encoding == "gb18030"
    assert doc.tables[0].rows[0].cells[1].text == "7nm (mm² 级)"      # ² needs GB18030's 4-byte form
    assert doc.tables[0].heading == ("昇腾芯片学习笔记", "一、产品规格", "1.1 昇腾 910B")


def test_line_numbers_survive_lone_carriage_returns():
    raw = (NOTES / "mixed-line-endings.md").read_bytes()
    assert b"\r\n" in raw and b"\r" in raw.replace(b"\r\n", b"")      # the fixture really is mixed
    doc = read_document(NOTES / "mixed-line-endings.md")
    assert [t.header_line for t in doc.tables] == [8, 17]
    assert "\r" not in doc.text


def test_parse_markdown_normalises_line_ends_too():
    doc = parse_markdown("# T\r\r| a |\r\n|---|\r| 1 |\r")
    assert (doc.tables[0].header_line, doc.tables[0].rows[0].line, doc.text) == (3, 5, "# T\n\n| a |\n|---|\n| 1 |\n")


def test_utf16_without_byte_order_mark():
    raw = "# Note\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".encode("utf-16-le")
    decoded = decode_bytes(raw)
    assert (decoded.encoding, decoded.text.startswith("# Note")) == ("utf-16-le", True)


def test_short_gbk_text_is_not_taken_for_korean():
    # charset-normalizer alone says cp949 for this one
    raw = "# 笔记\n\n| 参数 | 规格 |\n|---|---|\n| 功耗 | 15kW |\n".encode("gbk")
    assert decode_bytes(raw) == decode_bytes(raw)                      # deterministic
    assert decode_bytes(raw).encoding == "gb18030"
    assert decode_bytes(raw).text == raw.decode("gbk")


def test_latin1_text_is_not_taken_for_chinese():
    raw = "# Notes\n\nCafé prices, naïve résumé, 5 °C\n".encode("cp1252")
    decoded = decode_bytes(raw)
    assert decoded.encoding != "gb18030"
    assert "Café" in decoded.text and "résumé" in decoded.text


def test_empty_file_is_a_document_with_a_problem():
    doc = read_document(NOTES / "empty.md")
    assert (doc.tables, [(p.kind, p.line) for p in doc.problems]) == ((), [("empty", 0)])
    assert doc.sha256 == hashlib.sha256(b"").hexdigest()


def test_whitespace_only_is_empty_too():
    assert [p.kind for p in parse_markdown(" \n\t\n").problems] == ["empty"]


@pytest.mark.parametrize("name, reason", [
    ("binary.md", "contains NUL bytes"),
    ("binary-no-nul.md", "charset-normalizer finds no encoding"),
])
def test_binary_files_raise_with_a_reason(name, reason):
    with pytest.raises(IngestError) as caught:
        read_document(NOTES / name)
    message = str(caught.value)
    assert message.startswith(f"binary file {NOTES / name}: ") and reason in message


def test_control_characters_make_text_binary():
    with pytest.raises(BinaryContent, match="control characters"):
        decode_bytes(b"ab\x01\x02\x03\x04cd\x05\x06" * 50)


def test_a_broken_utf16_file_is_binary():
    with pytest.raises(BinaryContent, match="UTF-16 byte-order mark"):
        decode_bytes(b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")   # lone surrogate


def test_missing_file_and_directory_raise_ingest_error(tmp_path):
    with pytest.raises(IngestError, match="cannot read .*missing.md: no such file"):
        read_document(tmp_path / "missing.md")
    with pytest.raises(IngestError, match="cannot read"):
        read_document(tmp_path)


def test_unreadable_file_raises_ingest_error(tmp_path, monkeypatch):
    """Simulated: CI runs as root, which reads files whatever their mode."""
    note = tmp_path / "locked.md"
    note.write_text("# locked\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))
    monkeypatch.setattr(type(note), "read_bytes", refuse)
    with pytest.raises(IngestError, match=f"cannot read {note}: permission denied"):
        read_document(note)


def test_ingest_error_reaches_the_user_as_one_line():
    assert issubclass(IngestError, FactlintError)


def test_parse_markdown_without_sha_hashes_the_text():
    assert parse_markdown("# x\n").sha256 == hashlib.sha256(b"# x\n").hexdigest()


_UTF8_HEAD = "# 笔记\n\n| 产品 | 制程 |\n|---|---|\n| WSE-3 | 5nm |\n"


@pytest.mark.parametrize("raw, encoding, text, problems", [
    # one GBK line pasted into a UTF-8 note (was read whole as ptcp154, silently)
    (_UTF8_HEAD.encode() + "| 中文 | 4nm |\n".encode("gb18030"),
     "utf-8+gb18030", _UTF8_HEAD + "| 中文 | 4nm |\n",
     [(6, "line 6 is not UTF-8 (read as GB18030)")]),
    # CRLF and lone CR line ends count as in the Document's line numbers
    (_UTF8_HEAD.replace("\n", "\r\n").encode() * 2 + "| 中文 | 4nm |\r| 昇腾 | 7nm |\n".encode("gb18030"),
     "utf-8+gb18030", _UTF8_HEAD * 2 + "| 中文 | 4nm |\n| 昇腾 | 7nm |\n",
     [(11, "line 11 is not UTF-8 (read as GB18030)"), (12, "line 12 is not UTF-8 (read as GB18030)")]),
    # a foreign line that is not Chinese GB18030 either: replacement characters, still reported
    (_UTF8_HEAD.encode() * 3 + b"| caf\xe9 | 5nm |\n",
     "utf-8", _UTF8_HEAD * 3 + "| caf\ufffd | 5nm |\n",
     [(16, "line 16 is not UTF-8 nor GB18030 (undecodable bytes shown as U+FFFD)")]),
], ids=["one-gbk-line", "crlf-and-lone-cr", "neither-utf8-nor-gb18030"])
def test_utf8_note_with_a_few_foreign_lines_reports_each_line(raw, encoding, text, problems):
    decoded = decode_bytes(raw)
    assert (decoded.encoding, decoded.text) == (encoding, text)
    assert [(p.kind, p.line, p.message) for p in decoded.problems] == \
        [("mixed-encoding", line, message) for line, message in problems]


def test_many_foreign_lines_are_summed_up_after_the_first_ten():
    raw = _UTF8_HEAD.encode() * 40 + "| 中文 | 4nm |\n".encode("gb18030") * 12
    problems = decode_bytes(raw).problems
    assert [p.line for p in problems] == [*range(201, 211), 211]
    assert problems[-1].message == "2 more lines are not UTF-8 (lines 211-212)"


@pytest.mark.parametrize("raw", [
    "# 笔记\n\n| 参数 | 规格 |\n|---|---|\n| 功耗 | 15kW |\n".encode("gbk"),       # GBK whole: ASCII lines decode as UTF-8 too
    "# Notes\n\n| a | b |\n|---|---|\n| Café | 5 °C |\n".encode("cp1252"),     # no non-ASCII UTF-8 line
    "| 产品 |\n".encode() + "| 中文 | 4nm | 中文 | 中文 |\n".encode("gb18030") * 3,  # mostly not UTF-8
], ids=["gbk-note", "cp1252-note", "mostly-gb18030"])
def test_files_that_are_not_mostly_utf8_keep_the_whole_file_guess(raw):
    decoded = decode_bytes(raw)
    assert "+" not in decoded.encoding and decoded.problems == ()


def test_whole_file_encodings_report_no_problems():
    for name in ("zh-gbk.md", "zh-gb18030.md", "zh-utf16le-bom.md", "en-utf16be-bom.md", "zh-utf8-bom.md"):
        assert decode_bytes((NOTES / name).read_bytes()).problems == ()
