"""Schema for the interface standards list (factlint/vocab/standards.yaml)."""
import pandera.pandas as pa
from pandera.typing.pandas import Series

from schemas.standards_rows import VERSION as _VERSION, compiles as _compiles


class StandardsSchema(pa.DataFrameModel):
    name: Series[str] = pa.Field(str_length={"min_value": 1}, unique=True)
    names: Series[str] = pa.Field(str_length={"min_value": 1})
    versions: Series[object]
    lanes: Series[object]
    source: Series[str] = pa.Field(str_length={"min_value": 1})

    @pa.check("names", name="names is a regular expression")
    def names_compile(cls, names: Series[str]) -> Series[bool]:
        return names.map(_compiles)

    @pa.check("versions", name="versions are a non-empty list of N.N")
    def versions_are_listed(cls, versions: Series[object]) -> Series[bool]:
        return versions.map(lambda v: isinstance(v, list) and bool(v)
                            and all(isinstance(x, str) and _VERSION.match(x) for x in v))

    @pa.check("lanes", name="lanes are a list of positive integers")
    def lanes_are_counts(cls, lanes: Series[object]) -> Series[bool]:
        return lanes.map(lambda v: isinstance(v, list) and all(isinstance(x, int) and x > 0 for x in v))

    class Config:
        strict = True
