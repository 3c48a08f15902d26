"""Ingest: bytes on disk -> Document (tables with source lines, metadata, problems)."""
from factlint.ingest.markdown import INCOMPLETE, IngestError, UnreadableFile, parse_markdown, read_document

__all__ = ["INCOMPLETE", "IngestError", "UnreadableFile", "parse_markdown", "read_document"]
