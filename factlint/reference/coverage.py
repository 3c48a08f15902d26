"""How much of a note the knowledge base could check, and what the knowledge base holds.

`coverage` counts a note's numeric claims by verdict; `kb_summary` and `refs_table` feed the
`factlint refs [--entity X]` command (the CLI prints the rows; nothing here prints).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from factlint.reference.kb import KnowledgeBase
from factlint.reference.match import VERDICTS, is_known_entity, matched
from factlint.reference.wording import citation

CHECKED = ("agree", "mismatch", "confusion", "undisclosed")
SUMMARY_COLUMNS = ["entity", "facts", "attributes", "stated", "withheld", "high", "medium", "low", "derived",
                   "publications"]
FACT_COLUMNS = ["entity", "attribute", "id", "value", "qualifier", "status", "confidence", "derived", "source",
                "url"]


def coverage(notes, kb: KnowledgeBase, vocab=None) -> dict[str, Any]:
    """{numeric_claims, checked, share, agree, mismatch, confusion, undisclosed, no_reference}: numeric
    claims naming a known entity (of `vocab`, else of the knowledge base) and an attribute, and how
    many a cited fact could check. `notes`: one note's facts (factlint.facts.NoteFacts) or several."""
    counts: Counter[str] = Counter()
    for facts in ([notes] if hasattr(notes, "facts") else notes or ()):
        for fact, result in matched(facts, kb):   # the reference rules' matches of this note
            if result.value is None or not result.value.is_numeric \
                    or not is_known_entity(fact.claim["entity"], vocab, kb):
                continue
            counts[result.verdict] += 1
    numeric = sum(counts.values())
    checked = sum(counts[v] for v in CHECKED)
    return {"numeric_claims": numeric, "checked": checked,
            "share": round(checked / numeric, 4) if numeric else 0.0,
            **{verdict: counts[verdict] for verdict in VERDICTS}}


def kb_summary(kb: KnowledgeBase, entity: str | None = None) -> pd.DataFrame:
    """One row per entity (facts, attributes, confidence mix, publications); with `entity`, one row per
    fact of that entity."""
    if entity is not None:
        return pd.DataFrame([_fact_row(f) for f in kb.facts(entity)], columns=FACT_COLUMNS)
    rows = []
    for name in kb.entities():
        facts = kb.facts(name)
        confidence = Counter(f.confidence for f in facts)
        rows.append({
            "entity": name, "facts": len(facts), "attributes": len({f.attribute for f in facts}),
            "stated": sum(f.is_stated for f in facts), "withheld": sum(not f.is_stated for f in facts),
            "high": confidence["high"], "medium": confidence["medium"], "low": confidence["low"],
            "derived": sum(f.derived for f in facts), "publications": len({f.publication for f in facts}),
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def refs_table(kb: KnowledgeBase, notes=None, entity: str | None = None) -> list[dict[str, Any]]:
    """Rows for `factlint refs`: the summary (or one entity's facts); given notes' facts, each row also
    says how the notes' claims fared against it."""
    frame = kb_summary(kb, entity)
    rows = frame.to_dict("records")
    if notes is None:
        return rows
    notes = [notes] if hasattr(notes, "facts") else notes
    verdicts: Counter[tuple[str, str]] = Counter()
    by_fact: dict[str, list[str]] = {}
    for claim, result in ((f.claim, r) for facts in notes for f, r in matched(facts, kb)):
        verdicts[(claim["entity"], result.verdict)] += 1
        if result.fact is not None:
            by_fact.setdefault(result.fact.id, []).append(f"{result.verdict} (line {int(claim['line'])})")
    for row in rows:
        if entity is None:
            for verdict in VERDICTS:
                row[verdict] = verdicts[(row["entity"], verdict)]
        else:
            row["note"] = ", ".join(by_fact.get(row["id"], []))
    return rows


def _fact_row(fact) -> dict[str, Any]:
    return {"entity": fact.entity, "attribute": fact.attribute, "id": fact.id, "value": fact.value_text(),
            "qualifier": fact.qualifier, "status": fact.status, "confidence": fact.confidence,
            "derived": fact.derived, "source": citation(fact), "url": fact.source_url or ""}
