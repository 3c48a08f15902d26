"""Pickling for the frozen, slotted dataclasses that results are made of.

A ``slots=True`` frozen dataclass pickles through the ``__getstate__``/``__setstate__`` pair that
``dataclasses`` adds: every object calls ``fields()`` when written and sets each field with
``object.__setattr__`` when read. A checked note holds thousands of them (cells, rows, tables,
locations, findings), and a flow run sends every result from its workers and writes it to the
per-document cache: at 2,000 notes that pair was ~14 s of the flow parent's CPU. Pickled by
fields instead, an object is its class and a tuple of its field values, and is read back by one
call of the class, i.e. exactly as it was built (every field is an ``__init__`` argument).
"""
from __future__ import annotations

import dataclasses
from operator import attrgetter


def by_fields(cls):
    """Class decorator (outside ``@dataclass``): pickle instances as ``cls(*fields)``."""
    fields = dataclasses.fields(cls)
    if any(not f.init for f in fields):
        raise TypeError(f"{cls.__name__}: every field must be an __init__ argument")
    names = tuple(f.name for f in fields)
    if len(names) == 1:
        get = attrgetter(names[0])

        def __reduce__(self):
            return cls, (get(self),)
    else:
        get = attrgetter(*names)

        def __reduce__(self):
            return cls, get(self)
    cls.__reduce__ = __reduce__
    return cls
