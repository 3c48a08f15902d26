"""Indented JSON text, as `json.dumps(value, ensure_ascii=False, indent=2, default=str)` writes it,
written by orjson where that gives the same bytes. The standard library's indenting encoder is
pure Python: a tenth of a heavy note's check in the JSON report, and most of writing a published
version's findings.json. orjson comes with the flow extra; without it the standard library
writes everything."""
from __future__ import annotations

import json
import math
from typing import Any

try:
    import orjson
except ImportError:             # the light install: the standard library writes the same bytes
    orjson = None


def indented(value: Any, *, sort_keys: bool = False) -> str:
    """`json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, indent=2, default=str)`:
    orjson writes the same text for everything but some floats, which go to json."""
    if orjson is not None and _orjson_writes_it_alike(value):
        options = _OPTIONS | (orjson.OPT_SORT_KEYS if sort_keys else 0)
        try:
            return orjson.dumps(value, default=str, option=options).decode()
        except TypeError:       # what orjson refuses (a non-text key, an integer past 64 bits)
            pass
    return json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, indent=2, default=str)


_OPTIONS = 0 if orjson is None else (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS
                                     | orjson.OPT_PASSTHROUGH_DATETIME)
_CONTAINERS = (dict, list, tuple)


def _orjson_writes_it_alike(value: Any) -> bool:
    """No float that orjson writes otherwise than Python: below 1e-4 (`0.00001` for `1e-05`, `9e-6`
    for `9e-06`), not finite (`null`), or a float subclass such as numpy's (sent to `default`).
    Large ones are written alike (`2.046e+18`; 700,000 random floats up to 1e308 compared), and
    FLOP/s figures are mostly above 1e16."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(v for v in item.values() if type(v) in _CONTAINERS or isinstance(v, float))
        elif kind is list or kind is tuple:
            stack.extend(v for v in item if type(v) in _CONTAINERS or isinstance(v, float))
        elif isinstance(item, float):
            if kind is not float or not (item == 0 or 1e-4 <= abs(item) < math.inf):
                return False
    return True
