"""The reviewer's HTML report: one self-contained page, or an index plus one page per document.

Everything on the page comes from an untrusted note, so Jinja autoescapes every value; the only
strings marked safe are our own assets (CSS, JS, computed SVG numbers) and JSON produced by
``embed_json``. A Content-Security-Policy pinned to the hashes of our two inline scripts is a
second wall: even a missed escape could not run a script or fetch anything.
"""
from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from factlint import __version__
from factlint.document import Document, Table
from factlint.emit import fragments
from factlint.emit.actions import fix_diff, safe_fixes_diff, source_lines
from factlint.emit.arithmetic import arithmetic, line_refs, steps
from factlint.emit.summary import SEVERITY_ORDER, check_findings_contract
from factlint.findings import Finding, Location, Severity
from factlint.summary import NoteSummary, ReportFacts, outline

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Above these a single page gets slow to open; write_report then splits per document.
SPLIT_ABOVE_DOCUMENTS = 200
SPLIT_ABOVE_FINDINGS = 5000

# The claims contract's own notion of "numeric" (schemas.claims parsed-has-canonical-value).
NUMERIC_KINDS = ("number", "range", "percent", "ratio", "money", "year")

SEVERITIES = SEVERITY_ORDER                                          # error, warning, info
# Drawn by CSS (report.css .ic-*), not by a font: CI machines have no symbol or emoji font,
# and a missing glyph is an empty box. The word always follows the icon.
ICONS = {s: Markup(f'<i class="ic ic-{s.value}" aria-hidden="true"></i>') for s in Severity}

# Status marks a note writes in its cells (✅ supported, ❌ not), drawn as CSS shapes for the
# same reason; the character stays in aria-label and title, and in the text a copy takes.
GLYPHS = {**dict.fromkeys("✅✔✓☑🟢", "yes"), **dict.fromkeys("❌✖✗✘❎🔴⛔🚫", "no"),
          **dict.fromkeys("⚠🟡🟠", "partial")}
# Any other pictograph (📊 in a heading, 🚀) is decoration only an emoji font could draw: kept
# for screen readers and copies, not drawn as an empty box.
_PICTOGRAPH = "\U0001F000-\U0001FAFF\u2600-\u2604\u2607-\u2712\u2714-\u27BF\u2B00-\u2BFF"
_GLYPH_RUN = re.compile(f"([{''.join(GLYPHS)}]|[{_PICTOGRAPH}])[\ufe0f\U0001F3FB-\U0001F3FF]?")


def path_breaks(path: Any) -> Markup:
    """A path escaped, with a break opportunity after each separator: a long path wraps
    between its folders, not inside a name."""
    # escape() by hand: Markup.format's formatter costs ~0.3 ms a path, on every index row.
    return Markup("/<wbr>".join(f'<span class="seg">{Markup.escape(part)}</span>'
                                for part in str(path).split("/")))


def glyphs(text: Any) -> Markup:
    """``text`` escaped, each status mark in it replaced by its drawn shape."""
    text = "" if text is None else str(text)
    if not _GLYPH_RUN.search(text):
        return Markup.escape(text)
    out, at = [], 0
    for match in _GLYPH_RUN.finditer(text):
        mark = match.group(0)
        out.append(Markup.escape(text[at:match.start()]))
        kind = GLYPHS.get(match.group(1))
        if kind is None:
            out.append(Markup('<span class="glyph-text" title="{}">{}</span>').format(mark, mark))
        else:
            out.append(Markup('<span class="glyph g-{}" role="img" aria-label="{}" title="{}">'
                              '<span class="glyph-text">{}</span></span>').format(kind, mark, mark, mark))
        at = match.end()
    out.append(Markup.escape(text[at:]))
    return Markup("").join(out)

# The early script only flips the no-js class, so JS-only controls never flash.
EARLY_SCRIPT = "document.documentElement.className='js';"


# --------------------------------------------------------------------------- public API

def render_report(results: Sequence, findings: Sequence[Finding], *, run: dict | None = None,
                  history: list[dict] | None = None, title: str = "factlint report",
                  indexes: Mapping[str, "CellIndex"] | None = None) -> str:
    """One page holding every document's tables, every finding's details and the summary."""
    check_findings_contract(findings)        # the findings contract, checked once per report
    return _render_page(results, findings, run=run, history=history, title=title,
                        linker=Linker(), show_tables=True, indexes=indexes)


def write_report(results: Sequence, findings: Sequence[Finding], out_dir: str | Path, *,
                 run: dict | None = None, history: list[dict] | None = None,
                 title: str = "factlint report",
                 indexes: dict[str, "CellIndex"] | None = None) -> Path:
    """Write out_dir/index.html; large corpora also get out_dir/docs/<page_name(path)>.
    Document pages of earlier runs that this report no longer links are removed, and a page
    whose inputs (``page_key``) did not change since it was written is kept as it is: a
    re-run after one note changed renders one document page, not thousands.
    ``indexes`` (``cell_indexes``): the caller's, to read back which cells the report
    resolved (``report_facts``); made here when not given."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    docs_dir = out / "docs"
    renderer = _renderer_digest()
    indexes = cell_indexes(results, renderer) if indexes is None else indexes
    if not needs_split(results, findings):      # render_report checks the findings contract
        _write(index, render_report(results, findings, run=run, history=history, title=title,
                                    indexes=indexes))
        _prune_pages(docs_dir, keep=set())
        return index

    check_findings_contract(findings)
    pages = {r.path: page_name(r.path) for r in results}
    stale = _stale_pages(results, findings, docs_dir, pages=pages, run=run, title=title,
                         indexes=indexes, renderer=renderer)
    with _pages_rendering(stale, pages=pages, title=title, indexes=indexes):
        pass
    _write(index, _render_page(results, findings, run=run, history=history, title=title,
                               linker=Linker(pages=pages, prefix="docs/"), show_tables=False,
                               indexes=indexes))
    _prune_pages(docs_dir, keep=set(pages.values()))
    return index


@contextlib.contextmanager
def pages_rendered_meanwhile(results: Sequence, findings: Sequence[Finding], out_dir: str | Path, *,
                             run: dict | None = None, title: str = "factlint report",
                             indexes: dict[str, "CellIndex"]) -> Iterator[None]:
    """Render the document pages ``write_report`` would write for these findings and ``run``, in
    forked workers while the caller's block runs; wait for them when it ends. The flow runs its
    expectation suite and publishes meanwhile: GX holds one core, and the other was idle. A page
    written here whose inputs ``write_report`` then finds unchanged (``page_key``) is kept as it
    is, so the report is byte for byte what ``write_report`` alone writes; a page whose inputs
    changed after all (GX's findings, a blocked publication) is rendered again there. Does
    nothing for a one-page report, or too few notes checked afresh to fork workers for: a
    re-run's unchanged notes (summaries) keep their pages, and finding the stale ones would
    cost ``write_report``'s own search again. ``indexes`` must be the ones later given to
    ``write_report``: they learn the anchors the workers resolved."""
    afresh = sum(not isinstance(r, NoteSummary) for r in results)
    workers = _page_workers(afresh) if needs_split(results, findings) else 0
    if not workers:
        yield
        return
    docs_dir = Path(out_dir) / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    pages = {r.path: page_name(r.path) for r in results}
    stale = _stale_pages(results, findings, docs_dir, pages=pages, run=run, title=title,
                         indexes=indexes, renderer=_renderer_digest())
    with _pages_rendering(stale, pages=pages, title=title, indexes=indexes):
        yield


def _stale_pages(results: Sequence, findings: Sequence[Finding], docs_dir: Path, *,
                 pages: Mapping[str, str], run: dict | None, title: str,
                 indexes: Mapping[str, "CellIndex"], renderer: str) -> list[tuple]:
    """(result, its findings, run facts, page, key) of each document page not yet written
    with these inputs."""
    docs_dir.mkdir(exist_ok=True)
    root = docs_dir.resolve()
    by_path = _group_by_path(findings)
    status = publication(run)
    stale = []
    for result in results:
        mine = by_path.get(result.path, [])
        page_run = document_run(run, result.path, status.get(result.path))
        target = _page_target(root, pages[result.path])
        key = page_key(result, mine, pages=pages, run=page_run, title=title, indexes=indexes,
                       renderer=renderer)
        if _written_key(target) != key:
            stale.append((result, mine, page_run, target, key))
    return stale


def _page_target(root: Path, name: str) -> Path:
    """Where a page is written: ``name`` in the resolved docs folder ``root``. page_name never
    makes a name that leaves it; be certain, without resolving every page's path (4,000
    realpath walks were a sixth of a re-run's report step): a plain file name, and no symlink
    planted in its place."""
    target = root / name
    if not PAGE_NAME.fullmatch(name) or target.is_symlink():
        raise ValueError(f"refusing to write outside {root}: {target}")
    return target


# Below this many pages to render, forking workers costs more than it saves.
PAGES_POOL_MIN = 48


def _page_workers(pages: int) -> int:
    """How many forked workers render this many pages: 0 when forking costs more than it
    saves, or cannot be done here (no fork; inside a daemonic worker)."""
    from factlint.pipeline import _fork_context, worker_count

    workers = min(worker_count(), pages // 8)
    context = _fork_context()
    if workers < 2 or pages < PAGES_POOL_MIN or context is None or context.current_process().daemon:
        return 0
    return workers


@contextlib.contextmanager
def _pages_rendering(stale: Sequence[tuple], *, pages: Mapping[str, str], title: str,
                     indexes: Mapping[str, "CellIndex"]) -> Iterator[None]:
    """Render and write each stale document page (``_stale_pages``'s list); with many of them,
    in forked workers over the CPUs, which run while the caller's block does (pages are
    independent; rendering is nearly all of a full report's time). A worker sends back the cell
    anchors it resolved, so ``indexes`` ends up holding what rendering every page here would
    have resolved (``report_facts`` reads it)."""
    workers = _page_workers(len(stale))
    if not workers:
        _render_pages(stale, pages, title, indexes)
        yield
        return
    from concurrent.futures import ProcessPoolExecutor

    from factlint.pipeline import _fork_context

    global _PAGES_JOB
    _PAGES_JOB = (stale, pages, title, indexes, {path: len(i.resolved) for path, i in indexes.items()})
    chunks = [range(start, len(stale), workers * 4) for start in range(workers * 4)]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context()) as pool:
            # The first submit forks every worker, before the caller's block starts threads.
            futures = [pool.submit(_render_pages_in_worker, chunk) for chunk in chunks]
            try:
                yield
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            for future in futures:
                for path, anchors in future.result().items():
                    indexes[path].learn(anchors)
    finally:
        _PAGES_JOB = None


def _render_pages(stale: Iterable[tuple], pages: Mapping[str, str], title: str,
                  indexes: Mapping[str, "CellIndex"]) -> None:
    for result, mine, page_run, target, key in stale:
        _write(target, render_document_page(result, mine, pages=pages, run=page_run, title=title,
                                            indexes=indexes, key=key))


_PAGES_JOB: tuple | None = None          # inherited by the forked page workers


def _render_pages_in_worker(chunk: range) -> dict[str, dict]:
    """One worker's share of the pages; returns the anchors it resolved beyond what its parent
    had (per note path), which the parent adds to its own indexes."""
    stale, pages, title, indexes, known = _PAGES_JOB
    _render_pages((stale[i] for i in chunk), pages, title, indexes)
    resolved = {}
    for path, index in indexes.items():
        grown = index.resolved
        if len(grown) > known.get(path, 0):
            resolved[path] = dict(list(grown.items())[known.get(path, 0):])
    return resolved


def copy_report(src_dir: str | Path, dest_dir: str | Path) -> Path:
    """A copy of the report ``write_report`` left in ``src_dir`` (its index and its own
    document pages) in ``dest_dir``, e.g. a run's archive: the archive shows what the main
    report shows, so it is linked, not rendered a second time. Hard links where the file
    system allows them; ``_write`` replaces a page by rename, so a later report never
    changes an archived page through its link."""
    src, dest = Path(src_dir), Path(dest_dir)
    pages = [p for p in (src / "docs").iterdir() if PAGE_NAME.fullmatch(p.name)] \
        if (src / "docs").is_dir() else []
    (dest / "docs").mkdir(parents=True, exist_ok=True) if pages else dest.mkdir(parents=True, exist_ok=True)
    for page in pages:
        _link_or_copy(page, dest / "docs" / page.name)
    _link_or_copy(src / "index.html", dest / "index.html")      # last: the index links the pages
    return dest / "index.html"


def _link_or_copy(src: Path, dest: Path) -> None:
    try:        # a new name: one link(2), which is atomic (3 calls a page were ~0.1 s a run)
        os.link(src, dest)
        return
    except FileExistsError:
        if os.path.samefile(src, dest):     # already this page: rename(2) would be a no-op
            return                          # and leave the partial behind
    except OSError:                     # another file system, or links not allowed
        pass
    partial = dest.with_name(f".{dest.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        os.link(src, partial)
    except OSError:                     # another file system, or links not allowed
        shutil.copyfile(src, partial)
    partial.replace(dest)


def document_run(run: Mapping | None, path: str, status: Mapping | None) -> dict | None:
    """What a document's own page shows of the run: that document's publication status and,
    if publishing was blocked, why. Run id and time stay on the index (they change every
    run, and would make every page differ from the last run's)."""
    if not run:
        return None
    narrowed: dict[str, Any] = {}
    if run.get("blocked"):
        narrowed["blocked"] = run["blocked"]
    if status is not None:
        narrowed["documents"] = [{"path": path, "published": status["published"],
                                  "reasons": list(status["reasons"])}]
    return narrowed


PAGE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}-[0-9a-f]{10}\.html")


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a reader never opens a half-written page."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _prune_pages(docs_dir: Path, keep: set[str]) -> None:
    """Remove our own stale document pages (names page_name makes), nothing else."""
    if not docs_dir.is_dir():
        return
    for page in docs_dir.iterdir():
        if page.is_file() and PAGE_NAME.fullmatch(page.name) and page.name not in keep:
            page.unlink()


def render_document_page(result, findings: Sequence[Finding], *, pages: Mapping[str, str],
                         run: dict | None = None, title: str = "factlint report",
                         indexes: Mapping[str, "CellIndex"] | None = None,
                         key: str | None = None) -> str:
    """One document's page in a split report (links to siblings are relative to docs/).
    `indexes` (cell_indexes of the whole corpus) lets related cells in other notes link.
    `key` (page_key) is written into the page's head so the next report can reuse it."""
    return _render_page([result], findings, run=run, history=None,
                        title=f"{result.path} · {title}",
                        linker=Linker(pages=pages, here=result.path), show_tables=True,
                        index_href="../index.html", indexes=indexes, page_key=key)


# --------------------------------------------------------------------------- page reuse

PAGE_KEY_META = re.compile(rb'<meta name="factlint-page-key" content="([0-9a-f]{64})">')
PAGE_KEY_SCAN_BYTES = 512        # the key sits right after <meta charset> at the top


def page_key(result, findings: Sequence[Finding], *, pages: Mapping[str, str],
             run: Mapping | None, title: str, indexes: Mapping[str, "CellIndex"],
             renderer: str | None = None) -> str:
    """A hash of everything a document page is rendered from: the renderer (this module and
    the templates), the document (``document_digest``), its findings, the run facts the page
    shows (``document_run``), and where each related cell in another note resolves to (its
    anchor in that note, and whether that note has a page to link to). Equal keys mean
    byte-identical pages; a change to another note re-renders only the pages whose links
    into it moved."""
    digest = hashlib.sha256()

    def add(value: Any) -> None:
        digest.update(str(value).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")

    renderer = renderer or _renderer_digest()
    for part in (renderer, title,
                 document_digest(result, renderer),
                 json.dumps(run, sort_keys=True, default=str)):
        add(part)
    for f in sorted(findings, key=Finding.sort_key):
        add(repr(f))            # every field of a frozen dataclass, in declaration order
        for loc in f.related:
            if loc.path != result.path:
                add(f"{loc.path}#{locate(indexes, loc)}:{loc.path in pages}")
    return digest.hexdigest()


def document_digest(result, renderer: str | None = None) -> str:
    """What a page shows of one checked document: path, content hash, read error, the
    ingested document (text, tables, problems), its claim count and numeric claim count.
    A cached note's summary remembers it (under the same ``renderer``); a full result's is
    worked out once while the result lives (``_DIGESTS``)."""
    facts = remembered(result, renderer)
    if facts is not None:
        return facts.digest
    entry = _DIGESTS.get(id(result))
    if entry is not None and entry[0]() is result:
        return entry[1]
    parts = (result.path, result.sha256, result.error, repr(result.document),
             result.claim_count, numeric_claim_count(result))
    digest = hashlib.sha256("\0".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()
    key = id(result)
    try:
        alive = weakref.ref(result, lambda _, key=key: _DIGESTS.pop(key, None))
    except TypeError:                    # not weakly referenceable: worked out every time
        return digest
    _DIGESTS[key] = (alive, digest)
    return digest


# A run asks for each note's digest three times (the pages rendered early, the report's own
# page keys, the summaries' report facts), and repr() of a document is most of a page key:
# ~0.4 s for 2,000 notes each time. Held by weak reference, so no result outlives its run
# for it; a result is not changed once checked.
_DIGESTS: dict[int, tuple[weakref.ref, str]] = {}


def remembered(result, renderer: str | None) -> ReportFacts | None:
    """What a cached note's summary (``summary.NoteSummary``) remembers of this report's view of
    it, when this very renderer computed it; None for a full result or another renderer."""
    facts = result.report if isinstance(result, NoteSummary) else None
    return facts if facts is not None and renderer and facts.renderer == renderer else None


def report_facts(result, indexes: Mapping[str, "CellIndex"], renderer: str) -> ReportFacts:
    """What the next run's report needs of ``result`` without loading it: its document digest,
    its numeric claim count and every cell anchor this report resolved in it (``indexes``,
    the ``cell_indexes`` the report was written with)."""
    facts = remembered(result, renderer)
    index = indexes.get(result.path)
    anchors = dict(index.resolved) if index is not None else {}
    if facts is not None:
        return ReportFacts(renderer, facts.digest, facts.numeric_claims, {**facts.anchors, **anchors})
    return ReportFacts(renderer, document_digest(result), numeric_claim_count(result), anchors)


def renderer_digest() -> str:
    """The digest every page key and remembered report fact is computed under."""
    return _renderer_digest()


def _written_key(page: Path) -> str | None:
    """The page_key a page was written with, or None (no page, or one without a key)."""
    try:
        with open(page, "rb") as handle:
            head = handle.read(PAGE_KEY_SCAN_BYTES)
    except OSError:
        return None
    match = PAGE_KEY_META.search(head)
    return match.group(1).decode() if match else None


def _renderer_digest() -> str:
    """This module and emit.fragments, the engine version, Jinja's and MarkupSafe's versions
    and every template and asset: a change to any of them re-renders every page."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{__version__} {version('jinja2')} {version('markupsafe')}".encode())
    for file in [Path(__file__), Path(fragments.__file__), *sorted(TEMPLATES.iterdir())]:
        if file.is_file():
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def needs_split(results: Sequence, findings: Sequence[Finding]) -> bool:
    return len(results) > SPLIT_ABOVE_DOCUMENTS or len(findings) > SPLIT_ABOVE_FINDINGS


def page_name(path: str) -> str:
    """A file name for a document's page: ASCII slug of the file stem plus a hash of the whole
    path. Only the last path component is used and every separator is dropped, so no note path
    (``../../etc/passwd.md``, absolute, Windows-style) can lead outside the docs folder."""
    stem = re.split(r"[\\/]", str(path))[-1]
    stem = re.sub(r"\.[A-Za-z0-9]{1,9}$", "", stem)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40].strip("-") or "doc"
    return f"{slug}-{_short_hash(path, 10)}.html"


def embed_json(value: Any) -> Markup:
    """JSON safe to place inside <script type="application/json">: no `</script>`, `<!--`,
    `&`, or JS line separators can survive, so the blob can never close its element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


def link_url(url: str | None) -> str | None:
    """The URL if it may become a link (http/https only), else None (shown as text)."""
    if not url:
        return None
    candidate = url.strip()
    # Real URLs percent-encode quotes and angle brackets; one that carries them is suspect.
    return candidate if re.match(r"(?i)^https?://[^\s<>\"'`]+$", candidate) else None


# --------------------------------------------------------------------------- summary

def coverage(results: Sequence, findings: Sequence[Finding], run: Mapping | None = None
             ) -> dict | None:
    """Share of numeric claims checked against a source: one definition for every output,
    ``factlint.reference.coverage`` as each checked document measured it (``result.coverage``,
    summed by ``pipeline.total_coverage``, the figure ``check`` prints). ``run["coverage"]``,
    when a caller gives it, is that same measurement (or a bare fraction); None when nothing
    measured it. ``findings`` are not counted: an `unverified` finding is not the measure."""
    from factlint.pipeline import total_coverage

    explicit = (run or {}).get("coverage")
    if explicit is None:
        explicit = total_coverage([r for r in results if getattr(r, "coverage", None)])
    if explicit is None:
        return None
    stated = explicit.get("numeric", explicit.get("numeric_claims")) \
        if isinstance(explicit, Mapping) else None
    numeric = int(stated) if stated is not None else sum(numeric_claim_count(r) for r in results)
    if isinstance(explicit, Mapping):
        view = _coverage_view(int(explicit["checked"]), numeric)
        hardware = explicit.get("hardware")
        if isinstance(hardware, Mapping) and hardware.get("numeric_claims"):
            view["hardware"] = _coverage_view(int(hardware["checked"]), int(hardware["numeric_claims"]))
        return view
    fraction = float(explicit)
    return {"checked": round(fraction * numeric), "numeric": numeric, "percent": fraction * 100}


def _coverage_view(checked: int, numeric: int) -> dict:
    return {"checked": checked, "numeric": numeric,
            "percent": 100.0 * checked / numeric if numeric else 0.0}


def numeric_claim_count(result) -> int:
    """Claims parsed as a number (NUMERIC_KINDS), counted over the result's claim rows
    (no claims frame is built)."""
    facts = result.report if isinstance(result, NoteSummary) else None
    if facts is not None and facts.renderer == _renderer_digest():
        return facts.numeric_claims
    return sum(1 for row in result.rows
               if row.get("kind") in NUMERIC_KINDS and row.get("status", "parsed") == "parsed")


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.severity.value for f in findings)
    return {s.value: counts.get(s.value, 0) for s in SEVERITIES}


def publication(run: Mapping | None) -> dict[str, dict]:
    """path -> {"published": bool, "reasons": [..]} from the flow's run metadata. Accepts
    run["documents"] = [{"path", "published" | "status", "reasons"}] and/or
    run["published"] = [paths], run["held_back"] = {path: reason(s)} or [{"path","reasons"}]."""
    status: dict[str, dict] = {}
    if not run:
        return status
    for doc in run.get("documents") or ():
        published = doc.get("published")
        if published is None:
            published = str(doc.get("status", "")).replace("-", "_") == "published"
        status[str(doc["path"])] = {"published": bool(published),
                                    "reasons": _reasons(doc.get("reasons", doc.get("reason")))}
    for path in run.get("published") or ():
        status[str(path)] = {"published": True, "reasons": []}
    held = run.get("held_back") or {}
    items = held.items() if isinstance(held, Mapping) else (
        (h["path"], h.get("reasons", h.get("reason"))) if isinstance(h, Mapping) else (h, None)
        for h in held)
    for path, reasons in items:
        status[str(path)] = {"published": False, "reasons": _reasons(reasons)}
    return status


def _reasons(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def report_summary(results: Sequence, documents: Sequence[dict], findings: Sequence[Finding],
                   run: Mapping | None) -> dict:
    """The page's headline numbers, counted from the document views it draws."""
    status = publication(run)
    return {
        "documents": len(documents), "unreadable": sum(1 for d in documents if d["error"]),
        "tables": sum(d["table_count"] for d in documents),
        "claims": sum(d["claim_count"] for d in documents), "findings": len(findings),
        "severity": severity_counts(findings), "coverage": coverage(results, findings, run),
        "published": sum(1 for s in status.values() if s["published"]) if status else None,
        "held_back": sum(1 for s in status.values() if not s["published"]) if status else None,
    }


# --------------------------------------------------------------------------- charts

@dataclass(frozen=True)
class ChartBar:
    label: str
    title: str
    y: float
    segments: tuple[tuple[str, float, float], ...]   # (severity, x, width)
    total: int
    total_x: float


def rule_chart(findings: Sequence[Finding], *, width: float = 460, label_width: float = 150,
               row: float = 24, limit: int = 20) -> dict | None:
    """Horizontal bars, one per rule, stacked by severity (largest first)."""
    per_rule: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        per_rule[f.rule][f.severity.value] += 1
    if not per_rule:
        return None
    ordered = sorted(per_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    hidden = ordered[limit:]
    ordered = ordered[:limit]
    peak = max(sum(c.values()) for _, c in ordered)
    span = width - label_width - 48
    bars = []
    for i, (rule_id, counts) in enumerate(ordered):
        x, segments = label_width, []
        for sev in SEVERITIES:
            n = counts.get(sev.value, 0)
            if n:
                w = max(span * n / peak, 1.5)
                segments.append((sev.value, round(x, 1), round(w, 1)))
                x += w
        total = sum(counts.values())
        detail = ", ".join(f"{counts[s.value]} {s.value}" for s in SEVERITIES if counts.get(s.value))
        bars.append(ChartBar(label=_ellipsis(rule_id, 22), title=f"{rule_id}: {total} ({detail})",
                             y=i * row, segments=tuple(segments), total=total,
                             total_x=round(x + 6, 1)))
    return {"bars": bars, "width": width, "height": len(bars) * row, "row": row,
            "label_x": label_width - 8, "hidden": len(hidden)}


def trend_chart(history: Sequence[Mapping] | None, *, width: float = 460, height: float = 150
                ) -> dict | None:
    """Stacked areas of findings by severity across past runs; None without history."""
    runs = [_history_point(h) for h in history or ()]
    if not runs:
        return None
    left, right, top, bottom = 40, 12, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(sum(r["counts"].values()) for r in runs) or 1
    step = plot_w / (len(runs) - 1) if len(runs) > 1 else 0
    xs = [left + (i * step if len(runs) > 1 else plot_w / 2) for i in range(len(runs))]

    def y(value: float) -> float:
        return round(top + plot_h - plot_h * value / peak, 1)

    layers, base = [], [0.0] * len(runs)
    for sev in reversed(SEVERITIES):                  # info at the bottom, errors on top
        upper = [b + r["counts"][sev.value] for b, r in zip(base, runs)]
        outline = [(round(x, 1), y(u)) for x, u in zip(xs, upper)]
        floor = [(round(x, 1), y(b)) for x, b in zip(xs, base)][::-1]
        layers.append({"severity": sev.value,
                       "area": " ".join(f"{px},{py}" for px, py in outline + floor),
                       "line": " ".join(f"{px},{py}" for px, py in outline)})
        base = upper
    labels = [r["date"] for r in runs]
    years = {d[:4] for d in labels}
    if len(years) == 1 and all(re.match(r"^\d{4}-\d", d) for d in labels):
        labels = [d[5:] for d in labels]           # one year: "01-07" reads better
    room = max(1, int(plot_w // (7.5 * max(len(d) for d in labels) + 16)))
    every = -(-len(runs) // room)
    shown = [i for i in range(len(runs)) if i % every == 0 or i == len(runs) - 1]
    if len(shown) > 2 and shown[-1] - shown[-2] < every:      # keep the last label clear
        del shown[-2]
    ticks = [{"x": round(xs[i], 1), "label": labels[i],
              "anchor": "middle" if len(runs) == 1 else
              "start" if i == 0 else "end" if i == len(runs) - 1 else "middle"} for i in shown]
    points = [{"x": round(x, 1), "y": y(sum(r["counts"].values())),
               "title": f"{r['date']}: " + ", ".join(f"{r['counts'][s.value]} {s.value}"
                                                     for s in SEVERITIES)}
              for x, r in zip(xs, runs)]
    return {"layers": layers[::-1], "ticks": ticks, "points": points, "width": width,
            "height": height, "peak": peak, "top": top, "left": left,
            "baseline": top + plot_h, "right": width - right}


def _history_point(entry: Mapping) -> dict:
    counts = entry.get("counts", entry)
    date = entry.get("date") or entry.get("time") or entry.get("run_id") or ""
    return {"date": str(date)[:16].replace("T", " "), "counts": {s.value: int(counts.get(s.value, 0) or 0)
                                               for s in SEVERITIES}}


# --------------------------------------------------------------------------- links and ids

@dataclass(frozen=True)
class Linker:
    """Hrefs from the page being rendered to a document's anchors. pages=None: single page."""
    pages: Mapping[str, str] | None = None
    here: str | None = None            # the document a split page shows
    prefix: str = ""                   # "docs/" on the index of a split report
    base: str = ""                     # the folder every document is in, left out of labels

    def label(self, path: str) -> str:
        """A document's path as lists show it: without the folder all documents share."""
        return path[len(self.base):] if self.base and path.startswith(self.base) else path

    def href(self, path: str, anchor: str) -> str:
        if self.pages is None or path == self.here or path not in self.pages:
            return f"#{anchor}"
        return f"{self.prefix}{self.pages[path]}#{anchor}"

    def on_page(self, path: str) -> bool:
        return self.pages is None or path == self.here or path not in self.pages

    def document(self, path: str) -> str:
        if self.pages is None or path not in self.pages:
            return f"#{doc_anchor(path)}"
        return f"{self.prefix}{self.pages[path]}"


def doc_anchor(path: str) -> str:
    return f"d-{_short_hash(path, 8)}"


def table_anchor(path: str, table: int) -> str:
    return f"t-{_short_hash(path, 8)}-{table}"


def line_anchor(path: str, line: int) -> str:
    """A line of the document's source view."""
    return f"L-{_short_hash(path, 8)}-{line}"


def finding_anchor(path: str, n: int) -> str:
    return f"f-{_short_hash(path, 8)}-{n}"


def cell_anchor(path: str, table: int, row: int | None, column: int | None) -> str:
    """row None: header row; column None: the row itself (its line-number cell)."""
    return (f"c-{_short_hash(path, 8)}-{table}-{'h' if row is None else row}-"
            f"{'ln' if column is None else column}")


class CellIndex:
    """Resolves a finding's Location to the table cell it is about, if any."""

    def __init__(self, document: Document | None):
        self.path = document.path if document else ""
        self.tables = {t.index: t for t in document.tables} if document else {}
        self._labels: dict[int, list[tuple[int, set[str]]]] = {}     # cleaned once per table
        # A corpus finding lists up to 20 related cells and many findings list the same ones:
        # each location is resolved once per report.
        self._anchors: dict[Location, str | None] = {}

    def anchor(self, loc: Location) -> str | None:
        try:
            return self._anchors[loc]
        except KeyError:
            found = self._anchors[loc] = self._resolve(loc)
            return found
        except TypeError:                   # an unhashable field: resolve it every time
            return self._resolve(loc)

    def _resolve(self, loc: Location) -> str | None:
        table = self._table(loc)
        if table is None:
            return None
        row = self._row(table, loc)
        if row is False:
            return None
        cells = table.header if row is None else table.rows[row].cells
        column = self._column(self._header_labels(table), cells, loc)
        if row is None and column is None:
            return None                               # a header "row finding" has no row cell
        return cell_anchor(loc.path, table.index, row, column)

    def _table(self, loc: Location) -> Table | None:
        if loc.table is not None:
            return self.tables.get(loc.table)
        return next((t for t in self.tables.values() if t.header_line <= loc.line <= t.end_line),
                    None)

    @staticmethod
    def _row(table: Table, loc: Location):
        """Body row index, None for the header, False when the location is in neither."""
        if loc.row is not None and 0 <= loc.row < len(table.rows) \
                and table.rows[loc.row].line == loc.line:
            return loc.row
        if loc.line == table.header_line:
            return None
        return next((i for i, r in enumerate(table.rows) if r.line == loc.line), False)

    def _header_labels(self, table: Table) -> list[tuple[int, set[str]]]:
        if table.index not in self._labels:
            self._labels[table.index] = [(h.column, {_clean(h.raw), _clean(h.text)})
                                         for h in table.header]
        return self._labels[table.index]

    @staticmethod
    def _column(labels: list[tuple[int, set[str]]], cells, loc: Location) -> int | None:
        if loc.column_index is not None and loc.column_index < max(len(cells), len(labels)):
            return loc.column_index            # the cell the finding names: no text matching
        label = _clean(loc.column)
        named = [column for column, names in labels if label and label in names]
        text = _clean(loc.text)
        by_text = [c.column for c in cells if text and text in (_clean(c.raw), _clean(c.text))]
        both = [c for c in named if c in by_text]
        for candidates in (both, named, by_text):
            if candidates:
                return candidates[0]
        return None


    @property
    def resolved(self) -> Mapping[Location, str | None]:
        """Every location resolved so far, with its anchor (None: no cell)."""
        return self._anchors

    def learn(self, anchors: Mapping[Location, str | None]) -> None:
        """Anchors resolved elsewhere (a page worker's copy of this index)."""
        self._anchors.update(anchors)


class RememberedCells(CellIndex):
    """A cached note's CellIndex from its summary: the anchors earlier reports resolved in it
    (a pure function of the document and the location), and the document loaded only to
    resolve a location never seen before."""

    def __init__(self, summary: NoteSummary, facts: ReportFacts):
        self.path = summary.path
        self._summary = summary
        self._tables: dict[int, Table] | None = None
        self._labels = {}
        self._anchors = dict(facts.anchors)

    @property
    def tables(self) -> dict[int, Table]:
        if self._tables is None:
            doc = self._summary.document
            self._tables = {t.index: t for t in doc.tables} if doc else {}
        return self._tables


def cell_indexes(results: Sequence, renderer: str | None = None) -> dict[str, CellIndex]:
    """path -> its CellIndex; a summary's remembers what ``renderer`` resolved before."""
    indexes: dict[str, CellIndex] = {}
    for r in results:
        facts = remembered(r, renderer)
        indexes[r.path] = RememberedCells(r, facts) if facts is not None else CellIndex(r.document)
    return indexes


def locate(indexes: Mapping[str, CellIndex], loc: Location) -> str | None:
    """The anchor of the cell a location points at, when its document is known."""
    index = indexes.get(loc.path)
    return index.anchor(loc) if index else None


@lru_cache(maxsize=65536)
def _clean(value: str | None) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*_`]", "", value or "")).strip()


# --------------------------------------------------------------------------- view models

def finding_view(f: Finding, anchor: str, linker: Linker, indexes: Mapping[str, CellIndex],
                 with_related: bool = True) -> dict:
    """Everything a finding card shows; `indexes` (path -> CellIndex) place it and its related
    locations on table cells. Without `with_related` (the index of a split report, which
    lists findings but draws no cards) the related cells are not looked up."""
    loc = f.location
    cell = locate(indexes, loc)
    where = [f"line {loc.line}"]
    if loc.table is not None:
        where.append(f"table {loc.table}")
    if loc.column:
        where.append(f"column {loc.column}")
    ref = f.reference
    calc = arithmetic(f) if with_related else None
    return {
        "id": anchor, "cell": cell, "severity": f.severity.value,
        "rule": f.rule, "message": f.message, "path": loc.path, "line": loc.line,
        "column": loc.column or "", "text": loc.text, "where": " · ".join(where),
        "cell_href": linker.href(loc.path, cell) if cell else None,
        "src_href": linker.href(loc.path, line_anchor(loc.path, loc.line)),
        "entity": f.entity, "attribute": f.attribute, "evidence": f.evidence,
        "calc": calc,
        "steps": [_linked(step, loc.path, {r.path for r in f.related}, linker)
                  for step in steps(f.evidence)] if calc and f.evidence else None,
        "related": [_related_view(r, locate(indexes, r), linker, loc) for r in f.related]
        if with_related else [],
        "fix": f.fix and {"title": f.fix.title, "replacement": f.fix.replacement,
                          "original": f.fix.original, "applicability": f.fix.applicability.value},
        "reference": ref and {"publication": ref.publication, "date": ref.date, "quote": ref.quote,
                              "confidence": ref.confidence, "tier": ref.tier, "value": ref.value,
                              "qualifier": ref.qualifier, "url": ref.url,
                              "href": link_url(ref.url), "host": url_host(ref.url)},
    }


def _related_view(loc: Location, anchor: str | None, linker: Linker, at: Location) -> dict:
    label = f"line {loc.line}" + (f", {loc.column}" if loc.column else "")
    elsewhere = loc.path != at.path or (loc.table is not None and loc.table != at.table)
    return {"role": loc.role, "label": label, "text": loc.text, "path": loc.path, "line": loc.line,
            "path_label": linker.label(loc.path),
            "href": linker.href(loc.path, anchor) if anchor else None,
            "cell": anchor if anchor and linker.on_page(loc.path) else None,
            # a cell in another table (or note) links to that table as well as to the cell
            "table": loc.table if elsewhere else None,
            "table_href": linker.href(loc.path, table_anchor(loc.path, loc.table))
            if elsewhere and loc.table is not None else None}


def _linked(text: str, path: str, others: set[str], linker: Linker) -> list[dict]:
    """A step of evidence with each `line N` linked to that line of the source view: of the
    note named just before it (`b.md line 26`, a cross-document step), else the finding's."""
    out: list[dict] = []
    for piece, line in line_refs(text):
        if line is None:
            out.append({"text": piece, "href": None})
            continue
        before = out[-1]["text"].rstrip() if out else ""
        named = next((p for p in others if before.endswith(p)), path)
        out.append({"text": piece, "href": linker.href(named, line_anchor(named, line))})
    return out


def url_host(url: str | None) -> str:
    """`www.anandtech.com` -> `anandtech.com`: shown after the publication's name."""
    match = re.match(r"(?i)^[a-z][a-z0-9+.-]*://([^/?#:@\s]+)", (url or "").strip())
    return match.group(1).lower().removeprefix("www.") if match else ""


def table_view(path: str, table: Table, flags: Mapping[str, list[dict]]) -> dict:
    width = max([len(table.header)] + [len(r.cells) for r in table.rows])

    def cell(row: int | None, column: int, text: str, raw: str) -> dict:
        anchor = cell_anchor(path, table.index, row, column)
        # A cell whose text was all inline HTML would look empty; show its source instead.
        return {"id": anchor, "text": text or raw, "raw": raw if raw != (text or raw) else "",
                "flag": _flag(flags.get(anchor))}

    header = [cell(None, h.column, h.text, h.raw) for h in table.header]
    header += [{"id": None, "text": "", "raw": "", "flag": None}] * (width - len(header))
    rows = []
    for i, row in enumerate(table.rows):
        cells = [cell(i, c.column, c.text, c.raw) for c in row.cells]
        cells += [{"id": None, "text": "", "raw": "", "flag": None}] * (width - len(cells))
        line_anchor = cell_anchor(path, table.index, i, None)
        rows.append({"line": row.line, "ragged": row.ragged, "cells": cells,
                     "line_cell": {"id": line_anchor, "text": row.line, "raw": "",
                                   "flag": _flag(flags.get(line_anchor)), "cls": "ln"}})
    return {"index": table.index, "anchor": table_anchor(path, table.index),
            "heading": list(table.heading), "caption": table.caption,
            "header_line": table.header_line, "end_line": table.end_line,
            "header": header, "rows": rows}


def _flag(cards: list[dict] | None) -> dict | None:
    if not cards:
        return None
    worst = max((Severity(c["severity"]) for c in cards), key=lambda s: s.rank)
    return {"severity": worst.value, "count": len(cards),
            "ids": " ".join(c["id"] for c in cards),
            "label": f"{len(cards)} finding{'s' if len(cards) > 1 else ''}, worst {worst.value}"}


def document_view(result, findings: Sequence[Finding], linker: Linker,
                  indexes: Mapping[str, CellIndex], status: Mapping[str, dict],
                  with_tables: bool = True) -> dict:
    # Without tables only the title, date and problems are shown: a summary's outline has them.
    doc = result.document if with_tables else outline(result)
    ordered_findings = sorted(findings, key=Finding.sort_key)
    cards = [finding_view(f, finding_anchor(result.path, n), linker, indexes, with_tables)
             for n, f in enumerate(ordered_findings)]
    flags: dict[str, list[dict]] = defaultdict(list)
    for card, f in zip(cards, ordered_findings):
        card["href"] = linker.href(result.path, card["id"])
        if card["cell"]:
            flags[card["cell"]].append(card)
        if with_tables and card["fix"]:
            card["fix"]["diff"] = fix_diff(doc, f)
    safe_diff, safe_count = safe_fixes_diff(doc, findings) if with_tables else ("", 0)
    return {
        "path": result.path, "label": linker.label(result.path), "anchor": doc_anchor(result.path),
        "href": linker.document(result.path), "on_page": linker.on_page(result.path),
        "title": (doc.title if doc else None) or "", "date": doc.date if doc else None,
        "error": result.error,
        "problems": [{"line": p.line, "kind": p.kind, "message": p.message}
                     for p in (doc.problems if doc else ())],
        "tables": [table_view(result.path, t, flags) for t in doc.tables] if doc and with_tables
        else [],
        "table_count": result.table_count,
        "claim_count": result.claim_count,
        "cards": cards, "severity": severity_counts(findings),
        "publication": status.get(result.path),
        "safe_diff": safe_diff, "safe_count": safe_count,
        "source": source_lines(doc, findings) if with_tables else [],
        "source_anchor": f"src-{_short_hash(result.path, 8)}",
        "line_prefix": line_anchor(result.path, 0)[:-1],
    }


def orphan_views(findings: Sequence[Finding], known: set[str], linker: Linker,
                 indexes: Mapping[str, CellIndex]) -> list[dict]:
    """Findings about paths that are not among the results (e.g. a corpus rule's summary)."""
    stray = sorted((f for f in findings if f.location.path not in known), key=Finding.sort_key)
    cards = [finding_view(f, finding_anchor(f.location.path, n), linker, indexes)
             for n, f in enumerate(stray)]
    for card in cards:
        card["href"] = f"#{card['id']}"
    return cards


def list_entries(documents: Sequence[dict], orphans: Sequence[dict]) -> list[dict]:
    """Every finding for the page's findings list: worst first, then document order, line."""
    entries = [{**c, "doc": i, "doc_path": d["path"], "doc_href": d["href"],
                "on_page": d["on_page"]} for i, d in enumerate(documents) for c in d["cards"]]
    entries += [{**c, "doc": -1, "doc_path": c["path"], "doc_href": None, "on_page": True}
                for c in orphans]
    rank = {s.value: i for i, s in enumerate(SEVERITIES)}
    entries.sort(key=lambda e: (rank[e["severity"]], e["doc"] if e["doc"] >= 0 else len(documents),
                                e["line"]))
    return entries


def list_payload(documents: Sequence[dict], entries: Sequence[dict]) -> dict:
    """The same list as compact rows for the JS list: [severity, rule, doc, line, column,
    message, href, cell id when the cell is on this page, group (index into "groups", or -1),
    finding id]. A group is every finding of one rule and severity whose message has one
    shape (``message_shape``): the list shows it as one expandable entry."""
    rules = sorted({e["rule"] for e in entries})
    rule_ix = {r: i for i, r in enumerate(rules)}
    sev_ix = {s.value: i for i, s in enumerate(SEVERITIES)}
    shapes = [(e["rule"], e["severity"], message_shape(e["message"])) for e in entries]
    sizes = Counter(shapes)
    group_ix: dict[tuple, int] = {}
    for shape in shapes:
        if sizes[shape] > 1 and shape not in group_ix:
            group_ix[shape] = len(group_ix)
    rows = [[sev_ix[e["severity"]], rule_ix[e["rule"]], e["doc"], e["line"], e["column"],
             e["message"], e["href"], e["cell"] if e["on_page"] else None,
             group_ix.get(shape, -1), e["id"]] for e, shape in zip(entries, shapes)]
    return {"sev": [s.value for s in SEVERITIES], "glyphs": GLYPHS, "pictograph": _PICTOGRAPH,
            "rules": rules, "docs": [_document_row(d) for d in documents], "f": rows,
            "groups": [shape[2] for shape in group_ix]}


# What differs between repeats of one message: the quoted cell (“2 PLOPS”, `x`, "x") and
# stand-alone numbers. A number inside a name (WSE-3, H100) stays: those are other findings.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|`[^`]*`")
_NUMBER = re.compile(r"(?<![\w.-])[-+−]?\d+(?:[.,]\d+)*%?(?![\w-])(?![.,]\d)")


@lru_cache(maxsize=65536)
def message_shape(message: str) -> str:
    """`PLOPS in “2 PLOPS” is not a unit` -> `PLOPS in “…” is not a unit`."""
    return _NUMBER.sub("…", _QUOTED.sub(lambda m: m.group(0)[0] + "…" + m.group(0)[-1], message))


def _document_row(d: dict) -> list:
    """[path, href, title, tables, claims, errors, warnings, infos, published (1/0/null),
    reasons, error, label]: one row of the JS documents list."""
    p = d["publication"]
    return [d["path"], d["href"], d["title"], d["table_count"], d["claim_count"],
            *(d["severity"][s.value] for s in SEVERITIES),
            None if p is None else int(p["published"]), "; ".join(p["reasons"]) if p else "",
            d["error"], d["label"]]


# --------------------------------------------------------------------------- rendering

def _render_page(results: Sequence, findings: Sequence[Finding], *, run, history, title,
                 linker: Linker, show_tables: bool, index_href: str | None = None,
                 indexes: Mapping[str, CellIndex] | None = None,
                 page_key: str | None = None) -> str:
    by_path = _group_by_path(findings)
    status = publication(run)
    linker = dataclasses.replace(linker, base=_pages_folder(linker.pages) if linker.pages
                                 else common_folder([r.path for r in results]))
    if indexes is None or any(r.path not in indexes for r in results):
        indexes = {**cell_indexes(results), **(indexes or {})}
    documents = [document_view(r, by_path.get(r.path, []), linker, indexes, status, show_tables)
                 for r in results]
    orphans = orphan_views(findings, {r.path for r in results}, linker, indexes)
    entries = list_entries(documents, orphans)
    assets = _assets()
    return _environment().get_template("report.html.j2").render(
        title=title, run=run or {}, version=__version__, page_key=page_key,
        summary=report_summary(results, documents, findings, run),
        rule_chart=rule_chart(findings), trend=trend_chart(history), documents=documents,
        orphans=orphans, show_tables=show_tables, index_href=index_href,
        split={"documents": SPLIT_ABOVE_DOCUMENTS, "findings": SPLIT_ABOVE_FINDINGS},
        entries=entries if show_tables else [],
        payload=embed_json(list_payload(documents, entries)), css=assets["css"], js=assets["js"],
        early_js=Markup(EARLY_SCRIPT), csp=_csp(assets["js"]),
        severities=[s.value for s in SEVERITIES], icons={s.value: ICONS[s] for s in SEVERITIES},
    )


def common_folder(paths: Iterable[str]) -> str:
    """`/work/notes/` for `/work/notes/a.md` and `/work/notes/b/c.md`; "" for one document (its
    lists show no document column) or when the paths share no folder."""
    paths = list(paths)
    if len(paths) < 2:
        return ""
    prefix = os.path.commonprefix(paths)
    return prefix[:prefix.rfind("/") + 1]


_PAGES_FOLDER: list[tuple[Mapping[str, str], str]] = []


def _pages_folder(pages: Mapping[str, str]) -> str:
    """common_folder of a split report's pages, worked out once for all of its pages, not once
    a page (0.1 ms a page over 2,000 paths, 4 % of rendering it). The last mapping asked about
    is kept, and is not copied, so it must not change while its report renders (no caller
    changes it)."""
    if not _PAGES_FOLDER or _PAGES_FOLDER[0][0] is not pages:
        _PAGES_FOLDER[:] = [(pages, common_folder(pages))]
    return _PAGES_FOLDER[0][1]


def _group_by_path(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[f.location.path].append(f)
    return grouped


def _csp(js: str) -> str:
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in (EARLY_SCRIPT, str(js)))
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


_ASSETS: dict[str, Markup] = {}


def _assets() -> dict[str, Markup]:
    """Our own CSS and JS, inlined (inside <style>/<script> entities are not decoded). The JS
    goes without its lines' indentation, 2 KB of every page: it has no multi-line strings."""
    if not _ASSETS:
        for name in ("css", "js"):
            text = (TEMPLATES / f"report.{name}").read_text(encoding="utf-8")
            if name == "js":
                text = re.sub(r"^[ ]+", "", text, flags=re.M)
            _ASSETS[name] = Markup(text)
    return _ASSETS


_ENV: list[Environment] = []


def _environment() -> Environment:
    if not _ENV:
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                          autoescape=select_autoescape(["html", "j2", "svg"],
                                                       default_for_string=True, default=True),
                          trim_blocks=True, lstrip_blocks=True)
        env.filters["num"] = lambda n: f"{n:,}" if isinstance(n, int) else n
        env.filters["glyphs"] = glyphs
        env.filters["path_breaks"] = path_breaks
        # The per-cell and per-line loops, written in Python (emit.fragments says why).
        env.globals["note_cells"] = lambda tag, cells, icons: fragments.note_cells(tag, cells, icons, glyphs)
        env.globals["source_list"] = lambda lines, prefix: fragments.source_list(lines, prefix, glyphs)
        _ENV.append(env)
    return _ENV[0]


@lru_cache(maxsize=65536)
def _short_hash(text: str, n: int) -> str:
    return hashlib.sha256(str(text).encode("utf-8")).hexdigest()[:n]


def _ellipsis(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
