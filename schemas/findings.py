"""The findings contract: what every emitter reads.

``FindingsSchema`` validates ``factlint.findings.findings_frame`` (one row per finding);
``RelatedLocationsSchema`` validates the long side table with one row per related location
(built by ``factlint.emit.frames.related_frame``), like pandera's long failure-cases frame.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas.finding_columns import FINGERPRINT, RULE_ID, SEVERITIES  # noqa: F401


class FindingsSchema(pa.DataFrameModel):
    rule: Series[str] = pa.Field(str_matches=RULE_ID)
    severity: Series[str] = pa.Field(isin=SEVERITIES)
    message: Series[str] = pa.Field(str_length={"min_value": 1})
    path: Series[str] = pa.Field(str_length={"min_value": 1})
    line: Series[int] = pa.Field(ge=0)                     # 0: about the whole file
    table: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    row: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    column: Series[str] = pa.Field(nullable=True)
    entity: Series[str] = pa.Field(nullable=True)
    attribute: Series[str] = pa.Field(nullable=True)
    evidence: Series[str]
    fix: Series[str] = pa.Field(nullable=True)
    fingerprint: Series[str] = pa.Field(str_matches=FINGERPRINT)
    related: Series[str]                                   # JSON list of Location dicts
    reference: Series[str] = pa.Field(nullable=True)       # JSON Reference dict

    class Config:
        strict = True
        coerce = True
        ordered = True


class RelatedLocationsSchema(pa.DataFrameModel):
    finding: Series[int] = pa.Field(ge=0)                  # row position in the findings frame
    fingerprint: Series[str] = pa.Field(str_matches=FINGERPRINT)
    rule: Series[str] = pa.Field(str_matches=RULE_ID)
    role: Series[str]
    path: Series[str] = pa.Field(str_length={"min_value": 1})
    line: Series[int] = pa.Field(ge=0)
    table: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    row: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    column: Series[str] = pa.Field(nullable=True)
    text: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        ordered = True
