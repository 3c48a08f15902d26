"""A later generation that goes backwards: a coarser process node, fewer transistors, or a system older than its chip.

## What it does
Groups the note's products into families (the vocabulary's kind and vendor, e.g. Cerebras
chips; for names it does not know, the name without its generation number: `WSE-1`, `WSE-2`
-> `WSE`) and orders each family by the year the note gives each product, from any table.
Between one generation and the next it reports:
- a process node that grows (7 nm in 2021, then 16 nm in 2024);
- a transistor count that shrinks (2.6T, then 1.2T);
- a system (or cluster) dated before the chip (or system) it is built from, named in a chip
  column of its row (`| CS-2 | WSE-2 | ... | 2019 |`) or by the vocabulary (`CS-2` contains
  `WSE-2`).
Differences within the precision shown are not reported, and a product whose year or value the
note states two different ways is left to the cross-table checks.

## Why is this bad?
Process nodes shrink and transistor counts grow from one generation to the next, and a system
cannot ship before its chip exists. A table that says otherwise has swapped rows, a wrong year
or a mistyped figure.

## Example
| 产品 | 制程 | 晶体管 | 时间 |
|------|------|--------|------|
| WSE-1 | 16nm | 1.2T | 2019 |
| WSE-2 | 7nm | 2.6T | 2021 |
| WSE-3 | 14nm | 4.0T | 2024 |

Use instead:
| 产品 | 制程 | 晶体管 | 时间 |
|------|------|--------|------|
| WSE-1 | 16nm | 1.2T | 2019 |
| WSE-2 | 7nm | 2.6T | 2021 |
| WSE-3 | 5nm | 4.0T | 2024 |

## Fix
None automatic: the year, the figure or the row order may be the wrong part.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from factlint.document import Document
from factlint.findings import Finding, Location, Severity
from factlint.normalise.vocab import norm_key
from factlint.rules import rule
from factlint.rules._context import claim_location

Claim = dict

OPTIONS: dict = {}   # none: an option given for this rule in [tool.factlint] is a config error

# attribute -> +1 when it must not shrink across generations, -1 when it must not grow
TRENDS = {"process_node": -1, "transistors": +1}


@dataclass(frozen=True)
class Stated:
    """One product's single value for one attribute, with the claim that states it."""
    entity: str
    value: float
    tolerance: float
    claim: dict


def _entity_key(name: str | None, vocab) -> str | None:
    """One key per product: the vocabulary id, else the name's matching key."""
    if not name or not name.strip():
        return None
    if name in vocab.entities:
        return name
    known = vocab.match_entity(name)
    if known is not None and norm_key(known.id) == norm_key(name):
        return known.id
    return norm_key(name)


def _stem(key: str) -> str:
    """The key without its trailing generation tokens, each `v`, digits, a letter, the `v` and
    the letter optional (h100 -> h, tpuv5p -> tpu, mi300x -> mi), read from the right in one
    pass. The regex `(v?\\d+[a-z]?)+$` it replaces backtracked exponentially on a run of digits
    followed by anything else: an entity named `9999…91⁄2` (40 digits) took hours."""
    key = norm_key(key)
    end = len(key)
    while True:
        i = end
        if i and "a" <= key[i - 1] <= "z":
            i -= 1
        digits_end = i
        while i and key[i - 1].isdecimal():
            i -= 1
        if i == digits_end:
            return key[:end]
        if i and key[i - 1] == "v":
            i -= 1
        end = i


def _families(keys, vocab) -> dict[str, tuple]:
    """entity key -> family. Vocabulary entities: (kind, vendor). Others: the family of a
    vocabulary entity with the same stem, else the stem itself (no generation number, no family)."""
    by_stem: dict[str, set] = defaultdict(set)
    for e in vocab.entities.values():
        if e.vendor:
            by_stem[_stem(e.id)].add((e.kind, e.vendor))
    out = {}
    for key in keys:
        e = vocab.entity(key)
        if e is not None and e.vendor:
            out[key] = (e.kind, e.vendor)
            continue
        stem = _stem(key)
        if stem == norm_key(key):
            continue   # no generation number: nothing to order it against
        known = by_stem.get(stem, set())
        out[key] = next(iter(known)) if len(known) == 1 else ("stem", stem)
    return out


def _single(key: str, claims: list[Claim]) -> Stated | None:
    """The one value the note gives (all claims agree within their precision), else None."""
    base = claims[0]
    base_value, base_tol = float(base["canonical_value"]), float(base["tolerance"] or 0.0)
    if any(abs(float(c["canonical_value"]) - base_value) > float(c["tolerance"] or 0.0) + base_tol
           for c in claims[1:]):
        return None
    return Stated(key, base_value, base_tol, base)


def _stated(keyed: list[tuple[str, Claim]]) -> dict[str, Stated]:
    grouped: dict[str, list[Claim]] = defaultdict(list)
    for key, claim in keyed:
        grouped[key].append(claim)
    return {k: s for k, group in grouped.items() if (s := _single(k, group)) is not None}


def _is_year(claim: Claim) -> bool:
    return (claim["attribute"] == "year" or claim["dimension"] == "year") and \
        claim["kind"] in ("year", "number")


@rule("generation-trend", severity=Severity.WARNING, tags=("consistency",))
def generation_trend(doc: Document, ctx) -> Iterator[Finding]:
    rows = ctx.facts.claims
    keyed = [(key, c) for c in rows if c["status"] == "parsed" and c["canonical_value"] is not None
             and (key := _entity_key(c["entity"], ctx.vocab))]
    years = _stated([(k, c) for k, c in keyed if _is_year(c)])
    families = _families(years, ctx.vocab)
    for attribute, direction in TRENDS.items():
        values = _stated([(k, c) for k, c in keyed if c["attribute"] == attribute and c["kind"] != "range"])
        yield from _trend(ctx, attribute, direction, values, years, families)
    yield from _built_before_part(ctx, rows, years)


def _trend(ctx, attribute, direction, values, years, families) -> Iterator[Finding]:
    members: dict[tuple, list[str]] = defaultdict(list)
    for key in values:
        if key in years and key in families:
            members[families[key]].append(key)
    for keys in members.values():
        by_year: dict[int, list[str]] = defaultdict(list)
        for key in keys:
            by_year[int(years[key].value)].append(key)
        ordered = sorted(by_year)
        for earlier_year, later_year in zip(ordered, ordered[1:]):
            # the least advanced product of the previous generation: a later one must beat it
            earlier = max(by_year[earlier_year], key=lambda k: -direction * values[k].value)
            for later in by_year[later_year]:
                old, new = values[earlier], values[later]
                if direction * (old.value - new.value) > old.tolerance + new.tolerance:
                    yield _regression(ctx, attribute, direction, new, old, years[later], years[earlier])


def _regression(ctx, attribute, direction, new: Stated, old: Stated, new_year: Stated,
                old_year: Stated) -> Finding:
    what = {"process_node": "process node", "transistors": "transistor count"}.get(attribute, attribute)
    worse = "coarser" if direction < 0 else "smaller"
    new_c, old_c = new.claim, old.claim
    return ctx.finding(
        new_c,
        f"{new_c['entity']} ({new_year.claim['raw']}) has a {worse} {what} ({new_c['raw']}) than the "
        f"earlier {old_c['entity']} ({old_year.claim['raw']}: {old_c['raw']}).",
        evidence=f"{old_c['entity']}: {old_c['raw']} in {old_year.claim['raw']} (line {old_c['line']}); "
                 f"{new_c['entity']}: {new_c['raw']} in {new_year.claim['raw']} (line {new_c['line']})",
        related=_related(new_c, [(old_c, f"earlier {what}"), (new_year.claim, "year"),
                                 (old_year.claim, "earlier year")]),
        values=[new_c["raw"], old_c["entity"], old_c["raw"]],
        data={"earlier": old_c["entity"], "earlier_value": old.value, "later_value": new.value,
              "earlier_year": int(old_year.value), "later_year": int(new_year.value)})


def _related(at: dict, cells: list[tuple[dict | None, str]]) -> list[Location]:
    """Each other cell used, once, with its role."""
    seen = {(at["line"], at["column"])}
    out = []
    for claim, role in cells:
        if claim is not None and (claim["line"], claim["column"]) not in seen:
            seen.add((claim["line"], claim["column"]))
            out.append(claim_location(claim, role))
    return out


def _built_before_part(ctx, rows: list[Claim], years: dict[str, Stated]) -> Iterator[Finding]:
    """A system dated before the chip it names (chip column) or contains (vocabulary)."""
    named = _named_parts(ctx, rows)
    for key, year in years.items():
        part_key, part_cell = named.get(key) or _contained_part(ctx, key)
        if part_key is None or part_key not in years:
            continue
        part_year = years[part_key]
        if year.value >= part_year.value:
            continue
        at = _same_row_year(rows, part_cell, year)
        related = _related(at, [(part_cell, "part named in the row"), (part_year.claim, "part's year")])
        via = f"its {part_cell['column_label']} column" if part_cell is not None else "the vocabulary"
        yield ctx.finding(
            at,
            f"{at['entity']} is dated {at['raw']}, before {part_key} ({part_year.claim['raw']}), "
            f"which it is built from.",
            evidence=f"{at['entity']} contains {part_key} ({via}); {part_key}: {part_year.claim['raw']} "
                     f"(line {part_year.claim['line']}); {at['entity']}: {at['raw']} (line {at['line']})",
            related=related, values=[at["raw"], part_key, part_year.claim["raw"]],
            data={"part": part_key, "year": int(year.value), "part_year": int(part_year.value)})


def _named_parts(ctx, rows: list[Claim]) -> dict[str, tuple[str, Claim]]:
    """entity key -> (the part its row names in a chip column, that cell); the first one wins."""
    out: dict[str, tuple[str, Claim]] = {}
    for cell in rows:
        if cell["attribute"] != "chip" or not cell["raw"]:
            continue
        key = _entity_key(cell["entity"], ctx.vocab)
        part = ctx.vocab.match_entity(cell["raw"])
        part_key = part.id if part is not None else _entity_key(cell["raw"], ctx.vocab)
        if key and part_key and part_key != key and key not in out:
            out[key] = (part_key, cell)
    return out


def _contained_part(ctx, key: str) -> tuple[str | None, None]:
    """What the vocabulary says `key` is built from (`CS-3` contains `WSE-3`)."""
    entity = ctx.vocab.entity(key)
    return (entity.contains[0], None) if entity is not None and entity.contains else (None, None)


def _same_row_year(rows: list[Claim], part_cell: Claim | None, year: Stated) -> Claim:
    """Report at the year cell of the row that names the part, when there is one."""
    if part_cell is not None:
        for c in rows:
            if (c["table"], c["row"]) == (part_cell["table"], part_cell["row"]) and \
                    c["attribute"] == "year" and c["status"] == "parsed":
                return c
    return year.claim
