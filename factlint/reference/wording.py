"""How reference findings speak: the citation, the evidence line, and the fix written the note's way."""
from __future__ import annotations

import math
import re
from typing import Any, Mapping

from factlint.findings import Applicability, Fix, Reference
from factlint.reference.kb import Fact
from factlint.reference.match import ClaimValue, MatchResult, claim_field

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_RANGE_TAIL = re.compile(r"\s*(?:[A-Za-z%]+\s*)?(?:-|–|—|~|～|至|to)\s*\$?")


_WORDS = {"hbm": "HBM", "on chip": "on-chip"}


def attribute_words(attribute: str | None) -> str:
    """`on_chip_memory` -> "on-chip memory", `hbm_memory` -> "HBM memory"."""
    text = (attribute or "").replace("_", " ")
    for plain, written in _WORDS.items():
        text = text.replace(plain, written)
    return text


def citation(fact: Fact) -> str:
    return f"{fact.publication}, {fact.as_of or 'undated'}"


def as_written(claim) -> str:
    """The cell as the note writes it, and what it reads as where the column header gave its
    unit or scale: `80` under `晶体管数量(亿)` -> "80 (8B as its column header 亿 scales it)"."""
    import re

    from factlint.facts.display import show
    from factlint.normalise.quantity import split_header_unit

    raw = str(claim.get("raw") or "")
    value = claim.get("canonical_value")
    bare = re.fullmatch(r"\s*(\d[\d,]*(?:\.\d+)?)\s*", raw)
    if value is None or bare is None or claim.get("kind") != "number":
        return raw
    written = float(bare.group(1).replace(",", ""))
    if written == 0 or abs(float(value) / written - 1) < 1e-9:
        return raw
    header = next((label for label in (claim.get("column_label"), claim.get("row_label"))
                   if label and split_header_unit(str(label))[1]), None)
    if header is None:
        return raw
    return f"{raw} ({show(float(value), claim.get('canonical_unit') or '1')} as “{header}” scales it)"


def described(fact: Fact) -> str:
    """"44 GB (on-chip SRAM)"."""
    text = fact.value_text()
    return f"{text} ({fact.qualifier})" if fact.qualifier and fact.qualifier != text else text


def reference(fact: Fact) -> Reference:
    return Reference(publication=fact.publication, url=fact.source_url or "", quote=fact.quote,
                     date=fact.as_of or "", confidence=fact.confidence, value=fact.value_text(),
                     qualifier=fact.qualifier, tier=fact.tier)


def evidence(result: MatchResult, limit: int = 4) -> str:
    """Reading note, the quote with its link, and the other variants the reference lists."""
    fact = result.fact
    parts = []
    if result.value is not None and result.value.reading:
        parts.append(result.value.reading)
    if result.note:
        parts.append(result.note)
    if fact is not None:
        quote = f'"{fact.quote}" ' if fact.quote else ""
        link = f" <{fact.source_url}>" if fact.source_url else ""
        flags = "".join([" [derived]" if fact.derived else "", f" [{fact.tier} source]" if fact.tier else "",
                         f" [{fact.confidence} confidence]"])
        parts.append(f"{quote}({citation(fact)}){link}{flags}")
    others = [described(f) for f in result.others[:limit]]
    if others:
        more = f" and {len(result.others) - limit} more" if len(result.others) > limit else ""
        parts.append("other reference values: " + "; ".join(others) + more)
    return "; ".join(parts)


def fix_for(claim: Mapping[str, Any], result: MatchResult) -> Fix | None:
    """The referenced value written the way the note writes this cell ("80GB" -> "44GB",
    "8 PLOPS" -> "125 PFLOPS", "16-64" -> "16"); None when it cannot be written so."""
    fact, value = result.fact, result.value
    raw = str(claim_field(claim, "raw") or "")
    if fact is None or value is None or not raw:
        return None
    if fact.is_categorical and value.text is not None:
        replacement = fact.text_value
    elif fact.attribute == "year" and fact.value is not None:
        replacement = _replace_number(raw, str(int(fact.value)), value)
    elif fact.is_numeric and value.is_numeric:
        replacement = _numeric_replacement(raw, fact, value)
    else:
        replacement = None
    if not replacement or replacement == raw:
        return None
    return Fix(replacement=replacement, title=f"Replace `{raw}` with `{replacement}`",
               applicability=Applicability.UNSAFE, original=raw)


def _numeric_replacement(raw: str, fact: Fact, value: ClaimValue) -> str | None:
    match = _NUMBER.search(raw)
    if match is None:
        return None
    literal = float(match.group().replace(",", ""))
    if literal == 0 or value.low is None:
        return None
    scale = value.low / literal                       # canonical units per unit of the written number
    digits = _significant_digits(fact)
    low = fact.canonical_low / scale
    high = fact.canonical_high / scale
    if abs(low) < 1 <= literal:
        # The note's unit would need "0.459 PFLOPS": the reference's own unit reads better.
        return fact.value_text().lstrip("~≥≤<>")
    grouped = "," in match.group()
    number = _format(low, digits, grouped)
    if high != low:
        number += "-" + _format(high, digits, grouped)
    text = _replace_number(raw, number, value)
    if value.token and value.suggestion:
        text = text.replace(value.token, value.suggestion)
    return text


def _replace_number(raw: str, number: str, value: ClaimValue) -> str:
    """Put `number` where the cell's number (or its whole range) is."""
    first = _NUMBER.search(raw)
    if first is None:
        return number
    end = first.end()
    if value.is_range:
        second = _NUMBER.search(raw, end)
        if second is not None and _RANGE_TAIL.fullmatch(raw[end:second.start()]):
            end = second.end()
    return raw[:first.start()] + number + raw[end:]


def _significant_digits(fact: Fact) -> int:
    """Digits the reference shows: 290.3 -> 4, 44 -> 2, 1200 -> 2, 0.459 -> 3."""
    best = 1
    for x in (fact.value, fact.value_low, fact.value_high):
        if x is None:
            continue
        text = f"{abs(x):.15g}"
        if "e" in text:
            continue
        digits = len(text.replace(".", "").lstrip("0")) if "." in text else len(text.rstrip("0"))
        best = max(best, digits)
    return best


def _format(x: float, digits: int, grouped: bool) -> str:
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{x:,.{decimals}f}" if grouped else f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
