"""How much of a note the knowledge base could check, and what the knowledge base holds.

`coverage` counts a note's numeric claims by verdict; `kb_summary` and `refs_table` feed the
`factlint refs [--entity X]` command (the CLI prints the rows; nothing here prints).
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable

from factlint.reference.kb import TIERS, KnowledgeBase
from factlint.reference.match import VERDICTS, is_known_entity, matched
from factlint.reference.wording import citation

if TYPE_CHECKING:       # the `refs` listing's frames only: a check's coverage counts need no pandas
    import pandas as pd

CHECKED = ("agree", "mismatch", "confusion", "undisclosed")
SUMMARY_COLUMNS = ["entity", "facts", "attributes", "stated", "withheld", "tiers", "high", "medium", "low",
                   "derived", "publications"]
FACT_COLUMNS = ["entity", "attribute", "id", "value", "qualifier", "status", "tier", "confidence", "derived",
                "source", "url"]


def coverage(notes, kb: KnowledgeBase, vocab=None) -> dict[str, Any]:
    """{numeric_claims, checked, share, agree, mismatch, confusion, undisclosed, no_reference,
    hardware}: the numeric claims about a product or company (an entity of `vocab`, else of the
    knowledge base, or a name with a model number) with an attribute, and how many a cited fact
    could check; `hardware` counts the same for hardware specifications only (attributes of
    group `hardware` in factlint/vocab/attributes.yaml). `notes`: one note's facts
    (factlint.facts.NoteFacts) or several."""
    counts: Counter[str] = Counter()
    hardware: Counter[str] = Counter()
    for facts in ([notes] if hasattr(notes, "facts") else notes or ()):
        for fact, result in matched(facts, kb):   # the reference rules' matches of this note
            if result.value is None or not result.value.is_numeric or not _about_a_thing(fact, vocab, kb):
                continue
            counts[result.verdict] += 1
            if _group(fact.claim["attribute"], vocab) == "hardware":
                hardware[result.verdict] += 1
    return {**_shares(counts), **{verdict: counts[verdict] for verdict in VERDICTS},
            "hardware": _shares(hardware)}


def _shares(counts: Counter) -> dict[str, Any]:
    numeric = sum(counts.values())
    checked = sum(counts[v] for v in CHECKED)
    return {"numeric_claims": numeric, "checked": checked, "share": round(checked / numeric, 4) if numeric else 0.0}


def _about_a_thing(fact, vocab, kb: KnowledgeBase) -> bool:
    return is_known_entity(fact.claim["entity"], vocab, kb) or (fact.name is not None and fact.name.product_like)


def _group(attribute: str, vocab) -> str:
    if vocab is None:
        from factlint.normalise.vocab import load_vocabulary

        vocab = load_vocabulary(())
    found = vocab.attribute(attribute)
    return found.group if found is not None else "other"


def kb_summary(kb: KnowledgeBase, entity: str | None = None,
               entities: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per entity (facts, attributes, tiers, confidence mix, publications) of the
    curated facts and of `entities` (imported products a note named: the import holds thousands);
    with `entity`, one row per fact of that entity."""
    import pandas as pd

    if entity is not None:
        return pd.DataFrame([_fact_row(f) for f in kb.facts(entity)], columns=FACT_COLUMNS)
    names = sorted({f.entity for f in kb.all_facts} | set(entities or ()))
    rows = []
    for name in names:
        facts = kb.facts(name)
        confidence = Counter(f.confidence for f in facts)
        tiers = Counter(f.tier for f in facts)
        rows.append({
            "entity": name, "facts": len(facts), "attributes": len({f.attribute for f in facts}),
            "stated": sum(f.is_stated for f in facts), "withheld": sum(not f.is_stated for f in facts),
            "tiers": ", ".join(f"{t} {tiers[t]}" for t in TIERS if tiers[t]),
            "high": confidence["high"], "medium": confidence["medium"], "low": confidence["low"],
            "derived": sum(f.derived for f in facts), "publications": len({f.publication for f in facts}),
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def refs_table(kb: KnowledgeBase, notes=None, entity: str | None = None) -> list[dict[str, Any]]:
    """Rows for `factlint refs`: the summary (or one entity's facts); given notes' facts, each row also
    says how the notes' claims fared against it, and the imported products the notes name are listed."""
    notes = None if notes is None else ([notes] if hasattr(notes, "facts") else notes)
    pairs = [(f.claim, r) for facts in notes or () for f, r in matched(facts, kb)]
    named = {r.fact.entity for _, r in pairs if r.fact is not None}
    rows = kb_summary(kb, entity, named).to_dict("records")
    if notes is None:
        return rows
    verdicts: Counter[tuple[str, str]] = Counter()
    by_fact: dict[str, list[str]] = {}
    for claim, result in pairs:
        subject = result.fact.entity if result.fact is not None else claim["entity"]
        verdicts[(subject, result.verdict)] += 1
        if result.fact is not None:
            by_fact.setdefault(result.fact.id, []).append(f"{result.verdict} (line {int(claim['line'])})")
    for row in rows:
        if entity is None:
            for verdict in VERDICTS:
                row[verdict] = verdicts[(row["entity"], verdict)]
        else:
            row["note"] = ", ".join(by_fact.get(row["id"], []))
    return rows


def imported_summary(kb: KnowledgeBase) -> list[str]:
    """One line per imported source: its file, products and facts (they are not listed one by one)."""
    return [f"{source.path.name}: {len(source.entities()):,} products, {source.size():,} facts "
            f"(factlint refs --entity NAME lists one)" for source in kb.imported]


def _fact_row(fact) -> dict[str, Any]:
    return {"entity": fact.entity, "attribute": fact.attribute, "id": fact.id, "value": fact.value_text(),
            "qualifier": fact.qualifier, "status": fact.status, "tier": fact.tier, "confidence": fact.confidence,
            "derived": fact.derived, "source": citation(fact), "url": fact.source_url or ""}
