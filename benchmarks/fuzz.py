"""Seeded mutation fuzzing of the whole check path: real, hostile and generated notes, in English
and Chinese, with random byte, line, cell and Unicode edits, through the rules, the corpus
rules, suppressions and every emitter, with FACTLINT_STRICT=1 so that a rule's exception
escapes instead of becoming a "rule … crashed" finding.

`fuzz` checks note by note (CI's small budget: tests/robustness/test_fuzz.py). `fuzz_at_scale`
is for 100,000 notes: batches of mutants checked in-process as one corpus (one `run_check`, then
all six formats), on every core, with one batch in `cli_every` also run through the real
`factlint check` in a subprocess (exit 0 or 1, and well-formed JSON, SARIF and JUnit). A batch
that crashes is re-checked note by note to name the note. Every crash carries its source note,
case number and mutation: `mutant(sources, seed, case)` rebuilds the bytes.

    .venv/bin/python benchmarks/fuzz.py 100000 --seed 14 --json /tmp/fuzz.json
    .venv/bin/python benchmarks/run.py --fuzz 5000 ...        # the benchmark's hook
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FORMATS = ("text", "json", "sarif", "junit", "github", "html")

# Bytes and snippets that stress the parsers: table syntax, CJK and full-width forms, units,
# number shapes, control characters, invalid UTF-8, markup that opens and never closes.
SNIPPETS = (b"|", b"||", b"|---|", b"\\|", b"\xef\xbd\x9c", b"---\n", b"```", b"<!--", b"-->",
            b"<!-- factlint-disable-next-line -->", b"**", b"\t", b"\r", b"\r\n", b"\x00", b"\xff\xfe",
            b"\xe4\xb8\x87", b"\xe4\xba\xbf", b"1,2,3", b"5..6", b"4O%", b"64-16", b"1e309", b"-0",
            b"NaN", b"inf", b"$", b"\xc2\xb2", b"PFLOPS", b"PLOPS", b"GB/s", b"x", b"%", b"~", b">=",
            b"9" * 40, b"0.0000000001", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80", b"\xc3", b"#", b"> ",
            b"4.9e-324", b"10**17", b"10^1000%", b"1_000", b"\xc2\xbd", b"80GB/40GB", b"15 20kW")

# Characters that look like nothing, or like something else: invisible format characters, bidi
# controls, look-alike digits, signs and separators, combining marks, CJK numerals and units,
# non-characters, a lone surrogate's bytes are in SNIPPETS (it cannot be a str).
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u00ad\ufeff\u2066\u2067\u2068\u2069\u202a\u202e\u180e"
LOOKALIKE = {
    "0": "０〇oO٠۰", "1": "１lI¹١", "2": "２²٢", "3": "３³", "4": "４٤", "5": "５٥", "6": "６",
    "7": "７", "8": "８٨", "9": "９", ".": "．·٫。", ",": "，、٬", "-": "−–—‐﹣－", "%": "％٪‰",
    "x": "×х", "|": "｜│¦", " ": "\u00a0\u2009\u3000\u202f",
}
ODD_CHARS = ("\u0301", "\u0338", "\u20dd", "万", "亿", "千", "兆", "百分之", "约", "≈", "±", "∞", "½",
             "\U0001d7d8", "\U0001f468\u200d\U0001f4bb", "\ufffd", "\uffff", "\U0010ffff", "\x1b[31m",
             "\x1b]8;;x\x07", "\u2028", "\u0085", "ǅ", "ß", "İ", "ﬁ")


def _split_cells(line: bytes) -> list[bytes]:
    return line.split(b"|")


def _table_line(lines: list[bytes], rng: random.Random) -> int | None:
    rows = [k for k, line in enumerate(lines) if line.count(b"|") >= 2]
    return rng.choice(rows) if rows else None


def _unicode_edit(line: str, rng: random.Random) -> tuple[str, str]:
    """One Unicode edit of a decoded line; returns it and the edit's name."""
    kind = rng.choice(("invisible", "lookalike", "odd-char", "nfd", "nfkc", "case"))
    at = rng.randrange(len(line) + 1)
    if kind == "invisible":
        return line[:at] + rng.choice(INVISIBLE) + line[at:], kind
    if kind == "lookalike":
        spots = [k for k, ch in enumerate(line) if ch in LOOKALIKE]
        if not spots:
            return line, "none"
        k = rng.choice(spots)
        return line[:k] + rng.choice(LOOKALIKE[line[k]]) + line[k + 1:], kind
    if kind == "odd-char":
        return line[:at] + rng.choice(ODD_CHARS) + line[at:], kind
    if kind == "nfd":
        return unicodedata.normalize("NFD", line), kind
    if kind == "nfkc":
        return unicodedata.normalize("NFKC", line), kind
    return line.swapcase(), kind


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One to four random edits of `data`; returns the mutated bytes and what was done."""
    done = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(("byte", "insert", "delete-line", "duplicate-line", "swap-lines",
                           "cell", "drop-cell", "add-cell", "truncate", "unicode", "unicode-cell"))
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
        elif kind in ("cell", "drop-cell", "add-cell", "unicode-cell"):
            row = _table_line(lines, rng)
            if row is None:
                continue
            i = row
            cells = _split_cells(lines[i])
            c = rng.randrange(len(cells))
            if kind == "cell":
                cells[c] = b" " + rng.choice(SNIPPETS) + b" " + rng.choice(SNIPPETS) + b" "
            elif kind == "drop-cell" and len(cells) > 1:
                del cells[c]
            elif kind == "add-cell":
                cells.insert(c, b" " + rng.choice(SNIPPETS) + b" ")
            elif kind == "unicode-cell":
                text, how = _unicode_edit(cells[c].decode("utf-8", "surrogateescape"), rng)
                cells[c] = text.encode("utf-8", "surrogateescape")
                kind = f"cell-{how}"
            lines[i] = b"|".join(cells)
            data = b"\n".join(lines)
        elif kind == "unicode" and lines:
            text, how = _unicode_edit(lines[i].decode("utf-8", "surrogateescape"), rng)
            lines[i] = text.encode("utf-8", "surrogateescape")
            data = b"\n".join(lines)
            kind = f"unicode-{how}"
        elif kind == "truncate" and data:
            data = data[:rng.randrange(len(data))]
        else:
            continue
        done.append(f"{kind}@{i}")
    return data, ",".join(done) or "none"


# ---- the notes mutated --------------------------------------------------------------------------

def real_notes() -> list[Path]:
    """The project's own real notes (English and Chinese) and its data/raw notes."""
    return sorted((REPO / "tests" / "notes").glob("*.md")) + sorted((REPO / "data" / "raw").glob("*.md"))


def hostile_notes() -> list[Path]:
    """The malformed-input fixtures: binary, BOMs, CRLF, escaped pipes, unclosed markup..."""
    return sorted((REPO / "tests" / "fixtures" / "notes").glob("*.md"))


def generated_notes(count: int, seed: int) -> list[tuple[str, bytes]]:
    """`count` notes of the benchmark's generator (about half Chinese, half English)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import generate

    notes = [generate.generate_note(seed, i) for i in range(count)]
    return [(f"generated-{i:03d}-{n.name.rsplit('/', 1)[-1]}", n.text.encode("utf-8"))
            for i, n in enumerate(notes)]


def sources(generated: int = 60, seed: int = 14) -> list[tuple[str, bytes]]:
    """Every note the fuzzer starts from, as (name, bytes), in a fixed order."""
    files = [p for p in real_notes() + hostile_notes() if p.name != "README.md"]
    return [(p.name, p.read_bytes()) for p in files] + generated_notes(generated, seed)


def mutant(corpus: Sequence[tuple[str, bytes]], seed: int, case: int) -> tuple[str, bytes, str]:
    """Case `case` of a run seeded `seed`: (source name, mutated bytes, mutation)."""
    name, original = corpus[case % len(corpus)]
    data, how = mutate(original, random.Random(f"{seed}:{case}"))
    return name, data, how


# ---- one note at a time (CI) --------------------------------------------------------------------

@dataclass(frozen=True)
class Crash:
    seed_note: str
    case: int
    mutation: str
    error: str


def fuzz(seed_notes: Sequence[Path], budget: int, seed: int = 0,
         check: Callable[[Path], object] | None = None, workdir: Path | None = None) -> list[Crash]:
    """Check `budget` mutated notes one at a time (round robin over `seed_notes`); every
    exception is a crash, and so is a finding that says a rule crashed (in case strict mode was
    turned off)."""
    check = check or _check_one
    corpus = [(p.name, p.read_bytes()) for p in seed_notes]
    crashes: list[Crash] = []
    with strict_mode(), tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for case in range(budget):
            name, data, how = mutant(corpus, seed, case)
            path = Path(tmp) / f"mutant-{case:05d}.md"
            path.write_bytes(data)
            try:
                result = check(path)
                crashed = _crash_findings(getattr(result, "findings", []))
                if crashed:
                    crashes.append(Crash(name, case, how, crashed[0].message))
            except Exception:
                crashes.append(Crash(name, case, how, traceback.format_exc(limit=6)))
            finally:
                path.unlink(missing_ok=True)
    return crashes


def _crash_findings(findings) -> list:
    return [f for f in findings if " crashed: " in f.message]


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


def check_and_emit(paths: Sequence[Path]):
    """What `factlint check -f text -f json -f sarif -f junit -f github -f html` does with these
    notes, in-process: one run, six renderings, each that has a grammar parsed back. An output
    that does not parse raises (it is as much a crash as an exception)."""
    from factlint.emit import render
    from factlint.gate import run_check

    outcome = run_check(list(paths), None, jobs=1, keep_documents=True)
    for fmt in FORMATS:
        out = render(fmt, outcome, fail_on="error", color=False)
        check_output(fmt, out)
    return outcome


def check_output(fmt: str, out: str) -> None:
    """Raise when `out` is not what `fmt` promises: JSON and SARIF parse, JUnit is XML, a
    GitHub annotation never spans lines, and every format encodes as UTF-8."""
    out.encode("utf-8")                       # a lone surrogate here would break the pipe
    if fmt in ("json", "sarif"):
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out.encode("utf-8"))
    elif fmt == "github":
        bad = [line for line in out.splitlines() if line and not line.startswith("::")]
        if bad:
            raise ValueError(f"github output line that is no workflow command: {bad[0][:200]!r}")


def _check_one(path: Path):
    return check_and_emit([path])


# ---- 100,000 notes: batches, every core, a sample through the CLI -------------------------------

@dataclass
class FuzzReport:
    notes: int
    seed: int
    seconds: float = 0.0
    crashes: list[Crash] = field(default_factory=list)
    cli_notes: int = 0                   # notes also checked through the `factlint check` process
    workers: int = 1
    sources: int = 0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["crash_count"] = len(self.crashes)
        d["crashes"] = d["crashes"][:20]
        d["notes_per_second"] = round(self.notes / self.seconds, 1) if self.seconds else None
        return d


def fuzz_at_scale(budget: int, seed: int = 14, *, batch: int = 100, workers: int | None = None,
                  cli_every: int = 25, generated: int = 60, progress: Callable[[str], None] | None = None,
                  workdir: Path | None = None) -> FuzzReport:
    """`budget` mutated notes of `sources(generated, seed)`, in batches of `batch` spread over
    `workers` forked processes (default: every usable CPU); every `cli_every`-th batch also
    goes through the real CLI."""
    import multiprocessing

    from factlint.pipeline import load_engine, worker_count

    corpus = sources(generated, seed)
    workers = workers or worker_count(None)
    report = FuzzReport(budget, seed, workers=workers, sources=len(corpus))
    spans = [(start, min(start + batch, budget)) for start in range(0, budget, batch)]
    jobs = [(corpus, seed, lo, hi, (k % cli_every == 0) if cli_every else False, workdir)
            for k, (lo, hi) in enumerate(spans)]
    started = time.perf_counter()
    with strict_mode():
        load_engine(None)                                  # loaded once, inherited by the forks
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, maxtasksperchild=50) as pool:
            done = 0
            for crashes, cli_notes, count in pool.imap_unordered(_fuzz_batch, jobs):
                report.crashes += crashes
                report.cli_notes += cli_notes
                done += count
                if progress and (done // batch) % 20 == 0:
                    rate = done / (time.perf_counter() - started)
                    progress(f"{done:,} / {budget:,} notes, {len(report.crashes)} crashes, {rate:.0f} notes/s")
    report.seconds = round(time.perf_counter() - started, 1)
    report.crashes.sort(key=lambda c: c.case)
    return report


def _fuzz_batch(job) -> tuple[list[Crash], int, int]:
    corpus, seed, lo, hi, through_cli, workdir = job
    cases = {}
    with tempfile.TemporaryDirectory(dir=workdir, prefix="fuzz-") as tmp:
        for case in range(lo, hi):
            name, data, how = mutant(corpus, seed, case)
            path = Path(tmp) / f"mutant-{case:06d}.md"
            path.write_bytes(data)
            cases[str(path)] = (path, name, case, how)
        crashes = _batch_crashes(cases)
        cli_notes = 0
        if through_cli:
            crashes += _cli_crashes(Path(tmp), cases)
            cli_notes = len(cases)
    return crashes, cli_notes, hi - lo


# A check that gives no answer in this long is a hang, reported as a crash: a batch gets this
# long in all (it usually needs 3-10 s), then each of its notes this long alone. Generous, since
# the machine may be loaded; a hang found so far ran for hours (a regex backtracking).
HANG_SECONDS = 120.0


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so that no `except Exception` in the engine
    swallows it and lets the hang go on."""


@contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise Hang(f"hang: no answer after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _batch_crashes(cases: dict) -> list[Crash]:
    """The batch as one corpus; when it crashes or hangs, each note alone names the culprit (a
    crash that needs several notes at once is reported against the batch's first case)."""
    try:
        with time_limit(HANG_SECONDS):
            outcome = check_and_emit([path for path, *_ in cases.values()])
    except (Exception, Hang):
        whole = traceback.format_exc(limit=-8)           # the innermost frames: where it failed or hung
        alone = [c for key in cases for c in _batch_crashes({key: cases[key]})] if len(cases) > 1 else []
        if alone:
            return alone
        _, name, case, how = next(iter(cases.values()))
        return [Crash(name, case, f"{how} (with {len(cases) - 1} other notes)", whole)]
    crashes = []
    for finding in _crash_findings(outcome.findings):
        _, name, case, how = cases.get(finding.location.path, (None, "?", -1, "?"))
        crashes.append(Crash(name, case, how, finding.message))
    return crashes


def _cli_crashes(folder: Path, cases: dict) -> list[Crash]:
    """The batch through `python -m factlint check` with every format written to a file: the
    exit code is 0 or 1 and the files parse."""
    outputs = {fmt: folder / f"out.{fmt}" for fmt in FORMATS}
    command = [sys.executable, "-m", "factlint", "check", str(folder)]
    for fmt, out in outputs.items():
        command += ["-f", fmt, "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "FACTLINT_JOBS": "1"}
    _, name, case, how = next(iter(cases.values()))
    where = f"{how} (the CLI on cases {case}..{case + len(cases) - 1})"
    try:
        proc = subprocess.run(command, cwd=folder, env=env, capture_output=True, timeout=5 * HANG_SECONDS)
    except subprocess.TimeoutExpired:
        return [Crash(name, case, where, f"hang: the CLI gave no answer in {5 * HANG_SECONDS:g} s")]
    if proc.returncode not in (0, 1):
        return [Crash(name, case, where, f"exit {proc.returncode}: "
                      + proc.stderr.decode("utf-8", "replace")[-3000:])]
    try:
        for fmt, out in outputs.items():
            check_output(fmt, out.read_bytes().decode("utf-8"))
    except Exception:
        return [Crash(name, case, where, traceback.format_exc(limit=4))]
    return []


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("budget", type=int, help="mutated notes to check")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--batch", type=int, default=100, help="notes per in-process check")
    parser.add_argument("--workers", type=int, default=None, help="default: every usable CPU")
    parser.add_argument("--cli-every", type=int, default=25, help="one batch in N also goes through the CLI")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(list(argv) if argv is not None else None)
    sys.path.insert(0, str(REPO))
    load = os.getloadavg()
    report = fuzz_at_scale(args.budget, args.seed, batch=args.batch, workers=args.workers,
                           cli_every=args.cli_every, progress=lambda m: print(m, file=sys.stderr, flush=True))
    result = {**report.as_dict(), "load_at_start": load, "load_at_end": os.getloadavg()}
    text = json.dumps(result, indent=1, ensure_ascii=False)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    print(text)
    return 1 if report.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
