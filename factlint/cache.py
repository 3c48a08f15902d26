"""Per-document result cache, so that a run over an unchanged corpus re-validates nothing.

A cached ``DocumentResult`` is valid only for the same bytes at the same path checked by the
same engine. The key is therefore

    sha256(path, content sha256, engine key)

where the engine key hashes the engine version *and its source code* (a code change with no
version bump must not serve stale findings), every file under the vocabulary folder, every
file under the reference folder, and the settings that change results (selected rules,
severities, options). The key never contains a run id, unlike Prefect's default cache policy,
so it is reused across runs and processes.

Layout: ``<root>/<engine key[:16]>/<document key>.pkl``, and beside it ``<document key>.sum``,
the note's summary (``factlint.summary``: what the stages after the check read of it), which a
flow re-run loads instead of the full result. Entries are written to a temporary file and
renamed, so a killed run never leaves a torn entry; an unreadable entry counts as a miss (a
missing or unreadable summary only means the full result is loaded). Folders of other engine
keys are stale and ``prune`` removes them.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import factlint
import schemas
from factlint import heap
from factlint.atomic import replace_file

PACKAGE_DIR = Path(factlint.__file__).resolve().parent
# The cache belongs to the project being checked (config.project_dir), not to the engine.
CACHE_FOLDER = ".factlint-cache"
DEFAULT_VOCAB_DIR = PACKAGE_DIR / "vocab"
# Source folders whose code decides a document's result, less the modules that only run after
# it (reports, publishing, the CLI): editing a template must not re-validate the corpus.
ENGINE_SOURCE_DIRS = (PACKAGE_DIR, Path(schemas.__file__).resolve().parent)
NOT_ENGINE = ("emit", "templates", "cli.py", "__main__.py", "publish.py", "history.py",
              "gx_check.py", "baseline.py")
CACHE_ENV = "FACTLINT_CACHE_DIR"
SUMMARY_SUFFIX = ".sum"


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_hash(*roots: str | Path, suffixes: tuple[str, ...] | None = None,
              exclude: tuple[str, ...] = ()) -> str:
    """One hash over the relative names and contents of every file under the roots (a missing
    root hashes as empty, so creating data/reference/ later changes the key). ``exclude``
    names top-level entries of a root to leave out."""
    digest = hashlib.sha256()
    for root in map(Path, roots):
        digest.update(f"<{root.name}>".encode())
        for file in _files(root):
            relative = file.relative_to(root) if file != root else Path(file.name)
            if "__pycache__" in file.parts or (suffixes and file.suffix not in suffixes) \
                    or relative.parts[0] in exclude:
                continue
            digest.update(str(relative).encode())
            digest.update(sha256_file(file).encode())
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if root.is_dir():
        return sorted(p for p in root.rglob("*") if p.is_file())
    return []


@dataclass(frozen=True)
class EngineKey:
    """What a cached result depends on besides the document itself, each part kept for the
    run manifest."""
    version: str
    source: str
    vocabulary: str
    reference: str
    settings: str

    @property
    def digest(self) -> str:
        parts = (self.version, self.source, self.vocabulary, self.reference, self.settings)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def as_dict(self) -> dict[str, str]:
        return {"version": self.version, "source": self.source, "vocabulary": self.vocabulary,
                "reference": self.reference, "settings": self.settings, "digest": self.digest}


def settings_digest(settings) -> str:
    """Settings change results (selected rules, severities, options); ``repr`` of the frozen
    config dataclass is deterministic, and ``None`` means the defaults."""
    return hashlib.sha256(repr(settings).encode()).hexdigest()


def engine_key(settings=None, *, vocab_dir: str | Path | None = None,
               reference_dir: str | Path | None = None) -> EngineKey:
    vocab_roots = [Path(vocab_dir or DEFAULT_VOCAB_DIR),
                   *map(Path, getattr(settings, "vocabulary", None) or ())]
    from factlint.reference.kb import DEFAULT_PATH

    reference = reference_dir or getattr(settings, "reference", None) or DEFAULT_PATH
    # The project's own reference files by content: editing one must re-check the notes.
    own = getattr(settings, "reference_files", None) or ()
    return EngineKey(
        version=factlint.__version__,
        source=tree_hash(*ENGINE_SOURCE_DIRS, suffixes=(".py",), exclude=NOT_ENGINE),
        vocabulary=tree_hash(*vocab_roots),
        reference=tree_hash(reference, *own),
        settings=settings_digest(settings),
    )


def document_key(path: str | Path, content_sha256: str, engine: EngineKey) -> str:
    # The path is part of the key: results carry it in every claim and finding location. As
    # results hold it (display_path): a file name that is not UTF-8 would not encode, and a
    # result is put under its own path but looked up under the one on disk.
    from factlint.document import display_path

    key = f"{display_path(path)}\n{content_sha256}\n{engine.digest}"
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class CacheStats:
    hits: list[str] = field(default_factory=list)     # paths served from the cache
    misses: list[str] = field(default_factory=list)   # paths checked afresh

    def merge(self, other: "CacheStats") -> "CacheStats":
        return CacheStats(self.hits + other.hits, self.misses + other.misses)


@dataclass
class CachedBatch:
    """A batch's results in input order, with which of them came from the cache."""
    results: list
    stats: CacheStats


class DocumentCache:
    def __init__(self, root: str | Path, engine: EngineKey):
        self.root = Path(root)
        self.engine = engine
        self.folder = self.root / engine.digest[:16]

    def _entry(self, path: str | Path, content_sha256: str) -> Path:
        return self.folder / f"{document_key(path, content_sha256, self.engine)}.pkl"

    def get(self, path: str | Path, content_sha256: str):
        return self._load(self._entry(path, content_sha256))

    def get_summary(self, path: str | Path, content_sha256: str):
        """The note's summary (``summary.NoteSummary``) when one is kept and its full result
        is still there to fall back on, else None."""
        entry = self._entry(path, content_sha256)
        summary = self._load(entry.with_suffix(SUMMARY_SUFFIX))
        if summary is None or not entry.exists():
            return None
        summary.entry = entry
        return summary

    def put_summary(self, summary) -> None:
        """Keep a note's summary beside its full result (written by ``put_pickled`` before)."""
        self._dump(summary, self._entry(summary.path, summary.sha256).with_suffix(SUMMARY_SUFFIX))

    @staticmethod
    def _load(entry: Path):
        try:
            with open(entry, "rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception:  # a torn or incompatible entry is a miss, never a crash
            entry.unlink(missing_ok=True)
            return None

    def put_pickled(self, path: str | Path, content_sha256: str, blob: bytes) -> None:
        """Keep a freshly checked note's full result, given as its pickle (the bytes a check
        worker made once, ``pipeline.check_paths``' ``keep``)."""
        self._write(blob, self._entry(path, content_sha256))

    def _dump(self, value, entry: Path) -> None:
        self._write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), entry)

    def _write(self, blob: bytes, entry: Path) -> None:
        replace_file(entry, blob)

    def prune(self) -> list[Path]:
        """Remove the folders of other engine keys (results no run can use any more)."""
        stale = [p for p in self.root.glob("*") if p.is_dir() and p != self.folder]
        for folder in stale:
            shutil.rmtree(folder, ignore_errors=True)
        return stale


def cache_dir(explicit: str | Path | None = None, settings=None) -> Path:
    """``explicit``, else $FACTLINT_CACHE_DIR, else .factlint-cache/ in the project the
    settings come from (the folder of its pyproject.toml, else the working directory)."""
    if explicit or os.environ.get(CACHE_ENV):
        return Path(explicit or os.environ[CACHE_ENV])
    from factlint.config import project_dir

    return project_dir(settings) / CACHE_FOLDER


def check_documents_cached(paths: Sequence[str | Path], settings=None,
                           cache_root: str | Path | None = None,
                           engine: EngineKey | None = None,
                           check: Callable[..., list] | None = None,
                           summaries: bool = False) -> CachedBatch:
    """``pipeline.check_documents`` for the paths whose cache entry is missing; the others come
    from the cache. ``check`` is injectable so tests can count what is really re-validated;
    by default the misses are checked on every CPU (``check_fresh``). ``summaries``: a cached
    note comes back as its ``summary.NoteSummary`` when one is kept (a full result otherwise),
    which every later stage takes in its place."""
    engine = engine or engine_key(settings)
    store = DocumentCache(cache_dir(cache_root, settings), engine)
    hashes = {str(p): _content_hash(p) for p in paths}

    def cached_result(path):
        digest = hashes[str(path)]
        if not digest:
            return None
        return (summaries and store.get_summary(path, digest)) or store.get(path, digest)

    with heap.paused():                 # loading thousands of summaries (factlint.heap)
        cached = {str(p): cached_result(p) for p in paths}
        heap.keep_what_exists()         # before the collector runs again, or it walks them
    todo = [p for p in paths if cached[str(p)] is None]
    keep = Keeper(store, {str(p): hashes[str(p)] for p in todo})
    if check is None:
        checked = check_fresh(todo, settings, keep=keep) if todo else []   # kept where checked
    else:                       # a stand-in check (tests): its results are kept here
        from factlint.pipeline import pickled_and_kept

        checked = check(todo, settings) if todo else []
        pickled_and_kept(todo, checked, keep)
    fresh = dict(zip(map(str, todo), checked))
    stats = CacheStats(hits=[str(p) for p in paths if str(p) not in fresh],
                       misses=list(fresh))
    return CachedBatch([cached[str(p)] or fresh[str(p)] for p in paths], stats)


def keep_summaries(results: Iterable, cache_root: str | Path, engine: EngineKey,
                   report_facts: Callable | None = None) -> int:
    """Keep the summary of every cached note for the next run: a full result's (checked now, or
    loaded whole because it had no summary yet) and a summary's whose report facts changed
    (``report_facts(result)``: the ``summary.ReportFacts`` the report resolved this run, e.g.
    cells that a new corpus finding points at). Results with an error are never cached, so
    they get none. Returns how many summaries were written."""
    from factlint.summary import NoteSummary, summarise

    store = DocumentCache(cache_root, engine)
    written = 0
    for result in results:
        facts = report_facts(result) if report_facts else None
        if isinstance(result, NoteSummary):
            if facts is None or facts == result.report:
                continue
            result.report = facts
            store.put_summary(result)
        elif result.error is None and result.sha256 and result.document is not None:
            if not store._entry(result.path, result.sha256).exists():
                continue                  # not cached (an unreadable note), nothing to stand for
            store.put_summary(summarise(result, facts))
        else:
            continue
        written += 1
    return written


# pipeline.check_paths hands its engine to the forked workers through a module global, so two
# threads of one flow run (two batch tasks) must not run a pool at the same time.
_POOL = threading.Lock()


@dataclass(frozen=True)
class Keeper:
    """Writes a freshly checked note's cache entry from its pickle, wherever it was checked
    (``pipeline.check_paths``' ``keep``: in the forked worker, so the parent neither pickles
    the results again nor waits for the writes after the last one arrives). The key is the
    content hash this run read the note under; unreadable files carry none and are never
    cached (their error may be transient)."""
    store: DocumentCache
    hashes: Mapping[str, str]

    def __call__(self, path: str | Path, result, blob: bytes) -> None:
        digest = self.hashes.get(str(path))
        if digest and result.error is None:
            self.store.put_pickled(path, digest, blob)


def check_fresh(paths: Sequence[str | Path], settings=None, keep: Keeper | None = None) -> list:
    """Full results for ``paths``, checked as ``factlint check`` checks them
    (``pipeline.check_paths``: the claims contract included): in a pool of forked processes
    over the CPUs when there are enough (a flow's thread runner alone would use one core); in
    this process when it is daemonic (a Dask worker), which may not have children. ``keep``:
    given each result and its pickle where it is made."""
    from factlint import pipeline

    if multiprocessing.current_process().daemon:
        return list(pipeline.check_paths(paths, settings, jobs=1, keep=keep))
    with _POOL:
        return list(pipeline.check_paths(paths, settings, keep=keep))


def _content_hash(path: str | Path) -> str:
    try:
        return sha256_file(path)
    except OSError:
        return ""


def flatten(batches: Iterable[CachedBatch]) -> CachedBatch:
    """Join the batches of one run back into one, in order."""
    results, stats = [], CacheStats()
    for batch in batches:
        results.extend(batch.results)
        stats = stats.merge(batch.stats)
    return CachedBatch(results, stats)
