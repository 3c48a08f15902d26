"""Plain text of an inline token: what a reader sees, without Markdown markup.

Emphasis, code and link markers go; link text, image alt text and code stay. markdown-it
has already decoded entities (`&amp;` -> `&`) and backslash escapes. Footnote markers
(`[^1]`) go, but superscript digits (`125¹`) stay for the normaliser, and
`<sup>2</sup>` becomes `²` so that `mm<sup>2</sup>` reads like `mm²`.
"""
from __future__ import annotations

import re
from typing import Sequence

from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

_FOOTNOTE_MARKER = re.compile(r"[ \t]*\[\^[^\]\s]+\]")
_SUPERSCRIPT = str.maketrans("0123456789+-−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)")
# Characters that can start an inline rule of the commonmark preset (autolink, html,
# backticks, emphasis, entity, escape, image, link, newline). Text without any of them
# parses to exactly one text token.
_INLINE_MARKUP = re.compile(r"[<`*_&\\!\[\n]")


def parse_inline_skipping_plain_text(state: StateCore) -> None:
    """markdown-it's core `inline` rule, with a shortcut for markup-free content.

    Most table cells ("8 PFLOPS", "2024") hold no markup; giving them their single text
    token directly halves the cost of a large table. Same tokens as the stock rule.
    """
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if _INLINE_MARKUP.search(token.content):
            state.md.inline.parse(token.content, state.md, state.env, token.children)
        elif token.content:
            token.children.append(Token("text", "", 0, content=token.content))


def plain_text(children: Sequence[Token] | None, line_break: str = " ") -> str:
    """Children of an inline token -> stripped plain text; soft/hard breaks -> `line_break`."""
    parts: list[str] = []
    superscript = False
    in_footnote_link = False
    for index, child in enumerate(children or ()):
        kind = child.type
        if in_footnote_link:
            in_footnote_link = kind != "link_close"
        elif kind == "text":
            parts.append(_footnotes_removed(child.content, superscript))
        elif kind in ("code_inline", "image"):        # image content is its alt text
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(line_break)
        elif kind == "html_inline":
            closing, tag = _tag(child.content)
            if tag == "br":
                parts.append(line_break)
            elif tag == "sup":
                superscript = not closing
        elif kind == "link_open":
            in_footnote_link = _is_footnote_link(children, index)
    return "".join(parts).strip()


def _footnotes_removed(text: str, superscript: bool) -> str:
    if "[^" in text:
        text = _FOOTNOTE_MARKER.sub("", text)
    return text.translate(_SUPERSCRIPT) if superscript else text


def _is_footnote_link(children: Sequence[Token], index: int) -> bool:
    """`[^1]` with a matching `[^1]: url` definition parses as a link whose text is `^1`."""
    following = children[index + 1:index + 3]
    return (len(following) == 2 and following[0].type == "text"
            and following[0].content.startswith("^") and following[1].type == "link_close")


def _tag(html: str) -> tuple[bool, str]:
    match = _TAG_NAME.match(html)
    return (False, "") if match is None else (bool(match.group(1)), match.group(2).lower())
