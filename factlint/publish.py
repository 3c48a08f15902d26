"""Publish validated claims to data/validated/, atomically, keeping each document's last good
version. Plain functions, no Prefect: the flow composes them.

Layout of the output folder (``data/validated/`` by default)::

    current -> versions/<run-id>     the published dataset; swapped by one rename(2)
    versions/<run-id>/               complete, self-contained datasets (the newest few are kept)
        claims.parquet  claims.csv   claims of every document published or carried forward
        findings.parquet findings.json   every finding of the run that produced this version
        manifest.json                run id, time, engine, input hashes, per-document status
    claims.parquet -> current/claims.parquet   (and the other four files): stable links
    history.jsonl                    one line per run (factlint.history)
    .lock                            serialises runs (fcntl.flock)

How to read it: open ``data/validated/claims.parquet`` (or any stable link) for one file. For
several files that must agree, resolve ``data/validated/current`` once
(``Path("data/validated/current").resolve()``) and read every file from that folder: a version
folder never changes after it is published.

Why this is safe under ``kill -9`` at any moment: a new version is written into a staging
folder, fsynced, renamed into ``versions/`` (still unused), and only then does a symlink rename
replace ``current``. Before that rename readers see the old version, after it the new one;
there is no moment with a half-written dataset. Leftover staging folders and temporary links
are cleaned by the next publication.
"""
from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import secrets
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import pandas as pd

from factlint.cache import sha256_file
from factlint.claims import empty_claims
from factlint.csvtext import EarlierCsv, write_runs_csv
from factlint.errors import FactlintError
from factlint.findings import Finding, Severity, findings_frame
from factlint.jsontext import indented
from factlint.pipeline import all_claims

FORMAT_VERSION = 1
CURRENT = "current"
VERSIONS = "versions"
MANIFEST = "manifest.json"
DATASET_FILES = ("claims.parquet", "claims.csv", "findings.parquet", "findings.json", MANIFEST)
KEEP_VERSIONS = 3
LOCK_FILE = ".lock"
# Test hook: set to a step name ("staged", "swapped", ...) and the publisher announces that step
# on stderr and sleeps there, so a test can kill -9 the process at a known point.
PAUSE_ENV = "FACTLINT_PUBLISH_PAUSE_AT"
PAUSE_SECONDS = 600

PUBLISHED = "published"
HELD_BACK = "held-back"


class PublishLocked(FactlintError):
    """Another run holds the publication lock for longer than we were willing to wait."""


@dataclass(frozen=True)
class DocumentStatus:
    path: str
    sha256: str
    status: str                 # "published" or "held-back"
    reason: str = ""            # why it was held back
    version: str | None = None  # the version whose claims are published for it (None: none)
    claims: int = 0             # claim rows published for it (carried forward ones included)
    errors: int = 0
    warnings: int = 0
    kept_sha256: str | None = None  # content hash of the text those claims came from
    claims_digest: str | None = None  # hash of its published claim rows (``claims_digests``)


@dataclass
class Publication:
    """Everything one publication writes; built by ``plan_publication`` without I/O."""
    run_id: str
    created: str
    claims: pd.DataFrame
    findings: list[Finding]
    documents: list[DocumentStatus]
    removed: list[str] = field(default_factory=list)   # published before, not in this corpus
    engine: Mapping[str, Any] = field(default_factory=dict)
    # What validated these claims: the expectation suite's key and the frame's columns and
    # dtypes. A later run skips re-validating a document whose claim rows are unchanged only
    # when this is unchanged too (``claims_to_validate``).
    validation: Mapping[str, Any] = field(default_factory=dict)
    claims_digest: str = ""      # of the whole claims frame (``frame_digest``)

    @property
    def held_back(self) -> list[DocumentStatus]:
        return [d for d in self.documents if d.status == HELD_BACK]

    def manifest(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "run_id": self.run_id,
            "created": self.created,
            "engine": dict(self.engine),
            "inputs": {d.path: d.sha256 for d in self.documents},
            "counts": {"documents": len(self.documents),
                       "published": sum(d.status == PUBLISHED for d in self.documents),
                       "held_back": len(self.held_back), "removed": len(self.removed),
                       "claims": int(len(self.claims)), "findings": len(self.findings)},
            "documents": [asdict(d) for d in self.documents],
            "removed": list(self.removed),
            "validation": dict(self.validation),
            "claims_digest": self.claims_digest,
        }


@dataclass
class PublishedDataset:
    """The dataset ``current`` points to."""
    version: str
    folder: Path
    manifest: dict[str, Any]

    def claims(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "claims.parquet")

    def document(self, path: str) -> dict[str, Any] | None:
        return next((d for d in self.manifest.get("documents", []) if d["path"] == path), None)


# --------------------------------------------------------------------------- planning (pure)

def plan_publication(results: Sequence, findings: Iterable[Finding] = (),
                     previous: PublishedDataset | None = None, *, run_id: str, created: str,
                     engine: Mapping[str, Any] | None = None,
                     validation_key: str | None = None) -> Publication:
    """Decide, per document, what to publish: its fresh claims when none of ``findings`` at
    its path is an error, else its last good claims from ``previous`` (held back, carried
    forward; none when it was never published).

    ``results`` are ``pipeline.DocumentResult``. ``findings`` are every finding the run judges
    (``judged_findings``: document, corpus and unreadable-file findings, suppressions applied);
    they are also the findings published with the dataset. ``validation_key`` names the
    expectation suite that will validate the claims (``gx_check.suite_key``; None: a suite
    whose verdict on a document is not known from that document's rows alone).
    """
    findings = list(findings)
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.location.path, []).append(f)
    last_good = LastGood(previous)

    statuses, frames, fresh = [], [], []
    for result in results:
        mine = by_path.get(result.path, [])
        errors = [f for f in mine if f.severity is Severity.ERROR]
        counts = {"errors": len(errors),
                  "warnings": sum(f.severity is Severity.WARNING for f in mine)}
        if result.error is None and not errors:
            fresh.append(result)
            statuses.append(DocumentStatus(result.path, result.sha256, PUBLISHED, "", run_id,
                                           result.claim_count, **counts,
                                           kept_sha256=result.sha256))
            continue
        reason = f"unreadable: {result.error}" if result.error else _error_reason(errors)
        statuses.append(_held_back(result.path, result.sha256, reason, last_good, counts, frames))

    # One frame for every published document's claims (pipeline results hold rows: a frame
    # per document cost 7 ms each), then the carried-forward ones.
    unchanged, fresh = published_before(fresh, last_good, engine)
    published = all_claims(fresh)
    claims, statuses = _validated_claims([f for f in (published, unchanged, *frames) if f is not None],
                                         statuses, last_good)
    rows = _row_hashes(claims)          # once, for both digests (90k rows: 40-60 ms a pass)
    digests = claims_digests(claims, rows)
    statuses = [replace(s, claims_digest=digests.get(s.path)) for s in statuses]
    current = {s.path for s in statuses}
    removed = sorted(d["path"] for d in (previous.manifest.get("documents", []) if previous else [])
                     if d["path"] not in current)
    validation = {"suite": validation_key, "schema": frame_schema(claims)} if validation_key else {}
    return Publication(run_id, created, claims, findings, statuses, removed, dict(engine or {}),
                       validation, frame_digest(claims, rows))


def published_before(results: Sequence, last_good: "LastGood", engine: Mapping[str, Any] | None
                     ) -> tuple[pd.DataFrame | None, list]:
    """(the claims of ``results`` that ``last_good``'s dataset already published, the rest).
    A note's claims are a function of its path, its bytes and the engine: a note that dataset
    published fresh from the same bytes under the same engine has exactly those rows there.
    Only summaries (``summary.NoteSummary``, a cached note's result without its claims) are
    taken from it, with one read of the dataset's claims file, instead of each loading its
    cached result; a note whose claims are in memory is not worth the read."""
    from factlint.summary import NoteSummary

    previous = last_good.previous
    if previous is None or not engine or previous.manifest.get("engine") != dict(engine):
        return None, list(results)
    same, rest = [], []
    for result in results:
        entry = last_good.entries.get(result.path) or {}
        if isinstance(result, NoteSummary) and entry.get("status") == PUBLISHED \
                and entry.get("sha256") == result.sha256 == entry.get("kept_sha256") \
                and entry.get("claims") == result.claim_count:
            same.append(result.path)
        else:
            rest.append(result)
    if not same:
        return None, rest
    claims = last_good.claims()
    return claims[claims["path"].isin(same)], rest


def claims_digests(claims: pd.DataFrame, rows=None) -> dict[str, str]:
    """path -> a hash of that document's claim rows, in order (every column, values and their
    dtypes; a duplicated row changes it). One vectorised hash over the frame; ``rows``: that
    hash (``_row_hashes``), when the caller has it."""
    if claims.empty:
        return {}
    rows = _row_hashes(claims) if rows is None else rows
    return {path: hashlib.sha256(rows[positions].tobytes()).hexdigest()
            for path, positions in claims.groupby("path", sort=False).indices.items()}


def frame_digest(claims: pd.DataFrame, rows=None) -> str:
    """A hash of the whole frame: its columns and dtypes, and every row in order (``rows``:
    as for ``claims_digests``)."""
    digest = hashlib.sha256(json.dumps(frame_schema(claims)).encode())
    if not claims.empty:
        digest.update((_row_hashes(claims) if rows is None else rows).tobytes())
    return digest.hexdigest()


def _row_hashes(claims: pd.DataFrame):
    """One hash per row. pandas hashes -0.0 as 0.0; a row with a negative zero is told apart
    here, since the two are different values in the files (claims.csv copies a document's rows
    from the last version when their digest is unchanged: ``csvtext.write_runs_csv``)."""
    import numpy as np

    rows = pd.util.hash_pandas_object(claims, index=False).to_numpy()
    for i, column in enumerate(claims.columns):
        dtype = claims[column].dtype
        if isinstance(dtype, np.dtype) and dtype.kind == "f":
            values = claims[column].to_numpy()
            negative_zero = (values == 0) & np.signbit(values)
            if negative_zero.any():
                rows = rows ^ (negative_zero.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15 + i))
    return rows


def frame_schema(claims: pd.DataFrame) -> list[list[str]]:
    return [[str(column), str(dtype)] for column, dtype in claims.dtypes.items()]


def claims_to_validate(publication: Publication,
                       previous: PublishedDataset | None) -> pd.DataFrame:
    """The claims the expectation suite has not yet passed: every row, unless ``previous``
    (the published dataset, so one the suite passed) was validated under the same suite key
    and frame schema; then only the rows of documents whose claims digest differs from the
    one published for them. Sound for a suite ``gx_check.suite_key`` accepts: its verdict on
    a document's rows depends on those rows alone (and on the schema), and a digest covers
    all of a document's rows."""
    claims = publication.claims
    if previous is None or not publication.validation \
            or previous.manifest.get("validation") != publication.validation:
        return claims
    passed = {d["path"]: d.get("claims_digest") for d in previous.manifest.get("documents", [])}
    pending = {s.path for s in publication.documents
               if s.claims_digest is None or passed.get(s.path) != s.claims_digest}
    return claims[claims["path"].isin(pending)]


def judged_findings(results: Sequence, corpus_findings: Iterable[Finding] = (),
                    settings=None) -> list[Finding]:
    """The findings a run is judged by, the same set ``factlint check`` judges: every
    document and corpus finding plus one per unreadable file, minus suppressed findings, plus
    the suppression comments' own findings."""
    from factlint.gate import judge

    return judge(results, list(corpus_findings), settings)[0]


def _error_reason(errors: Sequence[Finding]) -> str:
    shown = sorted(errors, key=Finding.sort_key)[:3]
    where = "; ".join(f"{f.rule} at line {f.location.line}" for f in shown)
    more = f"; +{len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
    return f"{len(errors)} error finding{'s' if len(errors) != 1 else ''}: {where}{more}"


def _held_back(path, sha256, reason, last_good: "LastGood", counts, frames) -> DocumentStatus:
    """Carry the document's last good claims forward (appended to ``frames``)."""
    kept, version, kept_sha256 = last_good.of(path)
    if kept is not None:
        frames.append(kept)
    return DocumentStatus(path, sha256, HELD_BACK, reason, version,
                          int(len(kept)) if kept is not None else 0, **counts,
                          kept_sha256=kept_sha256)


class LastGood:
    """The previous dataset's claims and manifest entries, indexed by path once: a corpus
    where most documents are held back must not scan the whole dataset per document. The
    claims file is read only when some held-back document was published before."""

    def __init__(self, previous: PublishedDataset | None):
        self.previous = previous
        self.entries = {d["path"]: d for d in previous.manifest.get("documents", [])} \
            if previous is not None else {}
        self._claims: pd.DataFrame | None = None
        self._rows: dict[str, Any] | None = None

    def of(self, path: str) -> tuple[pd.DataFrame | None, str | None, str | None]:
        """The claims last published for ``path`` (None: none), the version and the text
        hash they came from."""
        entry = self.entries.get(path)
        if entry is None or entry.get("version") is None:
            return None, None, None
        claims = self.claims()
        if self._rows is None:
            self._rows = claims.groupby("path", sort=False).indices if len(claims) else {}
        rows = self._rows.get(path)
        kept = claims.iloc[rows] if rows is not None else None
        return kept, entry["version"], entry.get("kept_sha256")

    def claims(self) -> pd.DataFrame:
        """The previous dataset's claims file, read once."""
        if self._claims is None:
            self._claims = self.previous.claims()
        return self._claims


def _validated_claims(frames, statuses, last_good: LastGood):
    """Concatenate and validate against ClaimsSchema. A document whose fresh claims break the
    contract is held back like one with an error finding (the rest still publish)."""
    import pandera.pandas as pa
    from schemas.claims import CLAIM_COLUMNS, ClaimsSchema

    frames = [f for f in frames if len(f)]
    combined = _concat_in_contract_dtypes(frames, ClaimsSchema) if frames else empty_claims()
    if set(combined.columns) == set(CLAIM_COLUMNS):     # same contract, any column order
        combined = combined[CLAIM_COLUMNS]
    try:
        validated = ClaimsSchema.validate(combined, lazy=True)
    except pa.errors.SchemaErrors as exc:
        rows = exc.failure_cases["index"].dropna()
        if rows.empty:      # a missing or extra column: a bug upstream, not a data problem
            raise
        broken = set(combined.loc[rows.astype(int).unique(), "path"])
        fresh = {s.path for s in statuses if s.status == PUBLISHED and s.path in broken}
        if not fresh:       # carried-forward claims failing the contract: the contract changed
            raise
        checks = sorted(set(exc.failure_cases["check"].astype(str)))
        reason = f"claims break the published contract ({', '.join(checks[:3])})"
        frames = [combined[~combined["path"].isin(fresh)]]
        statuses = [_held_back(s.path, s.sha256, reason, last_good,
                               {"errors": s.errors, "warnings": s.warnings}, frames)
                    if s.path in fresh else s for s in statuses]
        return _validated_claims(frames, statuses, last_good)
    order = ["path", "table", "line", "column"]
    return validated.sort_values(order, kind="stable").reset_index(drop=True), statuses


def _concat_in_contract_dtypes(frames: Sequence[pd.DataFrame], schema) -> pd.DataFrame:
    """The frames as one, for ``schema`` to validate. Claims carried from the published version
    come back from Parquet with text columns in the contract's string dtype, fresh ones are
    built as object columns. Concatenated as they are, every carried text column became object
    and pandera coerced it back row by row: 0.4 s of a re-run's plan step over 97,000 claims
    for one changed note. So when both kinds meet, the fresh frames are joined and cast once
    (the cast the schema's coercion makes, text columns only, which any value passes) before
    meeting the carried ones. The rows are sorted by path and position afterwards, and a path's
    claims all come from one frame, so the validated claims are the same. Casting each small
    frame on its own would cost more than it saves (6.3 s against 0.5 s for 1,155 notes)."""
    text = _contract_text_dtypes(schema)

    def loose(frame):
        return [c for c in frame.columns if c in text and pd.api.types.is_object_dtype(frame[c].dtype)]

    is_fresh = [bool(loose(f)) for f in frames]
    if all(is_fresh) or not any(is_fresh):
        return pd.concat(frames, ignore_index=True)
    joined = pd.concat([f for f, y in zip(frames, is_fresh) if y], ignore_index=True)
    joined = joined.astype({c: text[c] for c in loose(joined)})
    carried = [f for f, y in zip(frames, is_fresh) if not y]
    return pd.concat(carried + [joined], ignore_index=True)


@functools.lru_cache(maxsize=4)
def _contract_text_dtypes(schema) -> dict[str, Any]:
    columns = schema.to_schema().columns
    return {name: column.dtype.type for name, column in columns.items()
            if isinstance(column.dtype.type, pd.StringDtype)}


# --------------------------------------------------------------------------- reading

def read_published(out: str | Path) -> PublishedDataset | None:
    """The dataset ``current`` points to, or None before the first publication."""
    link = Path(out) / CURRENT
    if not link.exists():
        return None
    folder = link.resolve()
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return PublishedDataset(manifest["run_id"], folder, manifest)


def verify(folder: str | Path) -> list[str]:
    """Problems with a version folder: missing files or files whose hash disagrees with the
    manifest. Empty means complete."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{MANIFEST}: {exc}"]
    problems = []
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: content differs from the manifest")
    return problems


# --------------------------------------------------------------------------- writing

def publish(publication: Publication, out: str | Path, keep: int = KEEP_VERSIONS, *,
            staged: Path | None = None) -> Path:
    """Write the publication as a new version and make it ``current``. Returns its folder.
    Call it under ``publication_lock`` so that two runs cannot interleave. ``staged``: the
    folder ``stage`` (or ``staged_meanwhile``) already wrote for this publication; without
    one, or when it is gone, the version is staged here."""
    out = Path(out)
    staging = staged if staged is not None and staged.is_dir() else stage(publication, out)
    versions = out / VERSIONS
    final = versions / publication.run_id
    if final.exists():                  # the same run id published twice: keep both readable
        final = versions / f"{publication.run_id}-{os.getpid()}"
    os.rename(staging, final)
    _fsync_dir(versions)
    _step("renamed")
    _swap_link(out / CURRENT, Path(VERSIONS) / final.name)
    _step("swapped")
    _ensure_stable_links(out)
    _prune(versions, keep, protect=final)
    _step("pruned")
    return final


def stage(publication: Publication, out: str | Path) -> Path:
    """Write the publication into a new staging folder under ``<out>/versions``, which no reader
    sees (``current`` does not point there, and leftovers are removed by the next run)."""
    out = Path(out)
    versions = out / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    staging = _staging_folder(versions)
    _write_dataset(publication, staging, read_published(out))
    _step("staged")
    return staging


# Below this many claims, writing the version costs less than forking a process to write it.
STAGE_AHEAD_MIN_CLAIMS = 20_000


@contextmanager
def staged_meanwhile(publication: Publication, out: str | Path) -> Iterator[Any]:
    """Stage the publication (``stage``) in a forked child while the caller's block runs: the
    flow runs its expectation suite meanwhile, and only then decides whether to publish.
    Yields ``staged()``, which waits for the child and returns its folder for ``publish``
    (None when nothing was staged ahead: too few claims, no fork here, or the child failed,
    which is logged; ``publish`` then stages the version itself). A staged folder that was
    not published when the block ends (the suite failed) is removed: ``current`` never
    pointed at it."""
    from factlint.pipeline import _fork_context

    context = _fork_context()
    if len(publication.claims) < STAGE_AHEAD_MIN_CLAIMS or context is None \
            or context.current_process().daemon:
        yield lambda: None
        return
    from concurrent.futures import ProcessPoolExecutor

    global _STAGING_JOB
    _STAGING_JOB = (publication, Path(out))
    folder: list[Path | None] = []

    def staged() -> Path | None:
        if not folder:
            try:
                folder.append(Path(future.result()))
            except Exception as exc:       # the version is staged again, here, by publish
                import logging
                logging.getLogger("factlint.publish").warning(
                    "staging the version ahead failed (%s: %s); publishing stages it again",
                    type(exc).__name__, exc)
                folder.append(None)
        return folder[0]

    pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
    try:
        future = pool.submit(_stage_in_child)
    except BaseException:               # no child: nothing to wait for or remove
        _STAGING_JOB = None
        pool.shutdown(wait=False)
        raise
    try:
        yield staged
    finally:
        _STAGING_JOB = None
        staged()
        pool.shutdown(wait=True)
        if folder[0] is not None and folder[0].is_dir():       # not published
            shutil.rmtree(folder[0], ignore_errors=True)


_STAGING_JOB: tuple | None = None         # inherited by the forked child


def _stage_in_child() -> str:
    publication, out = _STAGING_JOB
    return str(stage(publication, out))


def _staging_folder(versions: Path) -> Path:
    """A new folder for the version being written, with the mode any folder gets (0777 less
    the umask): mkdtemp's 0700 left data/validated/ unreadable to other users. A random name
    made with mkdir, not a chmod after mkdtemp, and not os.umask (reading it sets it, which
    races the flow's other threads)."""
    while True:
        staging = versions / f".staging-{secrets.token_hex(6)}"
        try:
            staging.mkdir(mode=0o777)
        except FileExistsError:
            continue
        return staging


# Files that are a function of the claims frame alone.
CLAIMS_FILES = ("claims.parquet", "claims.csv")


def _write_dataset(publication: Publication, folder: Path,
                   previous: PublishedDataset | None = None) -> None:
    files = _link_unchanged_claims(publication, folder, previous)
    # Where each document's rows are in claims.csv, so that the next version copies the rows
    # of unchanged documents from this one (``_claims_csv``); a linked file keeps its spans.
    spans = (previous.manifest.get(CSV_INDEX) or {}).get("spans", {}) \
        if "claims.csv" in files else {}
    for name, write in (
        ("claims.parquet", lambda p: publication.claims.to_parquet(p, index=False)),
        ("claims.csv", lambda p: spans.update(_claims_csv(publication, p, previous))),
        ("findings.parquet", lambda p: findings_frame(publication.findings).to_parquet(p, index=False)),
        ("findings.json", lambda p: _write_json(p, [f.as_dict() for f in
                                                    sorted(publication.findings, key=Finding.sort_key)])),
    ):
        path = folder / name
        if name not in files:
            write(path)
            _fsync_file(path)
            files[name] = sha256_file(path)
        _step(f"wrote {name}")
    manifest = {**publication.manifest(), "files": files}
    if spans:
        manifest[CSV_INDEX] = {"schema": frame_schema(publication.claims), "spans": spans}
    _write_json(folder / MANIFEST, manifest)
    _fsync_file(folder / MANIFEST)
    _fsync_dir(folder)


CSV_INDEX = "claims_csv"          # manifest key: the columns, and each document's byte span


def _claims_csv(publication: Publication, path: Path,
                previous: PublishedDataset | None) -> dict[str, list[int]]:
    """Write claims.csv; the rows of a document whose claims digest is the one ``previous``
    published for it, under the same columns and dtypes, are copied from ``previous``'s file
    (checked against its manifest's hash first). Returns each document's byte span."""
    digests = {d.path: d.claims_digest for d in publication.documents}
    return write_runs_csv(publication.claims, path, "path", digests,
                          _earlier_csv(previous, frame_schema(publication.claims)))


def _earlier_csv(previous: PublishedDataset | None, schema: list) -> EarlierCsv | None:
    index = (previous.manifest.get(CSV_INDEX) or {}) if previous is not None else {}
    recorded = (previous.manifest.get("files") or {}).get("claims.csv") if previous else None
    if not index.get("spans") or index.get("schema") != schema or not recorded:
        return None
    try:
        data = (previous.folder / "claims.csv").read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != recorded:       # not the file that was published
        return None
    return EarlierCsv(data, index["spans"],
                      {d["path"]: d.get("claims_digest") for d in previous.manifest.get("documents", [])})


def _link_unchanged_claims(publication: Publication, folder: Path,
                           previous: PublishedDataset | None) -> dict[str, str]:
    """When the claims frame is the one ``previous`` published (same digest), its claims files
    are hard-linked into the new version instead of written again: a version folder never
    changes once published, so sharing the files keeps both versions complete. Returns the
    linked files' hashes, as the previous manifest recorded them."""
    recorded = previous.manifest.get("files", {}) if previous is not None else {}
    if previous is None or not publication.claims_digest \
            or previous.manifest.get("claims_digest") != publication.claims_digest:
        return {}
    linked = {}
    for name in CLAIMS_FILES:
        if name not in recorded:
            continue
        try:
            os.link(previous.folder / name, folder / name)
        except OSError:                 # gone, or links not allowed: written afresh
            continue
        linked[name] = recorded[name]
    return linked


def _write_json(path: Path, data: Any) -> None:
    path.write_text(indented(data) + "\n", encoding="utf-8")


def _swap_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}-{os.getpid()}-{time.monotonic_ns()}")
    os.symlink(target, tmp)
    os.replace(tmp, link)               # rename(2) over the old link: atomic
    _fsync_dir(link.parent)


def _ensure_stable_links(out: Path) -> None:
    for name in DATASET_FILES:
        link = out / name
        target = Path(CURRENT) / name
        if not (link.is_symlink() and Path(os.readlink(link)) == target):
            _swap_link(link, target)


def _remove_leftovers(out: Path) -> None:
    """Staging folders and temporary links of runs killed before they finished."""
    for path in (out / VERSIONS).glob(".staging-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in out.glob(".*-*"):
        if path.is_symlink():
            path.unlink(missing_ok=True)


def _prune(versions: Path, keep: int, protect: Path) -> None:
    """Keep the newest ``keep`` versions: older readers that resolved ``current`` a moment ago
    still find their folder."""
    folders = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.name)
    for folder in folders[:-keep] if keep > 0 else folders:
        if folder != protect:
            shutil.rmtree(folder, ignore_errors=True)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _step(name: str) -> None:
    if os.environ.get(PAUSE_ENV) == name:
        print(f"factlint-publish-step: {name}", file=sys.stderr, flush=True)
        time.sleep(PAUSE_SECONDS)


# --------------------------------------------------------------------------- locking

@contextmanager
def publication_lock(out: str | Path, wait: float = 300.0, poll: float = 0.2) -> Iterator[None]:
    """Hold an exclusive flock on ``<out>/.lock``. A second run waits up to ``wait`` seconds,
    then raises PublishLocked naming the holder. The kernel drops the lock when the holder
    dies, even by kill -9, so a crashed run never blocks the next one."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
                    raise PublishLocked(
                        f"another factlint run ({holder}) is publishing to {out}; "
                        f"gave up after waiting {wait:g} s") from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
