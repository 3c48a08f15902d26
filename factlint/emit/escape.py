"""Text from notes (file names, cells, messages built from cells) is untrusted: a file name with a
newline can forge a line of output (``::error file=x::forged`` read by GitHub Actions), and an
ANSI or OSC sequence in a cell can recolour, retitle or hyperlink the reader's terminal. Every
emitter that writes lines for a terminal or a log passes such text through ``printable``."""
from __future__ import annotations

import re

# C0 and C1 control characters and DEL, the line and paragraph separators a terminal may break a
# line at, and the bidirectional controls that reorder what a reader sees (Trojan Source).
_CONTROL = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_PATTERNS: dict[str, re.Pattern[str]] = {}


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control character except those in ``keep`` written as an escape a
    reader can see (``\\n``, ``\\x1b``, ``\\u202e``), so it prints as one inert piece."""
    pattern = _PATTERNS.get(keep)
    if pattern is None:
        allowed = "".join(re.escape(ch) for ch in keep)
        pattern = re.compile(f"(?![{allowed}])[{_CONTROL}]" if keep else f"[{_CONTROL}]")
        _PATTERNS[keep] = pattern
    return pattern.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
