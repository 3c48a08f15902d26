"""One claim against the knowledge base: agree, mismatch, confusion, undisclosed, or no reference.

How a claim meets the reference:
- Candidates are the entity's facts for the claim's attribute and its family (a generic `memory` claim may
  mean on-chip, HBM or external memory; `compute` and `total_compute` are one figure for a cluster),
  restricted to facts whose `context` words the claim's labels carry (a fiscal year for revenue).
- Tolerance: the note's precision (the claim's tolerance, half a unit of its last digit) plus the
  reference's, so "2 PFLOPS" agrees with 1,978.9 TFLOPS. `~` widens by 5 %; `>=` / `50+` and `<=` are
  one-sided. A misspelt unit is read through the closest known unit (8 PLOPS as 8 PFLOPS), and the
  result says so.
- Several qualified variants: the claim agrees when any variant agrees, and the result names it.
- Ranges: a range agrees with a single reference value only when both ends do (Andromeda is 16 nodes,
  not 16-64), and with a reference range when the ends agree.
- Categorical values compare by name (any language alias the fact lists); a year agrees with a
  reference date in that year.
- A fact marked not disclosed / not announced outranks stated facts of no higher confidence (leaks).
- When nothing agrees, a value that matches another attribute of the same entity is a confusion
  (the H100's 80 GB is its HBM, not its on-chip memory); otherwise the closest of the most
  trusted comparable facts is the mismatch.
"""
from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from factlint.claims import claim_rows
from factlint.normalise.units import lookup_unit, suggest_unit
from factlint.normalise.vocab import norm_key
from factlint.reference.kb import Fact, KnowledgeBase, attribute_dimensions

VERDICTS = ("agree", "mismatch", "confusion", "undisclosed", "no_reference")
FAMILIES = {
    "memory": ("memory", "on_chip_memory", "hbm_memory", "external_memory"),
    "compute": ("compute", "total_compute"),
    "total_compute": ("total_compute", "compute"),
    "bandwidth": ("bandwidth", "fabric_bandwidth"),
}
# Dimensions where a value matching another attribute is a telling confusion (not a coincidence of counts).
CONFUSABLE_DIMENSIONS = {"compute", "information", "bandwidth", "power", "length", "area"}
APPROXIMATE_WIDENING = 0.05
# A misspelt unit is read through the closest known one only when the token is long enough for the
# closeness to mean something: "PLOPS" is PFLOPS, but "CS" (in "16 CS-2") is no centimetre.
MIN_MISSPELT_LENGTH = 4
# Binary and decimal prefixes are used interchangeably for memory sizes ("32 GB" for 32 GiB).
BINARY_TO_DECIMAL = {"KiB": "KB", "MiB": "MB", "GiB": "GB", "TiB": "TB", "PiB": "PB"}
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


@dataclass(frozen=True, slots=True)
class Span:
    """A closed interval of values in one canonical unit."""
    low: float
    high: float
    unit: str

    def overlaps(self, other: "Span") -> bool:
        """Share a value. Two spans of precision that only touch do not: "5" (4.5-5.5) and "4"
        (3.5-4.5) are different numbers. Exact values (zero width) may coincide."""
        if self.unit != other.unit:
            return False
        if self.high > self.low and other.high > other.low:
            return self.low < other.high and other.low < self.high
        return self.low <= other.high and other.low <= self.high

    def centre(self) -> float:
        finite = [x for x in (self.low, self.high) if math.isfinite(x)]
        if len(finite) == 2 and finite[0] > 0:
            return math.sqrt(finite[0] * finite[1])
        return sum(finite) / len(finite) if finite else 0.0


@dataclass(frozen=True, slots=True)
class ClaimValue:
    """What a claim states, read for comparison."""
    low: float | None = None            # canonical value(s), before tolerance
    high: float | None = None
    unit: str | None = None             # canonical unit
    tolerance: float = 0.0
    bound: str = "="
    text: str | None = None             # a categorical claim
    reading: str = ""                   # "reading PLOPS as PFLOPS"
    token: str | None = None            # the misspelt unit token, and what it was read as
    suggestion: str | None = None

    @property
    def is_numeric(self) -> bool:
        return self.low is not None

    @property
    def is_range(self) -> bool:
        return self.is_numeric and self.high is not None and self.high - self.low > 2 * self.tolerance

    def span(self, low: float | None = None, high: float | None = None) -> Span:
        return bounded_span(self.low if low is None else low, self.high if high is None else high,
                            self.tolerance, self.bound, self.unit or "")


def bounded_span(low: float, high: float, tolerance: float, bound: str, unit: str) -> Span:
    """[low, high] widened by the precision (and 5 % more for `~`), open-ended for one-sided bounds."""
    if bound == "~":
        tolerance += APPROXIMATE_WIDENING * max(abs(low), abs(high))
    lo, hi = low - tolerance, high + tolerance
    if bound in (">", ">="):
        hi = math.inf
    if bound in ("<", "<="):
        lo = -math.inf
    return Span(lo, hi, unit)


@dataclass(frozen=True)
class MatchResult:
    verdict: str
    fact: Fact | None = None                    # the fact matched, or the best one for a mismatch
    candidates: tuple[Fact, ...] = ()           # every fact considered (after family and context)
    note: str = ""                              # why, in words
    value: ClaimValue | None = None
    others: tuple[Fact, ...] = field(default=())  # other variants worth naming in evidence
    node: str | None = None                     # a cluster's per-node claim, compared as this node system


def family(attribute: str) -> tuple[str, ...]:
    return FAMILIES.get(attribute, (attribute,))


def match_claim(claim: Mapping[str, Any], kb: KnowledgeBase) -> MatchResult:
    entity, attribute = claim_field(claim, "entity"), claim_field(claim, "attribute")
    if not entity or not attribute:
        return MatchResult("no_reference", note="the claim has no entity or attribute")
    if kb.is_cluster(entity) and is_per_node(claim):
        return _per_node(claim, kb, entity)
    value = read_claim(claim)
    pool = [f for a in family(attribute) for f in kb.facts(entity, a)]
    inherited = ""
    if not pool:
        pool, inherited = _from_single_part(kb, entity, attribute)
    labels = _labels(claim) if pool else ""       # no facts: nothing to apply, labels unread
    applicable = [f for f in pool if _applies(f, labels)]
    if not applicable:
        return _confusion(claim, kb, value, exclude=family(attribute)) or _nothing_applies(claim, pool, value)
    if value is None:
        return MatchResult("no_reference", candidates=tuple(applicable), note="the cell states no value to compare")
    stated = [f for f in applicable if f.is_stated]
    withheld = [f for f in applicable if not f.is_stated]
    if withheld and (not stated or _rank(withheld) >= _rank(stated)):
        best = max(withheld, key=lambda f: f.confidence_rank)
        return MatchResult("undisclosed", best, tuple(applicable), value=value, others=tuple(stated),
                           note=f"the reference marks it {best.status.replace('_', ' ')}")
    return _compare(claim, kb, value, stated, tuple(applicable), inherited)


def _nothing_applies(claim, pool: Sequence[Fact], value: ClaimValue | None) -> MatchResult:
    entity, attribute = claim_field(claim, "entity"), claim_field(claim, "attribute")
    if not pool:
        return MatchResult("no_reference", value=value, note=f"no reference for {entity} {attribute}")
    periods = sorted({c for f in pool for c in f.context})
    return MatchResult("no_reference", candidates=tuple(pool), value=value,
                       note=f"the reference gives {attribute} only for {', '.join(periods)}, "
                            "and the claim's labels name none of them")


def _compare(claim, kb: KnowledgeBase, value: ClaimValue, stated: list[Fact], applicable: tuple[Fact, ...],
             inherited: str) -> MatchResult:
    """Agree with any stated variant, else a confusion with another attribute, else the best mismatch."""
    attribute = claim_field(claim, "attribute")
    comparable = [f for f in stated if _comparable(value, f)]
    if not comparable and value.is_numeric and any(f.is_categorical for f in stated) and claim_field(claim, "raw"):
        # "100GbE + SwarmX" parses as a number, but the reference names a network: compare names.
        value = ClaimValue(text=str(claim_field(claim, "raw")))
        comparable = [f for f in stated if _comparable(value, f)]
    agreeing = [f for f in comparable if agrees(value, f)]
    if agreeing:
        best = sorted(agreeing, key=lambda f: (f.attribute != attribute, -f.confidence_rank, f.derived))[0]
        note = f"agrees with {best.qualifier or best.attribute}" if len(stated) > 1 else ""
        return MatchResult("agree", best, applicable, value=value, note=_join(inherited, note))
    confusion = _confusion(claim, kb, value, exclude=family(attribute))
    if confusion is not None:
        return confusion
    if not comparable:
        return MatchResult("no_reference", candidates=applicable, value=value,
                           note="the reference values are not comparable with the cell "
                                f"({', '.join(f.value_text() for f in stated)})")
    best = best_mismatch(value, comparable, attribute)
    note = inherited
    if value.is_range and any(f.value is not None and f.bound in ("=", "~") and agrees_point(value, f)
                              for f in comparable):
        note = _join(note, "the note gives a range where the reference gives a single value")
    return MatchResult("mismatch", best, applicable, value=value, note=note,
                       others=tuple(f for f in comparable if f is not best))


# "Compute (each)", "Per-node compute"; and a cell's own "8 PFLOPS each".
_EACH = re.compile(r"(?<![A-Za-z])each(?![A-Za-z])", re.IGNORECASE)


def is_per_node(claim: Mapping[str, Any]) -> bool:
    """The claim's row or column label (or the cell's `/node`, `each`) says the figure is one node's:
    per node / per system / each / 单节点 / 每节点 / 每台."""
    from factlint.rules._records import PER_NODE_UNITS, is_per_node_label

    for key in ("row_label", "column_label"):
        label = str(claim_field(claim, key) or "")
        if label and (is_per_node_label(label) or _EACH.search(label)):
            return True
    per = str(claim_field(claim, "per") or "")
    return bool(per) and (norm_key(per) in PER_NODE_UNITS or per.lower() == "each")


def _per_node(claim, kb: KnowledgeBase, cluster: str) -> MatchResult:
    """A cluster's per-node figure is compared with its node system's facts (Andromeda's per-node compute
    with a CS-2's), never with the cluster total; without a known node it is not compared."""
    node = kb.node(cluster)
    if node is None:
        return MatchResult("no_reference", value=read_claim(claim),
                           note=f"a per-node figure, and the vocabulary names no node system for {cluster}")
    system, count = node
    result = match_claim({**claim, "entity": system}, kb)
    return replace(result, node=system,
                   note=_join(f"a per-node figure: compared with one {system} ({cluster} has {count})", result.note))


# What a system with exactly one chip shares with that chip (not power, price or year: the system adds to them).
CHIP_LEVEL = {"process_node", "transistors", "cores", "die_area", "on_chip_memory", "memory", "compute",
              "bandwidth", "fabric_bandwidth"}


def _from_single_part(kb: KnowledgeBase, entity: str, attribute: str) -> tuple[list[Fact], str]:
    """A one-chip system's chip-level figures are its chip's (CS-1's on-chip memory is its WSE-1's)."""
    part = kb.part(entity)
    if part is None or part[1] != 1 or attribute not in CHIP_LEVEL:
        return [], ""
    facts = [f for a in family(attribute) for f in kb.facts(part[0], a) if a in CHIP_LEVEL]
    return facts, (f"{entity} has one {part[0]}: compared with the {part[0]}'s figures" if facts else "")


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def read_claim(claim: Mapping[str, Any]) -> ClaimValue | None:
    """The claim's value as a canonical interval or a categorical text; None when it states nothing."""
    kind, status = claim_field(claim, "kind"), claim_field(claim, "status")
    if status == "missing" or kind in ("missing", "same", "ratio", "status"):
        return None
    if kind in ("year", "date") or (claim_field(claim, "attribute") == "year" and kind == "number"):
        year = _claim_year(claim)
        return None if year is None else ClaimValue(year, year, "year")
    bound = claim_field(claim, "bound") or "="
    value, value_high = claim_field(claim, "value"), claim_field(claim, "value_high")
    if status == "parsed" and claim_field(claim, "canonical_value") is not None:
        low = float(claim_field(claim, "canonical_value"))
        high = claim_field(claim, "canonical_value_high")
        return ClaimValue(low, low if high is None else float(high), claim_field(claim, "canonical_unit"),
                          float(claim_field(claim, "tolerance") or 0.0), bound)
    if status == "unknown-unit" and value is not None:
        return _read_misspelt(claim, float(value), value_high, bound)
    text = claim_field(claim, "text") or (claim_field(claim, "raw") if kind == "text" else None)
    if kind == "text" and text and str(text).strip():
        return ClaimValue(text=str(text).strip())
    return None


def _read_misspelt(claim, value: float, value_high, bound: str) -> ClaimValue | None:
    token = claim_field(claim, "token") or claim_field(claim, "unit")
    if not token or len(str(token)) < MIN_MISSPELT_LENGTH:
        return None
    dimension = attribute_dimensions().get(claim_field(claim, "attribute") or "")
    suggestion = suggest_unit(token, dimension)
    info = lookup_unit(suggestion) if suggestion else None
    if info is None:
        return None
    factor = float(info.factor)
    decimals = int(claim_field(claim, "decimals") or 0)
    high = value if value_high is None else float(value_high)
    return ClaimValue(value * factor, high * factor, str(info.canonical), 0.5 * 10 ** -decimals * factor, bound,
                      reading=f"reading {token} as {suggestion}", token=str(token), suggestion=suggestion)


def fact_span(fact: Fact, low: float | None = None, high: float | None = None) -> Span:
    return bounded_span(fact.canonical_low if low is None else low, fact.canonical_high if high is None else high,
                        fact.tolerance, fact.bound, fact.canonical_unit or "")


def agrees(value: ClaimValue, fact: Fact) -> bool:
    if value.text is not None:
        return _same_name(value.text, fact)
    return _agrees_numerically(value, fact) or any(
        _agrees_numerically(value, alias) for alias in _decimal_reading(fact))


def _decimal_reading(fact: Fact) -> tuple[Fact, ...]:
    """A size published in GiB, read as the same number of GB (how most notes write it)."""
    decimal = BINARY_TO_DECIMAL.get(fact.unit)
    if decimal is None:
        return ()
    ratio = lookup_unit(decimal).factor / lookup_unit(fact.unit).factor
    return (replace(fact, canonical_low=fact.canonical_low * ratio, canonical_high=fact.canonical_high * ratio,
                     tolerance=fact.tolerance * ratio),)


def _agrees_numerically(value: ClaimValue, fact: Fact) -> bool:
    if not value.is_range:
        return value.span().overlaps(fact_span(fact))
    if fact.value_low is not None and fact.bound in ("=", "~"):
        # A range against a referenced range: end to end.
        return (value.span(value.low, value.low).overlaps(fact_span(fact, fact.canonical_low, fact.canonical_low))
                and value.span(value.high, value.high).overlaps(
                    fact_span(fact, fact.canonical_high, fact.canonical_high)))
    if fact.bound in ("=", "~"):
        # A range against one value: both ends must be that value.
        point = fact_span(fact)
        return value.span(value.low, value.low).overlaps(point) and value.span(value.high, value.high).overlaps(point)
    return value.span().overlaps(fact_span(fact))


def agrees_point(value: ClaimValue, fact: Fact) -> bool:
    """The claim's range contains the fact's value (used to explain a range mismatch)."""
    return value.is_numeric and value.span().overlaps(fact_span(fact))


def best_mismatch(value: ClaimValue, facts: Sequence[Fact], attribute: str) -> Fact:
    """Among the most trusted comparable facts, the one closest to the claim (same attribute first, then a
    stated value before a derived one: a derived fact alone only warns, so it must not hide a stated one)."""
    top = max(f.confidence_rank for f in facts)
    trusted = [f for f in facts if f.confidence_rank == top]
    return min(trusted, key=lambda f: (f.attribute != attribute, f.derived, _distance(value, f)))


def _distance(value: ClaimValue, fact: Fact) -> float:
    if value.text is not None or not fact.is_numeric:
        return 0.0
    a = value.span().centre() if value.bound in ("=", "~") else (value.low + value.high) / 2
    b = fact_span(fact).centre()
    if a > 0 and b > 0:
        return abs(math.log(a / b))
    return abs(a - b)


def _comparable(value: ClaimValue, fact: Fact) -> bool:
    if value.text is not None:
        return fact.is_categorical
    return fact.is_numeric and fact.canonical_unit == value.unit


def _confusion(claim, kb: KnowledgeBase, value: ClaimValue | None, exclude: Iterable[str]) -> MatchResult | None:
    """The value matches another attribute of the same entity (same physical dimension)."""
    if value is None or not value.is_numeric:
        return None
    dimensions = attribute_dimensions()
    claimed = dimensions.get(claim_field(claim, "attribute") or "")
    if claimed not in CONFUSABLE_DIMENSIONS:
        return None
    excluded = set(exclude)
    others = [f for f in kb.facts(claim_field(claim, "entity"))
              if f.attribute not in excluded and f.is_stated and f.confidence_rank >= 2
              and dimensions.get(f.attribute) == claimed and _comparable(value, f) and agrees(value, f)]
    if not others:
        return None
    best = others[0]
    return MatchResult("confusion", best, tuple(others), value=value,
                       note=f"the value is the {best.attribute.replace('_', ' ')} ({best.qualifier or best.attribute})")


def _same_name(text: str, fact: Fact) -> bool:
    claim = norm_key(text)
    if not claim or fact.text_value is None:
        return False
    whole = norm_key(fact.text_value)
    parts = [p for p in re.split(r"[,;+/()]| and |、|，", fact.text_value) if p.strip()]
    names = {norm_key(x) for x in (fact.text_value, *parts, *fact.text_aliases)} - {""}
    if claim in names or any(len(n) >= 3 and n in claim for n in names):
        return True
    return len(claim) >= 3 and claim in whole


def _labels(claim) -> str:
    return norm_key(" ".join(str(claim_field(claim, k) or "") for k in ("row_label", "column_label", "heading", "qualifier")))


def _applies(fact: Fact, labels: str) -> bool:
    if not fact.context:
        return True
    return any(norm_key(c) in labels for c in fact.context)


def _rank(facts: Sequence[Fact]) -> int:
    return max(f.confidence_rank for f in facts)


def _claim_year(claim) -> float | None:
    if claim_field(claim, "kind") == "year" and claim_field(claim, "canonical_value") is not None:
        return float(int(claim_field(claim, "canonical_value")))
    if claim_field(claim, "kind") == "number" and claim_field(claim, "value") is not None:
        v = float(claim_field(claim, "value"))
        return v if v.is_integer() and 1900 <= v <= 2100 else None
    match = _YEAR.search(str(claim_field(claim, "raw") or ""))
    return float(match.group(1)) if match else None


def claim_field(claim: Mapping[str, Any], key: str):
    """A claim's field, with NaN / NA read as None (claims come from a DataFrame)."""
    value = claim.get(key) if hasattr(claim, "get") else None
    if value is None:
        return None
    kind = type(value)
    if kind is str or kind is int:     # the common cases, never NaN
        return value
    try:
        if value != value:     # NaN / NA
            return None
    except (TypeError, ValueError):
        return None
    return value


def claims_with_verdict(ctx, verdict: str):
    """(claim, result) for the claims of a rule's context whose match has `verdict`; nothing without a
    knowledge base."""
    if ctx.kb is None:
        return
    for claim, result in _matched(ctx.claims, ctx.kb):
        if result.verdict == verdict:
            yield claim, result


# The last frame's matches: the four reference rules run one after another on the same claims
# frame and each asked for every match again (a third of `factlint check`'s time). One entry,
# replaced as a whole, so concurrent threads never see another frame's matches.
_LAST_MATCHED: tuple | None = None


def _matched(claims, kb: KnowledgeBase) -> list:
    global _LAST_MATCHED
    last = _LAST_MATCHED
    if last is not None and last[0] is claims and last[1] is kb:
        return last[2]
    matched = list(match_claims(claims, kb))
    _LAST_MATCHED = (claims, kb, matched)
    return matched


def is_known_entity(entity: str | None, vocab, kb: KnowledgeBase) -> bool:
    """An entity of the vocabulary (or, without one, of the knowledge base), not a bare row label."""
    if not entity:
        return False
    if vocab is not None:
        return vocab.entity(entity) is not None
    return bool(kb.facts(entity))


# What a claim's match depends on: everything but where the claim sits. Notes repeat the same
# figures (a chip's specs in every table and note about it), so a run meets the same claim many
# times; the memo answers those in a dict lookup.
_MATCH_INPUTS = ("heading", "row_label", "column_label", "entity", "attribute", "raw", "value",
                 "value_high", "bound", "unit", "canonical_value", "canonical_value_high",
                 "canonical_unit", "dimension", "status", "column", "kind", "tolerance", "decimals",
                 "reason", "token", "per", "text", "qualifier")
_MEMO_LIMIT = 50_000
_memo: dict = {"kb": None, "results": {}}


def _reset_memo(kb: KnowledgeBase) -> None:
    if _memo["kb"] is not kb or len(_memo["results"]) >= _MEMO_LIMIT:
        _memo["kb"], _memo["results"] = kb, {}


_MATCH_VALUES = operator.itemgetter(*_MATCH_INPUTS)


def _match_key(claim: Mapping[str, Any]) -> tuple:
    """The memo key: the claim's match inputs, NaN read as None (as `claim_field` reads them).
    A plain claim row (every column present, None where absent) is read in one step."""
    if type(claim) is dict:
        try:
            values = _MATCH_VALUES(claim)
        except KeyError:
            pass
        else:
            for value in values:
                if type(value) is float and value != value:
                    break
            else:
                return values
    return tuple(claim_field(claim, k) for k in _MATCH_INPUTS)


def _memo_match(claim: Mapping[str, Any], kb: KnowledgeBase) -> MatchResult:
    _reset_memo(kb)
    try:
        key = _match_key(claim)
        hash(key)
    except TypeError:                   # an unhashable value: match it without the memo
        return match_claim(claim, kb)
    results = _memo["results"]
    if key not in results:
        results[key] = match_claim(claim, kb)
    return results[key]


def match_claims(claims, kb: KnowledgeBase):
    """(claim, result) for every claim of a frame that names an entity and an attribute. Left out:
    descriptive text in notes columns ("极高", "SRAM"), which is no categorical claim, and row keys in
    the first column (the year of a revenue series, the "64 节点" of a configuration table), which
    say which row this is, not a fact about the entity."""
    if claims is None or len(claims) == 0:
        return
    for claim in claim_rows(claims):
        if not claim_field(claim, "entity") or not claim_field(claim, "attribute") or claim_field(claim, "column") == 0:
            continue
        if claim_field(claim, "qualifier") == "note" and claim_field(claim, "kind") == "text":
            continue
        yield claim, _memo_match(claim, kb)
