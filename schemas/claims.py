"""The claims contract: one row per table-cell claim. Also the published data contract
of data/validated/claims.{parquet,csv}."""
from __future__ import annotations

import pandera.pandas as pa
from pandera.typing.pandas import Series

# The contract columns named by the foundation issue, then the extra columns rules need.
CONTRACT_COLUMNS = [
    "path", "table", "heading", "line", "row_label", "column_label", "entity", "attribute",
    "raw", "value", "value_high", "bound", "unit", "canonical_value", "canonical_value_high",
    "canonical_unit", "dimension", "status",
]
EXTRA_COLUMNS = ["row", "column", "kind", "tolerance", "decimals", "reason", "token", "per", "text",
                 "qualifier"]
CLAIM_COLUMNS = CONTRACT_COLUMNS + EXTRA_COLUMNS

STATUSES = ["parsed", "missing", "text", "unknown-unit", "unparseable"]
KINDS = ["number", "range", "percent", "ratio", "money", "year", "date", "status", "same",
         "missing", "text"]
BOUNDS = ["=", "~", ">=", ">", "<=", "<"]


class ClaimsSchema(pa.DataFrameModel):
    path: Series[str]
    table: Series[int] = pa.Field(ge=1)
    heading: Series[str]
    line: Series[int] = pa.Field(ge=1)
    row_label: Series[str] = pa.Field(nullable=True)
    column_label: Series[str] = pa.Field(nullable=True)
    entity: Series[str] = pa.Field(nullable=True)
    attribute: Series[str] = pa.Field(nullable=True)
    raw: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    value_high: Series[float] = pa.Field(nullable=True)
    bound: Series[str] = pa.Field(isin=BOUNDS)
    unit: Series[str] = pa.Field(nullable=True)
    canonical_value: Series[float] = pa.Field(nullable=True)
    canonical_value_high: Series[float] = pa.Field(nullable=True)
    canonical_unit: Series[str] = pa.Field(nullable=True)
    dimension: Series[str] = pa.Field(nullable=True)
    status: Series[str] = pa.Field(isin=STATUSES)
    row: Series[int] = pa.Field(ge=0)
    column: Series[int] = pa.Field(ge=0)
    kind: Series[str] = pa.Field(isin=KINDS)
    tolerance: Series[float] = pa.Field(ge=0)
    decimals: Series[int] = pa.Field(ge=0)
    reason: Series[str] = pa.Field(nullable=True)
    token: Series[str] = pa.Field(nullable=True)
    per: Series[str] = pa.Field(nullable=True)
    text: Series[str] = pa.Field(nullable=True)
    qualifier: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check(name="parsed-has-canonical-value",
                        error="a parsed numeric claim must carry a canonical value")
    def parsed_has_value(cls, df):
        numeric = df["kind"].isin(["number", "range", "percent", "ratio", "money", "year"])
        return ~((df["status"] == "parsed") & numeric) | df["canonical_value"].notna()

    @pa.dataframe_check(name="range-ordered-high", error="value_high is set only for ranges")
    def high_only_for_ranges(cls, df):
        return df["value_high"].isna() | (df["kind"] == "range") | (df["bound"] != "=")

    class Config:
        strict = True
        coerce = True
        ordered = True
