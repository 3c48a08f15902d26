"""A note that is not UTF-8, read in an encoding factlint had to guess.

## What it does
Reports, once per note, when nothing in the bytes says how to decode them: not UTF-8, no
byte-order mark. The note is read in the most likely encoding (GB18030 for Chinese, Windows-1252
when Western encodings read it equally cleanly, else charset-normalizer's pick) and the finding
names it, its confidence, the encodings that read it as cleanly, and the characters that depend
on the guess.

## Why is this bad?
A guess can be wrong without any error: the same byte is `£` in Windows-1252 and `Ł` in
Windows-1250, `é` or `й` in Cyrillic. A unit, a currency or a product name read wrong is then
checked as written, and nobody sees that the note said something else.

## Example
A note saved as Windows-1252 (Latin-1): `| Café | £4.50 |`.

Use instead:
The same note saved as UTF-8.

## Fix
None automatic: check the characters the finding lists, then save the note as UTF-8.
"""
from __future__ import annotations

from typing import Iterator

from factlint.findings import Finding, Location, Severity
from factlint.rules import rule

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error
_SHOWN_CHARACTERS = 12
_SHOWN_ALTERNATIVES = 3


@rule("encoding-guess", severity=Severity.INFO, tags=("format",))
def encoding_guess(doc, ctx) -> Iterator[Finding]:
    guess = doc.encoding_guess
    if guess is None:
        return
    # Encodings that read the bytes just as cleanly make any score a coin toss: say so.
    level = "low" if guess.alternatives else "high" if guess.confidence >= 0.9 else "medium"
    also = ""
    if guess.alternatives:
        also = f"; {', '.join(guess.alternatives[:_SHOWN_ALTERNATIVES])} read it as cleanly"
    message = (f"not UTF-8: read as {guess.encoding}, a guess with {level} confidence "
               f"({guess.confidence:.0%}{also}); check the characters below, or save the note as UTF-8")
    yield ctx.finding(Location(path=doc.path, line=1), message, evidence=_characters(doc.text),
                      attribute="encoding", values=[guess.encoding, *guess.alternatives])


def _characters(text: str) -> str:
    """The first distinct non-ASCII characters as read: what depends on the guess."""
    seen: list[str] = []
    for ch in text:
        if not ch.isascii() and ch not in seen:
            seen.append(ch)
            if len(seen) == _SHOWN_CHARACTERS:
                break
    return "read as: " + " ".join(seen) if seen else "every character is ASCII"
