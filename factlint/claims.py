"""Claims: every table cell of a note as one row of the published claims contract.

A claim is the cell as typed data (its text, its parsed quantity, its place) with the entity and
attribute the facts layer (factlint/facts/) read for it. The table reading itself lives there,
once: this module only turns the facts' claims into the contract's frame and back
(schemas/claims.py::ClaimsSchema, also the contract of data/validated/claims.*).
"""
from __future__ import annotations

import math

import pandas as pd

from factlint.document import Document
from factlint.normalise.vocab import Vocabulary
from schemas.claim_columns import CLAIM_COLUMNS

Claim = dict           # one claim: every CLAIM_COLUMNS key, None where absent, plus "index"


def extract_claims(doc: Document, vocab: Vocabulary) -> pd.DataFrame:
    """A note's claims as a frame of the claims contract (schemas.claims.ClaimsSchema)."""
    return claims_frame(extract_claim_rows(doc, vocab))


def extract_claim_rows(doc: Document, vocab: Vocabulary) -> list[Claim]:
    """A note's claims as plain dicts, exactly the values its frame would hold (floats as float,
    counts as int, None where absent) plus "index", the claim's position in the note."""
    from factlint.facts import read_note

    return read_note(doc, vocab).claims


def claims_frame(rows: list[Claim]) -> pd.DataFrame:
    """Claim dicts (of one note or many) as a frame of the claims contract, indexed 0..n-1."""
    if not rows:
        return empty_claims()
    return pd.DataFrame({column: pd.Series([row[column] for row in rows], dtype=_CLAIM_DTYPES.get(column, "object"))
                         for column in CLAIM_COLUMNS})


def claim_rows(claims: pd.DataFrame | list[Claim] | None) -> list[Claim]:
    """Claims as dicts whether given as rows (returned as they are) or as a frame (converted: NaN
    as None, counts as int, "index" = the frame's row label)."""
    if claims is None:
        return []
    if isinstance(claims, list):
        return claims
    return [_row_of_record(record, index)
            for index, record in zip(claims.index, claims.to_dict("records"))]


def _row_of_record(record: dict, index) -> Claim:
    out = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}
    for key in _INT_COLUMNS:
        if out.get(key) is not None:
            out[key] = int(out[key])
    out["index"] = index
    return out


# Text columns stay Python objects (None when absent): Arrow-backed strings made every rule's
# row access several times slower.
_INT_COLUMNS = ("table", "line", "row", "column", "decimals")
_FLOAT_COLUMNS = ("tolerance", "value", "value_high", "canonical_value", "canonical_value_high")
_CLAIM_DTYPES = {**{c: "int64" for c in _INT_COLUMNS}, **{c: "float64" for c in _FLOAT_COLUMNS}}


def empty_claims() -> pd.DataFrame:
    """A claims frame with the contract's columns and dtypes and no rows."""
    return pd.DataFrame({c: pd.Series(dtype=_CLAIM_DTYPES.get(c, "object")) for c in CLAIM_COLUMNS})
