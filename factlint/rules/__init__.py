"""Rule registry. Every module in this package defines one rule with ``@rule``, or declares with
``declared(...)`` a finding that a stage of the run makes (the claims contract in the gate,
suppressions after all rules, data expectations in the flow): the id, its severity and its
documentation live here either way, so `factlint rules`, `explain`, the settings and SARIF know
them. Modules are discovered automatically, so adding a rule touches nothing else."""
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
    func: Callable[..., Iterator] | None     # None: a stage makes these findings (`made_by`)
    # Corpus rules only: ``collect(doc, ctx) -> list`` runs with the document rules, on one note,
    # and keeps what the corpus step needs of it; the corpus step then gets every note's
    # collected items as ``ctx.claims`` instead of all the corpus's claims at once.
    collect: Callable[..., list] | None = None
    made_by: str = ""                   # the module that makes a declared finding kind
    module_name: str = ""

    @property
    def module(self) -> str:
        return self.module_name or (self.func.__module__ if self.func is not None else "")


REGISTRY: dict[str, RuleSpec] = {}


def declared(rule_id: str, *, severity: Severity, made_by: str, module: str, scope: str = "document",
             tags: tuple[str, ...] = ()) -> None:
    """Register a finding kind a stage of the run makes (`made_by`, a module path), documented by
    the docstring of `module` (the declaring rule module's ``__name__``)."""
    import sys

    if rule_id in REGISTRY:
        raise ValueError(f"duplicate rule id {rule_id!r}")
    doc = inspect.cleandoc(sys.modules[module].__doc__ or "")
    REGISTRY[rule_id] = RuleSpec(rule_id, severity, doc.splitlines()[0] if doc else "", doc, False,
                                 scope, tags, None, None, made_by, module)


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
