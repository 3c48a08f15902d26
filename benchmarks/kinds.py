"""Benchmark corpora of other kinds than the generator's (issue #16: `check` ≤ 2× the parse floor on
heavy notes as well). The generator's notes are light; these are the kinds a user's folder holds:

- `real-layouts`: the notes of tests/notes/, which reproduce the layouts of real public notes
  (transposed GPU maps, cluster sheets, key/value spec sheets, Chinese 算力 tables), written by us.
- `first-note`: the first input note (data/raw/cerebras-roadmap-note.md, 15 tables, 163 claims),
  a note the size and density of what an assistant writes for a roadmap.

Each kind's N notes are its sources, cycled. Every copy after the first round has some of its
table numbers nudged (the last digit of one number in three, chosen by position), so that no two
notes state the same figures: a check that remembers a claim it has met (the reference matcher
does, within one process) would otherwise measure that memory, not its reading. The nudges break
some totals and figures, as real edits do, so copies carry findings of their own.

The same N always gives the same corpus, byte for byte.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KINDS = {
    "real-layouts": sorted((REPO / "tests" / "notes").glob("*.md")),
    "first-note": [REPO / "data" / "raw" / "cerebras-roadmap-note.md"],
}
NOTES_PER_FOLDER = 250
# A figure, not a part of a name: no letter, hyphen or digit before it (`WSE-3`, `H100`, `v5p` stay).
_NUMBER = re.compile(r"(?<![A-Za-z\-_.\d])\d+(?:\.\d+)?")
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}")


def sources(kind: str) -> list[Path]:
    return [p for p in KINDS[kind] if p.name != "README.md"]


def nudge(text: str, copy: int) -> str:
    """`text` with the last digit of one table number in three changed (9 -> 8, else +1, so no
    number changes its length), the numbers chosen by copy, line and place."""
    out = []
    for line_no, line in enumerate(text.split("\n")):
        if not line.lstrip().startswith("|") or _DELIMITER.match(line):
            out.append(line)
            continue
        place = 0

        def change(m: re.Match) -> str:
            nonlocal place
            place += 1
            if (copy * 31 + line_no * 7 + place) % 3:
                return m.group(0)
            token = m.group(0)
            last = token[-1]
            return token[:-1] + ("8" if last == "9" else str(int(last) + 1))

        out.append(_NUMBER.sub(change, line))
    return "\n".join(out)


def kind_corpus(work: Path, kind: str, n: int) -> Path:
    """The N-note corpus of `kind` under `work`, written once and reused while its sources and this
    file are unchanged."""
    root = work / f"kind-{kind}-{n}"
    marker = root / ".complete"
    stamp = _stamp(kind)
    if marker.exists() and marker.read_text() == stamp:
        return root
    shutil.rmtree(root, ignore_errors=True)
    notes = sources(kind)
    for i in range(n):
        source = notes[i % len(notes)]
        text = source.read_text(encoding="utf-8")
        copy = i // len(notes)
        path = root / f"k{i // NOTES_PER_FOLDER:03d}" / f"{i:05d}-{source.name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nudge(text, copy) if copy else text, encoding="utf-8")
    marker.write_text(stamp)
    return root


def _stamp(kind: str) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sources(kind):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16] + "\n"
