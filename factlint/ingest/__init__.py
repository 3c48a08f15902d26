"""Ingest: bytes on disk -> Document (tables with source lines, metadata, problems)."""
from factlint.ingest.markdown import parse_markdown, read_document, IngestError

__all__ = ["parse_markdown", "read_document", "IngestError"]
