"""A task's value handed to its flow once, then let go by Prefect.

Prefect keeps what a task returns in the flow run's context (``run_results``, and the task run's
own state), and its log and event workers keep the context they were started in until the
process exits: each registers a shutdown call that captured it. The first flow run in a process
starts them inside its check task, so that run's 2,000 full results (1.2 million objects,
measured) stayed reachable after the run: a served process held them for good, and the next
run's full collections walked them (1.1 s of a re-run's 4 s). A task that returns ``Handed``
gives its flow the value through ``take()``, and Prefect is left holding an empty box.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")

_TAKEN = object()


class Handed(Generic[T]):
    """``value``, for one ``take()``."""

    __slots__ = ("_value",)

    def __init__(self, value: T):
        self._value: Any = value

    def take(self) -> T:
        value, self._value = self._value, _TAKEN
        if value is _TAKEN:
            raise RuntimeError("this task's value was already taken")
        return value


def handed(fn: Callable[..., T]) -> Callable[..., Handed[T]]:
    """``fn`` returning its value in a ``Handed`` (the signature stays ``fn``'s, which is what
    Prefect builds a task's parameters from)."""
    @functools.wraps(fn)
    def run(*args, **kwargs) -> Handed[T]:
        return Handed(fn(*args, **kwargs))
    return run
