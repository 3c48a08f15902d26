"""The reference knowledge base table (data/reference/*.yaml), one row per fact.

factlint.reference.kb builds the frame (adding the columns it resolves: the attribute's dimension and the
unit's dimension) and validates it here; any failure becomes a ConfigError naming the file and record.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml
from pandera.typing.pandas import Series

_VOCAB = Path(__file__).resolve().parents[1] / "factlint" / "vocab" / "attributes.yaml"
ATTRIBUTES = sorted(a["name"] for a in yaml.safe_load(_VOCAB.read_text(encoding="utf-8"))["attributes"])
STATUSES = ["stated", "not_disclosed", "not_announced"]
CONFIDENCES = ["high", "medium", "low"]
TIERS = ["primary", "secondary", "mirror", "low"]
BOUNDS = ["=", "~", ">=", ">", "<=", "<"]
UNSOURCED_PUBLICATIONS = ["unsourced (memory only)", "none"]
# The attributes whose value can fall below zero: a change (revenue growth of -12 %). Every other
# attribute measures an amount (a process node, a count, a price), so a negative one is a typo.
SIGNED_ATTRIBUTES = ["growth"]
VALUE_COLUMNS = ("value", "value_low", "value_high")


class ReferenceFactsSchema(pa.DataFrameModel):
    id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9][a-z0-9.\-]*$")
    entity: Series[str] = pa.Field(str_length={"min_value": 1})
    attribute: Series[str] = pa.Field(isin=ATTRIBUTES)
    status: Series[str] = pa.Field(isin=STATUSES)
    value: Series[float] = pa.Field(nullable=True)
    value_low: Series[float] = pa.Field(nullable=True)
    value_high: Series[float] = pa.Field(nullable=True)
    bound: Series[str] = pa.Field(isin=BOUNDS)
    margin: Series[float] = pa.Field(ge=0.0, lt=0.5)
    unit: Series[str]
    text_value: Series[str] = pa.Field(nullable=True)
    text_aliases: Series[object]
    qualifier: Series[str]
    context: Series[object]
    as_of: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    source_url: Series[str] = pa.Field(nullable=True, str_matches=r"^https?://\S+$")
    publication: Series[str] = pa.Field(str_length={"min_value": 1})
    tier: Series[str] = pa.Field(isin=TIERS)
    quote: Series[str]
    confidence: Series[str] = pa.Field(isin=CONFIDENCES)
    derived: Series[bool]
    note: Series[str]
    applies_to: Series[object]      # tuples of product names: the other products the figure holds for
    # Resolved by the loader:
    attribute_dimension: Series[str]
    unit_dimension: Series[str] = pa.Field(nullable=True)   # None: the unit is not known

    @pa.dataframe_check(name="fact-has-content",
                        error="a stated fact needs value, value_low + value_high, or text_value")
    def has_content(cls, df: pd.DataFrame) -> pd.Series:
        stated = df["status"] == "stated"
        numeric = df["value"].notna() | (df["value_low"].notna() & df["value_high"].notna())
        return ~stated | numeric | df["text_value"].notna()

    @pa.dataframe_check(name="status-fact-has-no-value",
                        error="a not_disclosed / not_announced fact carries no value")
    def status_has_no_value(cls, df: pd.DataFrame) -> pd.Series:
        valued = df["value"].notna() | df["value_low"].notna() | df["value_high"].notna()
        return (df["status"] == "stated") | ~valued

    @pa.dataframe_check(name="one-value-shape", error="give either value or value_low + value_high, not both")
    def one_value_shape(cls, df: pd.DataFrame) -> pd.Series:
        both = df["value"].notna() & (df["value_low"].notna() | df["value_high"].notna())
        half = df["value_low"].notna() ^ df["value_high"].notna()
        return ~(both | half)

    @pa.dataframe_check(name="finite-values", error="value, value_low and value_high must be finite numbers")
    def finite_values(cls, df: pd.DataFrame) -> pd.Series:
        import numpy as np

        values = df[["value", "value_low", "value_high"]].astype(float)
        return (values.isna() | np.isfinite(values)).all(axis=1)

    @pa.dataframe_check(name="not-negative",
                        error=f"must not be negative (only {', '.join(SIGNED_ATTRIBUTES)} can be: "
                              f"every other attribute measures an amount)")
    def not_negative(cls, df: pd.DataFrame) -> pd.DataFrame:
        # Cell by cell, so that the failure names the column (value, value_low or value_high).
        ok = pd.DataFrame(True, index=df.index, columns=df.columns)
        signed = df["attribute"].isin(SIGNED_ATTRIBUTES)
        for column in VALUE_COLUMNS:
            ok[column] = df[column].isna() | (df[column] >= 0) | signed
        return ok

    @pa.dataframe_check(name="range-ordered", error="value_low must not exceed value_high")
    def range_ordered(cls, df: pd.DataFrame) -> pd.Series:
        return df["value_low"].isna() | df["value_high"].isna() | (df["value_low"] <= df["value_high"])

    @pa.dataframe_check(name="unit-known", error="the unit is not one the normaliser knows")
    def unit_known(cls, df: pd.DataFrame) -> pd.Series:
        numeric = df["value"].notna() | df["value_low"].notna()
        return ~numeric | df["unit_dimension"].notna()

    @pa.dataframe_check(name="unit-fits-attribute", error="the unit measures another dimension than the attribute")
    def unit_fits_attribute(cls, df: pd.DataFrame) -> pd.Series:
        numeric = df["value"].notna() | df["value_low"].notna()
        return ~numeric | df["unit_dimension"].isna() | (df["unit_dimension"] == df["attribute_dimension"])

    @pa.dataframe_check(name="unsourced-is-low-confidence",
                        error="a fact without a citable source must have confidence low")
    def unsourced_is_low(cls, df: pd.DataFrame) -> pd.Series:
        unsourced = df["publication"].str.lower().isin(UNSOURCED_PUBLICATIONS)
        return ~unsourced | (df["confidence"] == "low")

    @pa.dataframe_check(name="unsourced-is-low-tier",
                        error="a fact without a citable source is tier low")
    def unsourced_is_low_tier(cls, df: pd.DataFrame) -> pd.Series:
        unsourced = df["publication"].str.lower().isin(UNSOURCED_PUBLICATIONS)
        return ~unsourced | (df["tier"] == "low")

    @pa.dataframe_check(name="unquoted-is-low-confidence",
                        error="a stated fact without the quote it rests on must have confidence low")
    def unquoted_is_low(cls, df: pd.DataFrame) -> pd.Series:
        unquoted = (df["status"] == "stated") & (df["quote"].str.strip() == "")
        return ~unquoted | (df["confidence"] == "low")

    @pa.dataframe_check(name="applies-to-other-products",
                        error="applies_to names other products, each once, and not the record's own entity")
    def applies_to_others(cls, df: pd.DataFrame) -> pd.Series:
        return pd.Series([len(set(names)) == len(names) and entity not in names and all(n.strip() for n in names)
                          for entity, names in zip(df["entity"], df["applies_to"])], index=df.index)

    class Config:
        strict = True
        coerce = True
