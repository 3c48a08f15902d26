"""Schema of the unit table (factlint/vocab/units.yaml) as a frame: one row per spelling,
as built by factlint.normalise.units.units_frame()."""
import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

UNIT_DIMENSIONS = ["compute", "information", "bandwidth", "transfer_rate", "power", "energy",
                   "frequency", "length", "area", "time", "count", "money", "percent", "ratio"]


class UnitsSchema(pa.DataFrameModel):
    spelling: Series[str] = pa.Field(str_length={"min_value": 1}, unique=True)
    symbol: Series[str] = pa.Field(str_length={"min_value": 1})
    dimension: Series[str] = pa.Field(isin=UNIT_DIMENSIONS)
    canonical: Series[str] = pa.Field(str_length={"min_value": 1})
    factor: Series[float] = pa.Field(gt=0)
    pint: Series[str] = pa.Field(str_length={"min_value": 1})
    is_symbol: Series[bool]

    @pa.dataframe_check(name="canonical-is-a-unit",
                        error="the canonical unit must be a spelling of a unit with factor 1 "
                              "in the same dimension")
    def canonical_is_unit(cls, df: pd.DataFrame) -> pd.Series:
        base = df[df["factor"] == 1.0].set_index("spelling")["dimension"]
        return df["canonical"].map(base).eq(df["dimension"])

    @pa.dataframe_check(name="one-unit-per-symbol",
                        error="every spelling of a symbol has the same dimension, canonical unit "
                              "and factor")
    def symbol_consistent(cls, df: pd.DataFrame) -> pd.Series:
        per_symbol = df.groupby("symbol")[["dimension", "canonical", "factor"]].transform("nunique")
        return per_symbol.eq(1).all(axis=1)

    @pa.dataframe_check(name="one-symbol-row",
                        error="each symbol is listed once as its own spelling")
    def symbol_listed_once(cls, df: pd.DataFrame) -> pd.Series:
        own = df[df["is_symbol"]].groupby("symbol").size()
        return df["symbol"].map(own).eq(1)

    class Config:
        strict = True
        coerce = True
