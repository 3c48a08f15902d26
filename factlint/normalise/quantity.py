"""Cell text -> typed Quantity. Tokenises the cell itself and asks pint only for unit factors.

The grammar of a numeric cell, left to right (every part optional except the number):

    [bound word] [between|from] [currency] [sign] NUMBER [×10^n] [+|多|余] [magnitude] [unit]
        [range separator  [currency] NUMBER [magnitude] [unit]]
        [以上|左右|or more ...] [/per | per X | each] [footnote] [qualifier ...]

Cells that are not numbers are recognised whole: missing marks (—, N/A, TBD, 未公布), "same"
words (相同, same), status marks (✅ 完整, ❌, 🚧, 支持, partial), dates and calendar years
(2024, 2024年, FY2024, Q3 2025, 2025-06, 2026年2月). Anything else is text.

Decisions (documented here because rules rely on them):
- A comma is a thousands separator only (`1,024.5`); a decimal comma (`1,5`) is unparseable.
  A space or an underscore groups thousands only in groups of exactly three digits (`1 024`,
  `1_000`).
- A number is read whole or not at all (unparseable with a reason in NUMBER_PROBLEMS, which the
  `unparsed-number` rule reports): `10^17` and `10**17` are powers of ten, `2^10` is refused;
  `½` is 0.5, `⅓` is refused; a value a float cannot hold (`1e309`, `1e-400`) is refused, never
  inf or 0; a bare number, a space and a number that is no list (`15 20kW`, `13 2`) is refused.
- `B` after a number is the billion suffix (`80B` transistors, `$0.25B`), never bytes.
- `年` after a four-digit year-like integer is a calendar year (`2024 年`), otherwise a duration
  (`3 年`). A bare integer 1900-2100 without unit is a calendar year unless `expect` says the
  column holds another dimension.
- Ranges keep their order: `64-16` gives value 64, value_high 16 (a rule flags it).
- `value` is in `unit` after magnitude words (`90 万核` -> 900000 cores); `canonical_value` in
  the dimension's canonical unit (units.yaml). Tolerance is half a unit of the last significant
  digit shown, in canonical units; for an unknown unit, in the unit as written. A whole
  number's trailing zeros past its first two digits are not significant (`990` = 985-995). A
  plain count written in full (`24`, `1,563`: no unit, decimals or magnitude word) is exact.
- Lower-case k/m/b/t after a number are magnitudes where money or a count is expected
  (`954.74m` revenue, `70b` parameters); elsewhere m is metres and b bits.
- Notes (`Quantity.notes`) are "code: message" strings: unit-case, footnote, range-reversed,
  range-mixed-units, header-unit-conflict, currency-conflict, magnitude-conflict, more-numbers.
"""
from __future__ import annotations

import functools
import math
import re
import sys
from dataclasses import dataclass, field, replace

from factlint.normalise.units import (
    SUPERSCRIPT_DIGITS, UnitInfo, UnitMatch, case_variants, convert, format_quantity, lookup_unit,
    magnitude, match_shorthand, match_unit, normal_char, normal_text_aligned, shorthand_by_word, suggest_unit,
    unit_table,
)

__all__ = ["Quantity", "parse_cell", "split_header_unit", "is_unit_text", "format_quantity", "convert",
           "lookup_unit", "suggest_unit", "case_variants", "KINDS", "STATUSES", "BOUNDS"]

# kind: what shape the cell has
KINDS = ("number", "range", "percent", "ratio", "money", "year", "date", "status", "same",
         "missing", "text")
# status: how far we understood it
STATUSES = ("parsed", "missing", "text", "unknown-unit", "unparseable")
BOUNDS = ("=", "~", ">=", ">", "<=", "<")


@dataclass(frozen=True, slots=True)
class Quantity:
    raw: str
    kind: str = "text"
    status: str = "text"
    value: float | None = None          # in `unit` as written (after magnitude words: 90 万 -> 900000)
    value_high: float | None = None     # upper end of a range
    bound: str = "="
    unit: str | None = None             # normalised unit symbol ("PFLOPS", "GB", "mm²", "kW", "nm") or the unknown token
    canonical_value: float | None = None
    canonical_value_high: float | None = None
    canonical_unit: str | None = None   # one per dimension: FLOP/s, B, B/s, W, nm, mm², s, 1, USD, %, x, year
    dimension: str | None = None        # compute, information, bandwidth, power, length, area, time, count, money, percent, ratio, year, date, energy
    tolerance: float = 0.0              # half a unit of the last digit shown, in canonical units
    reason: str = ""                    # for status unknown-unit / unparseable
    token: str | None = None            # the token not understood (e.g. "PLOPS")
    token_start: int | None = None      # its offset in raw
    per: str | None = None              # the per-unit of money ("$2M/节点" -> "节点")
    text: str | None = None             # status ("yes"/"no"/"partial"/"wip"), same word ("相同"), missing mark, ISO date ("2025-06"), or the text itself ("InfiniBand")
    decimals: int = 0                   # decimals shown in the number ("4.0T" -> 1)
    qualifier: str | None = None        # words around the figure: "5nm (TSMC)" -> "TSMC", "✅ 完整" -> "完整"
    unit_written: str | None = None     # the unit as written in the cell ("KW" for a cell "15KW")
    notes: tuple[str, ...] = ()         # "code: message" remarks on a parsed cell (see module doc)


# ---------------------------------------------------------------------------------------------
# Words of the cell grammar (units and magnitudes live in factlint/vocab/units.yaml)

MISSING_WORDS = frozenset({
    "", "-", "--", "---", "—", "——", "–", "−", "n/a", "na", "n.a.", "n.a", "tbd", "tba", "tbc",
    "?", "??", "???", "unknown", "not disclosed", "undisclosed", "not available", "none", "null",
    "...", "…", "未知", "未公布", "未披露", "不详", "暂无", "待定", "无数据", "未定", "不明", "/",
})
SAME_WORDS = frozenset({"相同", "一样", "一致", "持平", "相等", "同", "same", "equal", "identical",
                        "the same", "parity", "=", "=="})
STATUS_MARKS = {
    "✅": "yes", "✓": "yes", "✔": "yes", "☑": "yes", "√": "yes", "🟢": "yes", "🆗": "yes",
    "❌": "no", "✗": "no", "✘": "no", "✖": "no", "⛔": "no", "🚫": "no", "🔴": "no", "×": "no",
    "⚠": "partial", "🟡": "partial", "◐": "partial", "△": "partial", "🔶": "partial",
    "🚧": "wip", "⏳": "wip", "🔜": "wip", "🛠": "wip",
}
STATUS_WORDS = {
    **dict.fromkeys(("yes", "y", "true", "supported", "available", "ok", "ga", "支持", "已支持",
                     "是", "有", "可", "可以", "完整支持", "完全支持"), "yes"),
    **dict.fromkeys(("no", "n", "false", "unsupported", "not supported", "unavailable", "不支持",
                     "否", "无", "没有", "不可", "暂不支持"), "no"),
    **dict.fromkeys(("partial", "partially", "partly", "limited", "部分", "部分支持", "有限",
                     "有限支持"), "partial"),
    **dict.fromkeys(("wip", "beta", "preview", "experimental", "in development", "in progress",
                     "planned", "coming soon", "roadmap", "研发中", "开发中", "计划中", "规划中",
                     "测试中", "即将支持", "即将推出", "实验性", "预览"), "wip"),
}
PREFIX_BOUNDS = {
    "~": ("~", "≈", "≃", "约", "大约", "约为", "大概", "将近", "接近", "近", "about", "around",
          "approx.", "approx", "approximately", "roughly", "circa", "nearly", "almost"),
    ">=": ("≥", ">=", "⩾", "至少", "不少于", "不低于", "at least", "no less than", "minimum", "min."),
    ">": (">", "超过", "逾", "高于", "大于", "多于", "over", "more than", "greater than", "above",
          "in excess of"),
    "<=": ("≤", "<=", "⩽", "最多", "至多", "不超过", "不多于", "高达", "up to", "at most",
           "no more than", "maximum", "max."),
    "<": ("<", "不到", "不足", "低于", "小于", "少于", "less than", "fewer than", "under", "below"),
}
SUFFIX_BOUNDS = {
    ">=": ("以上", "及以上", "或以上", "or more", "or above", "and above", "plus"),   # and "50+"
    "<=": ("以下", "及以下", "以内", "之内", "or less", "and below", "or below"),
    "~": ("左右", "上下", "前后"),
    ">": ("多", "余", "有余", "出头"),
}
# Glued to a number these are words, not units: 1st, 2nd, 3D, 2.5D, 5G, TSMC 4N, 1080P.
NOT_UNITS = frozenset({"st", "nd", "rd", "th", "D", "G", "N", "P"})
MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), 1) for m in names}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
YEAR_QUALIFIERS = {"e": "estimate", "est": "estimate", "est.": "estimate", "f": "forecast",
                   "预测": "forecast", "预计": "estimate", "年初": "early", "年中": "mid",
                   "年底": "late", "年末": "late", "early": "early", "mid": "mid", "late": "late",
                   "end of": "late", "beginning of": "early", "start of": "early"}


def _alternation(words) -> str:
    """Longest first; a word ending in a Latin letter must end there ("over" is not "overall")."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        part = re.escape(w)
        if w[-1:].isascii() and w[-1:].isalpha():
            part += r"(?![A-Za-z])"
        parts.append(part)
    return "|".join(parts)


class _Lazy:
    """A regex compiled on first use. The big case-insensitive alternations cost most of this
    module's import time; processes that import the parser but never parse skip them."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)

    def __getattr__(self, name: str):
        compiled = re.compile(*self._source)
        for method in ("match", "fullmatch", "search"):
            setattr(self, method, getattr(compiled, method))   # later calls skip __getattr__
        return getattr(compiled, name)


def _bound_regex(table: dict[str, tuple[str, ...]]) -> tuple[_Lazy, dict[str, str]]:
    lookup = {w.casefold(): bound for bound, words in table.items() for w in words}
    return _Lazy(rf"\s*(?P<w>{_alternation(lookup)})\s*", re.I), lookup


_PREFIX_BOUND, _PREFIX_BOUND_OF = _bound_regex(PREFIX_BOUNDS)
_SUFFIX_BOUND, _SUFFIX_BOUND_OF = _bound_regex(SUFFIX_BOUNDS)
_PLUS = re.compile(r"\s*\+(?![\d.])")
_SIGN = re.compile(r"([+-])\s*")
# Thousands go in groups of three after a comma, a space or an underscore (`1_000`, as code
# writes it). An exponent takes all its digits (`1e309` is too large, not 1e30 and a 9).
_NUMBER = re.compile(r"(?P<sign>[+-])?(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?!\d)"
                     r"|\d{1,3}(?:_\d{3})+(?![\d_])|\d+)?(?:\.(?P<frac>\d+))?(?:[eE](?P<exp>[+-]?\d+))?")
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二三四五六七八九]+)?")
_TIMES_TEN = re.compile(r"\s*[×xX*]\s*10(?:(?:\^|\*\*)\s*(?P<e>[+-]?\d+)|(?P<se>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))")
# A bare "10" raised to a power (10^18, 10¹⁸); one superscript digit after 10 stays a footnote.
_POWER_OF_TEN = re.compile(r"(?:\^|\*\*)\s*(?P<e>[+-]?\d+)|(?P<se>⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+|[⁰¹²³⁴⁵⁶⁷⁸⁹]{2,})")
_SUPERSCRIPT_DIGITS_TO_ASCII = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
_SUPERSCRIPTS = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
_WORD = re.compile(r"[A-Za-z]+(?![A-Za-z0-9²³^])")
_TOKEN = re.compile(r"[A-Za-zΩ°][A-Za-z0-9Ω°²³^/]*")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_RANGE_PREFIX = re.compile(r"(?:between|from)\s+|介于\s*|从\s*", re.I)
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|~|至|到|to(?![A-Za-z]))\s*", re.I)
_RANGE_AND = re.compile(r"\s*(?:and|和|与)\s*", re.I)
_PER = re.compile(r"\s*(?:/\s*|per\s+|每\s*)(?P<per>(?![\d.])[^\s()（）,，;；]+)"
                  r"|\s*(?P<each>each|apiece|ea\.|每个|每台|各)(?![A-Za-z])", re.I)
_TRAILING_MARKS = re.compile(rf"\s*(?P<m>[{SUPERSCRIPT_DIGITS}*†‡§]+|\[\d+\])\s*$")
_QUALIFIER_EDGE = " ,;:，；：-–—/()[]（）.。"
# `**` between two digits is a power (`10**17`), not bold.
_MARKUP = re.compile(r"(?<!\d)\*\*|\*\*(?![+-]?\d)|__|`+|~~|\[\^[^\]]*\]|<sup>(?P<sup>.*?)</sup>|<br\s*/?>"
                     r"|</?(?:b|i|em|strong|span|small|sub|code)\b[^>]*>", re.I)
_PERCENT_WORDS = re.compile(r"百分之")
_TRAILING_PAREN = re.compile(r"(?P<core>.+?)\s*[(\[](?P<inner>[^()\[\]]*)[)\]]")
# `280.1(TB)`: a bare number whose own unit is written in parentheses after it.
_PAREN_UNIT = re.compile(r"(?P<number>[~≈约]?\s*[+-]?\d[\d,]*(?:\.\d+)?)\s*[(（]\s*(?P<unit>[^()（）\s]+)\s*[)）]")
_LEAD_WORDS = re.compile(r"(?P<lead>(?:[A-Za-z][\w.+-]*\s+){1,3}|[\u3400-\u9fff]{1,8}\s*)"
                         r"(?=[+-]?[\d$¥€£])")
LEAD_DIMENSIONS = frozenset({"compute", "information", "bandwidth", "transfer_rate", "power",
                             "energy", "frequency", "length", "area", "time", "money", "percent"})
_HEADER_LEAD = re.compile(r"^(?:in|单位|unit|units)\s*[:：]?\s*", re.I)


# Beginnings of the reasons for a cell that is a number the parser cannot read right; the
# `unparsed-number` rule reports these (a cell that is merely words is no number to report).
NUMBER_PROBLEMS = ("the number is too large", "the number is too small", "a power of",
                   "digits joined by _", "a fraction")
PAIR_PROBLEM = "two numbers side by side"


def unread_number(reason: str | None) -> str | None:
    """What an unparseable cell's reason says: "number" for a number that could not be read right
    (nothing else is written so), "pair" for two numbers side by side (a column of words may hold
    such a cell), None for anything else."""
    if not reason:
        return None
    if reason.startswith(NUMBER_PROBLEMS):
        return "number"
    return "pair" if reason.startswith(PAIR_PROBLEM) else None


# Two numbers side by side that a reader takes for a list: the second a complete number (at
# least three digits, or grouped), `1,830 1,980`. facts/cells.py splits a cell there; any other
# pair (`15 20kW`, `13 2`) may be one number broken by a space, so it is not read at all.
SIDE_BY_SIDE = re.compile(r"(?<=\d)\s+(?=(?:\d{1,3}(?:,\d{3})+|\d{3,})(?:\.\d+)?(?:\s*[A-Za-z%]+)?(?:\s|$))")
_GLUED_POWER = re.compile(r"(?:\^|\*\*)\s*[+-]?\d+")
_ANOTHER_NUMBER = re.compile(r" [+-]?\.?\d")


class _Unparseable(Exception):
    def __init__(self, reason: str, token: str | None = None, start: int | None = None):
        super().__init__(reason)
        self.reason, self.token, self.start = reason, token, start


class _Prose(Exception):
    """The cell starts like a number but is a word or code (1st, 3D, v1.2.3, 4:1)."""


# ---------------------------------------------------------------------------------------------
# Normalisation with offsets back into the raw text


@dataclass(frozen=True, slots=True)
class _Text:
    raw: str
    s: str
    origin: tuple[int, ...]           # origin[i]: offset in raw of s[i]
    footnotes: tuple[str, ...] = ()

    def raw_offset(self, i: int | None) -> int | None:
        if i is None or not self.origin:
            return None
        return self.origin[min(i, len(self.origin) - 1)]


def _normalise(raw: str) -> _Text:
    """NFKC (except superscript digits), markdown/HTML markup and footnote refs removed,
    whitespace collapsed and stripped, keeping each character's offset in `raw`."""
    if _MARKUP.search(raw) is None:          # the common case: offsets stay one to one
        stripped = raw.strip()
        normal = normal_text_aligned(stripped)
        if normal is not None and "  " not in normal and "\t" not in normal and "\n" not in normal:
            lead = len(raw) - len(raw.lstrip())
            return _Text(raw, normal, tuple(range(lead, lead + len(normal))))
    chars: list[str] = []
    origin: list[int] = []
    footnotes: list[str] = []

    def emit(start: int, end: int) -> None:
        for i in range(start, end):
            c = raw[i]
            for ch in (c if c < "\x80" else normal_char(c)):
                if ch.isspace():
                    if not chars or chars[-1] == " ":
                        continue
                    ch = " "
                chars.append(ch)
                origin.append(i)

    pos = 0
    for m in _MARKUP.finditer(raw):
        emit(pos, m.start())
        if m.group("sup") is not None:
            footnotes.append(m.group("sup").strip())
        elif m.group(0).startswith("[^"):
            footnotes.append(m.group(0))
        elif m.group(0).lower().startswith("<br") and chars and chars[-1] != " ":
            chars.append(" ")          # a line break inside a cell separates words
            origin.append(m.start())
        pos = m.end()
    emit(pos, len(raw))
    while chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return _Text(raw, "".join(chars), tuple(origin), tuple(footnotes))


# ---------------------------------------------------------------------------------------------
# Lexicon lookups built once from the unit table


@functools.cache
def _lexicon():
    table = unit_table()
    non_ascii = {s: info for s, info in table.by_spelling.items() if not s[0].isascii()}
    cjk_magnitudes = {w: f for w, f in table.magnitudes.items() if not w.isascii()}
    multiword = [s for s in table.by_spelling if " " in s]
    symbols = {s: info for s, info in table.by_spelling.items()       # %, $, ×, ¥, €, £
               if len(s) == 1 and not s.isalnum() and not s.isspace()}
    prefixes = sorted({p for u in table.units for p in u.prefixes}, key=len, reverse=True)
    currency = rf"(?P<c>{_alternation(prefixes)})\s*"
    return {
        "non_ascii": non_ascii,
        "non_ascii_lengths": sorted({len(s) for s in non_ascii}, reverse=True),
        "cjk_magnitudes": cjk_magnitudes,
        "cjk_magnitude_lengths": sorted({len(w) for w in cjk_magnitudes}, reverse=True),
        "multiword": re.compile(rf"(?:{_alternation(multiword)})", re.I) if multiword else None,
        "symbols": symbols,
        # a currency before a number ("$2M", "USD 2M"), or opening a header unit ("$M")
        "currency": re.compile(currency + r"(?=[\d.+\-零〇一二两三四五六七八九十])"),
        "currency_unit": re.compile(currency),
    }


def _longest(s: str, pos: int, index: dict, lengths: list[int]) -> tuple[str, object] | None:
    for n in lengths:
        piece = s[pos:pos + n]
        if len(piece) == n and piece in index:
            return piece, index[piece]
    return None


# ---------------------------------------------------------------------------------------------
# One end of a quantity: number, magnitude, unit


@dataclass(slots=True)
class _End:
    start: int
    end: int = 0
    number: float = 0.0
    decimals: int = 0
    place: float = 1.0                 # one unit of the last digit shown
    trailing_zeros: int = 0            # of a whole number written without decimals (`990`, `4,800`)
    plain: bool = False                # bare digits only (a calendar-year candidate)
    nonzero: bool = False              # a digit other than 0 is written (1e-400 is no zero)
    digits: int = 0
    chinese: bool = False
    magnitude: float = 1.0
    magnitude_word: str | None = None
    unit: UnitMatch | None = None
    unit_start: int | None = None
    unknown: str | None = None
    per: str | None = None
    bound: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def has_unit(self) -> bool:
        return self.unit is not None or self.unknown is not None


def _chinese_numeral(text: str) -> tuple[float, float] | None:
    """(value, place of the last digit) of 三 / 十二 / 两千 / 三万五千 / 一亿两千万 / 二〇二四 / 三点五."""
    whole, _, frac = text.partition("点")
    if len(whole) > 1 and all(c in CN_DIGITS for c in whole):
        value, place = float("".join(str(CN_DIGITS[c]) for c in whole)), 1.0   # 二〇二四
    else:
        yi = wan = section = 0          # completed 亿 groups, the 万 group, the current group
        digit, place = 0, 1.0
        for c in whole:
            if c in CN_DIGITS:
                digit, place = CN_DIGITS[c], 1.0
            elif c in CN_UNITS:         # 十二: a leading 十 means 一十
                section += (digit or (1 if section == 0 else 0)) * CN_UNITS[c]
                digit, place = 0, float(CN_UNITS[c])
            elif c == "万":
                wan = (section + digit) * 10_000 or wan * 10_000
                section, digit, place = 0, 0, place * 10_000
            else:                       # 亿 (万亿 multiplies the 万 group)
                yi = (yi + wan + section + digit) * 100_000_000
                wan = section = digit = 0
                place *= 100_000_000
        value = float(yi + wan + section + digit)
    if frac:
        if not all(c in CN_DIGITS for c in frac):
            return None
        value += float("0." + "".join(str(CN_DIGITS[c]) for c in frac))
        place = 10.0 ** -len(frac)
    return value, place


def _read_number(s: str, pos: int, end: _End) -> int | None:
    m = _NUMBER.match(s, pos)
    if m and (m.group("int") or m.group("frac")):
        int_text = re.sub("[, _]", "", m.group("int") or "0")
        frac = m.group("frac") or ""
        exp = _exponent(m.group("exp") or "0")
        number = float(f"{int_text}.{frac or 0}e{exp}")       # float() gives inf, never raises
        end.number = -number if m.group("sign") == "-" else number
        end.decimals = max(0, len(frac) - exp)
        end.place = float(f"1e{exp - len(frac)}")
        end.plain = not (m.group("sign") or frac or exp or int_text != m.group("int"))
        end.digits = len(int_text)
        if not frac and not exp:
            end.trailing_zeros = len(int_text) - len(int_text.rstrip("0"))
        end.nonzero = int_text.strip("0") != "" or frac.strip("0") != ""
        return m.end()
    m = _CN_NUMBER.match(s, pos)
    if m:
        parsed = _chinese_numeral(m.group(0))
        if parsed is None:
            return None
        end.number, end.place = parsed
        end.decimals = max(0, -round(math.log10(end.place)))
        end.chinese = True
        end.digits = len(m.group(0))
        end.plain = all(c in CN_DIGITS for c in m.group(0))   # 二〇二四年 is a calendar year
        return m.end()
    return None


def _after_number(s: str, pos: int, end: _End) -> int:
    """Scientific notation, footnote superscripts, and glued characters that make the number
    something else: a decimal comma, a version, a time or a fraction."""
    m = _TIMES_TEN.match(s, pos)
    if m is None and s[end.start:pos].lstrip("+-") == "10":
        if (m := _POWER_OF_TEN.match(s, pos)) is not None:
            end.number /= 10             # 10^18 is 1 x 10^18: its last digit is the 1
    if m:
        exp = _exponent(m.group("e") or m.group("se").translate(_SUPERSCRIPT_DIGITS_TO_ASCII))
        end.number *= float(f"1e{exp}")
        end.place *= float(f"1e{exp}")
        end.decimals = max(0, end.decimals - exp)
        end.plain = False
        pos = m.end()
    _check_range(s, end, pos)
    nxt, after = s[pos:pos + 1], s[pos + 1:pos + 2]
    _check_glued(s, end, pos)
    if nxt == "," and after.isdigit():
        raise _Unparseable("a decimal comma is not supported (write 1.5, not 1,5); thousands "
                           "take groups of three digits", s[end.start:pos + 2], end.start)
    if nxt in (".", ":", "/") and after.isdigit():
        raise _Prose()
    m = _SUPERSCRIPTS.match(s, pos)
    if m:
        end.notes.append(f"footnote: {m.group(0)} after the number")
        pos = m.end()
    return pos


def _exponent(text: str) -> int:
    """An exponent's digits as an int; past six digits only its sign matters (int() of thousands
    of digits raises, and 1e999999 is out of range either way)."""
    digits = text.lstrip("+-")
    if len(digits) <= 6:
        return int(text)
    return -10**6 if text.startswith("-") else 10**6


def _check_range(s: str, end: _End, pos: int) -> None:
    """A float cannot hold the number: it would be read as inf, or as 0 or a subnormal that has
    lost its digits (`1e-400`, `2e-315`)."""
    if not math.isfinite(end.number):
        raise _Unparseable(f"the number is too large to read ({s[end.start:pos]})", s[end.start:pos], end.start)
    if abs(end.number) < sys.float_info.min and end.nonzero:
        raise _Unparseable(f"the number is too small to read ({s[end.start:pos]})", s[end.start:pos], end.start)


def _check_glued(s: str, end: _End, pos: int) -> None:
    """What is glued to a number and would make the parser read only its first digits."""
    written = s[end.start:pos]
    power = _GLUED_POWER.match(s, pos)
    if power:                     # 2^10, 2**10: only a power of ten (10^17) is read
        raise _Unparseable(f"a power of {written} is not read (only powers of ten, 10^17, are)",
                           s[end.start:power.end()], end.start)
    nxt, after = s[pos:pos + 1], s[pos + 1:pos + 2]
    if nxt == "_" and after.isdigit():
        raise _Unparseable(f"digits joined by _ that are not groups of three ({written}_{after}...)",
                           written + nxt, end.start)
    if nxt == "\u2044" and after.isdigit():      # ⅓ is 1⁄3 after NFKC: no exact decimal
        raise _Unparseable(f"a fraction ({written}\u2044{after}) is not read as a number; write a "
                           f"decimal", written + nxt + after, end.start)


def _read_magnitude(s: str, pos: int, lower_case_ok: bool) -> tuple[float, str, int] | None:
    """K/M/B/T, million, 万, 亿 ... at `pos`. `lower_case_ok`: money and counts also take k/m/b/t
    ($5m, 70b parameters), where elsewhere m is metres and b bits."""
    m = _WORD.match(s, pos)
    if m:
        word = m.group(0)
        if s[m.end():m.end() + 1] == "/" and (t := _TOKEN.match(s, pos)) and match_unit(t.group(0)):
            return None                           # B/s is a unit, not the billion suffix
        factor = magnitude(word)
        if factor is None and lower_case_ok and word in ("m", "b", "t"):
            factor = magnitude(word.upper())
        if factor is not None:
            return factor, word, m.end()
        return None
    lex = _lexicon()
    hit = _longest(s, pos, lex["cjk_magnitudes"], lex["cjk_magnitude_lengths"])
    if hit is None:
        return None
    unit_hit = _longest(s, pos, lex["non_ascii"], lex["non_ascii_lengths"])
    if unit_hit is not None and len(unit_hit[0]) > len(hit[0]):   # 千瓦 is kW, not 千 + 瓦
        return None
    return hit[1], hit[0], pos + len(hit[0])


def _read_unit(s: str, pos: int, end: _End, glued: bool, expect: str | None = None) -> int:
    """Read the unit token at `pos` into `end`; returns the new position. A shorthand of the
    expected dimension counts as its unit (`8 PF` in a compute column)."""
    lex = _lexicon()
    if lex["multiword"] is not None and (m := lex["multiword"].match(s, pos)):
        end.unit, end.unit_start = match_unit(m.group(0)), pos
        return m.end()
    ch = s[pos:pos + 1]
    if ch in lex["symbols"]:
        end.unit, end.unit_start = match_unit(ch), pos
        return pos + 1
    if ch and not ch.isascii():
        hit = _longest(s, pos, lex["non_ascii"], lex["non_ascii_lengths"])
        if hit is not None:
            end.unit, end.unit_start = match_unit(hit[0]), pos
            return pos + len(hit[0])
        m = _CJK_RUN.match(s, pos)
        if m and not end.chinese:
            end.unknown, end.unit_start = m.group(0), pos
            return m.end()
        return pos
    m = _TOKEN.match(s, pos)
    if not m:
        return pos
    token = m.group(0).rstrip("/")
    stop = pos + len(token)
    found = match_unit(token) or match_shorthand(token, expect) or shorthand_by_word(token, s, stop)
    if found is None and token.rstrip(SUPERSCRIPT_DIGITS) != token:
        bare = token.rstrip(SUPERSCRIPT_DIGITS)
        if (found := match_unit(bare)) is not None:
            end.notes.append(f"footnote: {token[len(bare):]} after the unit")
    if found is None and token.count("/") > 1:
        # `128GB/s/package`: a rate unit, then what it is per
        left, _, right = token.rpartition("/")
        if not right[:1].isdigit() and (rate := match_unit(left)) is not None:
            end.per = right
            token, found = left, rate
    if found is None and "/" in token:
        left, _, right = token.partition("/")
        left_match, right_match = match_unit(left) or match_shorthand(left, expect), match_unit(right)
        if right[:1].isdigit():
            # "5nm/3nm": a second figure, not a per-unit. The first is read; the rest stays in
            # the cell (qualifier) with a note, so the second figure is never dropped silently.
            end.notes.append(f"more-numbers: the cell states more than one figure split by '/'; "
                             f"only the first ({s[end.start:pos + len(left)]}) is read")
            token, found = left, left_match
            stop = pos + len(left)
        elif right_match is None or right_match.info.dimension == "count":
            end.per = right
            token, found = left, left_match
    if found is not None:
        end.unit, end.unit_start = found, pos
        if not found.exact:
            also = f" (could also be {', '.join(found.alternatives)})" if found.alternatives else ""
            end.notes.append(f"unit-case: {token!r} read as {found.info.symbol}{also}")
        return stop
    if glued and token in NOT_UNITS:
        raise _Prose()
    follows = s[stop:stop + 1]
    if any(c.isdigit() for c in token) or (glued and follows in ("%", ".") and len(token) <= 2):
        raise _Unparseable(f"letters inside a number: {s[end.start:stop + len(follows)]!r} "
                           f"(a letter O or l where a digit belongs?)", token, pos)
    end.unknown, end.unit_start = token, pos
    return stop


def _starts_range(s: str, pos: int) -> bool:
    """A range separator (16 to 64, 16 至 64, between 16 and 64) followed by a number."""
    m = _RANGE_SEP.match(s, pos) or _RANGE_AND.match(s, pos)
    if m is None:
        return False
    nxt = s[m.end():m.end() + 1]
    return bool(nxt) and (nxt.isdigit() or nxt in "$¥€£." or _CN_NUMBER.match(nxt) is not None)


def _read_end(s: str, pos: int, currency: UnitMatch | None, expect: str | None = None) -> _End | None:
    end = _End(start=pos)
    after = _read_number(s, pos, end)
    if after is None:
        return None
    pos = number_end = _after_number(s, after, end)
    mag_done = unit_done = False
    while pos < len(s):
        p = pos + 1 if s[pos] == " " else pos        # whitespace is already collapsed to one space
        if end.bound is None and (m := _PLUS.match(s, p)):
            end.bound, pos = ">=", m.end()
            continue
        if end.bound is None and not unit_done and (m := _SUFFIX_BOUND.match(s, p)) \
                and _SUFFIX_BOUND_OF[m.group("w").casefold()] == ">" and not s[p].isascii():
            end.bound, pos = ">", m.end()        # 100多家, 100余台: 多/余 sit before the noun
            continue
        if not mag_done and not unit_done and \
                (hit := _read_magnitude(s, p, currency is not None or expect in ("count", "money"))):
            if end.chinese and hit[1].isascii():
                break
            end.magnitude, end.magnitude_word, pos = hit
            mag_done = True
            continue
        multiword = _lexicon()["multiword"]
        if (_PER.match(s, pos) and not (multiword and multiword.match(s, p))) or _starts_range(s, pos):
            break                                 # "$30K per GPU", "16 to 64"; but "40 per cent"
        if not unit_done and p < len(s) and _SUFFIX_BOUND.match(s, p) is None:
            new = _read_unit(s, p, end, glued=(p == number_end), expect=expect)
            if new != p:
                pos, unit_done = new, True
                m = _SUPERSCRIPTS.match(s, pos)
                if m:
                    end.notes.append(f"footnote: {m.group(0)} after the unit")
                    pos = m.end()
                continue
        break
    if end.chinese and not (end.has_unit or mag_done) and s[pos:].strip() and \
            _SUFFIX_BOUND.match(s, pos) is None:
        raise _Prose()          # 三星, 一流: a numeral that begins a word
    end.end = pos
    return end


# ---------------------------------------------------------------------------------------------
# Header units ("TDP (W)", "Revenue ($M)", "营收（亿元）")


@dataclass(frozen=True, slots=True)
class _UnitSpec:
    magnitude: float = 1.0
    magnitude_word: str | None = None
    unit: UnitMatch | None = None
    unknown: str | None = None


@functools.lru_cache(maxsize=512)
def _unit_spec(text: str, expect: str | None = None) -> _UnitSpec | None:
    """A unit on its own: [currency] [magnitude] [unit], all of `text` consumed."""
    lex = _lexicon()
    s = "".join(normal_char(c) for c in text).strip()
    s = _HEADER_LEAD.sub("", s)
    if not s:
        return None
    currency, pos = None, 0
    m = lex["currency_unit"].match(s)
    if m and (found := match_unit(m.group("c"))) is not None and found.info.dimension == "money":
        currency, pos = found, m.end()
    probe = _End(start=0)
    mag = _read_magnitude(s, pos, currency is not None) if pos < len(s) else None
    if mag is not None:
        probe.magnitude, probe.magnitude_word, pos = mag
        pos = len(s) - len(s[pos:].lstrip())
    if pos < len(s):
        try:
            new = _read_unit(s, pos, probe, glued=False, expect=expect)
        except (_Unparseable, _Prose):
            return None
        if new != len(s) or probe.per:
            return None
    unit = probe.unit or currency
    if unit is None and probe.unknown is None and mag is None:
        return None
    return _UnitSpec(probe.magnitude, probe.magnitude_word, unit, probe.unknown)


@functools.lru_cache(maxsize=8192)     # pure; every row label of a key/value table asks
def split_header_unit(header_text: str) -> tuple[str, str | None]:
    """("TDP (W)") -> ("TDP", "W"); "Memory [GB]", "BF16 dense (TFLOPS)", "功耗（kW）",
    "Area, mm²", "Revenue ($M)", "Power in W", "功耗/W". A parenthesis that is not a unit stays
    in the label; "Compute (PFLOPS, sparse)" -> ("Compute (sparse)", "PFLOPS")."""
    text = _normalise(header_text or "").s
    m = re.search(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]\s*$", text)
    if m:
        parts = [p.strip() for p in re.split(r"[,;]\s*", m.group(1))]
        for i, part in enumerate(parts):
            if _is_unit(part):
                rest = [p for j, p in enumerate(parts) if j != i and p]
                label = text[:m.start()].strip()
                return (f"{label} ({', '.join(rest)})" if rest else label), _HEADER_LEAD.sub("", part)
    for pattern in (r"^(?P<label>.+?)\s*,\s*(?P<unit>[^,]+)$", r"^(?P<label>.+?)\s+in\s+(?P<unit>\S+)$",
                    r"^(?P<label>.*[\u4e00-\u9fff].*?)\s*/\s*(?P<unit>\S+)$"):
        m = re.match(pattern, text, re.I)
        if m and _is_unit(m.group("unit")):
            return m.group("label").strip(), m.group("unit").strip()
    return text, None


def is_unit_text(text: str) -> bool:
    """The text is a unit (or a magnitude word with one) the parser reads: `TFLOPS`, `GB/s`, `亿`."""
    return _is_unit(text)


def _is_unit(text: str) -> bool:
    spec = _unit_spec(text)
    if spec is None:
        return False
    return spec.unknown is None or suggest_unit(spec.unknown) is not None


# ---------------------------------------------------------------------------------------------
# Whole-cell forms: missing, same, status, dates


_STATUS_WORD = re.compile(r"(?P<w>[^\s(,:;]+(?: [a-z]+)?)(?:\s*[(,:;]\s*|\s+)(?P<rest>.+)$")


def _status(s: str) -> tuple[str, str | None] | None:
    """(yes/no/partial/wip, trailing words) for "✅ 完整", "❌", "Yes (beta)", "支持"."""
    first = s[0]
    if first in STATUS_MARKS:
        rest = s[1:].strip(" :：-–—,，")
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1].strip()
        return STATUS_MARKS[first], rest or None
    key = s.casefold()
    if key in STATUS_WORDS:
        return STATUS_WORDS[key], None
    m = _STATUS_WORD.match(s)
    if m and m.group("w").casefold() in STATUS_WORDS:
        return STATUS_WORDS[m.group("w").casefold()], m.group("rest").strip(" ()") or None
    return None


_YEAR = r"(?P<y>1[89]\d\d|2[01]\d\d)"
_YY = r"(?P<yy>\d{2})"
_DATE_FORMS: list[tuple[_Lazy, str]] = [(_Lazy(p, re.I), kind) for p, kind in (
    (rf"{_YEAR}[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})", "day"),
    (rf"{_YEAR}[-/](?P<m>\d{{1,2}})", "month"),
    (rf"{_YEAR}\s*年\s*(?P<m>\d{{1,2}})\s*月(?:\s*(?P<d>\d{{1,2}})\s*[日号])?", "month"),
    (rf"{_YEAR}\s*年?\s*(?:第?(?P<q>[1-4一二三四])\s*季度|Q(?P<q2>[1-4]))", "quarter"),
    # a two-digit year needs an apostrophe after Q3/H1 (Q3'25), so that H100 stays a chip name
    (rf"Q(?P<q>[1-4])\s*(?:(?P<fy>FY|CY)\s*['’]?\s*)?(?:{_YEAR}|['’]\s*{_YY})", "quarter"),
    (rf"Q(?P<q>[1-4])\s*(?P<fy>FY|CY)\s*{_YY}", "quarter"),
    (rf"(?P<q2>[1-4])Q\s*['’]?\s*(?:{_YEAR}|{_YY})", "quarter"),
    (rf"{_YEAR}\s*[-–]?\s*Q(?P<q>[1-4])", "quarter"),
    (rf"H(?P<h>[12])\s*(?:{_YEAR}|['’]\s*{_YY})", "half"),
    (rf"(?P<h2>[12])H\s*['’]?\s*(?:{_YEAR}|{_YY})", "half"),
    (rf"{_YEAR}\s*[-–]?\s*H(?P<h>[12])", "half"),
    (rf"{_YEAR}\s*年\s*(?P<half>上|下)半年", "half"),
    (r"(?P<mon>[a-z]{3,9})\.?\s+(?:(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+)?" + _YEAR, "month-name"),
    (r"(?P<d>\d{1,2})\s+(?P<mon>[a-z]{3,9})\.?,?\s+" + _YEAR, "month-name"),
    (rf"(?P<fy>FY|CY)\s*['’]?\s*(?:{_YEAR}|{_YY})(?P<suffix>\s*[EF])?", "year"),
    (rf"(?P<q>early|mid|late|end of|beginning of|start of)[\s-]*{_YEAR}", "year"),
    (rf"{_YEAR}\s*(?P<q>年初|年中|年底|年末)", "year"),
    (rf"{_YEAR}\s*(?:年)?\s*(?P<suffix>E|F|e|f|est\.?|\(E\)|\(est\.?\)|预测|预计|\(预测\)|\(预计\))", "year"),
    (rf"{_YEAR}\s*年", "year"),
    (r"(?P<y>(?:1[89]|2[01])\d0)['’]?s", "decade"),
)]
_CN_QUARTER = {"一": "1", "二": "2", "三": "3", "四": "4"}
# Every date form holds a four-digit year, or a two-digit one after Q/H/FY/CY or an apostrophe.
_DATE_HINT = re.compile(r"(?:1[89]|2[01])\d\d|['’]\s*\d\d|\d[QH]|FY|CY", re.I)
# 2019.08 is a month only in a column of dates: elsewhere it is the number 2019.08.
_DOTTED_MONTH = (_Lazy(rf"{_YEAR}\.(?P<m>\d{{1,2}})"), "month")


def _join(*parts: str | None) -> str | None:
    return ", ".join(p for p in parts if p) or None


def _date(s: str, raw: str, expect: str | None = None, outer: str | None = None) -> Quantity | None:
    """Calendar years with a qualifier (FY2024, 2024E, late 2024) and dates (2025-06, Q3 2025,
    H1 2024, 2026年2月, Aug 19, 2019). `outer` is a parenthesis the caller took off the cell."""
    if _DATE_HINT.search(s) is None:
        return None
    forms = [*_DATE_FORMS, _DOTTED_MONTH] if expect in ("year", "date") else _DATE_FORMS
    for pattern, form in forms:
        m = pattern.fullmatch(s)
        if m is None:
            continue
        g = m.groupdict()
        year = int(g["y"]) if g.get("y") else 2000 + int(g["yy"])
        qualifier = None
        if form in ("day", "month", "month-name"):
            month = int(g["m"]) if g.get("m") else MONTHS.get(g["mon"].casefold())
            day = int(g["d"]) if g.get("d") else None
            if not month or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
                continue                          # "late 2024" is not a month name
            text = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
        elif form == "quarter":
            q = g.get("q") or g.get("q2")
            text = f"{year:04d}-Q{_CN_QUARTER.get(q, q)}"
            qualifier = g.get("fy")
        elif form == "decade":                    # 1990s: the year that starts it
            text = f"{year}s"
        elif form == "half":
            h = g.get("h") or g.get("h2") or ("1" if g.get("half") == "上" else "2")
            text = f"{year:04d}-H{h}"
        else:   # a calendar year with a qualifier (FY, E, late ...)
            word = (g.get("q") or g.get("suffix") or "").strip().strip("()").rstrip(".")
            qualifier = _join(g.get("fy"), YEAR_QUALIFIERS.get(word.casefold(), word))
            return _year(raw, year, text=f"{g['fy']}{year}" if g.get("fy") else str(year),
                         qualifier=_join(qualifier, outer))
        return Quantity(raw=raw, kind="date", status="parsed", value=float(year),
                        canonical_value=float(year), canonical_unit="year", dimension="date",
                        tolerance=0.5, text=text, qualifier=_join(qualifier, outer))
    return None


def _year(raw: str, year: int, *, text: str | None = None, qualifier: str | None = None,
          notes: tuple[str, ...] = ()) -> Quantity:
    return Quantity(raw=raw, kind="year", status="parsed", value=float(year),
                    canonical_value=float(year), canonical_unit="year", dimension="year",
                    tolerance=0.5, text=text or str(year), qualifier=qualifier, notes=notes)


# ---------------------------------------------------------------------------------------------
# Numeric cells


def _numeric(t: _Text, header_unit: str | None, expect: str | None, start: int = 0) -> Quantity | None:
    s, lex = t.s, _lexicon()
    pos, bound = start, "="
    notes: list[str] = []
    m = _PREFIX_BOUND.match(s, pos)
    if m and m.end() < len(s):
        bound, pos = _PREFIX_BOUND_OF[m.group("w").casefold()], m.end()
    between = False
    if m := _RANGE_PREFIX.match(s, pos):
        between, pos = True, m.end()
    percent_words = False
    if m := _PERCENT_WORDS.match(s, pos):
        percent_words, pos = True, m.end()
    currency, negative = None, False
    signed = _SIGN.match(s, pos)                 # "-$5M": the sign may precede the currency
    if (m := lex["currency"].match(s, signed.end() if signed else pos)) and \
            (found := match_unit(m.group("c"))):
        currency, pos = found, m.end()
        negative = bool(signed) and signed.group(1) == "-"
    first = _read_end(s, pos, currency, expect)
    if first is None:
        return None
    if negative:
        first.number = -first.number
    pos = first.end
    second = None
    sep = (_RANGE_AND if between else _RANGE_SEP).match(s, pos)
    if sep is None and currency is None and start == 0:    # after lead words: a name (Llama 2 7B)
        _check_side_by_side(s, first)
    if sep:
        p2, currency2 = sep.end(), currency
        if (m := lex["currency"].match(s, p2)) and (found := match_unit(m.group("c"))):
            currency2, p2 = found, m.end()
        second = _read_end(s, p2, currency2, expect)
        if second is not None:
            pos = second.end
            if currency2 is not currency and second.unit is None:
                second.unit = currency2          # "$1M-¥2M": checked against the first end
    if m := _SUFFIX_BOUND.match(s, pos):
        word_bound = _SUFFIX_BOUND_OF[m.group("w").casefold()]
        bound = word_bound if bound == "=" else bound
        pos = m.end()
    per = first.per or (second.per if second else None)
    if per is None and (m := _PER.match(s, pos)):
        per = m.group("per") or "each"
        pos = m.end()
    rest = s[pos:]
    if m := _TRAILING_MARKS.search(rest):
        notes.append(f"footnote: {m.group('m')}")
        rest = rest[:m.start()]
    qualifier = rest.strip(_QUALIFIER_EDGE) or None
    for end in (first, second):
        if end is not None:
            notes.extend(end.notes)
            if end.bound and bound == "=":
                bound = end.bound
    if qualifier and any(c.isdigit() for c in qualifier) and \
            not any(n.startswith("more-numbers:") for n in notes):
        notes.append(f"more-numbers: the cell states more than one figure ({qualifier})")
    notes.extend(f"footnote: {f}" for f in t.footnotes)
    if percent_words:                # 百分之四十
        for end in (first, second):
            if end is not None:
                end.unit, end.unknown = match_unit("%"), None
    return _assemble(t, first, second, bound, currency, per, qualifier, notes, header_unit, expect)


def _check_side_by_side(s: str, first: _End) -> None:
    """`15 20kW`, `13 2`: a bare number, a space, another number, and no list a reader would see
    (SIDE_BY_SIDE). Reading the first would be silently wrong, 15 for 1520 kW or for 20 kW."""
    bare = not first.has_unit and first.magnitude_word is None and first.bound is None \
        and first.per is None
    if bare and _ANOTHER_NUMBER.match(s, first.end) and not SIDE_BY_SIDE.match(s, first.end):
        rest = s[first.end:].split()[0]
        raise _Unparseable(f"{PAIR_PROBLEM} ({s[first.start:first.end]} {rest}) with no "
                           f"separator (one number broken by a space, or two figures)",
                           s[first.start:], first.start)


def _share_range_parts(first: _End, second: _End) -> None:
    """Range ends share what only one of them states: "$1-2M", "64-256 PLOPS", "5-10%"."""
    if not second.has_unit and first.has_unit:
        second.unit, second.unknown = first.unit, first.unknown
    if not first.has_unit and second.has_unit:
        first.unit, first.unknown, first.unit_start = second.unit, second.unknown, second.unit_start
    if first.magnitude_word is None and second.magnitude_word is not None and first.unit is None:
        first.magnitude, first.magnitude_word = second.magnitude, second.magnitude_word


@dataclass(slots=True)
class _Reading:
    """The unit a cell ends up with, from the cell itself or else from its column header."""
    unit: UnitMatch | None
    unknown: str | None
    magnitude: float
    from_header: bool = False


def _resolve_unit(first: _End, second: _End | None, currency: UnitMatch | None,
                  header: _UnitSpec | None, notes: list[str]) -> _Reading:
    unit = first.unit
    if currency is not None:
        if unit is not None and unit.info.symbol != currency.info.symbol:
            notes.append(f"currency-conflict: {currency.written} before the number, "
                         f"{unit.written} after")
        unit = currency
    reading = _Reading(unit, first.unknown if unit is None else None, first.magnitude)
    if header is None:
        return reading
    if unit is None and reading.unknown is None:
        reading = _Reading(header.unit, header.unknown, first.magnitude, from_header=True)
        if first.magnitude_word is None:
            reading.magnitude = header.magnitude
            if second is not None and second.magnitude_word is None:
                second.magnitude = header.magnitude
        elif header.magnitude_word is not None:
            notes.append(f"magnitude-conflict: the cell says {first.magnitude_word}, "
                         f"the header {header.magnitude_word}")
    elif unit is not None and header.unit is not None and \
            unit.info.dimension != header.unit.info.dimension:
        notes.append(f"header-unit-conflict: the cell says {unit.info.symbol}, "
                     f"the header {header.unit.info.symbol}")
    return reading


def _calendar_years(t: _Text, first: _End, second: _End | None, reading: _Reading, bound: str,
                    per: str | None, qualifier: str | None, notes: list[str],
                    expect: str | None) -> Quantity | None:
    """2024, 2024 年, 2019-2021, 2019-21: bare four-digit years (the second end may abbreviate
    its century) with no unit but 年. Leaves the ends untouched when the cell is not years."""
    def year_like(end: _End) -> bool:
        return end.plain and end.digits == 4 and end.magnitude_word is None

    if bound != "=" or per or not year_like(first):
        return None
    years = [first.number]
    if second is not None:
        high = second.number
        if second.plain and second.digits == 2 and second.magnitude_word is None:
            high = first.number // 100 * 100 + second.number     # 2019-21 is 2019-2021
            if high <= first.number:
                return None
        elif not year_like(second):
            return None
        years.append(high)
    lo, hi = (1000, 2999) if expect in ("year", "date") else (1900, 2100)
    if not all(lo <= y <= hi for y in years):
        return None
    unit = reading.unit
    written_year = unit is not None and unit.info.symbol == "year" and unit.written == "年"
    bare = unit is None and reading.unknown is None and expect in (None, "year", "date")
    if not (written_year or bare):
        return None
    if second is None:
        return _year(t.raw, int(first.number), qualifier=qualifier, notes=tuple(notes))
    low, high = years
    return Quantity(raw=t.raw, kind="range", status="parsed", value=low, value_high=high,
                    canonical_value=low, canonical_value_high=high, canonical_unit="year",
                    dimension="year", tolerance=0.5, qualifier=qualifier, notes=tuple(notes),
                    text=f"{int(low)}-{int(high)}")


def _exact_count(end: _End) -> bool:
    """A whole number written in full (no decimals, no magnitude word, every digit significant):
    as a count of things it is exact, not a rounding."""
    return end.place == 1.0 and end.magnitude == 1.0 and end.decimals == 0 and not end.chinese \
        and _significant_place(end) == 1.0


def _significant_place(end: _End) -> float:
    """One unit of the last significant digit. A whole number's trailing zeros may be rounding
    (`990` for 989.4, `4,800` for 4,812), so past the first two digits they are not counted as
    significant: 990 is 985-995, 4,800 is 4,750-4,850, 1,000 is 950-1,050; 80, 312 and 16,896
    keep every digit."""
    zeros = min(end.trailing_zeros, end.digits - 2)
    return end.place * 10.0 ** zeros if zeros > 0 else end.place


def _assemble(t: _Text, first: _End, second: _End | None, bound: str, currency: UnitMatch | None,
              per: str | None, qualifier: str | None, notes: list[str], header_unit: str | None,
              expect: str | None) -> Quantity:
    if second is not None:
        _share_range_parts(first, second)
    header = _unit_spec(header_unit, expect) if header_unit else None
    reading = _resolve_unit(first, second, currency, header, notes)
    years = _calendar_years(t, first, second, reading, bound, per, qualifier, notes, expect)
    if years is not None:
        return years
    info: UnitInfo | None = reading.unit.info if reading.unit is not None else None
    value = first.number * reading.magnitude
    high = second.number * second.magnitude if second is not None else None
    if second is not None and info is not None and second.unit is not None and \
            second.unit.info.symbol != info.symbol:
        other = second.unit.info
        if (other.dimension, other.canonical) != (info.dimension, info.canonical):
            raise _Unparseable(f"the range ends are in different units ({info.symbol}, "
                               f"{other.symbol})", second.unit.written, second.unit_start)
        notes.append(f"range-mixed-units: {info.symbol} to {other.symbol}")
        high = convert(high, other.symbol, info.symbol)
    if high is not None and high < value:
        notes.append("range-reversed: the first end is larger than the second")
    factor = info.factor if info is not None else 1.0
    tolerance = 0.5 * factor * max(_significant_place(first) * reading.magnitude,
                                   _significant_place(second) * second.magnitude if second is not None else 0.0)
    if info is None and reading.unknown is None and reading.magnitude == 1.0 and _exact_count(first) \
            and (second is None or _exact_count(second)):
        tolerance = 0.0           # `24` nodes, `1,563` cores: a whole count is exact
    if not all(math.isfinite(v) for v in (value * factor, (high or 0.0) * factor, tolerance)):
        raise _Unparseable("the number is too large", t.s, 0)
    written = None if reading.from_header else (
        reading.unit.written if reading.unit is not None else reading.unknown)
    common = dict(raw=t.raw, value=value, value_high=high, bound=bound, tolerance=tolerance,
                  decimals=max(first.decimals, second.decimals if second is not None else 0),
                  per=per, qualifier=qualifier, unit_written=written,
                  notes=tuple(dict.fromkeys(notes)))
    kind = "range" if second is not None else "number"
    if reading.unknown is not None:
        suggestion = suggest_unit(reading.unknown)
        where = " (from the column header)" if reading.from_header else ""
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        return Quantity(kind=kind, status="unknown-unit", unit=reading.unknown,
                        token=reading.unknown,
                        token_start=None if reading.from_header else t.raw_offset(first.unit_start),
                        reason=f"unknown unit {reading.unknown!r}{where}{hint}", **common)
    if info is None:
        return Quantity(kind=kind, status="parsed", canonical_value=value, canonical_value_high=high,
                        canonical_unit="1", dimension="count", **common)
    if second is None and info.dimension in ("percent", "ratio", "money"):
        kind = info.dimension
    return Quantity(kind=kind, status="parsed", unit=info.symbol, canonical_value=value * factor,
                    canonical_value_high=high * factor if high is not None else None,
                    canonical_unit=info.canonical, dimension=info.dimension, **common)


# ---------------------------------------------------------------------------------------------
# Entry point


def parse_cell(text: str, header_unit: str | None = None, *, expect: str | None = None) -> Quantity:
    """Parse one cell. Never raises. `header_unit` is the unit from the column header
    (`TDP (W)`) applied to bare numbers. `expect` is the dimension the column's attribute
    holds, when known: a bare 2048 is a year only when `expect` is None, "year" or "date"."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if header_unit is not None and not isinstance(header_unit, str):
        header_unit = str(header_unit)
    try:
        return _parse(text, header_unit or None, expect)
    except Exception as exc:   # a bug must not stop a whole run; the reason says where it was
        return Quantity(raw=text, kind="text", status="unparseable", text=text,
                        reason=f"internal error: {type(exc).__name__}: {exc}")


# `2路32核`, `2路*12核`, `2x 32-core`, `2 × 24 cores`: sockets times cores per socket, a core count.
_SOCKETS_TIMES_CORES = re.compile(
    r"\s*(?P<n>\d{1,2})\s*(?:路|颗|sockets?\s*[x×*]?|[x×*])\s*\*?\s*(?P<m>\d{1,3})\s*"
    r"(?:核(?!心数)|-?cores?(?![A-Za-z]))", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def _parse(raw: str, header_unit: str | None, expect: str | None) -> Quantity:
    product = _SOCKETS_TIMES_CORES.match(raw)
    if product is not None:
        # Read as the same cell with the product written out (`64 cores，EPYC 7452 …`), so the
        # rest of the cell is read as it would be; positions after it are shifted back.
        written = f"{int(product['n']) * int(product['m'])} cores"
        q = _parse(written + raw[product.end():], header_unit, expect)
        delta = product.end() - len(written)
        start = q.token_start + delta if q.token_start is not None and q.token_start >= len(written) else q.token_start
        return replace(q, raw=raw, token_start=start)
    t = _normalise(raw)
    whole = _whole_cell(t.s, raw, expect)
    if whole is None and (m := _TRAILING_PAREN.fullmatch(t.s)):
        whole = _whole_cell(m.group("core"), raw, expect, outer=m.group("inner").strip() or None)
    if whole is not None:
        return whole
    own = _PAREN_UNIT.fullmatch(t.s)
    if own is not None and _is_unit(own.group("unit")):
        # The cell's own unit beats the header's: `280.1(TB)` under `Memory (GB)` is 280.1 TB.
        inner = _parse(f"{own.group('number')} {own.group('unit')}", None, expect)
        if inner.status == "parsed":
            return replace(inner, raw=raw)
    try:
        numeric = _numeric(t, header_unit, expect)
        if numeric is None:
            numeric = _after_lead_words(t, header_unit, expect)
    except _Unparseable as exc:
        return Quantity(raw=raw, kind="text", status="unparseable", text=t.s, reason=exc.reason,
                        token=exc.token, token_start=t.raw_offset(exc.start))
    except _Prose:
        numeric = None
    if numeric is not None and "|" in t.s:
        return _piped(t)
    return numeric or Quantity(raw=raw, kind="text", status="text", text=t.s)


def _piped(t: _Text) -> Quantity:
    """A number with a pipe in its cell (`900\\|000`, an escaped table separator): the pipe
    splits what a reader may see as one figure, so no part of it is read as the number."""
    at = t.s.index("|")
    return Quantity(raw=t.raw, kind="text", status="unparseable", text=t.s, token="|",
                    token_start=t.raw_offset(at),
                    reason=f"a pipe | inside the cell `{t.s}` (an escaped table separator?): "
                           f"it splits the figure, so the cell is not read as a number")


def _whole_cell(s: str, raw: str, expect: str | None, outer: str | None = None) -> Quantity | None:
    """Forms recognised on the whole cell: missing, same, status, dates and qualified years.
    `outer` is a trailing parenthesis already taken off ("TBD (2026)", "Q4 2025 (planned)")."""
    key = s.casefold()
    if key in MISSING_WORDS:
        return Quantity(raw=raw, kind="missing", status="missing", text=s or None, qualifier=outer)
    if key in SAME_WORDS:
        return Quantity(raw=raw, kind="same", status="parsed", text=s, qualifier=outer)
    status = _status(s) if s else None
    if status is not None:
        return Quantity(raw=raw, kind="status", status="parsed", text=status[0],
                        qualifier=_join(status[1], outer))
    return _date(s, raw, expect, outer)


def _after_lead_words(t: _Text, header_unit: str | None, expect: str | None) -> Quantity | None:
    """"TSMC 5nm", "H100 80GB", "同比 +76%": words before a measured figure qualify it. Only a
    unit-bearing reading counts, so "Llama 2" and "GPT-4 1T" stay text."""
    m = _LEAD_WORDS.match(t.s)
    if m is None:
        return None
    q = _numeric(t, header_unit, expect, start=m.end())
    if q is None or q.status != "parsed" or q.dimension not in LEAD_DIMENSIONS:
        return None
    return replace(q, qualifier=_join(m.group("lead").strip(), q.qualifier))
