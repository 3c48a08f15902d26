"""emit.fragments writes, byte for byte, what the Jinja macros it replaced wrote (kept in
fragments_reference.html.j2): table cells, flagged or not, and source lines, on drawn values
that need escaping, carry status marks or are empty."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from factlint.emit import fragments, html

HERE = Path(__file__).resolve().parent
ICONS = {s.value: html.ICONS[s] for s in html.SEVERITIES}
SEVERITY = st.sampled_from(sorted(ICONS))
TEXT = st.one_of(st.text(max_size=10),
                 st.sampled_from(["", " ", "<b>x</b>", 'a "q" & \'b\'', "✅", "❌ no", "⚠️ 部分",
                                  "📊 算力", "1,024 PFLOPS", "&amp;", "{{ x }}", "\\", "\n"]))


def reference():
    env = Environment(loader=FileSystemLoader(str(HERE)),
                      autoescape=select_autoescape(["html", "j2"], default_for_string=True,
                                                   default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["glyphs"] = html.glyphs
    return env.get_template("fragments_reference.html.j2").module


REFERENCE = reference()


@st.composite
def flags(draw):
    count = draw(st.integers(1, 3))
    ids = " ".join(draw(st.lists(st.from_regex(r"f-[a-z0-9<&\"]{1,6}", fullmatch=True),
                                 min_size=count, max_size=count)))
    return {"severity": draw(SEVERITY), "count": count, "ids": ids, "label": draw(TEXT)}


@st.composite
def cells(draw):
    cell = {"id": draw(st.one_of(st.none(), st.from_regex(r"c-[a-f0-9]{8}-\d-(h|\d)-\d", fullmatch=True),
                                  st.just('c-"<x>'))),
            "text": draw(TEXT), "raw": draw(st.one_of(st.just(""), TEXT)),
            "flag": draw(st.one_of(st.none(), flags()))}
    if draw(st.booleans()):
        cell["cls"] = draw(st.sampled_from(["ln", "", 'x"y']))
    return cell


@settings(max_examples=300, deadline=None)
@given(tag=st.sampled_from(["th", "td"]), row=st.lists(cells(), max_size=5))
def test_cells_are_what_the_macro_wrote(tag, row):
    expected = "".join(str(REFERENCE.note_cell(tag, c, ICONS)) for c in row)
    got = fragments.note_cells(tag, row, ICONS, html.glyphs)
    assert isinstance(got, Markup)
    assert str(got) == expected


@settings(max_examples=100, deadline=None)
@given(header=st.lists(cells(), max_size=4), line=cells(), row=st.lists(cells(), max_size=4))
def test_a_table_row_and_header_are_what_the_loops_wrote(header, line, row):
    # The macro's own whitespace around its loops, as the note_table macro now lays it out.
    assert str(REFERENCE.header(header, ICONS)) == \
        f"{fragments.note_cells('th', header, ICONS, html.glyphs)}"
    assert str(REFERENCE.row(line, row, ICONS)) == \
        (f"<tr>{fragments.note_cells('td', [line], ICONS, html.glyphs)}\n"
         f"{fragments.note_cells('td', row, ICONS, html.glyphs)}    </tr>\n")


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.fixed_dictionaries({"n": st.integers(1, 10**6), "text": TEXT,
                                             "severity": st.one_of(st.none(), SEVERITY)}),
                      max_size=6),
       prefix=st.sampled_from(["L-63e40e78-", 'L-"<&>-', ""]))
def test_source_lines_are_what_the_loop_wrote(lines, prefix):
    expected = str(REFERENCE.source({"source": lines, "line_prefix": prefix}))
    got = fragments.source_list(lines, prefix, html.glyphs)
    assert isinstance(got, Markup)
    assert expected == f'  <ol class="src">{got}</ol>\n'


def test_a_cell_with_two_findings_is_flagged_with_the_count():
    cell = {"id": "c-1", "text": "4 <b>", "raw": "", "flag": {"severity": "error", "count": 2,
                                                             "ids": "f-1 f-2", "label": "2 findings"}}
    out = str(fragments.note_cells("td", [cell], ICONS, html.glyphs))
    assert out.startswith('<td id="c-1" class=" has-flag sev-error"><a class="flag" href="#f-1"')
    assert "4 &lt;b&gt;" in out and "error · 2</span></a></td>" in out
