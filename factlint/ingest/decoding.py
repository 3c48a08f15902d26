"""Bytes on disk -> text with \\n line ends, and the name of the encoding that was found.

Order: strict UTF-8 (the fast path, almost every note), byte-order marks, then the
GB family (our notes are Chinese or English), then charset-normalizer for anything else.
Anything that still does not decode, or holds NUL bytes, is binary.
"""
from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass



class BinaryContent(ValueError):
    """The bytes are not text in any encoding we recognise; str(self) says why."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str        # newlines normalised to \n, byte-order mark removed
    encoding: str    # "utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", or charset-normalizer's name


# Longest marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
_WIDE_UNICODE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")

# C0 controls that never appear in prose (tab, newlines, form feed and ESC excluded).
_BINARY_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_SAMPLE = 65_536
_MAX_CONTROL_SHARE = 0.05

_HANZI = re.compile("[\u4e00-\u9fff]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_HANZI_SAMPLE = 5_000
_MIN_COMMON_HANZI_SHARE = 0.8


def decode_bytes(raw: bytes) -> DecodedText:
    """Decode a note's bytes. Raises BinaryContent with the reason when they are not text."""
    text, encoding = _decode(raw)
    _reject_control_heavy(text)
    return DecodedText(normalise_newlines(text), encoding)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become \\n, so line numbers match what an editor shows."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text:
            return _decode_wide_without_mark(raw)
        if text.startswith("\ufeff"):
            return text[1:], "utf-8-sig"
        return text, "utf-8"

    for mark, encoding in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            try:
                text = raw.decode(encoding)     # the utf-16/utf-32 codecs consume the mark
            except UnicodeDecodeError as err:
                raise BinaryContent(f"starts with a {encoding.upper()} byte-order mark but does not "
                                    f"decode as {encoding.upper()} ({err.reason} at byte {err.start})") from None
            if "\x00" in text:
                raise BinaryContent(f"decodes as {encoding.upper()} but contains NUL characters")
            return text, encoding

    if b"\x00" in raw:
        return _decode_wide_without_mark(raw)

    gb_text = _as_chinese_gb18030(raw)
    if gb_text is not None:
        return gb_text, "gb18030"

    best = _charset_normalizer_guess(raw)
    if best is None:
        raise BinaryContent("not UTF-8, UTF-16 or GB18030, and charset-normalizer finds no encoding "
                            "that decodes it")
    encoding = best.encoding.lower().replace("-", "_")
    if encoding in _GB_FAMILY:
        return raw.decode("gb18030", errors="replace"), "gb18030"
    return str(best), encoding


def _charset_normalizer_guess(raw: bytes):
    # Imported here: it costs ~0.1 s and only non-UTF-8 notes need it.
    import charset_normalizer
    return charset_normalizer.from_bytes(raw).best()


def _decode_wide_without_mark(raw: bytes) -> tuple[str, str]:
    """NUL bytes: only UTF-16/32 text without a byte-order mark can explain them."""
    best = _charset_normalizer_guess(raw)
    if best is not None and best.encoding in _WIDE_UNICODE:
        text = str(best)
        if "\x00" not in text:
            return text, best.encoding.replace("_", "-")
    first_nul = raw.index(b"\x00")
    raise BinaryContent(f"contains NUL bytes (first at byte {first_nul}); text notes never do")


def _as_chinese_gb18030(raw: bytes) -> str | None:
    """The text if the bytes are GBK/GB18030 Chinese, else None.

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
    common = sum(1 for ch in hanzi if _is_gb2312(ch))
    return text if common / len(hanzi) >= _MIN_COMMON_HANZI_SHARE else None


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
