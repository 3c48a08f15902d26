"""One claim against the knowledge base: agree, mismatch, confusion, undisclosed, or no reference.

How a claim meets the reference:
- Candidates are the entity's facts for the claim's attribute and its family (a generic `memory` claim may
  mean on-chip, HBM or external memory; `compute` and `total_compute` are one figure for a cluster),
  restricted to facts whose `context` words the claim's labels carry (a fiscal year for revenue).
- Intervals: the claim's value means what factlint.facts.intervals says (its precision, `~`, bounds,
  misspelt units read through the closest known unit with at least four letters, touching intervals),
  and so does the reference's: "2 PFLOPS" agrees with 1,978.9 TFLOPS. A misspelt unit is read as
  8 PLOPS = 8 PFLOPS, and the result says so.
- Only what the facts layer establishes is matched: a figure of an entity the vocabulary names
  (a variant it does not list, such as `H100 NVL`, has no reference), stated for the entity itself
  (not per GPU, per link or for N nodes of a cluster table; a cluster's per-node figure is its node
  system's), in a table that gives it one identity (not a name two rows share).
- Qualifiers: a reference variant applies only when the claim's number format, sparsity and core
  kind do not contradict it (an FP16 claim is not compared with an FP8 figure, tensor cores not with
  CUDA cores).
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

from factlint.facts.intervals import Reading, Span, approximate_tolerance, read_claim as read_interval
from factlint.facts.labels import qualifiers_of, scope_of
from factlint.normalise.units import lookup_unit
from factlint.normalise.vocab import norm_key
from factlint.reference.kb import Fact, KnowledgeBase, attribute_dimensions

VERDICTS = ("agree", "mismatch", "confusion", "undisclosed", "no_reference")
FAMILIES = {
    "memory": ("memory", "on_chip_memory", "hbm_memory", "external_memory"),
    "hbm_memory": ("hbm_memory", "memory"),       # a GPU's memory is its HBM (TechPowerUp: "memory")
    "compute": ("compute", "total_compute"),
    "total_compute": ("total_compute", "compute"),
    "bandwidth": ("bandwidth", "fabric_bandwidth"),
}
# Dimensions where a value matching another attribute is a telling confusion (not a coincidence of counts).
CONFUSABLE_DIMENSIONS = {"compute", "information", "bandwidth", "power", "length", "area"}
# Binary and decimal prefixes are used interchangeably for memory sizes ("32 GB" for 32 GiB).
BINARY_TO_DECIMAL = {"KiB": "KB", "MiB": "MB", "GiB": "GB", "TiB": "TB", "PiB": "PB"}
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


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
    """[low, high] widened by the precision, open-ended for one-sided bounds: the interval meaning
    of factlint.facts.intervals (`~` is already in the tolerance of a claim's reading)."""
    return Reading(low, high, tolerance, unit, "=" if bound == "~" else bound).span()


@dataclass(frozen=True)
class MatchResult:
    verdict: str
    fact: Fact | None = None                    # the fact matched, or the best one for a mismatch
    candidates: tuple[Fact, ...] = ()           # every fact considered (after family and context)
    note: str = ""                              # why, in words
    value: ClaimValue | None = None
    others: tuple[Fact, ...] = field(default=())  # other variants worth naming in evidence
    node: str | None = None                     # a cluster's per-node claim, compared as this node system
    tier_conflict: bool = False                 # agrees only with a source a higher tier contradicts
    agreed: Fact | None = None                  # that lower-tier source, for a tier conflict


def family(attribute: str) -> tuple[str, ...]:
    return FAMILIES.get(attribute, (attribute,))


def match_claim(claim: Mapping[str, Any], kb: KnowledgeBase,
                qualifiers: frozenset[str] = frozenset(), family_name: bool = False,
                entities: tuple[str, ...] | None = None) -> MatchResult:
    """How one claim meets the knowledge base; `qualifiers` are the claim's identity qualifiers
    (factlint.facts), which rule out reference variants they contradict. `family_name`: the note
    names the product without a variant (`H100`), so any variant's figure may be the one meant
    (`H100 PCIe`); the result says which one agreed. `entities`: the knowledge-base entities the
    claim's name resolves to (`resolve`), when they are not the claim's own entity; several are
    the variants of a family, compared like `family_name`."""
    entity, attribute = claim_field(claim, "entity"), claim_field(claim, "attribute")
    if not entity or not attribute:
        return MatchResult("no_reference", note="the claim has no entity or attribute")
    if kb.is_cluster(entity) and is_per_node(claim):
        return _per_node(claim, kb, entity, qualifiers)
    value = read_claim(claim)
    if entities:
        entity, variants = entities[0], tuple(entities[1:])
    else:
        variants = kb.variants(entity) if family_name else ()
    pool = _unique(f for e in (entity, *variants) for a in family(attribute) for f in kb.facts(e, a))
    inherited = ""
    if not pool:
        pool, inherited = _from_single_part(kb, entity, attribute)
    labels = _labels(claim) if pool else ""       # no facts: nothing to apply, labels unread
    applicable = [f for f in pool if _applies(f, labels) and compatible(qualifiers, f)]
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
    result = _compare(claim, kb, value, stated, tuple(applicable), inherited)
    if result.verdict == "mismatch" and variants:
        silent = [v for v in (entity, *variants) if not any(v in f.entities for f in stated)
                  and not result.tier_conflict]
        if silent:
            # The note names the family: a variant the reference says nothing about may be the one meant.
            return MatchResult("no_reference", candidates=tuple(applicable), value=value,
                               note=f"the note names {entity} without a variant, and the reference gives "
                                    f"this figure for {', '.join(sorted({f.entity for f in stated}))} "
                                    f"only, not for {', '.join(silent)}")
    return result


def _nothing_applies(claim, pool: Sequence[Fact], value: ClaimValue | None) -> MatchResult:
    entity, attribute = claim_field(claim, "entity"), claim_field(claim, "attribute")
    if not pool:
        return MatchResult("no_reference", value=value, note=f"no reference for {entity} {attribute}")
    periods = sorted({c for f in pool for c in f.context})
    if periods:
        note = (f"the reference gives {attribute} only for {', '.join(periods)}, "
                "and the claim's labels name none of them")
    else:       # every figure is for a variant the claim's qualifiers rule out (dense vs sparse)
        stated_as = sorted({f.qualifier for f in pool if f.qualifier})
        note = (f"the reference gives {entity} {attribute} only as {'; '.join(stated_as)}, "
                "which the claim's qualifiers rule out" if stated_as else
                f"no reference figure of {entity} {attribute} applies to this claim")
    return MatchResult("no_reference", candidates=tuple(pool), value=value, note=note)


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
    settled = [f for f in agreeing if _outranking(value, f, comparable) is None]
    if agreeing and not settled:
        # Sources disagree and the higher tier decides: the claim matches only the lower one.
        lower = max(agreeing, key=lambda f: (f.tier_rank, f.confidence_rank))
        higher = _outranking(value, lower, comparable)
        return MatchResult("mismatch", higher, applicable, value=value, tier_conflict=True, agreed=lower,
                           others=(lower,),
                           note=_join(inherited, f"the note matches {lower.publication} ({lower.tier} source, "
                                                 f"{lower.value_text()}), but the {higher.tier} source "
                                                 f"{higher.publication} gives {higher.value_text()}"))
    if settled:
        agreeing = settled
        best = sorted(agreeing, key=lambda f: (f.entity != claim_field(claim, "entity"),
                                               f.attribute != attribute, -f.tier_rank, -f.confidence_rank,
                                               f.derived))[0]
        other = f"{best.entity} " if best.entity != claim_field(claim, "entity") else ""
        note = f"agrees with {other}{best.qualifier or best.attribute}" if len(stated) > 1 or other else ""
        return MatchResult("agree", best, applicable, value=value, note=_join(inherited, note))
    confusion = _confusion(claim, kb, value, exclude=family(attribute))
    if confusion is not None:
        return confusion
    # A sibling attribute (HBM for a `memory` claim) is the same thing only at a like magnitude:
    # 80 GB is no L2 cache of 50 MB, whatever the reference calls its memory.
    comparable = [f for f in comparable if f.attribute == attribute or _like_magnitude(value, f)]
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
    for key in ("row_label", "column_label"):
        label = str(claim_field(claim, key) or "")
        if label and (scope_of(label) in ("node", "system") or _EACH.search(label)):
            return True
    per = str(claim_field(claim, "per") or "")
    return bool(per) and (scope_of("/" + per) in ("node", "system") or per.lower() == "each")


# Qualifier families: two sets that both name one of a family and share none of it contradict.
QUALIFIER_FAMILIES = (
    frozenset({"fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "fp6", "fp4", "int8", "int4"}),
    frozenset({"sparse", "dense"}),
    frozenset({"cuda", "tensor", "rt", "vector"}),
    frozenset({"bidirectional", "unidirectional"}),
    # The accumulator a tensor figure is stated with: GeForce cards run FP16 math with FP32
    # accumulation at half the FP16-accumulate rate, so `(FP32累计)` is another figure.
    frozenset({"acc-fp16", "acc-fp32"}),
)


def compatible(qualifiers: frozenset[str], fact: Fact) -> bool:
    """The claim's qualifiers do not contradict the reference fact's (its qualifier text)."""
    if not qualifiers:
        return True
    theirs = qualifiers_of(fact.qualifier or "")
    for members in QUALIFIER_FAMILIES:
        ours_, theirs_ = qualifiers & members, theirs & members
        if ours_ and theirs_ and not ours_ & theirs_:
            return False
    return True


def _per_node(claim, kb: KnowledgeBase, cluster: str, qualifiers: frozenset[str] = frozenset()) -> MatchResult:
    """A cluster's per-node figure is compared with its node system's facts (Andromeda's per-node compute
    with a CS-2's), never with the cluster total; without a known node it is not compared."""
    node = kb.node(cluster)
    if node is None:
        return MatchResult("no_reference", value=read_claim(claim),
                           note=f"a per-node figure, and the vocabulary names no node system for {cluster}")
    system, count = node
    result = match_claim({**claim, "entity": system}, kb, qualifiers)
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
    reading = read_interval(claim)
    if reading is not None:
        if reading.unit.startswith("?"):
            return None        # a unit nobody knows: nothing in the reference is in it
        if reading.unit == "1" and _counts_bits(claim):
            # `5120-bit` under a bus-width label: a count of bits, an information size in bytes.
            return ClaimValue(reading.low / 8, reading.high / 8, "B", reading.tolerance / 8, reading.bound)
        token = claim_field(claim, "token") if reading.misread else None
        return ClaimValue(reading.low, reading.high, reading.unit, reading.tolerance, reading.bound,
                          reading=reading.misread, token=token,
                          suggestion=reading.shown_unit if reading.misread else None)
    text = claim_field(claim, "text") or (claim_field(claim, "raw") if kind == "text" else None)
    if kind == "text" and text and str(text).strip():
        return ClaimValue(text=str(text).strip())
    return None


_BITS = re.compile(r"(?<![A-Za-z])bits?(?![A-Za-z])|位宽|比特|[(（]位[)）]", re.IGNORECASE)


def _counts_bits(claim) -> bool:
    """An information attribute stated as a plain count that its cell or label says is in bits."""
    if attribute_dimensions().get(claim_field(claim, "attribute") or "") != "information":
        return False
    return any(_BITS.search(str(claim_field(claim, key) or ""))
               for key in ("qualifier", "column_label", "row_label"))


def fact_span(fact: Fact, low: float | None = None, high: float | None = None) -> Span:
    low = fact.canonical_low if low is None else low
    high = fact.canonical_high if high is None else high
    tolerance = approximate_tolerance(fact.tolerance, low, high) if fact.bound == "~" else fact.tolerance
    return bounded_span(low, high, tolerance, fact.bound, fact.canonical_unit or "")


def _centre(span: Span) -> float:
    finite = [x for x in (span.lo, span.hi) if math.isfinite(x)]
    if len(finite) == 2 and finite[0] > 0 and finite[1] > 0:
        return math.sqrt(finite[0] * finite[1])     # the geometric middle of a positive span
    return sum(finite) / len(finite) if finite else 0.0


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
        return value.span().meets(fact_span(fact))
    if fact.value_low is not None and fact.bound in ("=", "~"):
        # A range against a referenced range: end to end.
        return (value.span(value.low, value.low).meets(fact_span(fact, fact.canonical_low, fact.canonical_low))
                and value.span(value.high, value.high).meets(
                    fact_span(fact, fact.canonical_high, fact.canonical_high)))
    if fact.bound in ("=", "~"):
        # A range against one value: both ends must be that value, unless the value is a maximum
        # and the range tops out at it (`300～350` W against "350 W, board maximum").
        point = fact_span(fact)
        if _MAXIMUM.search(fact.qualifier or "") and value.span(value.high, value.high).meets(point):
            return True
        return value.span(value.low, value.low).meets(point) and value.span(value.high, value.high).meets(point)
    return value.span().meets(fact_span(fact))


def _like_magnitude(value: ClaimValue, fact: Fact, factor: float = 10.0) -> bool:
    """The claim and a numeric fact are within `factor` of each other (text compares by name)."""
    if value.text is not None or not fact.is_numeric:
        return True
    a, b = abs(value.low or 0.0), abs(fact.canonical_low or 0.0)
    if a == 0 or b == 0:
        return a == b
    return max(a, b) / min(a, b) <= factor


# A reference value that is a maximum ("board maximum", "up to", "最大") is the top of a range.
_MAXIMUM = re.compile(r"\bmax(?:imum)?\b|\bup to\b|\bpeak\b|最大|最高", re.IGNORECASE)


def agrees_point(value: ClaimValue, fact: Fact) -> bool:
    """The claim's range contains the fact's value (used to explain a range mismatch)."""
    return value.is_numeric and value.span().meets(fact_span(fact))


def _outranking(value: ClaimValue, fact: Fact, comparable: Sequence[Fact]) -> Fact | None:
    """A source of a higher tier that gives the same figure of the same entity on the same basis
    (`fact`'s attribute, number format, sparsity, core kind) one value that the claim does not
    match: then `fact` (which the claim matches) is outranked. Several higher-tier values are
    several variants, and decide nothing; so are two values of one file (a curated file that
    gives 32 and 64 nodes lists two stages of one cluster, not two sources that disagree)."""
    rivals = [g for g in comparable if g is not fact and g.entity == fact.entity and g.attribute == fact.attribute
              and g.tier_rank > fact.tier_rank and g.trusted and g.source_file != fact.source_file
              and same_basis(fact, g)]
    if not rivals or any(agrees(value, g) for g in rivals):
        return None
    if len({(g.canonical_low, g.canonical_high, g.text_value) for g in rivals}) != 1:
        return None
    return max(rivals, key=lambda g: (g.tier_rank, g.confidence_rank))


def same_basis(a: Fact, b: Fact) -> bool:
    """Two facts state one figure on one basis: the same scope (not one chip's and one core's),
    no qualifier family where both name members and they differ, a throughput's number format
    on both sides, and values within a factor of two (sources that disagree about one figure
    differ by a rounding or a revision, not by a thousand: 44 GB and 48 KB are two figures)."""
    if scope_of(a.qualifier or "") != scope_of(b.qualifier or ""):
        return False
    if a.is_numeric and b.is_numeric:
        x, y = abs(a.canonical_low or 0.0), abs(b.canonical_low or 0.0)
        if x == 0 or y == 0 or max(x, y) / min(x, y) > 2:
            return False
    qa, qb = qualifiers_of(a.qualifier or ""), qualifiers_of(b.qualifier or "")
    for members in QUALIFIER_FAMILIES:
        if qa & members and qb & members and qa & members != qb & members:
            return False
    if a.dimension == "compute":
        formats = QUALIFIER_FAMILIES[0]
        return bool(qa & formats) and qa & formats == qb & formats
    return True


def _unique(facts: Iterable[Fact]) -> list[Fact]:
    seen: set[str] = set()
    out = []
    for fact in facts:
        if fact.id not in seen:
            seen.add(fact.id)
            out.append(fact)
    return out


def best_mismatch(value: ClaimValue, facts: Sequence[Fact], attribute: str) -> Fact:
    """Among the most trusted comparable facts (a tier that can make an error before one that
    cannot, then confidence), the one closest to the claim (same attribute first, then a stated
    value before a derived one: a derived fact alone only warns, so it must not hide a stated one)."""
    top = max((f.trusted, f.confidence_rank) for f in facts)
    trusted = [f for f in facts if (f.trusted, f.confidence_rank) == top]
    return min(trusted, key=lambda f: (f.attribute != attribute, f.derived, _distance(value, f)))


def _distance(value: ClaimValue, fact: Fact) -> float:
    if value.text is not None or not fact.is_numeric:
        return 0.0
    a = _centre(value.span()) if value.bound in ("=", "~") else (value.low + value.high) / 2
    b = _centre(fact_span(fact))
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
    """(claim, result) for the note's matched claims whose verdict is `verdict`; nothing without a
    knowledge base."""
    if ctx.kb is None or ctx.facts is None:
        return
    for fact, result in matched(ctx.facts, ctx.kb):
        if result.verdict == verdict:
            yield fact.claim, result


def matched(facts, kb: KnowledgeBase) -> list:
    """(fact, result) for every fact of the note the reference can be asked about, matched once
    per note (the four reference rules and the coverage count all ask)."""
    held = facts.memo("reference", lambda _: {})
    if held.get("kb") is not kb:
        held["kb"], held["matches"] = kb, list(match_facts(facts, kb))
    return held["matches"]


def matchable(fact, kb: KnowledgeBase) -> bool:
    """A fact the knowledge base can be asked about (see the module doc)."""
    claim = fact.claim
    if fact.role not in ("value", "count") or fact.part or fact.identity is None:
        return False
    if not claim_field(claim, "entity") or not claim_field(claim, "attribute"):
        return False
    if claim_field(claim, "kind") == "text":
        return True
    identity = fact.identity
    if not fact.sure:
        return False
    cluster = kb.is_cluster(claim_field(claim, "entity"))
    if identity.scope and not (cluster and identity.scope in ("node", "system", "total")):
        return False
    return identity.nodes is None or cluster


def resolve(fact, kb: KnowledgeBase) -> tuple[tuple[str, ...], bool] | None:
    """The knowledge-base entities a fact's name is, and whether the note names a family: its own
    entity when the reference knows it (`H100`: the bare name is a family, any variant may be
    meant), else the entities whose product name and variant words cover the note's (`A100 80GB
    PCIe` -> `A100 PCIe 80 GB`; `RTX4090` -> `GeForce RTX 4090`; `A100 PCIe` -> its 40 GB and 80 GB
    cards, a family). None when nothing is known, or when the name is ambiguous: two products
    with the same name and variant (`9100` is a Radeon and a GeForce)."""
    entity = fact.claim["entity"]
    name = fact.name
    if kb.knows(entity) and (name is None or not fact.identity.variant):
        return (entity,), name is not None and not name.variant
    if name is None or not name.product_like:
        return None
    members = kb.named(name.key, name.variant)
    if not members or kb.ambiguous(name.key, name.variant):
        return None
    exact = kb.named_exactly(name.key, name.variant)
    if exact:
        rest = tuple(e for e in members if e != exact[0]) if not name.variant else ()
        return (exact[0], *rest), bool(rest)
    return tuple(members), len(members) > 1


def match_fact(fact, kb: KnowledgeBase, qualifiers: frozenset[str] | None = None) -> MatchResult | None:
    """How one fact meets the knowledge base, its name resolved to the entities it may mean; None
    when it names nothing the base knows. Asked whatever the fact's scope (match_facts asks it of
    matchable facts only; whole-as-part of per-part figures, as if stated for the chip)."""
    resolved = resolve(fact, kb)
    if resolved is None:
        return None
    entities, family_name = resolved
    own = entities == (fact.claim["entity"],)
    qualifiers = fact.identity.qualifiers if qualifiers is None else qualifiers
    return _memo_match(fact.claim, kb, qualifiers, family_name, None if own else entities)


def match_facts(facts, kb: KnowledgeBase):
    """(fact, result) for every matchable fact of a note; a memory size written with its type
    (`94GB HBM2e`) is also matched as the memory type."""
    for fact in facts.facts:
        if not matchable(fact, kb):
            continue
        result = match_fact(fact, kb)
        if result is None:              # most of a note's products: nothing to match, say so at once
            yield fact, MatchResult("no_reference", value=read_claim(fact.claim),
                                    note=f"no reference for {fact.claim['entity']} {fact.claim['attribute']}")
            continue
        yield fact, result
        kind = memory_kind(fact.claim)
        if kind is not None:
            typed = replace(fact, claim={**fact.claim, "attribute": "memory_type", "kind": "text", "text": kind})
            yield typed, match_fact(typed, kb, qualifiers=frozenset())


_MEMORY_KIND = re.compile(r"^(?:HBM\d?[eE]?|GDDR\d[XW]?|LPDDR\d[XT]?|DDR\d)$")


def memory_kind(claim) -> str | None:
    """The memory type a memory size is written with (`80GB HBM3` -> `HBM3`)."""
    if claim_field(claim, "attribute") not in ("memory", "hbm_memory") or claim_field(claim, "kind") != "number":
        return None
    qualifier = str(claim_field(claim, "qualifier") or "").strip()
    return qualifier if _MEMORY_KIND.match(qualifier) else None


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


def _memo_match(claim: Mapping[str, Any], kb: KnowledgeBase, qualifiers: frozenset[str] = frozenset(),
                family_name: bool = False, entities: tuple[str, ...] | None = None) -> MatchResult:
    try:
        key = (_match_key(claim), qualifiers, family_name, entities)
        hash(key)
    except TypeError:                   # an unhashable value: match it without the memo
        return match_claim(claim, kb, qualifiers, family_name, entities)
    results = kb.match_memo             # the knowledge base's own: its answers hold while it lives
    if len(results) >= _MEMO_LIMIT:
        results.clear()
    if key not in results:
        results[key] = match_claim(claim, kb, qualifiers, family_name, entities)
    return results[key]
