"""Pure composition of the stages: discover -> ingest -> claims -> rules -> (corpus rules).

The CLI gate and the Prefect flow both call these functions; neither holds a second
implementation of any stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import dataclasses
import os
from typing import Any, Iterable, Iterator, Sequence

import pandas as pd

from factlint.document import Document
from factlint.config import Settings
from factlint.errors import UsageError
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
    coverage: dict | None = None       # numeric claims checked against the knowledge base (counts)

    def has_errors(self) -> bool:
        return self.error is not None or any(f.severity is Severity.ERROR for f in self.findings)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Markdown files under the given files/folders, sorted, each once. Follows symlinked files
    but never walks a directory twice (a symlink loop ends there). A missing path is a UsageError."""
    found: dict[str, Path] = {}
    for given in paths:
        root = Path(given)
        if not root.exists() and not root.is_symlink():
            raise UsageError(f"no such file or directory: {given}")
        if not root.is_dir():   # a file named on the command line is checked whatever it is (FIFO too)
            found.setdefault(str(root), root)
            continue
        seen_dirs: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            try:
                st = os.stat(dirpath)
            except OSError:
                dirnames[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.lower().endswith(MARKDOWN_SUFFIXES):
                    p = Path(dirpath) / name
                    found.setdefault(str(p), p)
    return sorted(found.values(), key=lambda p: str(p))


@dataclass(frozen=True)
class Engine:
    """Everything a run needs that is loaded once: settings, vocabulary, knowledge base, rules."""
    settings: Settings
    vocab: Any
    kb: Any
    rules: tuple

    @property
    def fingerprint(self) -> str:
        """Engine version + vocabulary + reference: a cached result is only valid for the same."""
        from factlint import __version__
        kb_hash = getattr(self.kb, "hash", "") if self.kb is not None else ""
        return f"{__version__}:{self.vocab.hash}:{kb_hash}:{_rules_key(self.rules)}"


def _rules_key(rules) -> str:
    return ",".join(f"{spec.id}={sev.value}" for spec, sev in rules)


_ENGINES: dict[Settings, Engine] = {}


def load_engine(settings: Settings | None = None) -> Engine:
    """Load (and cache per settings) vocabulary, knowledge base and the enabled rules. No settings
    means the defaults: every rule, the built-in vocabulary and knowledge base."""
    settings = settings if settings is not None else Settings()
    # Paths and the fail-on threshold do not change what the engine loads.
    key = dataclasses.replace(settings, paths=(), fail_on="error")
    if key in _ENGINES:
        return _ENGINES[key]
    from factlint.normalise.vocab import load_vocabulary
    from factlint.rules import load_rules

    vocab = load_vocabulary(tuple(str(p) for p in settings.vocabulary))
    registry = load_rules()
    enabled = tuple((registry[rule_id], settings.severity_for(rule_id, registry[rule_id].severity))
                    for rule_id in settings.enabled_rule_ids(registry))
    engine = Engine(settings, vocab, _load_kb(settings), enabled)
    _ENGINES[key] = engine
    return engine


def _load_kb(settings):
    try:
        from factlint.reference.kb import load_kb
    except ImportError:
        return None
    return load_kb(settings.reference) if settings.reference else load_kb()


def extract_document(path: str | Path, vocab) -> DocumentResult:
    """Ingest one note and turn its tables into claims (no rules)."""
    from factlint.claims import empty_claims, extract_claims
    from factlint.ingest import IngestError, read_document

    special = _not_a_regular_file(path)
    if special:
        return DocumentResult(str(path), "", None, empty_claims(), [], error=special)
    try:
        doc = read_document(path)
    except IngestError as exc:
        return DocumentResult(str(path), "", None, empty_claims(), [], error=str(exc))
    return DocumentResult(str(path), doc.sha256, doc, extract_claims(doc, vocab))


def _not_a_regular_file(path: str | Path) -> str | None:
    """Why a path that names no regular file cannot be read, without opening it: reading a
    FIFO named `x.md` would block the run forever, a device would never end."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None                      # read_document reports missing and unreadable files
    if stat.S_ISREG(mode):
        return None
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
    return f"{kind}, not a regular file"


def check_document(path: str | Path, settings=None, engine: Engine | None = None) -> DocumentResult:
    """Ingest, extract claims, and run every enabled document-scope rule on one note."""
    engine = engine or load_engine(settings)
    result = extract_document(path, engine.vocab)
    doc, claims = result.document, result.claims
    if doc is None:
        return result
    findings: list[Finding] = []
    for spec, severity in engine.rules:
        if spec.scope != "document":
            continue
        findings.extend(_run_rule(spec, severity, doc, claims, engine))
    result.findings = findings
    if engine.kb is not None and len(claims):
        from factlint.reference.coverage import coverage

        result.coverage = coverage(claims, engine.kb, engine.vocab)
    return result


def total_coverage(results: Sequence[DocumentResult]) -> dict | None:
    """Coverage over a run: numeric claims about known entities, and how many a source checked."""
    parts = [r.coverage for r in results if r.coverage]
    if not parts:
        return None
    total = {k: sum(p.get(k, 0) for p in parts) for k in parts[0] if k != "share"}
    numeric = total.get("numeric_claims", 0)
    total["share"] = round(total.get("checked", 0) / numeric, 4) if numeric else 0.0
    return total


def _run_rule(spec, severity, doc, claims, engine) -> list[Finding]:
    from factlint.rules._context import RuleContext

    options = dict(engine.settings.options_for(spec.id))
    ctx = RuleContext(spec.id, severity, doc, claims, engine.vocab, engine.kb, options)
    try:
        return list(spec.func(doc if doc is not None else None, ctx) or ())
    except Exception as exc:  # a broken rule must not hide the other rules' findings
        if os.environ.get("FACTLINT_STRICT"):
            raise
        where = doc.path if doc is not None else "<corpus>"
        from factlint.findings import Location
        return [ctx.finding(Location(path=where, line=1), f"rule {spec.id} crashed: "
                            f"{type(exc).__name__}: {exc}", severity=Severity.WARNING,
                            values=[type(exc).__name__])]


# Below this many notes a process pool costs more than it saves (forking, pickling results).
POOL_MIN_FILES = 48


def worker_count(jobs: int | None = None) -> int:
    """How many processes to check with: `jobs`, else FACTLINT_JOBS, else the usable CPUs."""
    if jobs is None:
        env = os.environ.get("FACTLINT_JOBS", "").strip()
        jobs = int(env) if env.isdigit() else 0
    if jobs <= 0:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:                   # not Linux
            jobs = os.cpu_count() or 1
    return max(1, jobs)


def check_paths(paths: Sequence[str | Path], settings=None, *, engine: Engine | None = None,
                jobs: int | None = None) -> Iterator[DocumentResult]:
    """check_document over many paths, yielded in the order of `paths` as they complete; on
    several CPUs and enough notes, in a pool of forked processes (the loaded engine is
    inherited, not reloaded). The results are the same, in the same order, either way."""
    engine = engine or load_engine(settings)
    workers = min(worker_count(jobs), max(1, len(paths) // 8))
    context = _fork_context()
    if workers < 2 or len(paths) < POOL_MIN_FILES or context is None:
        for path in paths:
            yield check_document(path, settings, engine)
        return
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_ENGINE
    _WORKER_ENGINE = engine                      # inherited by the forked workers
    # Small chunks keep memory flat and the two workers evenly loaded; big enough that
    # the per-task pickling round trip stays negligible.
    chunk = max(1, min(16, len(paths) // (workers * 16)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_check_in_worker, paths, chunksize=chunk)
    _WORKER_ENGINE = None


_WORKER_ENGINE: Engine | None = None


def _check_in_worker(path) -> DocumentResult:
    return check_document(path, _WORKER_ENGINE.settings, _WORKER_ENGINE)


def _fork_context():
    """Fork, where the platform has it: workers start in milliseconds with every module and
    the engine already loaded. Elsewhere (spawn would re-import pandas per worker) no pool."""
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def check_documents(paths: Sequence[str | Path], settings=None) -> list[DocumentResult]:
    """check_document over many paths (a batch); order follows `paths`."""
    engine = load_engine(settings)
    return [check_document(p, settings, engine) for p in paths]


def all_claims(results: Sequence[DocumentResult]) -> pd.DataFrame | None:
    """Every document's claims in one frame (None when there are none)."""
    frames = [r.claims for r in results if len(r.claims)]
    return pd.concat(frames, ignore_index=True) if frames else None


def across_documents(results: Sequence[DocumentResult], settings=None,
                     claims: pd.DataFrame | None = None) -> list[Finding]:
    """Corpus-scope rules (e.g. the same entity + attribute stated differently in two notes).
    `claims`: `all_claims(results)` when the caller already has it."""
    engine = load_engine(settings)
    corpus_rules = [(s, sev) for s, sev in engine.rules if s.scope == "corpus"]
    if not corpus_rules or len(results) < 2:
        return []
    if claims is None:
        claims = all_claims(results)
    if claims is None:
        claims = pd.DataFrame()
    findings: list[Finding] = []
    for spec, severity in corpus_rules:
        findings.extend(_run_rule(spec, severity, None, claims, engine))
    return findings
