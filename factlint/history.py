"""What a run did, as one record: returned by the flow, appended to the run history that the
report's trend chart reads, and rendered as the run's Markdown artifact. No Prefect here.

History file: one JSON object per line (``data/validated/history.jsonl``), appended with one
``write`` under the publication lock. A reader skips a torn last line (a run killed while
appending), so the file is always readable.

Each line holds the run's status of every note, so the file grows by ~175 bytes a note a run:
2,000 notes checked daily make ~127 MB in a year. A run reads the history twice (recovery and
the report's trend), and not the statuses, so ``runs`` keeps a brief of what it has read, each
run's line without them, and parses only the lines appended since.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from collections import Counter
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from factlint.atomic import replace_file
from factlint.findings import Finding, Severity, check_fail_on

HISTORY_FILE = "history.jsonl"
ARTIFACT_KEY = "factlint-run"
DOCUMENTS_ARTIFACT_KEY = "factlint-documents"
REPORT_ARTIFACT_KEY = "factlint-report"


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


class Stopwatch:
    """Seconds per named stage of a run (``with clock("publish"): ...``), kept in the run
    summary so that a slow run says where its time went."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - started
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + spent, 3)


def new_run_id(when: datetime) -> str:
    """Sortable by time (version folders are pruned by name) and unique across processes."""
    return f"{when.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


@dataclass
class RunSummary:
    run_id: str
    started: str                                  # ISO 8601, UTC
    finished: str
    documents: int
    published: int                                # documents whose fresh claims were published
    held_back: int                                # documents with errors (last good kept, if any)
    removed: int                                  # published before, no longer in the corpus
    claims: int                                   # claim rows in the published dataset
    findings_by_severity: dict[str, int]
    findings_by_rule: dict[str, int]
    statuses: list[dict[str, Any]]                # per document: path, status, reason, version
    cache_hits: int
    cache_misses: int
    expectations: dict[str, Any]                  # success, evaluated, failed, data_docs
    published_version: str | None                 # None when nothing was published
    blocked: str | None = None                    # why publishing was blocked
    dataset: str = ""                             # the output folder
    report: str | None = None                     # reports/index.html, when written
    report_archive: str | None = None             # reports/runs/<run-id>/index.html
    prefect_flow_run_id: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    failed: str | None = None                     # why the run failed the gate (fail-on), if it did

    @property
    def errors(self) -> int:
        return self.findings_by_severity.get(Severity.ERROR.value, 0)

    def gate_failure(self, fail_on: str) -> str | None:
        """Why this run fails its gate, or None: publishing blocked, or findings at or above
        ``fail_on`` (the threshold `factlint check` uses), so a scheduled run that holds notes
        back ends as Failed, where notifications and automations can act on it."""
        threshold = check_fail_on(fail_on)
        reasons = [f"publishing blocked: {self.blocked}"] if self.blocked else []
        if threshold is not None:
            at_or_above = {s.value: self.findings_by_severity.get(s.value, 0)
                           for s in Severity if s.rank >= threshold.rank}
            if sum(at_or_above.values()):
                counts = ", ".join(f"{n} {sev}" for sev, n in at_or_above.items() if n)
                held = f"; {self.held_back} document(s) held back" if self.held_back else ""
                reasons.append(f"{counts} finding(s) at or above fail-on {fail_on}{held}")
        return "; ".join(reasons) or None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def history_entry(self) -> dict[str, Any]:
        """The line appended to history.jsonl: what the report's trend chart reads
        (``date``, ``counts`` by severity) plus rules and per-document status."""
        keep = ("run_id", "started", "finished", "documents", "published", "held_back",
                "removed", "claims", "findings_by_rule", "statuses", "cache_hits",
                "cache_misses", "published_version", "blocked", "failed")
        entry = {k: getattr(self, k) for k in keep}
        entry["date"] = self.started
        entry["counts"] = dict(self.findings_by_severity)
        entry["expectations_success"] = self.expectations.get("success")
        entry["timings"] = dict(self.timings)
        return entry

    def report_metadata(self) -> dict[str, Any]:
        """The ``run=`` mapping the HTML report reads (run id, time, per-document status)."""
        import factlint
        # Only keys the report knows: its "published"/"held_back" keys mean paths, not counts.
        return {"run_id": self.run_id, "time": self.started, "finished": self.finished,
                "engine_version": factlint.__version__, "documents": self.statuses,
                "published_version": self.published_version, "blocked": self.blocked,
                "dataset": self.dataset, "expectations": dict(self.expectations),
                "cache": {"hits": self.cache_hits, "misses": self.cache_misses}}

    def __str__(self) -> str:
        sev = self.findings_by_severity
        if self.blocked:
            outcome = f"publishing blocked: {self.blocked}"
        elif self.published_version is None:
            outcome = "nothing published"
        elif self.published:
            outcome = f"published version {self.published_version} to {self.dataset}"
        else:       # a version of held-back notes' earlier claims only: say so, not "published"
            outcome = (f"no note passed; version {self.published_version} in {self.dataset} keeps "
                       f"{self.claims} claims published before")
        report = f"; report {self.report}" if self.report else ""
        rows = self.expectations.get("rows")
        suite = (f"{rows} new claim rows through the expectation suite "
                 f"({'passed' if self.expectations.get('success', True) else 'failed'}); "
                 if rows is not None else "")
        verdict = f"; gate failed: {self.failed}" if self.failed else ""
        return (f"run {self.run_id}: {self.documents} documents, {self.published} published, "
                f"{self.held_back} held back; {sev.get('error', 0)} errors, "
                f"{sev.get('warning', 0)} warnings, {sev.get('info', 0)} info; "
                f"{self.cache_hits} from cache, {self.cache_misses} re-validated; {suite}{outcome}{report}{verdict}")


def summarise(publication, expectations: dict[str, Any], cache_stats, *, started: datetime,
              finished: datetime, published_version: str | None, dataset: str | Path,
              expectation_findings: Sequence[Finding] = (),
              flow_run_id: str | None = None,
              timings: dict[str, float] | None = None) -> RunSummary:
    """A RunSummary from one run's parts: the planned ``publish.Publication``, the checkpoint
    summary (``gx_check.ExpectationOutcome.summary()``) and its findings, and the cache
    statistics."""
    by_severity, by_rule = count_findings([*publication.findings, *expectation_findings])
    statuses = document_statuses(publication)
    blocked = None
    if not expectations.get("success", True):
        names = ", ".join(expectations.get("failed_names", [])[:5])
        blocked = (f"{expectations.get('failed', 0)} data expectation(s) failed ({names}); "
                   f"the previous version stays current")
    return RunSummary(
        run_id=publication.run_id, started=started.isoformat(timespec="seconds"),
        finished=finished.isoformat(timespec="seconds"), documents=len(publication.documents),
        published=sum(d.status == "published" for d in publication.documents),
        held_back=len(publication.held_back), removed=len(publication.removed),
        claims=int(len(publication.claims)), findings_by_severity=by_severity,
        findings_by_rule=by_rule, statuses=statuses, cache_hits=len(cache_stats.hits),
        cache_misses=len(cache_stats.misses), expectations=dict(expectations),
        published_version=published_version, blocked=blocked, dataset=str(dataset),
        prefect_flow_run_id=flow_run_id,
        timings={"seconds": round((finished - started).total_seconds(), 3), **(timings or {})})


def document_statuses(publication) -> list[dict[str, Any]]:
    """Per document of a planned ``publish.Publication``: path, status, reason, version, counts
    (``RunSummary.statuses``)."""
    return [{"path": d.path, "status": d.status, "reason": d.reason, "version": d.version,
             "claims": d.claims, "errors": d.errors, "warnings": d.warnings}
            for d in publication.documents]


def planned_report_metadata(publication) -> dict[str, Any]:
    """What the report's document pages will read of this run (``html.document_run``) if its
    expectations pass and it publishes: the plan's statuses, nothing blocked. The flow renders
    pages from it while the suite runs."""
    return {"documents": document_statuses(publication)}


def count_findings(findings: Iterable[Finding]) -> tuple[dict[str, int], dict[str, int]]:
    findings = list(findings)
    by_severity = {s.value: 0 for s in Severity}
    by_severity.update(Counter(f.severity.value for f in findings))
    by_rule = dict(sorted(Counter(f.rule for f in findings).items()))
    return by_severity, by_rule


def append(path: str | Path, entry: dict[str, Any]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str) + "\n"
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        _repair_torn_tail(fd, path)
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _repair_torn_tail(fd: int, path: Path) -> None:
    """A run killed mid-append leaves a line without its newline; end it so the next entry
    starts on its own line (the torn line itself is skipped by ``read``)."""
    size = path.stat().st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        os.write(fd, b"\n")


def read(path: str | Path) -> list[dict[str, Any]]:
    try:
        text = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    return _entries(text)


def _entries(text: bytes) -> list[dict[str, Any]]:
    """The runs' lines in ``text``, skipping any that is not a JSON object (a torn append)."""
    entries = []
    for line in text.split(b"\n"):            # not splitlines: U+2028 may be inside a string
        if not line.strip():
            continue
        try:
            entry = json.loads(line.decode("utf-8"))
        except ValueError:                      # UnicodeDecodeError is a ValueError too
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


BRIEF_FORMAT = 1
BRIEF_LEFT_OUT = ("statuses",)      # the part of a line that grows with the corpus


def brief_path(cache_root: str | Path, path: str | Path) -> Path:
    """Where ``runs`` keeps its brief of the history at ``path``: a file in the cache folder
    (derived data, safe to delete), one per history, since several outputs may share a cache."""
    key = hashlib.sha256(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(cache_root) / f"history-{key}.json"


def runs(path: str | Path, brief: str | Path | None = None) -> list[dict[str, Any]]:
    """What ``read`` gives, each line without its per-document ``statuses``, parsing only the
    lines appended since the last call that kept its ``brief`` there (none: the whole file).

    The history is only ever appended to. The brief records the byte offset read up to and
    the length and hash of the first and the last line read; when the file is shorter than that
    offset or either line reads differently (the file truncated, rewritten or replaced), the
    brief is not used and is rebuilt. An edit that keeps the size and both of those lines (a
    count changed by hand in a line between them) goes unseen until the brief is deleted. A last line without
    its newline (torn, or being appended) is read but never passed: the next call reads it
    again, by then repaired or complete."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return []
    with handle:
        kept = _load_brief(brief)
        if kept is not None and not _brief_holds(handle, kept):
            kept = None
        start = kept["size"] if kept else 0
        handle.seek(start)
        tail = handle.read()
    whole = tail.rfind(b"\n") + 1           # the brief ends where a line ends
    entries = (kept["entries"] if kept else []) + [_brief_entry(e) for e in _entries(tail[:whole])]
    if brief is not None and (kept is None or whole):
        first = (kept["first_len"], kept["first"]) if kept else _line_mark(tail[:tail.find(b"\n") + 1])
        last = _line_mark(tail[tail.rfind(b"\n", 0, max(whole - 1, 0)) + 1:whole]) if whole \
            else (kept["last_len"], kept["last"]) if kept else _line_mark(b"")
        _keep_brief(brief, path, start + whole, entries, first, last)
    return entries + [_brief_entry(e) for e in _entries(tail[whole:])]


def _brief_entry(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in BRIEF_LEFT_OUT}


def _load_brief(brief: str | Path | None) -> dict | None:
    if brief is None:
        return None
    try:
        kept = json.loads(Path(brief).read_text(encoding="utf-8"))
        if kept.get("format") == BRIEF_FORMAT and isinstance(kept.get("entries"), list) \
                and all(isinstance(kept.get(k), int) for k in ("size", "first_len", "last_len")):
            return kept
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _brief_holds(handle, kept: dict) -> bool:
    """Whether the file still starts with the bytes the brief was made from: its size at least,
    its first and last line read the same."""
    size, first, last = kept["size"], kept["first_len"], kept["last_len"]
    if os.fstat(handle.fileno()).st_size < size or not (0 <= first <= size and 0 <= last <= size):
        return False
    return (_digest(os.pread(handle.fileno(), first, 0)) == kept.get("first")
            and _digest(os.pread(handle.fileno(), last, size - last)) == kept.get("last"))


def _keep_brief(brief: str | Path, path: str | Path, size: int, entries: list,
                first: tuple[int, str], last: tuple[int, str]) -> None:
    """Write the brief of the file's first ``size`` bytes, with the length and hash of its first
    and last lines (atomically; a brief that cannot be written only means the next call reads
    the whole history again)."""
    record = {"format": BRIEF_FORMAT, "history": str(path), "size": size,
              "first_len": first[0], "first": first[1], "last_len": last[0], "last": last[1],
              "entries": entries}
    with suppress(OSError):
        replace_file(brief, json.dumps(record, ensure_ascii=False, default=str).encode("utf-8"))


def _line_mark(line: bytes) -> tuple[int, str]:
    return len(line), _digest(line)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def markdown_summary(summary: RunSummary, findings: Sequence[Finding], top: int = 10) -> str:
    """The run's Prefect artifact: counts, the worst findings first, and links."""
    sev = summary.findings_by_severity
    lines = [
        f"# factlint run {summary.run_id}",
        "",
        f"**{summary.documents}** documents: **{summary.published}** published, "
        f"**{summary.held_back}** held back, {summary.removed} removed; "
        f"**{summary.claims}** claims in the dataset.",
        "",
        f"Findings: {sev.get('error', 0)} error, {sev.get('warning', 0)} warning, "
        f"{sev.get('info', 0)} info. Cache: {summary.cache_hits} hit, "
        f"{summary.cache_misses} re-validated.",
        "",
    ]
    if summary.blocked:
        lines += [f"**Publishing blocked:** {summary.blocked}", ""]
    elif summary.published_version:
        lines += [f"Published version `{summary.published_version}` to `{summary.dataset}`.", ""]
    held = [s for s in summary.statuses if s["status"] != "published"]
    if held:
        lines += ["| held back | reason | kept version |", "|---|---|---|"]
        lines += [f"| `{_cell(s['path'])}` | {_cell(s['reason'])} | {s.get('version') or '—'} |"
                  for s in held] + [""]
    worst = sorted(findings, key=lambda f: (-f.severity.rank, *f.sort_key()))[:top]
    if worst:
        lines += [f"Top {len(worst)} findings:", "", "| severity | rule | where | message |",
                  "|---|---|---|---|"]
        lines += [f"| {f.severity.value} | {f.rule} | `{_cell(f.location.path)}:{f.location.line}` "
                  f"| {_cell(f.message)} |" for f in worst] + [""]
    if summary.report:
        lines.append(f"Report: [{summary.report}]({Path(summary.report).resolve().as_uri()})")
    if summary.expectations.get("data_docs"):
        lines.append(f"Data Docs: {summary.expectations['data_docs']}")
    return "\n".join(lines).rstrip() + "\n"


def document_rows(summary: RunSummary) -> list[dict[str, Any]]:
    """One row per document for the run's table artifact: its status, why, the version kept."""
    return [{"document": s["path"], "status": s["status"], "errors": s.get("errors", 0),
             "warnings": s.get("warnings", 0), "claims": s.get("claims", 0),
             "version": s.get("version") or "", "reason": s.get("reason") or ""}
            for s in summary.statuses]


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")
