"""The claims contract: one row per table-cell claim. Also the published data contract
of data/validated/claims.{parquet,csv}."""
from __future__ import annotations

import numpy as np
import pandera.pandas as pa
from pandera.dtypes import immutable
from pandera.engines import pandas_engine
from pandera.typing.pandas import Series

from schemas.claim_columns import (BOUNDS, CLAIM_COLUMNS, CONTRACT_COLUMNS, EXTRA_COLUMNS, KINDS,  # noqa: F401
                                   STATUSES)


@pandas_engine.Engine.register_dtype
@immutable(init=True)
class Text(pandas_engine.STRING):
    """pandas' `str` dtype, exactly what `Series[Text]` checks and coerces to, answered once per
    column. pandera's own check answers element by element even when the column's dtype
    matches, then formats a failure table for the passing column: 18 text columns made that
    ~40 % of each validation (0.35 ms a note in `factlint check`)."""

    def check(self, pandera_dtype, data_container=None):
        result = super().check(pandera_dtype, data_container)
        if isinstance(result, np.ndarray) and result.dtype == bool and result.all():
            return True
        return result


class ClaimsSchema(pa.DataFrameModel):
    path: Series[Text]
    table: Series[int] = pa.Field(ge=1)
    heading: Series[Text]
    line: Series[int] = pa.Field(ge=1)
    row_label: Series[Text] = pa.Field(nullable=True)
    column_label: Series[Text] = pa.Field(nullable=True)
    entity: Series[Text] = pa.Field(nullable=True)
    attribute: Series[Text] = pa.Field(nullable=True)
    raw: Series[Text]
    value: Series[float] = pa.Field(nullable=True)
    value_high: Series[float] = pa.Field(nullable=True)
    bound: Series[Text] = pa.Field(isin=BOUNDS)
    unit: Series[Text] = pa.Field(nullable=True)
    canonical_value: Series[float] = pa.Field(nullable=True)
    canonical_value_high: Series[float] = pa.Field(nullable=True)
    canonical_unit: Series[Text] = pa.Field(nullable=True)
    dimension: Series[Text] = pa.Field(nullable=True)
    status: Series[Text] = pa.Field(isin=STATUSES)
    row: Series[int] = pa.Field(ge=0)
    column: Series[int] = pa.Field(ge=0)
    kind: Series[Text] = pa.Field(isin=KINDS)
    tolerance: Series[float] = pa.Field(ge=0)
    decimals: Series[int] = pa.Field(ge=0)
    reason: Series[Text] = pa.Field(nullable=True)
    token: Series[Text] = pa.Field(nullable=True)
    per: Series[Text] = pa.Field(nullable=True)
    text: Series[Text] = pa.Field(nullable=True)
    qualifier: Series[Text] = pa.Field(nullable=True)

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
