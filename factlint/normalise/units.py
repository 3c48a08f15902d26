"""The unit table (factlint/vocab/units.yaml): spellings -> unit, dimension, factor to canonical.

Parsing never imports pint: every known unit carries a factor precomputed from pint, and a test
checks each factor against pint. pint is loaded lazily (0.4 s import + 0.15 s registry), only by
`convert` for a unit expression outside the table and by `pint_factor` in that test.
"""
from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from factlint.errors import ConfigError

UNITS_PATH = Path(__file__).resolve().parent.parent / "vocab" / "units.yaml"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True, slots=True)
class UnitInfo:
    symbol: str                      # the normalised spelling a claim carries ("PFLOPS", "mm²", "cores")
    dimension: str                   # compute, information, bandwidth, ..., count, money, percent, ratio
    canonical: str                   # the dimension's canonical unit (each currency is its own)
    factor: float                    # value in `symbol` x factor = value in `canonical`
    pint: str | None                 # pint expression (checked against `factor` by the tests)
    spellings: tuple[str, ...]       # symbol first, then every alias
    prefixes: tuple[str, ...] = ()   # spellings that may precede the number ("$", "USD")


@dataclass(frozen=True, slots=True)
class Dimension:
    name: str
    canonical: str | None            # None for money: the currency is the canonical unit
    pint: str | None


@dataclass(frozen=True)
class UnitTable:
    units: tuple[UnitInfo, ...]
    dimensions: Mapping[str, Dimension]
    magnitudes: Mapping[str, float]
    pint_definitions: tuple[str, ...]
    by_spelling: Mapping[str, UnitInfo] = field(repr=False)
    by_folded: Mapping[str, tuple[tuple[str, UnitInfo], ...]] = field(repr=False)  # casefold -> (spelling, unit)
    magnitudes_folded: Mapping[str, float] = field(repr=False)
    # dimension -> {token: unit}: spellings that name a unit only where that dimension is expected
    # (`8 PF` in a compute column is 8 PFLOPS; elsewhere PF stays unknown)
    shorthands: Mapping[str, Mapping[str, UnitInfo]] = field(default_factory=dict, repr=False)
    # dimension -> words that, right after a shorthand, say its dimension (`64G内存`: G is GB)
    shorthand_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)


# ---------------------------------------------------------------------------------------------
# Loading


def _char_normal(ch: str) -> str:
    if ch in SUPERSCRIPT_DIGITS:     # NFKC would turn mm² into mm2 and a footnote ¹ into 1
        return ch
    if ch in _CHAR_FIXES:
        return _CHAR_FIXES[ch]
    return unicodedata.normalize("NFKC", ch)


# Characters NFKC leaves alone but notes use interchangeably.
_CHAR_FIXES = {
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\ufe63": "-",   # minus, hyphens
    "\u301c": "~", "\u223c": "~",                                              # wave dash, tilde operator
    "\ufe0f": "", "\ufe0e": "", "\u200b": "", "\u200d": "", "\ufeff": "",      # selectors, zero widths
}
# Invisible format characters (Unicode category Cf): a soft hyphen, a word joiner or a direction
# mark inside `1\u20604nm` must not hide the 14 nm a reader sees. Dropped; the `invisible-character`
# rule reports the cell.
INVISIBLE = "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" \
            "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff"
_CHAR_FIXES.update({ch: "" for ch in INVISIBLE})
# Vulgar fractions with an exact decimal are read as one (`½T` is 0.5 T, `2½` is 2.5); NFKC would
# make `½` into `1⁄2`, read as 1. Others (⅓) stay `1⁄3`, which the parser refuses to read.
_CHAR_FIXES.update({"½": ".5", "¼": ".25", "¾": ".75", "⅛": ".125", "⅜": ".375", "⅝": ".625",
                    "⅞": ".875", "⅕": ".2", "⅖": ".4", "⅗": ".6", "⅘": ".8", "⅒": ".1"})


@functools.lru_cache(maxsize=4096)
def normal_char(ch: str) -> str:
    """One character as the parser sees it: NFKC (full-width digits and punctuation become ASCII)
    except superscript digits, plus the dash and tilde look-alikes."""
    return _char_normal(ch)


def normal_text(text: str) -> str:
    return text if text.isascii() else "".join(normal_char(c) for c in text)


_NOT_PLAIN_NFKC = re.compile(f"[{SUPERSCRIPT_DIGITS}{''.join(_CHAR_FIXES)}]")


def normal_text_aligned(text: str) -> str | None:
    """`normal_text(text)` when it keeps every character in place (one in, one out, as for
    full-width digits and CJK), else None: the caller then maps offsets character by character."""
    if text.isascii():
        return text
    if _NOT_PLAIN_NFKC.search(text):
        return None
    normal = unicodedata.normalize("NFKC", text)
    return normal if len(normal) == len(text) else None


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"units.yaml: {where} must be a finite number, got {value!r}")
    return float(value)


def load_unit_table(path: Path = UNITS_PATH) -> UnitTable:
    """Read and check the unit table. A broken table is a ConfigError, never a silent pass."""
    import yaml   # deferred: only the first parse pays for it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read unit table {path}: {exc}") from exc
    if not isinstance(data, dict) or not {"dimensions", "units", "magnitudes"} <= data.keys():
        raise ConfigError(f"{path}: needs `dimensions`, `units` and `magnitudes`")
    dimensions = {name: Dimension(name, (d or {}).get("canonical"), (d or {}).get("pint"))
                  for name, d in data["dimensions"].items()}
    units: list[UnitInfo] = []
    by_spelling: dict[str, UnitInfo] = {}
    for entry in data["units"]:
        symbol = str(entry.get("symbol", ""))
        dim = dimensions.get(entry.get("dimension"))
        if not symbol or dim is None:
            raise ConfigError(f"{path}: unit {entry!r} needs a symbol and a known dimension")
        canonical = entry.get("canonical") or dim.canonical
        if canonical is None:
            raise ConfigError(f"{path}: unit {symbol!r} of dimension {dim.name} needs `canonical`")
        spellings = (symbol, *(str(a) for a in entry.get("aliases") or ()))
        info = UnitInfo(symbol=symbol, dimension=dim.name, canonical=str(canonical),
                        factor=_number(entry.get("factor"), f"factor of {symbol}"),
                        pint=entry.get("pint"), spellings=spellings,
                        prefixes=tuple(str(p) for p in entry.get("prefixes") or ()))
        if info.factor <= 0:
            raise ConfigError(f"{path}: factor of {symbol!r} must be positive")
        for spelling in spellings:
            if spelling in by_spelling:
                raise ConfigError(f"{path}: spelling {spelling!r} names both "
                                  f"{by_spelling[spelling].symbol!r} and {symbol!r}")
            by_spelling[spelling] = info
        units.append(info)
    for info in units:
        base = by_spelling.get(info.canonical)
        if base is None or base.factor != 1.0 or base.dimension != info.dimension:
            raise ConfigError(f"{path}: canonical unit {info.canonical!r} of {info.symbol!r} must be a "
                              f"unit of dimension {info.dimension} with factor 1")
    magnitudes = {str(k): _number(v, f"magnitude {k}") for k, v in data["magnitudes"].items()}
    shorthands: dict[str, dict[str, UnitInfo]] = {}
    for dim_name, entries in (data.get("shorthands") or {}).items():
        if dim_name not in dimensions or not isinstance(entries, dict):
            raise ConfigError(f"{path}: shorthands need a known dimension and a mapping, got {dim_name!r}")
        for token, symbol in entries.items():
            target = by_spelling.get(str(symbol))
            if target is None or target.dimension != dim_name:
                raise ConfigError(f"{path}: shorthand {token!r} must name a unit of dimension "
                                  f"{dim_name}, got {symbol!r}")
            if str(token) in by_spelling:
                raise ConfigError(f"{path}: shorthand {token!r} is already a spelling of "
                                  f"{by_spelling[str(token)].symbol!r}")
            shorthands.setdefault(dim_name, {})[str(token)] = target
    words: dict[str, tuple[str, ...]] = {}
    for dim_name, entries in (data.get("shorthand_words") or {}).items():
        if dim_name not in shorthands or not isinstance(entries, list) or not all(isinstance(w, str) and w for w in entries):
            raise ConfigError(f"{path}: shorthand_words need a dimension with shorthands and a list of "
                              f"words, got {dim_name!r}")
        words[dim_name] = tuple(entries)
    folded: dict[str, list[tuple[str, UnitInfo]]] = {}
    for spelling, info in by_spelling.items():
        folded.setdefault(spelling.casefold(), []).append((spelling, info))
    return UnitTable(
        units=tuple(units), dimensions=dimensions, magnitudes=magnitudes,
        pint_definitions=tuple(data.get("pint_definitions") or ()),
        by_spelling=by_spelling, by_folded={k: tuple(v) for k, v in folded.items()},
        magnitudes_folded={k.casefold(): v for k, v in magnitudes.items() if len(k) >= 3},
        shorthands=shorthands, shorthand_words=words,
    )


@functools.cache
def unit_table() -> UnitTable:
    return load_unit_table()


# ---------------------------------------------------------------------------------------------
# Lookup


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """How a written token was read: `exact` False means only the letter case differed."""
    info: UnitInfo
    written: str
    exact: bool = True
    alternatives: tuple[str, ...] = ()   # other symbols the token could mean when case is ignored


def _case_agreement(token: str, spelling: str) -> int:
    return sum(a == b for a, b in zip(token, spelling))


@functools.lru_cache(maxsize=2048)
def match_unit(token: str) -> UnitMatch | None:
    """Exact spelling; else a spelling that differs only in letter case (two letters or more:
    `KW` -> kW, `mb` -> Mb, preferring the spelling whose letters agree most in case, so a
    lower-case `b` reads as bit); else a compound `X/Y` of two known units (`TFLOPS/W`)."""
    table = unit_table()
    token = normal_text(token).strip()
    info = table.by_spelling.get(token)
    if info is not None:
        return UnitMatch(info, token)
    candidates = table.by_folded.get(token.casefold(), ()) if len(token) >= 2 else ()
    if candidates:
        ranked = sorted(candidates, key=lambda c: -_case_agreement(token, c[0]))
        best = ranked[0][1]
        others = tuple(dict.fromkeys(i.symbol for _, i in ranked[1:] if i.symbol != best.symbol))
        return UnitMatch(best, token, exact=False, alternatives=others)
    if "/" in token.strip("/"):
        left, _, right = token.rpartition("/")
        a, b = match_unit(left), match_unit(right)
        if a and b and a.info.dimension not in ("money",) and b.info.dimension != "count":
            return UnitMatch(_compound(a.info, b.info), token, exact=a.exact and b.exact)
    return None


@functools.cache
def _shorthand_words() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((dim, re.compile(r"\s?(?:" + "|".join(map(re.escape, sorted(ws, key=len, reverse=True))) + ")",
                                  re.IGNORECASE))
                 for dim, ws in unit_table().shorthand_words.items())


def shorthand_by_word(token: str, text: str, pos: int) -> UnitMatch | None:
    """A shorthand whose dimension the next word names (`64G内存`, `128G DDR4`: G is GB), or None."""
    for dimension, words in _shorthand_words():
        if words.match(text, pos) and (found := match_shorthand(token, dimension)) is not None:
            return found
    return None


def match_shorthand(token: str, dimension: str | None) -> UnitMatch | None:
    """A shorthand that names a unit only where `dimension` is expected (exact letters):
    `match_shorthand("PF", "compute")` is PFLOPS, `match_shorthand("PF", None)` is None."""
    if not dimension or not token:
        return None
    token = normal_text(token).strip()
    info = unit_table().shorthands.get(dimension, {}).get(token)
    return UnitMatch(info, token) if info is not None else None


def _compound(a: UnitInfo, b: UnitInfo) -> UnitInfo:
    return UnitInfo(symbol=f"{a.symbol}/{b.symbol}", dimension=f"{a.dimension}/{b.dimension}",
                    canonical=f"{a.canonical}/{b.canonical}", factor=a.factor / b.factor,
                    pint=f"({a.pint}) / ({b.pint})" if a.pint and b.pint else None,
                    spellings=(f"{a.symbol}/{b.symbol}",))


def lookup_unit(token: str, *, strict: bool = False) -> UnitInfo | None:
    """The unit a token names (symbol, canonical unit, factor, dimension), or None.
    `strict=True` accepts only exact spellings, so `lookup_unit("KW", strict=True)` is None
    while `lookup_unit("KW")` is kW."""
    if not token:
        return None
    found = match_unit(token)
    if found is None or (strict and not found.exact):
        return None
    return found.info


def case_variants(token: str) -> tuple[str, ...]:
    """Known unit symbols spelled like `token` except for letter case, the token's own unit
    excluded: `KW` -> ("kW",), `Gb` -> ("GB",), `mb` -> ("Mb", "MB"), `GB` -> ("Gb",)."""
    table = unit_table()
    token = normal_text(token or "").strip()
    own = table.by_spelling.get(token)
    found = sorted(table.by_folded.get(token.casefold(), ()), key=lambda c: -_case_agreement(token, c[0]))
    return tuple(dict.fromkeys(i.symbol for _, i in found if i is not own))


def units_of(dimension: str) -> tuple[UnitInfo, ...]:
    return tuple(u for u in unit_table().units if u.dimension == dimension)


def magnitude(word: str) -> float | None:
    """Number words and suffixes: K/k/M/B/T, Bn, million, 万, 亿, 万亿 ... (letters exactly,
    words of three letters or more in any case)."""
    table = unit_table()
    return table.magnitudes.get(word) or table.magnitudes_folded.get(word.casefold())


# ---------------------------------------------------------------------------------------------
# Suggestions for unknown tokens


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and adjacent
    transpositions (TFOLPS -> TFLOPS is one edit)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@functools.lru_cache(maxsize=1024)
def suggest_unit(token: str, dimension: str | None = None) -> str | None:
    """The known unit closest to an unknown token (PLOPS -> PFLOPS, TFOLPS -> TFLOPS,
    GFLOP -> GFLOPS), or None when nothing is close: at most one edit for tokens of up to
    six letters, two for longer ones, ignoring case; never for one-letter tokens. Ties prefer
    the given dimension, then the more similar spelling."""
    token = normal_text(token or "").strip()
    if len(token) < 2 or not token.isascii():
        return None
    if (known := lookup_unit(token)) is not None:
        return known.symbol
    key = token.casefold()
    limit = 1 if len(token) <= 6 else 2
    best: tuple | None = None
    for spelling, info in unit_table().by_spelling.items():
        if not spelling.isascii() or abs(len(spelling) - len(token)) > limit or len(spelling) < 2:
            continue
        d = _edit_distance(key, spelling.casefold())
        if d > limit:
            continue
        similarity = difflib.SequenceMatcher(None, key, spelling.casefold()).ratio()
        rank = (d, dimension is not None and info.dimension != dimension, -similarity,
                spelling != info.symbol)
        if best is None or rank < best[0]:
            best = (rank, info.symbol)
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------
# Conversion and formatting


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """`value` in `from_unit` expressed in `to_unit`. Table units convert by their factors;
    anything else goes through pint (loaded on first use). Raises ValueError for units of
    different dimensions, different currencies, or units neither knows."""
    a, b = lookup_unit(from_unit), lookup_unit(to_unit)
    if a is not None and b is not None:
        if a.dimension != b.dimension or a.canonical != b.canonical:
            raise ValueError(f"cannot convert {from_unit} ({a.dimension}, {a.canonical}) to "
                             f"{to_unit} ({b.dimension}, {b.canonical})")
        return value * (a.factor / b.factor)
    source = a.pint if a is not None and a.pint else from_unit
    target = b.pint if b is not None and b.pint else to_unit
    return value * pint_factor(source, target)


def _decimals_needed(value: float) -> int:
    for d in range(0, 13):
        if abs(round(value, d) - value) <= 1e-9 * max(1.0, abs(value)):
            return d
    return 12


def format_number(value: float, decimals: int | None = None, *, grouping: bool = False) -> str:
    d = _decimals_needed(value) if decimals is None else max(0, int(decimals))
    text = f"{value:,.{d}f}" if grouping else f"{value:.{d}f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def _currency_sign(info: UnitInfo) -> str | None:
    return next((p for p in info.prefixes if not p.isalnum()), None)


def format_quantity(value: float, unit: str | None = None, decimals: int | None = None, *,
                    grouping: bool = False) -> str:
    """A value the way a note writes it: "128 PFLOPS", "46225 mm²", "40%", "57x", "$2000000",
    "¥100000". `decimals=None` shows as many decimals as the value needs; `grouping` adds
    thousands separators. Unknown units are written after the number as given."""
    number = format_number(value, decimals, grouping=grouping)
    info = lookup_unit(unit) if unit else None
    symbol = info.symbol if info is not None else unit
    if not symbol or symbol == "1":
        return number
    if info is not None and info.dimension == "money" and (sign := _currency_sign(info)):
        return f"-{sign}{number[1:]}" if number.startswith("-") else f"{sign}{number}"
    if symbol in ("%", "x"):
        return f"{number}{symbol}"
    return f"{number} {symbol}"


_PREFIX_WORDS = re.compile(r"^(?:kilo|mega|giga|tera|peta|exa|kibi|mebi|gibi|tebi|pebi|milli|micro|"
                           r"nano|centi)")


def _family(info: UnitInfo) -> str:
    """Units that differ only by an SI/binary prefix share a family (bytes vs bits, FLOPS vs OPS)."""
    return _PREFIX_WORDS.sub("", info.pint or info.symbol)


def best_unit(canonical_value: float, dimension: str, like: str | None = None) -> str | None:
    """The unit a reader would use for a canonical value: the largest prefix that keeps the
    number at or above 1 (1.28e17 FLOP/s -> "PFLOPS", 172800 s -> "day"), in the family of
    `like` when given (bits stay bits, GiB stays binary). Counts, percent and ratios keep their
    canonical unit, money its currency (`like`); None for an unknown dimension."""
    table = unit_table()
    dim = table.dimensions.get(dimension)
    anchor = lookup_unit(like) if like else None
    if anchor is None or anchor.dimension != dimension:
        anchor = lookup_unit(dim.canonical) if dim is not None and dim.canonical else None
    if anchor is None or dimension in ("count", "money", "percent", "ratio"):
        return anchor.symbol if anchor is not None else None
    family = [u for u in units_of(dimension) if dimension == "time" or (
        _family(u) == _family(anchor) and ("bi" in (u.pint or "")) == ("bi" in (anchor.pint or "")))]
    family.sort(key=lambda u: u.factor)
    fitting = [u for u in family if u.factor <= abs(canonical_value)]
    return (fitting[-1] if fitting else family[0]).symbol


# ---------------------------------------------------------------------------------------------
# pint: only on a cache miss (conversions outside the table, and the table's own test)


def _pint_lines(pint_dir: Path, name: str) -> list[str]:
    lines: list[str] = []
    for line in (pint_dir / name).read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("@import"):
            lines.extend(_pint_lines(pint_dir, stripped.split()[1]))
        elif stripped.startswith("bit = "):
            continue                 # redefined by units.yaml (information, not dimensionless)
        else:
            lines.append(line)
    return lines


@functools.cache
def pint_registry():
    """pint's default registry with units.yaml's definitions (bit is [information], FLOP and
    currencies are their own dimensions). Built once per process, only when asked for."""
    import pint

    pint_dir = Path(pint.__file__).parent
    registry = pint.UnitRegistry(None, on_redefinition="raise")
    registry.load_definitions(_pint_lines(pint_dir, "default_en.txt") + list(unit_table().pint_definitions))
    registry._build_cache()
    return registry


@functools.lru_cache(maxsize=1024)
def pint_factor(source: str, target: str) -> float:
    """How many `target` one `source` is, by pint. ValueError when pint cannot say."""
    import pint

    registry = pint_registry()
    try:
        return float(registry.Quantity(1.0, source).to(target).magnitude)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, AssertionError) as exc:
        raise ValueError(f"cannot convert {source!r} to {target!r}: {exc}") from exc


# ---------------------------------------------------------------------------------------------
# The table as a frame (validated by schemas.units.UnitsSchema)


def units_frame(table: UnitTable | None = None):
    """One row per spelling: spelling, symbol, dimension, canonical, factor, pint, is_symbol."""
    import pandas as pd

    table = table or unit_table()
    rows = [{"spelling": s, "symbol": u.symbol, "dimension": u.dimension, "canonical": u.canonical,
             "factor": u.factor, "pint": u.pint, "is_symbol": s == u.symbol}
            for u in table.units for s in u.spellings]
    return pd.DataFrame(rows, columns=["spelling", "symbol", "dimension", "canonical", "factor",
                                       "pint", "is_symbol"])
