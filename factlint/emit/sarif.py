"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

One run; ``tool.driver.rules`` lists every registered rule (plus any id a finding uses that the
registry does not know, such as pandera ``schema-*`` checks), sorted by id, so ``ruleIndex`` is
stable. Each result carries the cell's region, the related cells, a line-independent
``partialFingerprints`` entry (so GitHub tracks an alert across edits above it) and, when the
finding has a fix, a whole-line replacement built from the note's source text.

Artifact URIs are relative to the project root, named ``SRCROOT`` in ``originalUriBaseIds`` (the
nearest folder above the checked notes holding ``.git``, else ``pyproject.toml``), so running
from a subfolder or with absolute paths gives the same ``uri`` values that code scanning matches
against the repository. Each rule's ``helpUri`` is its section of docs/rules.md (whose headings
are the rule ids): under ``FACTLINT_DOCS_URL`` when set (e.g. the file on the project's
repository), else the docs/rules.md of this checkout as a file:// URI; an installed factlint
with neither leaves it out (``help`` carries the same text).
"""
from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence
from urllib.parse import quote

from factlint import __version__
from factlint.document import Document
from factlint.findings import Finding, Location
from factlint.emit.json import Lazy, dumps_chunks
from factlint.emit.source import documents_by_path, fixed_line, location_columns
from factlint.emit.summary import ordered

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
# Used until pyproject.toml names a home page under [project.urls].
FALLBACK_INFORMATION_URI = "https://pypi.org/project/factlint/"
FINGERPRINT_KEY = "factlint/v1"
# RFC 3986 characters that may stay as they are in a path. A relative reference must also escape
# ":", or "a:b.md" would read as the scheme "a".
_URI_SAFE = "/-._~!$&'()*+,;=:@"
_RELATIVE_SAFE = _URI_SAFE.replace(":", "")
ROOT_ID = "SRCROOT"
# The generated rule documentation of a checkout (factlint.rule_docs writes it).
RULE_DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def render(findings: Sequence[Finding], results: Sequence, summary=None, *,
           registry: Mapping[str, Any] | None = None, root: str | Path | None = None,
           rule_docs: str | None = "") -> str:
    """``registry`` (rule id -> RuleSpec) defaults to every registered rule; ``root`` (the folder
    artifact URIs are relative to) to ``project_root`` of the checked files; ``rule_docs`` (the
    absolute URI of docs/rules.md, None for none) to ``rule_docs_uri()``."""
    return "".join(render_chunks(findings, results, summary, registry=registry, root=root,
                                 rule_docs=rule_docs))


def render_chunks(findings: Sequence[Finding], results: Sequence, summary=None, *,
                  registry: Mapping[str, Any] | None = None, root: str | Path | None = None,
                  rule_docs: str | None = "") -> Iterator[str]:
    """`render`'s text piece by piece, each result built when it is written."""
    rules = rule_descriptors(findings, registry, rule_docs_uri() if rule_docs == "" else rule_docs)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    docs = documents_by_path(results)
    base = Path(os.path.abspath(root)) if root is not None else project_root(
        [f.location.path for f in findings] + [r.path for r in results])
    where = Artifacts(base)
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "factlint", "version": __version__,
                                "semanticVersion": __version__,
                                "informationUri": information_uri(), "rules": rules}},
            "originalUriBaseIds": {ROOT_ID: {"uri": _directory_uri(base)}},
            "columnKind": "unicodeCodePoints",
            "results": Lazy(result(f, index[f.rule], docs, occurrence, where)
                            for f, occurrence in occurrences(ordered(findings))),
        }],
    }
    coverage = getattr(summary, "coverage", None)
    if coverage is not None:            # share of numeric claims checked against a source
        log["runs"][0]["properties"] = {"coverage": dict(coverage)}
    return dumps_chunks(log)


@cache
def information_uri() -> str:
    """The project's home page from the installed package metadata ([project.urls])."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("factlint").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "repository", "source", "documentation"):
            return url.strip()
    return FALLBACK_INFORMATION_URI


def rule_docs_uri(environ: Mapping[str, str] = os.environ) -> str | None:
    """Where docs/rules.md can be read: FACTLINT_DOCS_URL, else this checkout's copy."""
    configured = environ.get("FACTLINT_DOCS_URL", "").strip()
    if configured:
        return configured.split("#", 1)[0]
    return RULE_DOCS.as_uri() if RULE_DOCS.is_file() else None


# --------------------------------------------------------------------------- artifacts

def project_root(paths: Iterable[str], cwd: str | None = None) -> Path:
    """The folder the checked files' URIs are relative to: the nearest folder at or above them
    (all of them) holding .git, else pyproject.toml, else the working directory when they lie
    under it, else the folder they share."""
    cwd = os.path.abspath(cwd or os.getcwd())
    folders = {os.path.dirname(_absolute(p, cwd)) for p in paths if not _drive_path(p)}
    try:
        start = os.path.commonpath(sorted(folders)) if folders else cwd
    except ValueError:                   # different drives
        return Path(cwd)
    chain = [start, *(str(parent) for parent in Path(start).parents)]
    for marker in (".git", "pyproject.toml"):
        for folder in chain:
            if os.path.exists(os.path.join(folder, marker)):
                return Path(folder)
    return Path(cwd if _within(start, cwd) else start)


@dataclass(frozen=True)
class Artifacts:
    """artifactLocation objects for one run: relative to ``root`` (as SRCROOT) where a file lies
    under it, an absolute file:// URI otherwise."""
    root: Path

    def location(self, path: str) -> dict[str, Any]:
        if not _drive_path(path):
            absolute = _absolute(path, os.getcwd())
            if _within(absolute, str(self.root)):
                relative = os.path.relpath(absolute, self.root)
                return {"uri": artifact_uri(relative), "uriBaseId": ROOT_ID}
            return {"uri": artifact_uri(absolute)}
        return {"uri": artifact_uri(path)}


def _absolute(path: str, cwd: str) -> str:
    return os.path.normpath(os.path.join(cwd, path.replace("\\", "/")))


def _drive_path(path: str) -> bool:
    return re.match(r"^[A-Za-z]:[\\/]", path) is not None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _directory_uri(folder: Path) -> str:
    uri = folder.as_uri()
    return uri if uri.endswith("/") else uri + "/"


# --------------------------------------------------------------------------- rules

def rule_descriptors(findings: Sequence[Finding], registry: Mapping[str, Any] | None = None,
                     rule_docs: str | None = None) -> list[dict[str, Any]]:
    if registry is None:
        from factlint.rules import load_rules

        registry = load_rules()
    descriptors = {rule_id: _registered(spec, rule_docs) for rule_id, spec in registry.items()}
    for f in findings:
        descriptors.setdefault(f.rule, _unregistered(f))
    return [descriptors[rule_id] for rule_id in sorted(descriptors)]


def _registered(spec, rule_docs: str | None = None) -> dict[str, Any]:
    summary = spec.summary or spec.id
    doc = spec.doc or summary
    help_uri = {"helpUri": f"{rule_docs}#{quote(spec.id, safe=_RELATIVE_SAFE)}"} if rule_docs else {}
    return {
        "id": spec.id,
        "name": _pascal(spec.id),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _first_section(doc) or summary},
        **help_uri,
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": spec.severity.sarif_level},
        "properties": {"tags": sorted({"factlint", *spec.tags}),
                       "fixable": bool(spec.fixable), "scope": spec.scope},
    }


def _unregistered(f: Finding) -> dict[str, Any]:
    text = f"Finding reported by factlint under the id {f.rule}."
    return {
        "id": f.rule, "name": _pascal(f.rule),
        "shortDescription": {"text": text}, "fullDescription": {"text": text},
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {"level": f.severity.sarif_level},
        "properties": {"tags": ["factlint"]},
    }


def _pascal(rule_id: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", rule_id) if part)


def _first_section(doc: str) -> str:
    """The text under "## What it does", else the docstring's first paragraph after the summary."""
    match = re.search(r"^## What it does\s*\n(.*?)(?=^## |\Z)", doc, flags=re.S | re.M)
    if match:
        return match.group(1).strip()
    paragraphs = [p.strip() for p in doc.split("\n\n") if p.strip()]
    return paragraphs[1] if len(paragraphs) > 1 else ""


# --------------------------------------------------------------------------- results

def occurrences(findings: Iterable[Finding]) -> Iterator[tuple[Finding, int]]:
    """Each finding with its occurrence number among the findings of one file that share its
    fingerprint (1, 2, ... in order): one wrong figure repeated in five tables is five alerts, and
    code scanning tells alerts apart by their partialFingerprints, which must therefore differ.
    The fingerprint itself stays free of line numbers (baselines survive edits above a finding)."""
    seen: dict[tuple[str, str], int] = {}
    for f in findings:
        key = (f.location.path, f.fingerprint)
        seen[key] = seen.get(key, 0) + 1
        yield f, seen[key]


def result(f: Finding, rule_index: int, docs: Mapping[str, Document], occurrence: int = 1,
           where: Artifacts | None = None) -> dict[str, Any]:
    where = where or Artifacts(Path(os.getcwd()))
    text = f.message if not f.evidence else f"{f.message}\n{f.evidence}"
    entry: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.severity.sarif_level,
        "message": {"text": text},
        "locations": [{"physicalLocation": physical_location(f.location, docs, where)}],
    }
    if f.related:
        entry["relatedLocations"] = [
            {"id": i, "physicalLocation": physical_location(loc, docs, where),
             "message": {"text": related_message(loc)}}
            for i, loc in enumerate(f.related, 1)
        ]
    if f.fingerprint:
        entry["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint if occurrence == 1
                                        else f"{f.fingerprint}:{occurrence}"}
    fix = sarif_fix(f, docs, where)
    if fix is not None:
        entry["fixes"] = [fix]
    properties = _properties(f)
    if properties:
        entry["properties"] = properties
    return entry


def artifact_uri(path: str) -> str:
    """The path as given, with forward slashes, percent-encoded where a URI needs it (spaces,
    non-ASCII). An absolute path becomes a file:// URI; a relative one stays relative, which is
    what code scanning resolves against the repository root."""
    # A backslash is a separator (`notes\x.md`), except where it starts the `\xff` escape that
    # a file name that is not UTF-8 is shown with (document.display_path): that one is part of
    # the name, percent-encoded below.
    posix = re.sub(r"\\(?!x[0-9a-f]{2})", "/", path)
    if re.match(r"^[A-Za-z]:/", posix):                     # C:/notes/x.md
        return "file:///" + quote(posix, safe=_URI_SAFE)
    if posix.startswith("/"):
        return "file://" + quote(posix, safe=_URI_SAFE)
    if posix.startswith("./"):
        posix = posix[2:]
    return quote(posix, safe=_RELATIVE_SAFE)


def physical_location(loc: Location, docs: Mapping[str, Document], where: Artifacts) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": where.location(loc.path)}
    if loc.line >= 1:
        region: dict[str, Any] = {"startLine": loc.line}
        columns = location_columns(docs, loc)
        if columns is not None:
            region["startColumn"], region["endColumn"] = columns
        physical["region"] = region
    return physical


def related_message(loc: Location) -> str:
    role = loc.role or loc.column or "related cell"
    return f"{role}: {loc.text}" if loc.text else role


def sarif_fix(f: Finding, docs: Mapping[str, Document], where: Artifacts) -> dict[str, Any] | None:
    lines = fixed_line(docs.get(f.location.path), f)
    if lines is None:
        return None
    old, new = lines
    return {
        "description": {"text": f.fix.title},
        "artifactChanges": [{
            "artifactLocation": where.location(f.location.path),
            "replacements": [{
                "deletedRegion": {"startLine": f.location.line, "startColumn": 1,
                                  "endColumn": len(old) + 1},
                "insertedContent": {"text": new},
            }],
        }],
        "properties": {"applicability": f.fix.applicability.value},
    }


def _properties(f: Finding) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key in ("entity", "attribute"):
        if getattr(f, key):
            props[key] = getattr(f, key)
    if f.location.column:
        props["column"] = f.location.column
    if f.reference is not None:
        props["reference"] = asdict(f.reference)
    if f.data:
        props["data"] = dict(f.data)
    return props
