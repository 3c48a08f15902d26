"""Which statements of one figure agree, and which stand out; the note's statements of each fact.

Several cells state the same figure (the same entity + attribute, or the per-node compute implied
by several cluster tables). The consistent core is the largest set whose intervals share a value;
the rest are the outliers a rule reports, each against that core. When the core is a single
statement (one says 4.0T, the other 4.6T), the earlier statement in the note is the core, so the
later one is reported: a reader meets the first figure first and is misled by the second.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Iterable, Sequence, TypeVar

from factlint.facts.intervals import Span
from factlint.facts.model import Fact
from factlint.facts.display import lines_text, show_span, text_of  # noqa: F401 (lines_text: rules word lines with it)
from factlint.pickling import by_fields

T = TypeVar("T")


@by_fields
@dataclass(frozen=True, slots=True)      # slots: a corpus run keeps a few per note for every note
class Statement(Generic[T]):
    span: Span
    order: tuple            # position in the note(s): the earlier one wins a tie
    item: T                 # what the caller needs back (a claim, a group of claims)
    weight: float = 1.0     # how much the statement counts towards a core (explicit > inferred)


@dataclass(frozen=True)
class Split(Generic[T]):
    core: tuple[Statement[T], ...]
    common: Span                        # the values every core statement allows
    outliers: tuple[Statement[T], ...]


def split(statements: Sequence[Statement[T]]) -> Split[T] | None:
    """The heaviest mutually consistent subset and the rest; None when there is nothing to compare
    (fewer than two statements, or units that never meet)."""
    if len(statements) < 2:
        return None
    ordered = sorted(statements, key=lambda s: s.order)
    common = ordered[0].span
    for s in ordered[1:]:               # the usual case, everything agrees: one linear pass
        common = common.intersect(s.span) if common is not None else None
    if common is not None:
        return Split(core=tuple(ordered), common=common, outliers=())
    best: tuple[float, tuple, Span] | None = None
    # A seed whose span an earlier seed already had grows the same core (each includes the
    # other, and a span containing the running intersection leaves it unchanged) and loses the
    # tie, so it is skipped: many notes stating one figure the same way cost one pass, not n.
    tried: set[Span] = set()
    for seed in ordered:
        if seed.span in tried:
            continue
        tried.add(seed.span)
        common, members = seed.span, [seed]
        for other in ordered:
            if other is seed:
                continue
            narrowed = common.intersect(other.span)
            if narrowed is not None:
                common = narrowed
                members.append(other)
        score = sum(m.weight for m in members)
        # Heavier first; on a tie the core that starts earlier in the note.
        if best is None or score > best[0]:
            best = (score, tuple(members), common)
    _, core, common = best
    in_core = {id(c) for c in core}
    outliers = tuple(s for s in ordered if id(s) not in in_core)
    return Split(core=tuple(sorted(core, key=lambda s: s.order)), common=common, outliers=outliers)


def comparable_statements(facts) -> dict[tuple, list[Statement]]:
    """The note's sure figures grouped by identity and unit, each as a statement to compare."""
    groups: dict[tuple, list[Statement]] = {}
    for identity, members in facts.statements().items():
        for f in members:
            order = (text_of(f.claim.get("path")), f.line, f.claim["column"], f.part)
            groups.setdefault((identity, f.reading.unit), []).append(Statement(f.reading.span(), order, f))
    return groups


def describe(f: Fact) -> str:
    """`4.0T (3.95T – 4.05T)`: the cell as written and what its precision allows."""
    allowed = show_span(f.reading.span(), digits=4)
    return f"{f.raw} ({allowed})" if allowed != text_of(f.raw) else text_of(f.raw)


def subject(f: Fact) -> str:
    """`H100 NVL FP16 tensor compute`: the entity as the note names it, and the fact's qualifiers."""
    identity = f.identity
    entity = text_of(f.claim.get("entity")) or identity.entity
    attribute = text_of(f.claim.get("attribute")) or (f.label.name if f.label else identity.attribute)
    words = [entity, *sorted(q.upper() if q[:2] in ("fp", "bf", "tf") or q[:3] == "int" else q
                             for q in identity.qualifiers), attribute.replace("_", " ")]
    if identity.scope:
        words.append(f"per {identity.scope}" if identity.scope != "total" else "(total)")
    return " ".join(w for w in words if w)


def core_text(core: Iterable[Statement]) -> str:
    return " / ".join(sorted({text_of(s.item.raw) for s in core}))
