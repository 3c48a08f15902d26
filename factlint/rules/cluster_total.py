"""Node count × per-node figure must equal the cluster total the note states.

## What it does
Finds every figure stated for a number of nodes, as the facts layer reads it from the table's
structure: rows labelled with a node count (`| 64 节点 | 512 PFLOPS |`), a key/value table with a
node-count row (`| 节点数 | 16-64 |` and `| 总算力 | 64-256 PFLOPS |`), a row of a table with a
node-count column (`| H200 GPU | 29 | 232 | 8 |` under `Nodes`, `GPUs`, `GPUs per Node`), a
value column whose header names a node count beside a per-node one (`| Resource | Per node |
Total (128 nodes) |`, `| 资源 | 单节点 | 集群（64 节点） |`) or a table under a heading that
does (`## Per node`, `## AGGREGATE (128 nodes)`), and
clusters the vocabulary knows to be built of N systems (Andromeda contains 16 CS-2). A figure
whose label says it is one node's (`per Node`, `/ 节点`, `单节点`) is a per-node figure, never a
total. For whatever scales with nodes (compute, memory, cores, GPUs) it works out what one node
is, and checks that:
- a total equals node count × the per-node figure stated in the same table (a `单节点` /
  single-node row or a per-node column);
- the totals of one table imply the same per-node figure (the same node count with two totals
  is an error);
- every table implies the same per-node figure as the others and as the node system's own row
  (CS-2 `算力` in a system table);
- a range is consistent end to end (16-64 nodes with 64-256 PFLOPS is 4 PFLOPS per node at both
  ends).
Everything is compared within the precision shown: `128 × 8 PFLOPS = 1024 PFLOPS` agrees with
`1 EFLOPS`, which means 0.5-1.5 EFLOPS.

## Why is this bad?
A cluster total is usually the headline number of a note. When it is not the product of the
node count and the node's own figure, either the node count, the per-node figure or the total
is wrong by a whole factor, and comparisons built on it are off by the same factor.

## Example
| 配置 | 算力 |
|---|---|
| 单节点 | 8 PFLOPS |
| 64 节点 | 512 PFLOPS |

| 参数 | 规格 |
|---|---|
| 节点数 | 16-64 |
| 总算力 | 64-256 PFLOPS |

Use instead:
| 配置 | 算力 |
|---|---|
| 单节点 | 8 PFLOPS |
| 64 节点 | 512 PFLOPS |

| 参数 | 规格 |
|---|---|
| 节点数 | 16-64 |
| 总算力 | 128-512 PFLOPS |

## Fix
Rewrites the total to node count × the per-node figure of the table or tables it disagrees
with (unsafe: the per-node figure or the node count may be the wrong one).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from factlint.facts.intervals import Reading, Span
from factlint.facts.model import Fact, NodeCount, NoteFacts
from factlint.findings import Finding, Fix, Severity, more_cells, nearest
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.rules._agreement import Statement, lines_text, split
from factlint.rules._context import claim_location
from factlint.facts.display import (number, number_fix, show, show_about, show_range, show_span,
                                     text_of)

# Attributes that add up over nodes, besides those the vocabulary marks `scales_with_nodes`.
SCALING = frozenset({"compute", "total_compute", "memory", "on_chip_memory", "hbm_memory", "cores",
                     "gpus"})
# What a scaling cell under a header that names no attribute states, by its unit's dimension.
BY_DIMENSION = {"compute": "compute", "information": "memory"}
# How many agreeing tables a finding's evidence names; the rest are counted.
AGREEING_SHOWN = 5


def family(attribute: str) -> str:
    """`total_compute` and `compute` are the same quantity, for a cluster and for a node."""
    return attribute.removeprefix("total_")


@dataclass(frozen=True)
class Figure:
    """One cell stated for a number of nodes, and what it makes one node."""
    fact: Fact
    reading: Reading
    nodes: NodeCount
    family: str
    qualifiers: frozenset
    per_node: Span
    explicit: bool                  # stated for one node, not inferred from a total
    end_values: tuple[Span, Span] | None = None   # per node at the low and high end of a range

    @property
    def claim(self) -> dict:
        return self.fact.claim

    @property
    def nodes_claim(self) -> dict | None:
        return self.nodes.fact.claim if self.nodes.fact is not None else None

    @property
    def line(self) -> int:
        return self.fact.line

    @property
    def order(self) -> tuple:
        return (self.line, int(self.claim["column"]))


@dataclass
class Group:
    """The figures of one cluster (one table, one record or one cluster): they share a per-node figure."""
    key: tuple
    identity: object                # node system id, ("label", text) for an unknown cluster, or None
    figures: list[Figure] = field(default_factory=list)
    estimate: Span | None = None
    used: tuple[Figure, ...] = ()   # the figures the estimate rests on
    system_row: bool = False

    @property
    def explicit(self) -> bool:
        return any(f.explicit for f in self.used)

    @property
    def weight(self) -> float:
        return len(self.used) + (10 if self.explicit else 0)


@rule("cluster-total", severity=Severity.ERROR, fixable=True, tags=("consistency",))
def cluster_total(doc, ctx) -> Iterator[Finding]:
    facts, vocab = ctx.facts, ctx.vocab
    figures = _figures(facts, vocab)
    buckets: dict[tuple, list[Figure]] = {}
    for f in figures:
        buckets.setdefault((f.family, f.qualifiers, f.reading.unit), []).append(f)
    derived = _derived_fields(facts)
    for (fam, qualifiers, unit), bucket in buckets.items():
        groups = _groups(bucket, facts, vocab)
        for group in groups:
            yield from _check_ends(ctx, group)
            if not any((f.fact.table, f.fact.field) in derived for f in group.figures):
                yield from _check_within(ctx, group)
        references = _system_rows(facts, vocab, fam, qualifiers, unit, groups)
        yield from _check_across(ctx, groups, references)


# ---- collecting ---------------------------------------------------------------------------------

def _derived_fields(facts: NoteFacts) -> set[tuple[int, int]]:
    """(table, field) of every total the table's own arithmetic explains (factlint.facts.relations):
    a row of `Nodes × GPUs per Node = GPUs` that breaks it is derived-column's to report."""
    from factlint.facts.relations import relations

    out = set()
    for table in facts.tables:
        for relation in facts.memo(f"relations:{table.index}", lambda _, t=table: relations(t)):
            out.add((table.index, relation.result))
    return out


def _figures(facts: NoteFacts, vocab) -> list[Figure]:
    out = []
    for table in facts.tables:
        for fact in table.facts:
            if fact.role != "value" or fact.reading is None or fact.part or fact.total:
                continue
            fam = _family_of(fact, vocab)
            if fam is None:
                continue
            nodes = _node_count(fact, table, vocab)
            if nodes is None or nodes.low <= 0:
                continue
            if fact.reading.low > fact.reading.high or nodes.low > nodes.high:
                continue       # a reversed range (`64-16`): range-order owns it
            qualifiers = fact.identity.qualifiers if fact.identity is not None else frozenset()
            out.append(_figure(fact, nodes, fam, qualifiers))
    return out


def _node_count(fact: Fact, table, vocab) -> NodeCount | None:
    """How many nodes the figure is stated for: one, when its label or cell says so; else its
    record's node count; else the vocabulary's size of a named cluster."""
    if (fact.label is not None and fact.label.per_node) or _per_node_cell(fact):
        stated = table.node_counts.get(fact.record)
        return NodeCount(1.0, 1.0, stated.fact if stated else None, per_node=True)
    stated = table.node_counts.get(fact.record)
    if stated is not None:
        return stated
    return _contained_count(fact, vocab)


_PER_NODE_UNITS = frozenset(norm_key(s) for s in ("节点", "node", "台", "system", "系统", "box", "server"))


def _per_node_cell(fact: Fact) -> bool:
    """`$2M/节点`, `8 PFLOPS/node`: the cell itself says it is per node."""
    per = text_of(fact.claim.get("per"))
    return bool(per) and norm_key(per) in _PER_NODE_UNITS


def _family_of(fact: Fact, vocab) -> str | None:
    """The scaling quantity a cell states. A generic header (`参数`, `Value`) over a unit the
    parser had to guess (`8 PLOPS`) is read by the unit's dimension instead."""
    reading = fact.reading
    attribute = vocab.attribute(text_of(fact.claim.get("attribute")))
    if attribute is not None and (reading.dimension is None or attribute.dimension == reading.dimension):
        return family(attribute.name) if attribute.scales_with_nodes or attribute.name in SCALING else None
    if attribute is None and fact.label is not None and fact.label.attribute is None \
            and fact.label.key != "~":
        return None                  # a label the vocabulary does not know: what it scales with is unknown
    return BY_DIMENSION.get(reading.dimension or "")


def _contained_count(fact: Fact, vocab) -> NodeCount | None:
    """A cluster the vocabulary knows (`Andromeda contains 16 CS-2`) and the note gives no count."""
    entity = vocab.entity(text_of(fact.claim.get("entity")))
    if entity is None or entity.kind != "cluster" or not entity.contains:
        return None
    return NodeCount(float(entity.contains[1]), float(entity.contains[1]), None)


def _figure(fact: Fact, nodes: NodeCount, fam: str, qualifiers) -> Figure:
    reading = fact.reading
    if nodes.per_node or nodes.high == 1:
        return Figure(fact, reading, nodes, fam, qualifiers, reading.span(), explicit=True)
    low_end, high_end = reading.ends()
    if reading.is_range and nodes.high != nodes.low:
        at_low, at_high = low_end.over(nodes.low), high_end.over(nodes.high)
        per_node = at_low.intersect(at_high) or Span(min(at_low.lo, at_high.lo),
                                                     max(at_low.hi, at_high.hi), at_low.unit)
        return Figure(fact, reading, nodes, fam, qualifiers, per_node, False, (at_low, at_high))
    per_node = reading.span().over(Span(nodes.low, nodes.high, "1"))
    return Figure(fact, reading, nodes, fam, qualifiers, per_node, False)


def _identity(entity_id: str, vocab) -> object:
    """What the cluster's nodes are: a system id, a private label, or None (the note's generic node)."""
    if not entity_id:
        return None
    entity = vocab.entity(entity_id)
    if entity is None:
        return ("label", norm_key(entity_id))
    if entity.kind == "cluster":
        return entity.contains[0] if entity.contains else ("label", entity.id)
    if entity.kind == "system":
        return entity.id
    return None


def _compatible(a: object, b: object) -> bool:
    if a == b:
        return True
    if isinstance(a, tuple) or isinstance(b, tuple):
        return False           # an unknown named cluster may be built of anything
    return a is None or b is None


def _groups(figures: list[Figure], facts: NoteFacts, vocab) -> list[Group]:
    """One group per cluster a table describes: each record of a table that lists node types
    (one row per type), else the table's one cluster."""
    groups: dict[tuple, Group] = {}
    for f in sorted(figures, key=lambda f: f.order):
        table = facts.table(f.fact.table)
        entity = _cluster_entity(f)
        if table is not None and table.shape == "entity-rows":
            # Each row is a node type of its own: only a system or a cluster the vocabulary knows is
            # comparable with another table's figures of it.
            key = (f.fact.table, "record", f.fact.record)
            identity = _identity(entity, vocab) if f.fact.record not in table.duplicated else None
            if not isinstance(identity, str):
                identity = ("label", key)
        else:
            key, identity = (f.fact.table, norm_key(entity)), _identity(entity, vocab)
        group = groups.setdefault(key, Group(key, identity))
        group.figures.append(f)
    return list(groups.values())


def _cluster_entity(f: Figure) -> str:
    """The entity a figure is stated for; a row label that is only a node count (`64 节点`)
    names no cluster, so the figure belongs to the table's generic node."""
    entity = text_of(f.claim.get("entity"))
    nodes_claim = f.nodes_claim
    labelled_by_count = nodes_claim is not None and nodes_claim["column"] == 0 \
        and nodes_claim["row"] == f.claim["row"]
    if labelled_by_count and norm_key(entity) == norm_key(text_of(f.claim.get("row_label"))):
        return ""
    return entity


def _system_rows(facts: NoteFacts, vocab, fam: str, qualifiers, unit: str,
                 groups: list[Group]) -> list[Group]:
    """The node system's own figure (`| CS-2 | WSE-2 | 4 PFLOPS |`), for clusters known to use it."""
    wanted = {g.identity for g in groups if isinstance(g.identity, str)}
    out = []
    for system in sorted(wanted):
        figures = []
        for table in facts.tables:
            for fact in table.facts:
                if fact.claim.get("entity") != system or fact.reading is None or fact.part \
                        or fact.claim.get("attribute") not in (fam, f"total_{fam}") \
                        or fact.record in table.node_counts or fact.reading.unit != unit:
                    continue
                if fact.identity is not None and fact.identity.qualifiers != qualifiers:
                    continue
                figures.append(Figure(fact, fact.reading, NodeCount(1, 1, None, True), fam, qualifiers,
                                      fact.reading.span(), True))
        if figures:
            group = Group(("system", system), system, figures, system_row=True)
            _settle(group)
            if group.estimate is not None:
                out.append(group)
    return out


# ---- checking -----------------------------------------------------------------------------------

def _check_ends(ctx, group: Group) -> Iterator[Finding]:
    """16-64 nodes with 64-512 PFLOPS: 4 per node at one end, 8 at the other."""
    for f in group.figures:
        if f.end_values is None or f.end_values[0].meets(f.end_values[1]):
            continue
        at_low, at_high = f.end_values
        message = (f"{f.claim['raw']} for {_nodes_phrase(f.nodes)} makes one node "
                   f"{show_about(at_low)} at {number(f.nodes.low)} nodes but {show_about(at_high)} at "
                   f"{number(f.nodes.high)} nodes.")
        evidence = (f"{_reading_end(f, 0)} ÷ {number(f.nodes.low)} = {show_span(at_low)}; "
                    f"{_reading_end(f, 1)} ÷ {number(f.nodes.high)} = {show_span(at_high)}; "
                    f"a range of totals must scale with the range of nodes.")
        yield ctx.finding(f.claim, message, evidence=evidence, related=_nodes_related(f),
                          values=[f.claim["raw"], _nodes_text(f.nodes)])


def _check_within(ctx, group: Group) -> Iterator[Finding]:
    """The figures of one table agree on one node. A single-node figure weighs more than any
    number of inferred ones, so it is the reference whenever the table states one."""
    result = _settle(group)
    for outlier in result.outliers if result else ():
        yield _against(ctx, outlier.item, [s.item for s in result.core], result.common)


def _settle(group: Group):
    """Set the group's per-node estimate (what its consistent figures share); return the split."""
    statements = [Statement(f.per_node, f.order, f, 10.0 if f.explicit else 1.0) for f in group.figures]
    if len(statements) == 1:
        group.used, group.estimate = (group.figures[0],), group.figures[0].per_node
        return None
    result = split(statements)
    group.used, group.estimate = tuple(s.item for s in result.core), result.common
    return result


def _check_across(ctx, groups: list[Group], references: list[Group]) -> Iterator[Finding]:
    """Tables that make one node different figures; the better-founded table is the reference."""
    # Accepted groups by (identity, estimate), each with its place in acceptance order: a note that
    # repeats its cluster table N times has N groups but few distinct ones, and each group is
    # compared with the distinct ones only (comparing it with every accepted group cost N²).
    accepted: dict[tuple, list[tuple[int, Group]]] = {}
    placed = 0
    for group in sorted(groups, key=lambda g: (-g.weight, g.figures[0].order)):
        if group.estimate is None:
            continue
        against: list[tuple[int, Group]] = []
        agreeing: list[tuple[int, Group]] = []
        for (identity, estimate), members in accepted.items():
            if not _compatible(identity, group.identity):
                continue
            if estimate.meets(group.estimate):
                agreeing.extend(members)
            else:
                against.append(members[0])      # the bucket's first accepted group
        references_against = [r for r in references if r.identity == group.identity
                              and not r.estimate.meets(group.estimate)]
        if not against and not references_against:
            accepted.setdefault((group.identity, group.estimate), []).append((placed, group))
            placed += 1
            continue
        first_against = min(against, key=lambda m: m[0])[1] if against else references_against[0]
        peers_agreeing = [g for _, g in sorted(agreeing, key=lambda m: m[0])]
        peers_agreeing += [r for r in references if r.identity == group.identity
                           and r.estimate.meets(group.estimate)]
        yield _group_finding(ctx, group, first_against, peers_agreeing)


# ---- findings -----------------------------------------------------------------------------------

def _nodes_text(nodes: NodeCount) -> str:
    if nodes.low == nodes.high:
        return number(nodes.low)
    return f"{number(nodes.low)}-{number(nodes.high)}"


def _nodes_phrase(nodes: NodeCount) -> str:
    """`1 node`, `16 nodes`, `16-64 nodes`."""
    return f"{_nodes_text(nodes)} node{'' if nodes.low == nodes.high == 1 else 's'}"


def _reading_end(f: Figure, end: int) -> str:
    value = f.reading.low if end == 0 else f.reading.high
    return show(value, f.reading.unit)


def _nodes_related(f: Figure) -> list:
    if f.nodes_claim is None:
        return []
    return [claim_location(f.nodes_claim, "node count")]


def _how(f: Figure, system: str | None = None) -> str:
    """`line 83: 512 PLOPS ÷ 64 nodes = 8 PFLOPS per node` — what one figure makes a node."""
    where = f"line {f.line}: "
    if f.explicit:
        return f"{where}{'a ' + system if system else 'one node'} = {f.claim['raw']}"
    if f.end_values is not None:
        low, high = (show_about(s) for s in f.end_values)
        ends = f"{low} per node at both ends" if low == high else \
            f"{low} per node at {number(f.nodes.low)} nodes but {high} at {number(f.nodes.high)}"
        return f"{where}{f.claim['raw']} for {_nodes_phrase(f.nodes)} = {ends}"
    text = f"{where}{f.claim['raw']} ÷ {_nodes_phrase(f.nodes)} = {show_about(f.per_node)} per node"
    if f.per_node.hi > f.per_node.lo * 1.05:
        text += f" ({show_span(f.per_node)} at the precision shown)"
    return text


def _total_text(nodes: NodeCount, per_node: Span) -> str:
    return show_range(nodes.low * per_node.mid, nodes.high * per_node.mid, per_node.unit)


def _related(figures, role: str) -> list:
    out = []
    for f in figures:
        out.append(claim_location(f.claim, role))
        if f.nodes_claim is not None:
            out.append(claim_location(f.nodes_claim, "node count"))
    return out


def _expected_total(f: Figure, per_node: Span) -> Span:
    return per_node.times(Span(f.nodes.low, f.nodes.high, "1"))


def _against(ctx, f: Figure, reference: list[Figure], per_node: Span) -> Finding:
    expected = _expected_total(f, per_node)
    ref_lines = lines_text([r.line for r in reference])
    message = (f"{_nodes_phrase(f.nodes)} × {show_about(per_node)} per node ({ref_lines}) = "
               f"{_total_text(f.nodes, per_node)}, but line {f.line} says {f.claim['raw']}.")
    evidence = "; ".join([_how(r) for r in reference] + [_how(f)]) + \
        f"; even at the precision shown ({show_span(f.per_node)} against {show_span(per_node)} per node) the two do not meet."
    return ctx.finding(f.claim, message, evidence=evidence,
                       related=_nodes_related(f) + _related(reference, "per-node figure"),
                       fix=_fix(f, per_node), values=[f.claim["raw"], show_span(per_node)],
                       data={"nodes": [f.nodes.low, f.nodes.high], "per_node": per_node.mid,
                             "expected": [expected.lo, expected.hi]})


def _group_finding(ctx, group: Group, reference: Group, agreeing: list[Group]) -> Finding:
    first = next((f for f in group.used if not f.explicit), group.used[0])
    # The node system's row may be stated all over a big note: its nearest cells stand for it.
    ref_used, ref_left_off = nearest(reference.used, first.line, key=lambda f: f.line)
    ref_lines = lines_text([f.line for f in ref_used]) + (f" and {ref_left_off} more" if ref_left_off else "")
    source = "the node system's own row" if reference.system_row else ref_lines
    plural = not reference.system_row and (len(ref_used) > 1 or bool(ref_left_off))
    message = (f"{first.claim['raw']} for {_nodes_phrase(first.nodes)} makes one node "
               f"{show_about(group.estimate)}, but {source} make{'' if plural else 's'} "
               f"one node {show_about(reference.estimate)}.")
    system = reference.identity if reference.system_row else None
    parts = [_how(f) for f in group.used] + [_how(f, system) for f in ref_used]
    parts.append(f"at {show_about(reference.estimate)} per node, {_nodes_phrase(first.nodes)} make "
                 f"{_total_text(first.nodes, reference.estimate)}, not {first.claim['raw']}")
    # A big note can repeat the cluster table many times: name the nearest agreeing tables only.
    near, tables_left_off = nearest(agreeing, first.line, AGREEING_SHOWN, key=lambda g: g.used[0].line)
    for other in near:
        name = f"the {other.identity} row, " if other.system_row else ""
        parts.append(f"{name}{_lines_near(other.used, first.line)}, makes one node "
                     f"{show_about(other.estimate)}, which agrees with {first.claim['raw']}")
    if tables_left_off:
        parts.append(f"and {tables_left_off} more tables agree")
    related = (_nodes_related(first) + _related([f for f in group.used if f is not first], "same cluster")
               + _related(ref_used, "per-node figure"))
    agreeing_figures, _ = nearest([f for g in agreeing for f in g.used], first.line, key=lambda f: f.line)
    related += _related(agreeing_figures, "agreeing figure")
    related, left_off = nearest(related, first.line)
    left_off += sum(len(g.used) for g in agreeing) - len(agreeing_figures) + ref_left_off
    return ctx.finding(first.claim, message, evidence="; ".join(parts) + more_cells(left_off) + ".",
                       related=related,
                       fix=_fix(first, reference.estimate) if len(group.used) == 1 else None,
                       values=[first.claim["raw"], show_span(reference.estimate)],
                       data={"per_node": group.estimate.mid, "reference_per_node": reference.estimate.mid,
                             "reference_lines": [f.line for f in ref_used]})


def _lines_near(figures, line: int) -> str:
    """`lines 74 and 289`; for a figure repeated all over a big note, the nearest few and a count."""
    shown, left_off = nearest(figures, line, AGREEING_SHOWN, key=lambda f: f.line)
    return lines_text([f.line for f in shown]) + (f" and {left_off} more" if left_off else "")


def _fix(f: Figure, per_node: Span) -> Fix | None:
    """The total rewritten as node count × the per-node figure, as the cell writes numbers."""
    if f.reading.is_range and f.nodes.low != f.nodes.high:
        totals = [f.nodes.low * per_node.mid, f.nodes.high * per_node.mid]
    elif not f.reading.is_range and f.nodes.low == f.nodes.high:
        totals = [f.nodes.low * per_node.mid]
    else:
        return None
    return number_fix(f.claim, f.reading, totals)
