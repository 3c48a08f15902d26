"""Markdown tables with their exact source lines (markdown-it-py)."""
from __future__ import annotations

from pathlib import Path

from factlint.document import Document


class IngestError(Exception):
    """A file that cannot be read or decoded at all; the message says why."""


def read_document(path: str | Path) -> Document:
    """Read bytes, detect the encoding, parse. Raises IngestError for unreadable files."""
    raise NotImplementedError


def parse_markdown(text: str, path: str = "<string>", encoding: str = "utf-8",
                   sha256: str = "") -> Document:
    raise NotImplementedError
