"""Where the flow tests' notes are: clean fixtures of our own, and the first real note."""
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
FIRST_NOTE = Path(__file__).resolve().parents[2] / "data" / "raw" / "cerebras-roadmap-note.md"
