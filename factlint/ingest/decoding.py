"""Bytes on disk -> text with \\n line ends, and the name of the encoding that was found.

Order: strict UTF-8 (the fast path, almost every note), byte-order marks, then the
GB family (our notes are Chinese or English), then a UTF-8 note with a few lines in another
encoding (pasted from a GBK source: those lines are read as GB18030 and reported), then
charset-normalizer for anything else. Anything that still does not decode, or holds NUL
bytes, is binary.
"""
from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass

from factlint.document import EncodingGuess, Problem


class BinaryContent(ValueError):
    """The bytes are not text in any encoding we recognise; str(self) says why."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str        # newlines normalised to \n, byte-order mark removed
    encoding: str    # "utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "utf-8+gb18030" (mixed),
                     # or charset-normalizer's name
    problems: tuple[Problem, ...] = ()   # "mixed-encoding": the lines that were not UTF-8
    guess: EncodingGuess | None = None   # set when nothing in the bytes says the encoding


# Longest marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
# Western text read as Windows-1252: non-ASCII characters come one or two at a time (`öß`) and
# are a small share of the letters.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_MAX_WESTERN_RUN = 2
_MAX_WESTERN_SHARE = 0.3
_WIDE_UNICODE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")

# C0 controls that never appear in prose (tab, newlines, form feed and ESC excluded).
_BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_SAMPLE = 65_536
_MAX_CONTROL_SHARE = 0.05

_HANZI = re.compile("[\u4e00-\u9fff]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_HANZI_SAMPLE = 5_000
_MIN_COMMON_HANZI_SHARE = 0.8

# A UTF-8 note with a few foreign lines: the lines that decode as UTF-8 hold at least this
# share of the bytes, and at least one of them is non-ASCII (ASCII lines prove nothing: they
# read the same in every encoding we try, so without such a line the whole-file guess stands).
_MIN_UTF8_BYTE_SHARE = 0.75
_MAX_LINE_PROBLEMS = 10
# CR, LF and CRLF all end a line (as in normalise_newlines); neither UTF-8 nor GB18030 uses
# these bytes inside a multi-byte character, so splitting the raw bytes is safe.
_RAW_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")


def decode_bytes(raw: bytes) -> DecodedText:
    """Decode a note's bytes. Raises BinaryContent with the reason when they are not text."""
    text, encoding, problems, *guess = _decode(raw)
    _reject_control_heavy(text)
    return DecodedText(normalise_newlines(text), encoding, problems, *guess)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become \\n, so line numbers match what an editor shows."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(raw: bytes) -> tuple[str, str, tuple[Problem, ...]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text:
            return _decode_wide_without_mark(raw)
        if text.startswith("\ufeff"):
            return text[1:], "utf-8-sig", ()
        return text, "utf-8", ()

    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                text = raw.decode(encoding)     # the utf-16/utf-32 codecs consume the mark
            except UnicodeDecodeError as err:
                raise BinaryContent(f"starts with a {encoding.upper()} byte-order mark but does not "
                                    f"decode as {encoding.upper()} ({err.reason} at byte {err.start})") from None
            if "\x00" in text:
                raise BinaryContent(f"decodes as {encoding.upper()} but contains NUL characters")
            return text, encoding, ()

    if b"\x00" in raw:
        return _decode_wide_without_mark(raw)

    gb = _as_chinese_gb18030(raw)
    if gb is not None:
        return gb[0], "gb18030", (), EncodingGuess("gb18030", gb[1])

    mixed = _as_utf8_with_foreign_lines(raw)
    if mixed is not None:
        return mixed

    matches = _charset_normalizer_matches(raw)
    western = _as_western(raw)
    if western is not None:
        chaos = _mess_ratio(western)
        tied = tuple(_name(m) for m in matches if m.chaos <= chaos and _name(m) != "cp1252")
        return western, "cp1252", (), EncodingGuess("cp1252", 1 - chaos, tied)
    if not matches:
        raise BinaryContent("not UTF-8, UTF-16 or GB18030, and charset-normalizer finds no encoding "
                            "that decodes it")
    best = matches[0]
    encoding = _name(best)
    tied = tuple(_name(m) for m in matches[1:] if m.chaos <= best.chaos)
    if encoding in _GB_FAMILY:
        return raw.decode("gb18030", errors="replace"), "gb18030", (), EncodingGuess("gb18030", 1 - best.chaos, tied)
    return str(best), encoding, (), EncodingGuess(encoding, 1 - best.chaos, tied)


def _name(match) -> str:
    return match.encoding.lower().replace("-", "_")


def _as_western(raw: bytes) -> str | None:
    """The text in Windows-1252 (Latin-1's superset) when it reads as Western text: every byte
    decodes, and the accented letters and signs stand alone among ASCII (`Café`, `£4.50`,
    `Größe`), where Cyrillic, Greek or CJK bytes read this way make long runs of them.
    charset-normalizer cannot tell these apart (cp1250, cp1125 and a dozen more read them as
    cleanly) and its first pick read `£` as `Ł`."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    runs = _NON_ASCII_RUN.findall(text)
    letters = sum(1 for ch in text if ch.isalpha())
    if max(map(len, runs), default=0) > _MAX_WESTERN_RUN or sum(map(len, runs)) > _MAX_WESTERN_SHARE * letters:
        return None
    return text


def _mess_ratio(text: str) -> float:
    from charset_normalizer.md import mess_ratio
    return mess_ratio(text)


def _as_utf8_with_foreign_lines(raw: bytes) -> tuple[str, str, tuple[Problem, ...]] | None:
    """(text, encoding, problems) if the bytes are UTF-8 except for a few lines, else None.

    Each foreign line is read as GB18030 when it decodes cleanly so, otherwise as UTF-8 with
    U+FFFD for the bytes that do not decode; either way it is reported, so a table row read
    from a guess is never silent.
    """
    parts: list[str] = []
    foreign: list[tuple[int, bool]] = []          # (line number, read as GB18030)
    utf8_bytes = 0
    utf8_non_ascii = False
    for number, match in enumerate(_RAW_LINE.finditer(raw), 1):
        line = match.group()
        if not line:
            break
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            gb_text = _line_as_gb18030(line)
            parts.append(gb_text if gb_text is not None else line.decode("utf-8", errors="replace"))
            foreign.append((number, gb_text is not None))
        else:
            utf8_bytes += len(line)
            utf8_non_ascii = utf8_non_ascii or not line.isascii()
    if not foreign or not utf8_non_ascii or utf8_bytes < _MIN_UTF8_BYTE_SHARE * len(raw):
        return None
    problems = [Problem("mixed-encoding", number,
                        f"line {number} is not UTF-8 (read as GB18030)" if as_gb else
                        f"line {number} is not UTF-8 nor GB18030 (undecodable bytes shown as U+FFFD)")
                for number, as_gb in foreign[:_MAX_LINE_PROBLEMS]]
    if len(foreign) > _MAX_LINE_PROBLEMS:
        rest = foreign[_MAX_LINE_PROBLEMS:]
        problems.append(Problem("mixed-encoding", rest[0][0],
                                f"{len(rest)} more lines are not UTF-8 (lines {rest[0][0]}-{rest[-1][0]})"))
    encoding = "utf-8+gb18030" if any(as_gb for _, as_gb in foreign) else "utf-8"
    return "".join(parts), encoding, tuple(problems)


def _line_as_gb18030(line: bytes) -> str | None:
    """One line's text in GB18030, or None. Not the whole-file GB2312 share test: a line holds
    too few hanzi for a share (`| 昇腾 | 7nm |` is half GBK-only), and the line is reported anyway."""
    try:
        text = line.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return None if _PRIVATE_USE.search(text) else text


def _charset_normalizer_matches(raw: bytes) -> list:
    """Every encoding charset-normalizer finds that decodes the bytes, best first."""
    # Imported here: it costs ~0.1 s and only non-UTF-8 notes need it.
    import charset_normalizer
    return list(charset_normalizer.from_bytes(raw))


def _charset_normalizer_guess(raw: bytes):
    matches = _charset_normalizer_matches(raw)
    return matches[0] if matches else None


def _decode_wide_without_mark(raw: bytes) -> tuple[str, str, tuple, EncodingGuess]:
    """NUL bytes: only UTF-16/32 text without a byte-order mark can explain them."""
    best = _charset_normalizer_guess(raw)
    if best is not None and best.encoding in _WIDE_UNICODE:
        text = str(best)
        if "\x00" not in text:
            encoding = best.encoding.replace("_", "-")
            return text, encoding, (), EncodingGuess(encoding, 1 - best.chaos)
    first_nul = raw.index(b"\x00")
    raise BinaryContent(f"contains NUL bytes (first at byte {first_nul}); text notes never do")


def _as_chinese_gb18030(raw: bytes) -> tuple[str, float] | None:
    """The text and its share of common hanzi if the bytes are GBK/GB18030 Chinese, else None.

    charset-normalizer alone calls short GBK notes cp949 (Korean), so we check directly:
    real Chinese text is almost entirely GB2312 hanzi (the common ones), while Big5 or
    Latin-1 bytes read as GB18030 produce rare hanzi and private-use characters.
    """
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    hanzi = [m.group() for m in itertools.islice(_HANZI.finditer(text), _HANZI_SAMPLE)]
    if not hanzi or _PRIVATE_USE.search(text):
        return None
    share = sum(1 for ch in hanzi if _is_gb2312(ch)) / len(hanzi)
    return (text, share) if share >= _MIN_COMMON_HANZI_SHARE else None


def _is_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _reject_control_heavy(text: str) -> None:
    sample = text[:_CONTROL_SAMPLE]
    controls = len(_BINARY_CONTROL.findall(sample))
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise BinaryContent(f"{controls} control characters in the first {len(sample)} characters; "
                            "this is not a text note")
