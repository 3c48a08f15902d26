"""The facts layer: one model of a note that every rule queries (see model.py)."""
from __future__ import annotations

from factlint.facts.model import Build, Fact, Identity, NodeCount, NoteFacts, TableFacts
from factlint.facts.reader import read_note

__all__ = ["Build", "Fact", "Identity", "NodeCount", "NoteFacts", "TableFacts", "read_note"]
