"""A unit written wrongly: a misspelt unit (`PLOPS`), a letter case that changes its meaning (`KW`), or one unit spelt several ways.

## What it does
Checks the unit written in every numeric cell, three ways:
- **Unknown unit close to a known one**: `PLOPS` (PFLOPS), `TFOLPS` (TFLOPS), `GFLOP/S`
  at most one edit away (two for long units) from a known unit of the dimension the cell
  should have (its attribute's, or the one the other cells of its column have).
- **Letter case that changes the meaning**: `KW` (kelvin-watt; kilowatt is `kW`), `mb`
  (millibit), and bits where the attribute is a capacity in bytes (`80 Gb` of memory: 10 GB).
- **One unit spelt several ways in a note** (`TFLOPS`, `Tflops`, `TFLOP/s`): the minority
  spellings get an info finding that points to the majority spelling.
A unit given once in a column header (`TDP (KW)`) is judged once, at the header.

## Why is this bad?
A misspelt unit is not a unit: the cell drops out of every unit-aware check (totals, ratios,
reference values), and the reader has to guess. A case error is worse: `Gb` is a gigabit,
eight times smaller than `GB`, and `mW` is a milliwatt. Mixed spellings make a note hard to
search and suggest figures copied from different sources.

## Example
| 产品 | 算力 | 功耗 |
|------|------|------|
| WSE-2 | 4 PLOPS | 20KW |
| WSE-3 | 125 TFOLPS | 15kW |

Use instead:
| 产品 | 算力 | 功耗 |
|------|------|------|
| WSE-2 | 4 PFLOPS | 20kW |
| WSE-3 | 125 TFLOPS | 15kW |

## Fix
Replaces the unit in the cell text (`8 PLOPS` -> `8 PFLOPS`). The fix is safe when exactly one
known unit of the expected dimension is that close (after preferring units that keep the
token's SI prefix letter: `PLOPS` is `PFLOPS`, not `FLOPS`); otherwise it is unsafe, and when
two candidates are equally close there is no fix. Case errors and minority spellings are
fixed to the canonical / majority spelling (safe).
"""
from __future__ import annotations

import difflib
import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterator

from factlint.document import Document
from factlint.findings import Applicability, Finding, Fix, Location, Severity
from factlint.normalise.quantity import parse_cell, split_header_unit
from factlint.normalise.units import _edit_distance, lookup_unit, match_shorthand, match_unit, unit_table
from factlint.rules import rule
from factlint.rules._context import claim_location

Claim = dict

# Dimensions whose units are symbols a typo can hit; counts, money, percent, ratios have none.
MEASURED = {"compute", "information", "bandwidth", "transfer_rate", "power", "energy", "frequency",
            "length", "area", "time"}
SI_PREFIX_LETTERS = set("kKMGTPEmunμp")
CJK_START = 0x2E80   # first code point of the CJK blocks: 千瓦, 个月 are words, not symbols
# The unit written after the (first) number of a cell: "8 PLOPS" -> PLOPS, "46225mm²" -> mm².
_WRITTEN = re.compile(
    r"^[^\d]*?\d[\d,]*(?:\.\d+)?(?:\s*(?:-|–|—|~|～|至|to)\s*\d[\d,]*(?:\.\d+)?)?\s*"
    r"(?P<unit>[A-Za-zµμΩ°][A-Za-z0-9µμΩ²³^/·*]*)")

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error


def written_unit(raw: str) -> str | None:
    m = _WRITTEN.match(raw or "")
    return m.group("unit") if m else None


def _replace_token(raw: str, token: str, replacement: str) -> str | None:
    """The cell text with `token` (as a whole word) replaced once, or None if it is not there."""
    m = re.search(rf"(?<![A-Za-z]){re.escape(token)}(?![A-Za-z])", raw)
    return None if m is None else raw[:m.start()] + replacement + raw[m.end():]


@dataclass(frozen=True, slots=True)
class Candidate:
    symbol: str
    dimension: str
    factor: float
    distance: int
    similarity: float


@functools.lru_cache(maxsize=1024)
def close_units(token: str) -> tuple[Candidate, ...]:
    """Known unit symbols (of measured dimensions: counting words such as `racks` are not
    symbols a typo hits) near `token`, ignoring case; one entry per unit at its closest
    spelling, closest and most similar first. How near depends on the token's length:
    - two letters: only a case difference (`4NP` is a process name, not `4nm`);
    - three to five: one letter added, dropped or swapped with its neighbour (`PLOPS`), never
      replaced (`FPS`, `tok/s` are units of their own, not `OPS`, `TOPS`);
    - six: any one edit (`TFOLPS`); seven or more: two."""
    key = token.casefold()
    limit = 0 if len(token) <= 2 else 1 if len(token) <= 6 else 2
    best: dict[str, Candidate] = {}
    for spelling, info in unit_table().by_spelling.items():
        if info.dimension not in MEASURED or len(spelling) < 2 or not spelling.isascii() or \
                abs(len(spelling) - len(token)) > limit:
            continue
        folded = spelling.casefold()
        d = _edit_distance(key, folded)
        if d > limit or (len(token) <= 5 and d == 1 and _replaces_a_letter(key, folded)):
            continue
        similarity = difflib.SequenceMatcher(None, key, info.symbol.casefold()).ratio()
        old = best.get(info.symbol)
        if old is None or d < old.distance:
            best[info.symbol] = Candidate(info.symbol, info.dimension, info.factor, d, similarity)
    return tuple(sorted(best.values(), key=lambda c: (c.distance, -c.similarity, c.symbol)))


def _replaces_a_letter(a: str, b: str) -> bool:
    """One edit apart by replacing a letter: same length and not a swap of neighbours."""
    return len(a) == len(b) and sorted(a) != sorted(b)


def choose(token: str, candidates: tuple[Candidate, ...], expected: set[str]) -> tuple[Candidate | None, bool]:
    """(the best candidate or None when two are equally good, whether it is certain).
    Candidates of the expected dimension win; among them those keeping the token's SI prefix
    letter (PLOPS -> PFLOPS, not FLOPS); then the fewest edits, then the most similar spelling.
    Certain: the expected dimension is known and every candidate left means the same quantity
    (PLOPS is one edit from both PFLOPS and POPS, which the unit table counts alike)."""
    fitting = [c for c in candidates if c.dimension in expected]
    pool = fitting or candidates
    if token[:1] in SI_PREFIX_LETTERS:
        pool = [c for c in pool if c.symbol[:1].casefold() == token[:1].casefold()] or pool
    if not pool:
        return None, False
    best = pool[0]
    tied = [c for c in pool[1:] if (c.distance, c.similarity) == (best.distance, best.similarity)]
    if tied:
        return None, False
    same = all(c.dimension == best.dimension and c.factor == best.factor for c in pool)
    return best, bool(fitting) and same


@dataclass(frozen=True, slots=True)
class Verdict:
    """What is wrong with one written unit, and what it should be."""
    written: str
    message: str          # "is not a unit; did you mean PFLOPS?"
    evidence: str
    target: str | None    # the unit to write instead; None when two are equally likely
    safe: bool


def _one_letter_b(written: str) -> bool:
    """`Gb`, `Gib`, `b`: a bit written as the one letter that a byte's B differs from by case.
    `bit`, `Gbit`, `位` are bits on purpose (`5120 bit` is a memory bus width)."""
    return written.strip().endswith("b")


def judge_unit(written: str, expected: set[str], attribute) -> Verdict | None:
    """None when `written` is a correctly written unit (or not a unit-like token at all)."""
    match = match_unit(written)
    if match is None and _plural_of_unit(written) and "bandwidth" not in expected:
        return None    # `GiBs`, `GBs`: a unit in the plural, as people write it in headers
    if match is None:
        if (shorthand := _shorthand(written, expected, attribute)) is not None:
            return shorthand if isinstance(shorthand, Verdict) else None
        return _unknown(written, expected, attribute)
    symbol = match.info.symbol
    if attribute is not None and attribute.dimension == "information" and _is_bits(symbol) \
            and _one_letter_b(written):
        target = _bytes_for(symbol)
        if target is None:
            return None
        return Verdict(written, f"should be written {target}: its letter case changes the meaning.",
                       f"{written} counts bits (1 {symbol} = 1/8 {target}), but {attribute.name} "
                       f"is a capacity in bytes", target, True)
    if not match.exact and _prefix_case_differs(written, symbol):
        meant = " or ".join((symbol, *match.alternatives))
        return Verdict(written, f"should be written {meant}: its letter case changes the meaning.",
                       f"{written[0]} is not the prefix of {symbol}; read with its case, {written} "
                       f"is not {symbol}", symbol, not match.alternatives)
    return None


def _plural_of_unit(token: str) -> bool:
    """`GiBs`, `TBs`: a known unit with a plural s (a rate is written with /s, never glued)."""
    if len(token) < 3 or not token.endswith("s"):
        return False
    singular = match_unit(token[:-1])
    return singular is not None and singular.exact and singular.info.dimension == "information"


def _shorthand(token: str, expected: set[str], attribute) -> Verdict | bool | None:
    """`PF`, `EF`, `TF` are compute shorthands (units.yaml `shorthands`): accepted (True) where
    the attribute measures compute, since the cell was read as PFLOPS; where only the column's
    other cells say compute, the cell was left unknown and the full unit is suggested (unsafe).
    None when the token is no shorthand of an expected dimension."""
    if attribute is not None and match_shorthand(token, attribute.dimension) is not None:
        return True
    for dimension in sorted(expected):
        if (found := match_shorthand(token, dimension)) is not None:
            return Verdict(token, f"is shorthand for {found.info.symbol}; write the unit in full.",
                           f"{token} names {found.info.symbol} only in {dimension} columns; this "
                           f"cell's attribute is not known to be {dimension}",
                           found.info.symbol, False)
    return None


def _unknown(token: str, expected: set[str], attribute) -> Verdict | None:
    if len(token) < 2 or not token.isascii() or not any(ch.isalpha() for ch in token):
        return None    # CJK words and symbols are the normaliser's vocabulary, not typos
    if attribute is not None and attribute.dimension == "count":
        return None    # `132 SMs`, `304 CUs`: the word names what is counted, it is no unit
    candidates = close_units(token)
    if attribute is not None and attribute.dimension in MEASURED and \
            not any(c.dimension == attribute.dimension for c in candidates):
        return None    # near no unit of what the attribute measures: a name or a word, not a typo
    best, certain = choose(token, candidates, expected)
    if best is None:
        if not candidates:
            return None
        names = " or ".join(c.symbol for c in candidates[:3])
        return Verdict(token, f"is not a unit; did you mean {names}?",
                       f"{token} is as close to {names}", None, False)
    expected_text = f"; {'/'.join(sorted(expected))} expected here" if expected else ""
    return Verdict(token, f"is not a unit; did you mean {best.symbol}?",
                   f"{token} is {best.distance} edit{'s' if best.distance != 1 else ''} from "
                   f"{best.symbol} ({best.dimension}){expected_text}", best.symbol, certain)


def _fix(text: str, verdict: Verdict) -> Fix | None:
    if verdict.target is None or (replacement := _replace_token(text, verdict.written, verdict.target)) is None:
        return None
    return Fix(replacement, f"Replace `{verdict.written}` with `{verdict.target}`",
               Applicability.SAFE if verdict.safe else Applicability.UNSAFE, text)


@functools.lru_cache(maxsize=8192)
def _written(raw: str) -> str | None:
    """The unit as written in the cell itself (never the header's), when it is there verbatim."""
    written = getattr(parse_cell(raw), "unit_written", None) or written_unit(raw)
    return written if written and _replace_token(raw, written, written) is not None else None


@rule("unit-spelling", severity=Severity.WARNING, fixable=True, tags=("format",))
def unit_spelling(doc: Document, ctx) -> Iterator[Finding]:
    yield from _header_units(doc, ctx)
    measured = [c for c in ctx.facts.claims if c["status"] == "unknown-unit" or
                (c["status"] == "parsed" and c["dimension"] in MEASURED)]
    column_dims: dict = defaultdict(set)
    for c in measured:
        if c["dimension"] is not None:
            column_dims[(c["table"], c["column"])].add(c["dimension"])
    spelt: list[tuple[str, Claim]] = []
    for claim in measured:
        raw = claim["raw"]
        if claim["status"] == "unknown-unit":
            written = claim["token"] if claim["token"] and claim["token"] in raw else None
        else:
            written = _written(raw)
        if not written:
            continue   # no unit in the cell itself: a header unit is judged once, at the header
        attribute = ctx.vocab.attribute(claim["attribute"])
        expected = _expected_dimensions(attribute, claim, column_dims)
        verdict = judge_unit(written, expected, attribute)
        if verdict is None:
            if claim["status"] == "parsed":
                spelt.append((written, claim))
            continue
        yield ctx.finding(claim, f"{written} in “{raw}” {verdict.message}", evidence=verdict.evidence,
                          fix=_fix(raw, verdict), values=[raw, written],
                          data={"written": written, "unit": verdict.target, "expected": sorted(expected)})
    yield from _minority_spellings(ctx, spelt)


def _expected_dimensions(attribute, claim: dict, column_dims: dict) -> set[str]:
    """What the cell should measure: its attribute's dimension, else its column's."""
    if attribute is not None and attribute.dimension in MEASURED:
        return {attribute.dimension}
    return column_dims.get((claim["table"], claim["column"]), set())


def _header_units(doc: Document, ctx) -> Iterator[Finding]:
    """A unit given once in a column header (`TDP (KW)`, `算力 (PLOPS)`) applies to the whole
    column: one finding at the header, with the header text fixed."""
    for table in doc.tables:
        for cell in table.header:
            label, unit = split_header_unit(cell.text)
            if not unit:
                continue
            attribute = ctx.vocab.match_attribute(label) if label else None
            expected = {attribute.dimension} if attribute and attribute.dimension in MEASURED else set()
            verdict = judge_unit(unit, expected, attribute)
            if verdict is None:
                continue
            at = Location(path=doc.path, line=table.header_line, table=table.index, row=None,
                          column=cell.text, column_index=cell.column, text=cell.text)
            yield ctx.finding(at, f"{unit} in the header “{cell.text}” {verdict.message}",
                              evidence=verdict.evidence + "; the header's unit applies to every cell below",
                              fix=_fix(cell.text, verdict), values=[cell.text, unit],
                              attribute=attribute.name if attribute else None,
                              data={"written": unit, "unit": verdict.target})


def _prefix_case_differs(written: str, symbol: str) -> bool:
    """`KW` vs `kW`, `mb` vs `Mb`: the first letter is an SI prefix of the symbol and its case
    differs (k = kilo, K is not a prefix; m = milli, M = mega). `Tflops` vs `TFLOPS` is style."""
    return len(written) == len(symbol) > 1 and written[0] != symbol[0] and \
        written[0].casefold() == symbol[0].casefold() and symbol[0] in SI_PREFIX_LETTERS and \
        lookup_unit(symbol[1:], strict=True) is not None


def _is_bits(symbol: str) -> bool:
    info = lookup_unit(symbol, strict=True)
    return info is not None and info.dimension == "information" and "bit" in (info.pint or "")


def _bytes_for(bits_symbol: str) -> str | None:
    """Gb -> GB, Kb -> kB/KB: the byte unit with the same prefix."""
    bits = lookup_unit(bits_symbol, strict=True)
    if bits is None:
        return None
    for info in unit_table().units:
        if info.dimension == "information" and "bit" not in (info.pint or "") and \
                abs(info.factor - bits.factor * 8) <= 1e-9 * info.factor:
            return info.symbol
    return None


def _minority_spellings(ctx, spelt: list[tuple[str, Claim]]) -> Iterator[Finding]:
    """Within one note, each unit should be written one way (language variants such as 千瓦
    for kW are a choice, not a misspelling: spellings with CJK characters are not compared)."""
    spellings: dict[str, list[tuple[str, Claim]]] = defaultdict(list)
    for written, claim in spelt:
        info = lookup_unit(written) if all(ord(ch) < CJK_START for ch in written) else None
        if info is not None and info.symbol == claim["unit"]:
            spellings[claim["unit"]].append((written, claim))
    for symbol, uses in spellings.items():
        counts = Counter(w for w, _ in uses)
        if len(counts) < 2:
            continue
        ranked = counts.most_common()
        top = [w for w, n in ranked if n == ranked[0][1]]
        majority = symbol if symbol in top else (top[0] if len(top) == 1 else None)
        if majority is None:
            continue
        majority_cells = [claim_location(c, f"spelt {majority}") for w, c in uses if w == majority]
        for written, claim in uses:
            if written == majority:
                continue
            raw = claim["raw"]
            replacement = _replace_token(raw, written, majority)
            yield ctx.finding(
                claim,
                f"{written} in “{raw}” is spelt {majority} elsewhere in this note.",
                evidence=", ".join(f"{w} ×{n}" for w, n in ranked),
                related=majority_cells,
                fix=Fix(replacement, f"Replace `{written}` with `{majority}`", Applicability.SAFE, raw)
                if replacement else None,
                severity=Severity.INFO, values=[raw, written],
                data={"written": written, "majority": majority, "counts": dict(counts)})
