"""A huge note is parsed a piece at a time: the Document must be the one the whole-note
parse gives, whatever the note holds around the cuts."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from factlint.ingest import chunks
from factlint.ingest.decoding import BinaryContent, decode_bytes
from factlint.ingest.markdown import _PARSER, parse_markdown

ROOT = Path(__file__).resolve().parents[2]
NOTES = sorted((ROOT / "tests" / "fixtures" / "notes").glob("*.md")) + sorted((ROOT / "data" / "raw").glob("*.md"))

# Blocks that could change meaning if a cut fell in or next to them.
BLOCKS = [
    "# Title\n\nIntro 8 PFLOPS.\n",
    "## 规格\n\n| 产品 | 算力 |\n|---|---|\n| WSE-3 | 125 PFLOPS |\n",
    "## Caption case\n\nTable 2: figures\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "```\n# not a heading\n\n# still code\n| a | b |\n|---|---|\n```\n",
    "```text\nan unclosed fence\n\n## looks like a heading\n",
    "<!-- factlint-disable cross-table -- a comment\n\n# inside the comment\n-->\n",
    "<pre>\n\n# inside pre\n</pre>\n",
    "- item one\n\n- item two\n\n  continued\n",
    "1. first\n2. second\n",
    "> quoted\n\n> again\n",
    "Setext heading\n==============\n",
    "    indented code\n\n    # more code\n",
    "## Heading with table right below\n| x | y |\n|---|---|\n| 1 | 2 |\n<!-- factlint-disable-next-line unit-spelling -- ok -->\n| 3 | 4 |\n",
    "### 2025 年业绩\n\n| 年份 | 营收 |\n|---|---|\n| 2025 | $0.5B |\n",
]


def _parsed_both_ways(text: str, chunk_chars: int):
    """(whole-note parse, parse in pieces of `chunk_chars`)."""
    saved = chunks.CHUNK_CHARS
    try:
        chunks.CHUNK_CHARS = 10 ** 12
        whole = parse_markdown(text, path="n.md")
        chunks.CHUNK_CHARS = chunk_chars
        return whole, parse_markdown(text, path="n.md")
    finally:
        chunks.CHUNK_CHARS = saved


def _text(path: Path) -> str | None:
    try:
        return decode_bytes(path.read_bytes()).text
    except BinaryContent:
        return None


TEXT_NOTES = [(path.name, text) for path in NOTES if (text := _text(path)) is not None]


@pytest.mark.parametrize("name,text", TEXT_NOTES, ids=[name for name, _ in TEXT_NOTES])
def test_fixture_notes_repeated_parse_the_same_in_pieces(name, text):
    whole, pieces = _parsed_both_ways(text * 6, chunk_chars=max(1, len(text) // 2))
    assert pieces == whole


def test_generated_notes_parse_the_same_in_pieces():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    text = "\n".join(generate.generate_note(seed, 0).text for seed in range(12))
    whole, pieces = _parsed_both_ways(text, chunk_chars=3_000)
    assert len(chunks.cut_lines(text, text.split("\n"), 3_000)) >= 5      # really cut
    assert pieces == whole


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS), min_size=2, max_size=14),
       st.lists(st.sampled_from(["\n", "\n\n", ""]), min_size=14, max_size=14),
       st.integers(min_value=1, max_value=200))
def test_any_mix_of_blocks_parses_the_same_in_pieces(blocks, gaps, chunk_chars):
    text = "".join(block + gap for block, gap in zip(blocks, gaps))
    whole, pieces = _parsed_both_ways(text, chunk_chars)
    assert pieces == whole


def test_a_fence_open_across_a_cut_is_parsed_with_the_rest():
    text = "# A\n\nx\n\n```\ncode\n\n# B\n\n| a | b |\n|---|---|\n| 1 | 2 |\n```\n\n# C\n\n| c | d |\n|---|---|\n| 3 | 4 |\n"
    lines = text.split("\n")
    assert chunks.cut_lines(text, lines, 4) == [7, 14]          # "# B" (inside the fence) and "# C"
    tokens = [t for piece in chunks.parse_in_chunks(_PARSER, text, lines, 4) for t in piece]
    assert [t.type for t in tokens].count("table_open") == 1     # only the table after the fence
    assert next(t for t in tokens if t.type == "fence").map == [4, 13]


def test_link_reference_definitions_keep_the_note_whole():
    text = ("# A\n\nsee [spec]\n\n" + "# B\n\ntext\n\n" * 50 + "[spec]: https://example.com\n")
    assert chunks.cut_lines(text, text.split("\n"), 10) == []


def test_pieces_are_cut_only_at_headings_after_blank_lines():
    text = "# A\n\npara\n# B\n\n## C\n\n|a|\n|-|\n|1|\n\n### D\n"
    lines = text.split("\n")
    assert [lines[i] for i in chunks.cut_lines(text, lines, 1)] == ["## C", "### D"]
