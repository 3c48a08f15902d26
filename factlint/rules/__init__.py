"""Rule registry. Every module in this package defines one rule with ``@rule``;
they are discovered automatically, so adding a rule touches nothing else."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass, field
from typing import Callable, Iterator

from factlint.findings import Severity

SCOPES = ("document", "corpus")


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    severity: Severity
    summary: str
    doc: str
    fixable: bool
    scope: str
    tags: tuple[str, ...]
    func: Callable[..., Iterator]
    # Corpus rules only: ``collect(doc, ctx) -> list`` runs with the document rules, on one note,
    # and keeps what the corpus step needs of it; the corpus step then gets every note's
    # collected items as ``ctx.claims`` instead of all the corpus's claims at once.
    collect: Callable[..., list] | None = None

    @property
    def module(self) -> str:
        return self.func.__module__


REGISTRY: dict[str, RuleSpec] = {}


def rule(rule_id: str, *, severity: Severity, fixable: bool = False, scope: str = "document",
         tags: tuple[str, ...] = (), collect: Callable[..., list] | None = None):
    """Register a rule function ``f(doc, ctx) -> Iterator[Finding]`` (document scope) or
    ``f(results, ctx) -> Iterator[Finding]`` (corpus scope, optionally with a per-note
    ``collect`` step, see RuleSpec). The module docstring is its doc."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    if collect is not None and scope != "corpus":
        raise ValueError("only a corpus rule collects from each note")

    def register(func):
        if rule_id in REGISTRY:
            raise ValueError(f"duplicate rule id {rule_id!r}")
        module = inspect.getmodule(func)
        doc = inspect.cleandoc(module.__doc__ or "")
        REGISTRY[rule_id] = RuleSpec(rule_id, severity, doc.splitlines()[0] if doc else "", doc,
                                     fixable, scope, tags, func, collect)
        return func

    return register


_loaded = False


def load_rules() -> dict[str, RuleSpec]:
    global _loaded
    if not _loaded:
        for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if not mod.name.startswith("_"):
                importlib.import_module(f"{__name__}.{mod.name}")
        _loaded = True
    return REGISTRY
