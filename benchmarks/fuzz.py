"""Seeded mutation fuzzing of the whole check path: real notes with random byte, line and cell
edits, each checked with FACTLINT_STRICT=1 so that a rule's exception escapes instead of
becoming a "rule … crashed" finding.

`tests/robustness/test_fuzz.py` runs a small fixed budget in CI; `benchmarks/run.py --fuzz N`
runs a larger one. A crash is reported with the seed and mutation that caused it, and the
mutated note can be rebuilt from them with `mutate(seed_text, Random(f"{seed}:{i}"))`.
"""
from __future__ import annotations

import os
import random
import tempfile
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

# Bytes and snippets that stress the parsers: table syntax, CJK and full-width forms, units,
# number shapes, control characters, invalid UTF-8, markup that opens and never closes.
SNIPPETS = (b"|", b"||", b"|---|", b"\\|", b"\xef\xbd\x9c", b"---\n", b"```", b"<!--", b"-->",
            b"<!-- factlint-disable-next-line -->", b"**", b"\t", b"\r", b"\r\n", b"\x00", b"\xff\xfe",
            b"\xe4\xb8\x87", b"\xe4\xba\xbf", b"1,2,3", b"5..6", b"4O%", b"64-16", b"1e309", b"-0",
            b"NaN", b"inf", b"$", b"\xc2\xb2", b"PFLOPS", b"PLOPS", b"GB/s", b"x", b"%", b"~", b">=",
            b"9" * 40, b"0.0000000001", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80", b"\xc3", b"#", b"> ")


def _split_cells(line: bytes) -> list[bytes]:
    return line.split(b"|")


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One to four random edits of `data`; returns the mutated bytes and what was done."""
    done = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(("byte", "insert", "delete-line", "duplicate-line", "swap-lines",
                           "cell", "drop-cell", "add-cell", "truncate"))
        lines = data.split(b"\n")
        i = rng.randrange(len(lines)) if lines else 0
        if kind == "byte" and data:
            at = rng.randrange(len(data))
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
        elif kind == "insert":
            at = rng.randrange(len(data) + 1)
            data = data[:at] + rng.choice(SNIPPETS) + data[at:]
        elif kind == "delete-line" and lines:
            del lines[i]
            data = b"\n".join(lines)
        elif kind == "duplicate-line" and lines:
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif kind == "swap-lines" and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif kind in ("cell", "drop-cell", "add-cell"):
            table_lines = [k for k, line in enumerate(lines) if line.count(b"|") >= 2]
            if not table_lines:
                continue
            i = rng.choice(table_lines)
            cells = _split_cells(lines[i])
            c = rng.randrange(len(cells))
            if kind == "cell":
                cells[c] = b" " + rng.choice(SNIPPETS) + b" " + rng.choice(SNIPPETS) + b" "
            elif kind == "drop-cell" and len(cells) > 1:
                del cells[c]
            else:
                cells.insert(c, b" " + rng.choice(SNIPPETS) + b" ")
            lines[i] = b"|".join(cells)
            data = b"\n".join(lines)
        elif kind == "truncate" and data:
            data = data[:rng.randrange(len(data))]
        else:
            continue
        done.append(f"{kind}@{i}")
    return data, ",".join(done) or "none"


@dataclass(frozen=True)
class Crash:
    seed_note: str
    case: int
    mutation: str
    error: str


def fuzz(seed_notes: Sequence[Path], budget: int, seed: int = 0,
         check: Callable[[Path], object] | None = None, workdir: Path | None = None) -> list[Crash]:
    """Check `budget` mutated notes (round robin over `seed_notes`); every exception is a crash,
    and so is a finding that says a rule crashed (in case strict mode was turned off)."""
    check = check or _check_one
    sources = [(p.name, p.read_bytes()) for p in seed_notes]
    crashes: list[Crash] = []
    with strict_mode(), tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for case in range(budget):
            name, original = sources[case % len(sources)]
            data, how = mutate(original, random.Random(f"{seed}:{case}"))
            path = Path(tmp) / f"mutant-{case:05d}.md"
            path.write_bytes(data)
            try:
                result = check(path)
                crashed = [f for f in getattr(result, "findings", []) if " crashed: " in f.message]
                if crashed:
                    crashes.append(Crash(name, case, how, crashed[0].message))
            except Exception:
                crashes.append(Crash(name, case, how, traceback.format_exc(limit=6)))
            finally:
                path.unlink(missing_ok=True)
    return crashes


@contextmanager
def strict_mode():
    """FACTLINT_STRICT=1 for the duration (a rule's exception escapes), then as it was."""
    before = os.environ.get("FACTLINT_STRICT")
    os.environ["FACTLINT_STRICT"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("FACTLINT_STRICT", None)
        else:
            os.environ["FACTLINT_STRICT"] = before


def _check_one(path: Path):
    """What `factlint check -f json -f sarif` does with one note: rules, suppressions, emitters."""
    from factlint.emit import render
    from factlint.gate import run_check

    outcome = run_check([path], None, jobs=1)
    for fmt in ("json", "sarif", "text"):
        render(fmt, outcome, fail_on="error", color=False)
    return outcome
