"""Pure composition of the stages: discover -> ingest -> facts (and their claims) -> rules -> (corpus rules).

The CLI gate and the Prefect flow both call these functions; neither holds a second
implementation of any stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import dataclasses
import os
import pickle
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from factlint import heap
from factlint.document import Document, display_path
from factlint.config import Settings
from factlint.errors import UsageError
from factlint.findings import Finding, Severity

if TYPE_CHECKING:       # pandas is imported where a frame is built: checking one note needs none
    import pandas as pd

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


class _Claims:
    """``result.claims``: the claims frame (schemas.claims.ClaimsSchema columns). A result built
    by the pipeline holds its claims as row dicts, which is what the rules read; the frame is
    built on first use (extract's output, publishing, the report) and kept. Assigning a frame or
    a list of row dicts replaces both."""

    def __get__(self, result, owner=None):
        if result is None:
            raise AttributeError("claims")          # a required field: no dataclass default
        state = result.__dict__
        if state.get("_frame") is None:
            from factlint.claims import claims_frame
            state["_frame"] = claims_frame(state.get("_rows") or [])
        return state["_frame"]

    def __set__(self, result, claims) -> None:
        if claims is None:
            claims = []
        is_rows = isinstance(claims, list)
        result.__dict__["_rows"] = claims if is_rows else None
        result.__dict__["_frame"] = None if is_rows else claims


@dataclass
class DocumentResult:
    path: str
    sha256: str
    document: Document | None          # None when the file could not be read at all
    claims: pd.DataFrame = _Claims()   # also accepts a list of claim dicts (see `rows`)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None           # why the file could not be ingested
    coverage: dict | None = None       # numeric claims checked against the knowledge base (counts)
    # Per corpus rule with a `collect` step: what this note contributes to it (small, picklable).
    collected: dict[str, list] = field(default_factory=dict)
    # Set by `slim()`, which drops the claims and most tables but keeps their counts.
    counts: dict[str, int] | None = None
    # The rule an `error` is reported under: "unreadable-path" when the system refused the read
    # (the note was not checked), "malformed-input" when the bytes are no note.
    error_rule: str = "malformed-input"

    @property
    def rows(self) -> list[dict]:
        """The claims as dicts (factlint.claims.claim_rows), without building a frame."""
        state = self.__dict__
        if state.get("_rows") is None:
            from factlint.claims import claim_rows
            state["_rows"] = claim_rows(state.get("_frame"))
        return state["_rows"]

    @property
    def claim_count(self) -> int:
        if self.counts is not None:
            return self.counts["claims"]
        state = self.__dict__
        held = state.get("_rows") if state.get("_rows") is not None else state.get("_frame")
        return 0 if held is None else len(held)

    @property
    def table_count(self) -> int:
        if self.counts is not None:
            return self.counts["tables"]
        return len(self.document.tables) if self.document is not None else 0

    def has_errors(self) -> bool:
        return self.error is not None or any(f.severity is Severity.ERROR for f in self.findings)

    def slim(self) -> "DocumentResult":
        """What the gate's emitters and judge need once the rules have run, for a corpus of any
        size: findings, counts, the note's text (for source lines and fixes), its suppressions and
        problems, and only the tables a finding points into (for cell columns). No claims."""
        doc = self.document
        if doc is not None:
            lines = {loc.line for f in self.findings for loc in (f.location, *f.related)}
            tables = tables_holding(doc.tables, lines)
            doc = dataclasses.replace(doc, text=_lines_kept(doc, lines), tables=tables,
                                      front_matter={})
        return DocumentResult(self.path, self.sha256, doc, [], list(self.findings), self.error,
                              self.coverage, dict(self.collected),
                              {"claims": self.claim_count, "tables": self.table_count}, self.error_rule)

    def __getstate__(self):
        """Pickle one form of the claims (rows if held, else the frame), not both."""
        state = dict(self.__dict__)
        if state.get("_rows") is not None:
            state["_frame"] = None
        return state


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Markdown files under the given files/folders, sorted, each once. Follows symlinked files
    but never walks a directory twice (a symlink loop ends there). A missing path is a UsageError.
    A folder that cannot be listed is returned itself, like a file that cannot be read: reading
    it reports it (`unreadable-path`), so the notes it hides are never silently left out."""
    found: dict[str, Path] = {}
    for given in paths:
        root = Path(given)
        if _missing(root):
            raise UsageError(f"no such file or directory: {given}")
        if not os.path.isdir(root):   # a file named on the command line is checked whatever it is (FIFO too)
            found.setdefault(str(root), root)
            continue
        for path in _walk(root):
            found.setdefault(str(path), path)
    return sorted(found.values(), key=lambda p: str(p))


def _missing(path: Path) -> bool:
    """Nothing there at all. A path the system will not stat (a folder above it is unreadable)
    is not missing: it is read, and reported as unreadable, with the rest of the run going on."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return not path.is_symlink()          # a dangling link is reported when read
    except OSError:
        return False
    return False


def _walk(root: Path) -> Iterator[Path]:
    """The notes under `root`, then every folder under it that could not be listed."""
    unlisted: list[str] = []
    seen_dirs: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True,
                                                onerror=lambda err: unlisted.append(err.filename)):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            unlisted.append(dirpath)
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            dirnames[:] = []
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(MARKDOWN_SUFFIXES):
                yield Path(dirpath) / name
    yield from (Path(folder) for folder in unlisted)


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
    from factlint.rules import load_rules
    from factlint.snapshot import reference_data

    vocab, kb = reference_data(settings, lambda: _load_reference_data(settings))
    registry = load_rules()
    enabled = tuple((registry[rule_id], settings.severity_for(rule_id, registry[rule_id].severity))
                    for rule_id in settings.enabled_rule_ids(registry))
    engine = Engine(settings, vocab, kb, enabled)
    _ENGINES[key] = engine
    return engine


def _load_reference_data(settings) -> tuple:
    """The vocabulary and the knowledge base, read and validated (factlint.snapshot keeps the
    result per content of the files)."""
    from factlint.normalise.vocab import load_vocabulary

    return load_vocabulary(tuple(str(p) for p in settings.vocabulary)), _load_kb(settings)


def _load_kb(settings):
    try:
        from factlint.reference.kb import load_kb
    except ImportError:
        return None
    return load_kb(settings.reference or None, extra=settings.reference_files)


def extract_document(path: str | Path, vocab) -> DocumentResult:
    """Ingest one note and turn its tables into claims (no rules)."""
    return read_with_facts(path, vocab)[0]


def read_with_facts(path: str | Path, vocab):
    """The note's result (document and claims) and its facts, which the rules query; the facts
    are not kept in the result (a run holds results for every note)."""
    from factlint.facts import read_note
    from factlint.ingest import IngestError, UnreadableFile, read_document

    unlisted = _unlisted_folder(path)
    if unlisted is not None:
        return unlisted, None
    special = _not_a_regular_file(path)
    if special:
        return DocumentResult(display_path(path), "", None, [], [], error=special), None
    try:
        doc = read_document(path)
    except IngestError as exc:
        rule = "unreadable-path" if isinstance(exc, UnreadableFile) else "malformed-input"
        return DocumentResult(display_path(path), "", None, [], [], error=str(exc), error_rule=rule), None
    facts = read_note(doc, vocab)
    return DocumentResult(doc.path, doc.sha256, doc, facts.claims), facts


def _unlisted_folder(path: str | Path) -> DocumentResult | None:
    """The result for a folder that cannot be listed (discover returns such folders with the
    notes), else None."""
    from factlint.ingest import INCOMPLETE

    if not os.path.isdir(path):
        return None
    try:
        os.listdir(path)
        return None
    except OSError as err:
        why = (err.strerror or type(err).__name__).lower()
    return DocumentResult(display_path(path), "", None, [], [], error_rule="unreadable-path",
                          error=f"cannot read folder {display_path(path)}: {why}; {INCOMPLETE} "
                                "(no note in it was checked)")


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
    result, facts = read_with_facts(path, engine.vocab)
    doc, claims = result.document, result.rows
    if doc is None:
        return result
    findings: list[Finding] = []
    for spec, severity in engine.rules:
        if spec.func is None:
            continue                 # a finding kind another stage makes (the gate, suppressions, the flow)
        if spec.scope == "document":
            findings.extend(_run_rule(spec, severity, doc, claims, engine, facts))
        elif spec.collect is not None:
            result.collected[spec.id] = _collect(spec, severity, doc, claims, engine, facts)
    result.findings = findings
    if engine.kb is not None and len(claims):
        from factlint.reference.coverage import coverage

        result.coverage = coverage(facts, engine.kb, engine.vocab)
    return result


def total_coverage(results: Sequence[DocumentResult]) -> dict | None:
    """Coverage over a run: numeric claims about known entities, and how many a source checked."""
    parts = [r.coverage for r in results if r.coverage]
    if not parts:
        return None
    return _summed(parts)


def _summed(parts: Sequence[Mapping]) -> dict:
    """Counts added up, shares recomputed; nested counts (`hardware`) likewise."""
    total: dict = {}
    for key in parts[0]:
        if key == "share":
            continue
        if isinstance(parts[0][key], Mapping):
            total[key] = _summed([p[key] for p in parts if isinstance(p.get(key), Mapping)])
        else:
            total[key] = sum(p.get(key, 0) for p in parts)
    numeric = total.get("numeric_claims", 0)
    total["share"] = round(total.get("checked", 0) / numeric, 4) if numeric else 0.0
    return total


def _run_rule(spec, severity, doc, claims, engine, facts=None) -> list[Finding]:
    from factlint.rules._context import RuleContext

    options = dict(engine.settings.options_for(spec.id))
    ctx = RuleContext(spec.id, severity, doc, claims, engine.vocab, engine.kb, options, facts)
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


def _collect(spec, severity, doc, claims, engine, facts=None) -> list:
    """A corpus rule's per-note step; a failure loses only that note's part (strict mode raises)."""
    from factlint.rules._context import RuleContext

    if facts is None and doc is not None:
        from factlint.facts import read_note

        facts = read_note(doc, engine.vocab)
    ctx = RuleContext(spec.id, severity, doc, claims, engine.vocab, engine.kb,
                      dict(engine.settings.options_for(spec.id)), facts)
    try:
        return list(spec.collect(doc, ctx))
    except Exception:
        if os.environ.get("FACTLINT_STRICT"):
            raise
        return []


def tables_holding(tables: Sequence, lines: Iterable[int]) -> tuple:
    """The tables that hold at least one of `lines`: one binary search per table over the sorted
    lines (a 50 MB note has ~100,000 tables and ~50,000 finding lines; testing every pair took
    11 minutes)."""
    from bisect import bisect_left

    ordered = sorted(set(lines))
    kept = []
    for table in tables:
        i = bisect_left(ordered, table.header_line)
        if i < len(ordered) and ordered[i] <= table.end_line:
            kept.append(table)
    return tuple(kept)


def _lines_kept(doc: Document, lines: set[int]) -> str:
    """The note's text with only the lines a finding can point at: every table line (where every
    claim, and so every corpus finding, sits), the findings' own lines and the suppression
    comments; the rest blank, so line numbers stay true. Prose is more than half a typical note."""
    keep = set(lines) | {s.line for s in doc.suppressions}
    for table in doc.tables:
        keep.update(range(table.header_line, table.end_line + 1))
    return "\n".join(text if number in keep else ""
                     for number, text in enumerate(doc.text.split("\n"), 1))


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
                jobs: int | None = None, slim: bool = False,
                keep: Callable[[str | Path, DocumentResult, bytes], None] | None = None
                ) -> Iterator[DocumentResult]:
    """check_batch over many paths, yielded in the order of `paths` as they complete; on several
    CPUs and enough notes, in a pool of forked processes (the loaded engine is inherited, not
    reloaded). `slim`: yield `DocumentResult.slim()`s, which is all a gate needs and keeps its
    memory flat however many notes it checks. The results are the same, in the same order,
    either way. `keep(path, result, its pickle)` is called once per result where the result is
    made (a cache stores those bytes): a forked worker then pickles each result once, for
    `keep` and for the trip back, and this process loads the same bytes."""
    if slim and keep is not None:
        raise ValueError("keep stores full results; a slim check has none to give it")
    engine = engine or load_engine(settings)
    workers = min(worker_count(jobs), max(1, len(paths) // 8))
    context = _fork_context()
    size = _batch_size(len(paths), workers)
    batches = [list(paths[i:i + size]) for i in range(0, len(paths), size)]
    if workers < 2 or len(paths) < POOL_MIN_FILES or context is None:
        for batch in batches:
            results = check_batch(batch, engine, slim=slim)
            if keep is not None:
                pickled_and_kept(batch, results, keep)
            yield from results
        return
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    global _WORKER_ENGINE
    _WORKER_ENGINE = engine                      # inherited by the forked workers
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for results in pool.map(partial(_check_in_worker, slim=slim, keep=keep), batches):
                if keep is not None:
                    with heap.paused():
                        results = [pickle.loads(blob) for blob in results]
                        heap.keep_what_exists()     # in a flow run, they live until it ends
                yield from results
    finally:
        _WORKER_ENGINE = None


def _batch_size(files: int, workers: int) -> int:
    """Notes per batch: enough that the contract check's fixed cost (~18 ms a validation) spreads
    thin (0.9 ms a note in batches of 32, 0.2 ms in one big frame), few enough that each worker
    gets four or more batches to even out the load and a batch's claims stay small (128 notes:
    ~15 MB of claim dicts)."""
    return max(8, min(128, files // (workers * 4) or 1))


def check_batch(paths: Sequence[str | Path], engine: Engine, *, slim: bool = False
                ) -> list[DocumentResult]:
    """check_document over a few notes, then the claims contract over their claims at once
    (each failing claim a `claims-contract` finding on its note)."""
    results = [check_document(path, engine.settings, engine) for path in paths]
    by_path = {r.path: r for r in results}
    for finding in contract_findings(results):
        by_path.get(finding.location.path, results[0]).findings.append(finding)
    return [r.slim() for r in results] if slim else results


_WORKER_ENGINE: Engine | None = None


def _check_in_worker(paths, slim: bool = False, keep=None) -> list[DocumentResult] | list[bytes]:
    """A batch's results; with `keep`, their pickles, each given to `keep` first."""
    results = check_batch(paths, _WORKER_ENGINE, slim=slim)
    return results if keep is None else pickled_and_kept(paths, results, keep)


def pickled_and_kept(paths, results: Sequence[DocumentResult], keep) -> list[bytes]:
    """Each result's pickle, given to ``keep(path, result, pickle)`` first."""
    blobs = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results]
    for path, result, blob in zip(paths, results, blobs):
        keep(path, result, blob)
    return blobs


def contract_findings(results: Sequence[DocumentResult], claims=None) -> list[Finding]:
    """Validate claims against the published contract (schemas.claims.ClaimsSchema) in one go
    (0.03 s for one note, 0.8 s for 320,000 claims); each failing claim is a finding at its
    cell. `claims`: the results' claims as one frame, when the caller has it. Claims held as
    rows that certainly pass (schemas.claim_columns.rows_certainly_pass) need no frame: pandas
    and pandera are then not even imported, which is most of a one-note check's start."""
    if claims is None and _rows_certainly_pass(results):
        return []
    import pandas as pd
    import pandera.pandas as pa

    from factlint.findings import Location, fingerprint
    from schemas.claims import ClaimsSchema

    if claims is None:
        claims = all_claims(results)
    if claims is None or not len(claims):
        return []
    try:
        ClaimsSchema.validate(claims, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    findings, seen = [], set()
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        key = (row, case.check)
        if key in seen:
            continue
        seen.add(key)
        claim = claims.iloc[row] if row is not None else None
        path = str(claim["path"]) if claim is not None else "<claims>"
        line = int(claim["line"]) if claim is not None and int(claim["line"]) >= 1 else 1
        column = str(claim["column_label"]) if claim is not None else None
        message = (f"claim breaks the claims contract: {case.column or 'row'} failed {case.check} "
                   f"({case.failure_case!r})")
        findings.append(Finding("claims-contract", Severity.ERROR, message,
                                Location(path=path, line=line, column=column),
                                fingerprint=fingerprint("claims-contract", path, None, str(case.column),
                                                        [case.check, str(case.failure_case)])))
    return findings


def _rows_certainly_pass(results: Sequence[DocumentResult]) -> bool:
    from schemas.claim_columns import rows_certainly_pass

    if any(r.__dict__.get("_frame") is not None for r in results):
        return False                   # a frame set by a caller is validated as given
    return rows_certainly_pass(row for r in results for row in r.rows)


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
    import pandas as pd

    from factlint.claims import claims_frame

    frames = [r.__dict__.get("_frame") for r in results]
    if any(f is not None for f in frames):    # a caller set frames: keep them as given
        held = [r.claims for r in results if len(r.claims)]
        return pd.concat(held, ignore_index=True) if held else None
    rows = [row for r in results for row in r.rows]
    return claims_frame(rows) if rows else None


def across_documents(results: Sequence[DocumentResult], settings=None,
                     claims: pd.DataFrame | None = None) -> list[Finding]:
    """Corpus-scope rules (e.g. the same entity + attribute stated differently in two notes).
    A rule with a `collect` step gets what it collected from every note (in the results'
    order); one without it gets every claim of the corpus as one frame (`claims`, when the
    caller already has it)."""
    engine = load_engine(settings)
    corpus_rules = [(s, sev) for s, sev in engine.rules if s.scope == "corpus" and s.func is not None]
    if not corpus_rules or len(results) < 2:
        return []
    findings: list[Finding] = []
    for spec, severity in corpus_rules:
        if spec.collect is not None:
            items = [item for r in results for item in _collected(r, spec, severity, engine)]
            findings.extend(_run_rule(spec, severity, None, items, engine))
            continue
        if claims is None:
            claims = all_claims(results)
            if claims is None:
                import pandas as pd

                claims = pd.DataFrame()
        findings.extend(_run_rule(spec, severity, None, claims, engine))
    return findings


def _collected(result: DocumentResult, spec, severity, engine) -> list:
    """What a note contributed to a corpus rule: kept by check_document, or collected now for a
    result built elsewhere (a test, an older cache entry)."""
    if spec.id in result.collected:
        return result.collected[spec.id]
    if result.document is None:
        return []
    return _collect(spec, severity, result.document, result.rows, engine)
