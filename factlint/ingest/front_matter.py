"""YAML front matter: `---` on line 1, a YAML mapping, `---` (or `...`) to close it.

The block is replaced by blank lines before Markdown parsing, so every later line
keeps its number. A leading `---` that is followed by Markdown rather than YAML is a
thematic break, not front matter, and is left alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from factlint.document import Problem

_OPENING = re.compile(r"---[ \t]*(?:\n|$)")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
# The first non-blank line of a block that is meant as YAML: `key: value` or `key:`.
_YAML_KEY_LINE = re.compile(r"\s*[^\W\d][\w .-]*:(?:[ \t]|$)", re.MULTILINE)
_YAML_SNIFF = 1_000


@dataclass(frozen=True, slots=True)
class FrontMatter:
    data: dict = field(default_factory=dict)
    markdown: str = ""                 # the text with the front matter block blanked out
    problems: tuple[Problem, ...] = ()


def split_front_matter(text: str) -> FrontMatter:
    """Separate front matter from the Markdown. Never raises."""
    opening = _OPENING.match(text)
    if opening is None:
        return FrontMatter(markdown=text)
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        return _unclosed(text)

    block = text[opening.end():closing.start()]
    data, error = _load_yaml(block)
    if error is None and (isinstance(data, dict) or not block.strip()):
        return FrontMatter(data=data or {}, markdown=_blank_lines(text, closing.end()))
    if not _looks_like_yaml(block):
        return FrontMatter(markdown=text)      # `---` was a thematic break above Markdown
    reason = error or f"it is a {type(data).__name__}, not a mapping of keys to values"
    problem = Problem("invalid-front-matter", 1, f"front matter (lines 1-{_line_of(text, closing.start())}) "
                                                 f"is not usable YAML: {reason}")
    return FrontMatter(markdown=_blank_lines(text, closing.end()), problems=(problem,))


def _unclosed(text: str) -> FrontMatter:
    after_opening = text.partition("\n")[2]
    if not _looks_like_yaml(after_opening):
        return FrontMatter(markdown=text)
    problem = Problem("unclosed-front-matter", 1,
                      "front matter opened by '---' on line 1 is never closed by another '---' line; "
                      "it is read as Markdown text")
    return FrontMatter(markdown=text, problems=(problem,))


def _looks_like_yaml(block: str) -> bool:
    return _YAML_KEY_LINE.match(block[:_YAML_SNIFF]) is not None


def _load_yaml(block: str) -> tuple[object, str | None]:
    try:
        return yaml.safe_load(block), None
    # PyYAML raises more than YAMLError on hostile input: ValueError for impossible
    # timestamps (2026-13-45), RecursionError for deep nesting.
    except Exception as err:   # noqa: BLE001 - any failure means "not usable front matter"
        return None, " ".join(str(err).split())


def _blank_lines(text: str, end: int) -> str:
    """Replace text[:end] by as many empty lines, keeping every later line number."""
    return "\n" * text.count("\n", 0, end) + text[end:]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
