"""Schemas for the attribute and entity vocabularies (factlint/vocab/*.yaml)."""
import pandera.pandas as pa
from pandera.typing.pandas import Series

DIMENSIONS = ["compute", "information", "bandwidth", "power", "energy", "length", "area", "time",
              "count", "money", "percent", "ratio", "year", "date", "entity", "category", "status",
              "frequency", "transfer_rate"]
ENTITY_KINDS = ["chip", "system", "cluster", "model", "company", "software", "other"]


class AttributesSchema(pa.DataFrameModel):
    name: Series[str] = pa.Field(str_matches=r"^[a-z][a-z0-9_]*$", unique=True)
    dimension: Series[str] = pa.Field(isin=DIMENSIONS)
    direction: Series[str] = pa.Field(isin=["higher", "lower", "none"])
    scales_with_nodes: Series[bool]
    group: Series[str] = pa.Field(isin=["hardware", "business", "model", "other"])
    aliases: Series[int] = pa.Field(ge=1)   # how many aliases: every attribute needs at least one

    class Config:
        strict = True


class EntitiesSchema(pa.DataFrameModel):
    id: Series[str] = pa.Field(str_length={"min_value": 1}, unique=True)
    kind: Series[str] = pa.Field(isin=ENTITY_KINDS)
    aliases: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
