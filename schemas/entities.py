"""The entity vocabulary (factlint/vocab/entities.yaml): unique ids, one owner per alias, known parts.

`entity_frames` turns the YAML records into two frames: entities (one row per id) and aliases (one row
per alias matching key: NFKC, case and spacing folded, the same key the vocabulary matches on).
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas.vocabulary import ENTITY_KINDS


class EntityVocabularySchema(pa.DataFrameModel):
    id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    kind: Series[str] = pa.Field(isin=ENTITY_KINDS)
    vendor: Series[str] = pa.Field(nullable=True)
    aliases: Series[int] = pa.Field(ge=1)
    contains_entity: Series[str] = pa.Field(nullable=True)
    contains_count: Series[float] = pa.Field(nullable=True, gt=0)

    @pa.dataframe_check(name="contains-known-entity", error="`contains` names an entity that is not listed")
    def contains_known(cls, df: pd.DataFrame) -> pd.Series:
        return df["contains_entity"].isna() | df["contains_entity"].isin(df["id"])

    @pa.dataframe_check(name="contains-has-count", error="`contains` needs an entity and a positive count")
    def contains_complete(cls, df: pd.DataFrame) -> pd.Series:
        return df["contains_entity"].isna() == df["contains_count"].isna()

    class Config:
        strict = True
        coerce = True


class EntityAliasesSchema(pa.DataFrameModel):
    key: Series[str] = pa.Field(str_length={"min_value": 1})
    id: Series[str]
    alias: Series[str]

    @pa.dataframe_check(name="alias-has-one-owner", error="an alias is claimed by two entities")
    def one_owner(cls, df: pd.DataFrame) -> pd.Series:
        owners = df.groupby("key")["id"].transform("nunique")
        return owners == 1

    class Config:
        strict = True


def entity_frames(records: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    from factlint.normalise.vocab import norm_key

    entities, aliases = [], []
    for r in records:
        contains = r.get("contains") or {}
        names = [str(a) for a in (r.get("aliases") or [])]
        entities.append({"id": str(r.get("id") or ""), "kind": r.get("kind"), "vendor": r.get("vendor"),
                         "aliases": len(names), "contains_entity": contains.get("entity"),
                         "contains_count": contains.get("count", 1) if contains else None})
        for name in [str(r.get("id") or "")] + names:
            aliases.append({"key": norm_key(name), "id": str(r.get("id") or ""), "alias": name})
    return pd.DataFrame(entities), pd.DataFrame(aliases).drop_duplicates()
