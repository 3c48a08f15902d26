"""The claims contract's columns and value sets, without pandera: the facts layer names claim
fields by them on every note, and `factlint check` of one note must not import pandera (and
pandas) just to learn a list of names. schemas/claims.py builds the contract's schema on them."""

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

# ---------------------------------------------------------------------------------------------
# The contract's rules for one claim, in plain Python: what schemas/claims.py::ClaimsSchema
# declares for each column (tests/schemas/test_claim_rows.py holds the two to each other), so
# that rows which certainly pass can be told without building a frame or importing pandera.

INT_COLUMNS = {"table": 1, "line": 1, "row": 0, "column": 0, "decimals": 0}          # column -> minimum
FLOAT_COLUMNS = {"value": None, "value_high": None, "canonical_value": None, "canonical_value_high": None,
                 "tolerance": 0}                                              # None: nullable, no minimum
NULLABLE_TEXT = ("row_label", "column_label", "entity", "attribute", "unit", "canonical_unit", "dimension",
                 "reason", "token", "per", "text", "qualifier")
REQUIRED_TEXT = ("path", "heading", "raw", "bound", "status", "kind")
ALLOWED = {"bound": frozenset(BOUNDS), "status": frozenset(STATUSES), "kind": frozenset(KINDS)}
NUMERIC_KINDS = frozenset(("number", "range", "percent", "ratio", "money", "year"))
ROW_CHECKS = ("parsed-has-canonical-value", "range-ordered-high")     # ClaimsSchema's dataframe checks
_INT64 = (-2 ** 63, 2 ** 63)


def rows_certainly_pass(rows) -> bool:
    """True when every claim dict certainly passes the claims contract as the frame
    factlint.claims.claims_frame builds from it. False means "not certain", never "fails": the
    caller then validates with pandera, which names what fails. So the answer may only err
    towards False: exact types (no subclasses, no bools), int64 range, text pandera can store
    as Arrow strings (no lone surrogates)."""
    return all(_row_passes(row) for row in rows)


def _row_passes(row: dict) -> bool:
    try:
        for column, minimum in INT_COLUMNS.items():
            v = row[column]
            if type(v) is not int or not (_INT64[0] <= v < _INT64[1]) or v < minimum:
                return False
        for column, minimum in FLOAT_COLUMNS.items():
            v = row[column]
            if v is None or (type(v) is float and v != v):              # NaN, as pandas reads None
                if minimum is not None:
                    return False
            elif type(v) is not float or (minimum is not None and not v >= minimum):
                return False
        for column in REQUIRED_TEXT:
            if not _storable_text(row[column]):
                return False
        for column in NULLABLE_TEXT:
            v = row[column]
            if v is not None and not _storable_text(v):
                return False
    except KeyError:                            # a missing column: claims_frame says what
        return False
    if any(row[column] not in allowed for column, allowed in ALLOWED.items()):
        return False
    if row["status"] == "parsed" and row["kind"] in NUMERIC_KINDS and _is_null(row["canonical_value"]):
        return False                            # parsed-has-canonical-value
    return _is_null(row["value_high"]) or row["kind"] == "range" or row["bound"] != "="   # range-ordered-high


def _storable_text(v) -> bool:
    if type(v) is not str:
        return False
    if v.isascii():
        return True
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_null(v) -> bool:
    return v is None or v != v
