"""The findings contract's value rules without pandera, and a plain-Python test that finding
rows (factlint.findings.findings_rows) certainly pass schemas/findings.py::FindingsSchema: every
emitter's summary checks the contract, and one note's findings need no frame for it.
tests/emit/test_finding_rows.py holds the mirror to the schema, and to pandera."""
from __future__ import annotations

import re

SEVERITIES = ["error", "warning", "info"]
# Registered ids are kebab-case; framework ids such as "schema-<check name>" may carry digits.
RULE_ID = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
FINGERPRINT = r"^[0-9a-f]*$"          # sha256 prefix; empty only for hand-built findings

# column -> (minimum, nullable) for the integer columns
INT_COLUMNS = {"line": (0, False), "table": (1, True), "row": (0, True)}
REQUIRED_TEXT = ("rule", "severity", "message", "path", "evidence", "fingerprint", "related")
NULLABLE_TEXT = ("column", "entity", "attribute", "fix", "reference")
NON_EMPTY = ("message", "path")
MATCHES = {"rule": re.compile(RULE_ID), "fingerprint": re.compile(FINGERPRINT)}
_ALLOWED_SEVERITY = frozenset(SEVERITIES)
_INT64 = (-2 ** 63, 2 ** 63)


def rows_certainly_pass(rows) -> bool:
    """True when every row certainly passes FindingsSchema as findings_frame builds it; False
    means "not certain" (pandera then decides and says what fails), never "fails"."""
    return all(_row_passes(row) for row in rows)


def _row_passes(row: dict) -> bool:
    for column, (minimum, nullable) in INT_COLUMNS.items():
        v = row[column]
        if v is None and nullable:
            continue
        if type(v) is not int or not (_INT64[0] <= v < _INT64[1]) or v < minimum:
            return False
    for column in REQUIRED_TEXT:
        if type(row[column]) is not str:
            return False
    for column in NULLABLE_TEXT:
        if row[column] is not None and type(row[column]) is not str:
            return False
    if any(not row[column] for column in NON_EMPTY) or row["severity"] not in _ALLOWED_SEVERITY:
        return False
    return all(pattern.match(row[column]) for column, pattern in MATCHES.items())
