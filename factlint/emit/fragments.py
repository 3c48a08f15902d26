"""The parts of a report page that repeat once per table cell or per source line, written in
Python rather than as Jinja macros.

A macro call costs Jinja a frame, its argument binding and an ``escape`` per value: ~2,900
escapes and ~200 macro calls a page, which made these two loops most of a page's rendering and
page rendering most of the flow's CPU after the check. Here each cell or line is one f-string
whose every value from the note goes through ``escape`` (or ``glyphs``, which escapes) exactly
as the macros' autoescaping did. ``tests/report/test_fragments.py`` holds them byte for byte to
the macros they replaced, kept there as the reference.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from markupsafe import Markup, escape


def _attr(value: Any) -> str:
    return str(escape(value))


def badge(severity: str, icons: Mapping[str, Markup], extra: str = "") -> str:
    return (f'<span class="badge sev-{_attr(severity)}">{icons[severity]} {_attr(severity)}'
            f'{_attr(extra)}</span>')


def _flagged(text: Any, flag: Mapping[str, Any], icons: Mapping[str, Markup],
             glyphs: Callable[[Any], Markup]) -> str:
    ids = flag["ids"]
    extra = " · %d" % flag["count"] if flag["count"] > 1 else ""
    return (f'<a class="flag" href="#{_attr(ids.split(" ")[0])}" role="button" '
            f'data-findings="{_attr(ids)}"\n   title="{_attr(flag["label"])}"><span class="v">'
            f'{glyphs(text)}</span>{badge(flag["severity"], icons, extra)}</a>')


def note_cells(tag: str, cells: Sequence[Mapping[str, Any]], icons: Mapping[str, Markup],
               glyphs: Callable[[Any], Markup]) -> Markup:
    """``<th>``/``<td>`` of each cell view (``html.table_view``'s), one after the other."""
    out = []
    scope = ' scope="col"' if tag == "th" else ""
    for c in cells:
        flag = c["flag"]
        cls = c.get("cls") or ""
        attrs = scope
        if c["id"]:
            attrs += f' id="{_attr(c["id"])}"'
        if c["raw"]:
            attrs += f' title="{_attr(c["raw"])}"'
        if cls or flag:
            attrs += f' class="{_attr(cls)}'
            if flag:
                attrs += f' has-flag sev-{_attr(flag["severity"])}'
            attrs += '"'
        body = _flagged(c["text"], flag, icons, glyphs) if flag else glyphs(c["text"])
        out.append(f"<{tag}{attrs}>{body}</{tag}>")
    return Markup("".join(out))


def source_list(lines: Sequence[Mapping[str, Any]], prefix: str,
                glyphs: Callable[[Any], Markup]) -> Markup:
    """The ``<li>`` of each source line (``actions.source_lines``'), each ending in a newline."""
    prefix = _attr(prefix)
    out = []
    for line in lines:
        n = _attr(line["n"])
        severity = line["severity"]
        hit = f' class="hit sev-{_attr(severity)}"' if severity else ""
        out.append(f'<li id="{prefix}{n}"{hit}><a class="n" href="#{prefix}{n}" '
                   f'aria-label="line {n}">{n}</a><code>{glyphs(line["text"])}</code></li>\n')
    return Markup("".join(out))
