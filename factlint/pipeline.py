"""Pure composition of the stages: discover -> ingest -> claims -> rules -> (corpus rules).

The CLI gate and the Prefect flow both call these functions; neither holds a second
implementation of any stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from factlint.document import Document
from factlint.findings import Finding, Severity

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@dataclass
class DocumentResult:
    path: str
    sha256: str
    document: Document | None          # None when the file could not be read at all
    claims: pd.DataFrame               # schemas.claims.ClaimsSchema columns
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None           # why the file could not be ingested

    def has_errors(self) -> bool:
        return self.error is not None or any(f.severity is Severity.ERROR for f in self.findings)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Markdown files under the given files/folders, sorted, each once; follows no symlink loops."""
    raise NotImplementedError


def check_document(path: str | Path, settings=None) -> DocumentResult:
    """Ingest, extract claims, and run every enabled document-scope rule on one note."""
    raise NotImplementedError


def check_documents(paths: Sequence[str | Path], settings=None) -> list[DocumentResult]:
    """check_document over many paths (a batch); order follows `paths`."""
    raise NotImplementedError


def across_documents(results: Sequence[DocumentResult], settings=None) -> list[Finding]:
    """Corpus-scope rules (e.g. the same entity + attribute stated differently in two notes)."""
    raise NotImplementedError
