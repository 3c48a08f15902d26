"""Properties: ingest never crashes, and every line it reports is a real line of its table."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
from markdown_it import MarkdownIt

from factlint.ingest import parse_markdown
from factlint.ingest.inline_text import plain_text
from factlint.ingest.markdown import _PARSER
from factlint.ingest.table_rule import split_row

# Characters that drive Markdown table and inline parsing, plus CJK, full-width and line ends.
_PIPE_HEAVY = st.lists(st.sampled_from(
    list("|||-:\\ `*_[]()!<>&;#^~\n\r\t>a1中２｜")
    + ["---", "| a |", "\n|---|", "<!--", "-->", "<!-- factlint-disable-line r -- x -->", "```", "\n\n"]),
    max_size=120).map("".join)
_PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_STOCK = MarkdownIt("commonmark").enable("table")


def _check_invariants(text: str) -> None:
    doc = parse_markdown(text)
    line_count = doc.text.count("\n") + 1
    for number, table in enumerate(doc.tables, start=1):
        assert table.index == number
        assert 1 <= table.header_line <= table.end_line <= line_count
        assert len(table.header) >= 1
        previous = table.header_line
        for row in table.rows:
            assert table.header_line < row.line <= table.end_line
            assert row.line > previous
            previous = row.line
            assert row.ragged == (len(row.cells) != len(table.header))
            assert [cell.column for cell in row.cells] == list(range(len(row.cells)))
    for suppression in doc.suppressions:
        assert 1 <= suppression.line <= suppression.target_line <= line_count
    for problem in doc.problems:
        assert 0 <= problem.line <= line_count


@_PROFILE
@given(st.text(max_size=400))
def test_never_raises_on_arbitrary_text(text):
    _check_invariants(text)


@_PROFILE
@given(_PIPE_HEAVY)
def test_never_raises_on_pipe_heavy_text(text):
    _check_invariants(text)


@_PROFILE
@given(st.lists(st.lists(st.text(alphabet="ab1 |\\`*", max_size=6), min_size=1, max_size=5),
                min_size=2, max_size=6))
def test_generated_tables_keep_every_source_cell(grid):
    """Tables built from a grid: every body row's cell count equals what the source line splits into."""
    header = "| " + " | ".join(f"h{i}" for i in range(len(grid[0]))) + " |"
    delimiter = "|" + "---|" * len(grid[0])
    lines = [header, delimiter] + ["| " + " | ".join(row) + " |" for row in grid[1:]]
    doc = parse_markdown("\n".join(lines) + "\n")
    table = doc.tables[0]
    assert [row.line for row in table.rows] == list(range(3, len(lines) + 1))
    for row, source in zip(table.rows, lines[2:]):
        assert len(row.cells) == len(split_row(source))


@_PROFILE
@given(_PIPE_HEAVY)
def test_cells_agree_with_stock_markdown_it_wherever_it_keeps_them(text):
    """Our rule changes only padding, extra cells and factlint comments; the rest is stock."""
    if "factlint-" in text:
        return
    our_rows, stock_rows = _cells_by_line(_PARSER.parse(text)), _cells_by_line(_STOCK.parse(text))
    assert our_rows.keys() == stock_rows.keys()
    for line, cells in our_rows.items():
        stock = stock_rows[line]
        kept = min(len(cells), len(stock))
        assert cells[:kept] == stock[:kept]
        assert all(cell == "" for cell in stock[kept:])        # the stock rule's padding


def _cells_by_line(tokens) -> dict[int, list[str]]:
    rows: dict[int, list[str]] = {}
    line = None
    for token in tokens:
        if token.type == "tr_open":
            line = token.map[0]
            rows[line] = []
        elif token.type == "inline" and line is not None:
            rows[line].append(token.content)
        elif token.type == "tr_close":
            line = None
    return rows


@_PROFILE
@given(st.lists(st.sampled_from(list("ab 1.²中%$-:#@{}+=~^") + ["PFLOPS", "&", "*", "_", "`", "<b>", "[x]", "\\"]),
                max_size=15).map("".join))
def test_plain_text_shortcut_gives_the_stock_inline_tokens(content):
    """Markup-free content skips the inline parser; the text must be what it would produce."""
    content = content.strip()
    stock_children = _STOCK.parseInline(content)[0].children
    ours = _PARSER.parse(f"| h |\n|---|\n| {content} |\n") if content else None
    if ours is None:
        return
    cell = next(t for t in ours if t.type == "inline" and t.map[0] == 2)
    assert plain_text(cell.children) == plain_text(stock_children)
    assert [(c.type, c.content) for c in cell.children] == [(c.type, c.content) for c in stock_children]
