"""Great Expectations checkpoint over the claims about to be published; failed expectations
become ``data-expectation`` findings at the source lines of the offending claims.

The suite lives in the repo as plain JSON (``gx/expectations/claims.json``): one expectation per
line, each with ``meta.name`` (the stable id findings cite) and ``meta.description`` (the
sentence findings say). GX is imported inside ``run_checkpoint`` only: it costs ~5 s to import,
and the ``factlint check`` gate never needs it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from factlint import gx_speed, heap
from factlint.findings import Finding, Location, Severity, fingerprint

RULE_ID = "data-expectation"
# A checkout's gx/expectations/claims.json; an installed package carries a copy (pyproject's
# force-include). Read-only engine data: a run writes nothing here (the context is ephemeral).
_CHECKOUT_SUITE = Path(__file__).resolve().parents[1] / "gx" / "expectations" / "claims.json"
_PACKAGED_SUITE = Path(__file__).resolve().parent / "_gx" / "claims.json"
SUITE_PATH = _CHECKOUT_SUITE if _CHECKOUT_SUITE.is_file() else _PACKAGED_SUITE
DOCS_SITE = "factlint"
MAX_ROW_FINDINGS = 50       # per expectation; the rest are counted in one more finding


@dataclass(frozen=True)
class FailedExpectation:
    """One failed expectation, reduced to what findings need (no GX objects)."""
    name: str
    type: str
    description: str
    columns: tuple[str, ...]          # the columns it looked at, shown as evidence
    rows: tuple[Any, ...]             # index labels of the unexpected claims (empty: table-level)
    unexpected_count: int | None
    observed: Any = None              # for table-level expectations
    error: str | None = None          # the expectation itself raised


@dataclass
class ExpectationOutcome:
    success: bool
    evaluated: int                    # expectations run (0: nothing new to validate)
    failed: list[FailedExpectation]
    findings: list[Finding]
    data_docs: Path | None = None
    suite: str = ""
    rows: int = 0                     # claims the suite ran over
    carried: int = 0                  # claims it passed in an earlier run, unchanged since
    # Data Docs still being written by a forked child (run_checkpoint(docs_meanwhile=True))
    docs_build: "DocsBuild | None" = field(default=None, repr=False, compare=False)

    def docs_written(self) -> Path | None:
        """Wait for Data Docs built meanwhile, if any (again: at once); their index page."""
        if self.docs_build is not None:
            self.data_docs, self.docs_build = self.docs_build.wait(), None
        return self.data_docs

    def summary(self) -> dict[str, Any]:
        return {"success": self.success, "evaluated": self.evaluated, "failed": len(self.failed),
                "failed_names": [f.name for f in self.failed],
                "data_docs": str(self.data_docs) if self.data_docs else None,
                "suite": self.suite, "rows": self.rows, "carried": self.carried}


# Expectation types whose verdict on a frame is the conjunction of their verdicts on its rows
# (with ``mostly`` absent or 1): a row that passed once passes again under the same suite.
ROW_WISE = frozenset({
    "expect_column_values_to_be_in_type_list", "expect_column_values_to_be_of_type",
    "expect_column_values_to_be_between", "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_null", "expect_column_values_to_be_in_set",
    "expect_column_values_to_not_be_in_set", "expect_column_values_to_match_regex",
    "expect_column_values_to_not_match_regex", "expect_column_value_lengths_to_be_between",
    "expect_column_pair_values_to_be_in_set", "expect_column_pair_values_to_be_equal",
    "expect_column_pair_values_a_to_be_greater_than_b",
    "expect_select_column_values_to_be_unique_within_record",
})
# Types that only look at the frame's columns, which every subset of it shares.
COLUMNS_ONLY = frozenset({"expect_table_columns_to_match_ordered_list",
                          "expect_table_columns_to_match_set", "expect_column_to_exist"})
# Uniqueness over columns that include the document path: duplicates can only occur within
# one document, and a document's rows are always validated together.
PER_DOCUMENT = frozenset({"expect_compound_columns_to_be_unique"})
DOCUMENT_COLUMN = "path"


def validates_per_document(suite: Mapping[str, Any]) -> bool:
    """True when the suite's verdict on a set of documents' claims is the conjunction of its
    verdicts on each document's claims, so unchanged documents need not be re-validated."""
    for expectation in suite.get("expectations", []):
        kind, kwargs = expectation.get("type"), expectation.get("kwargs", {})
        if kwargs.get("mostly", 1) != 1:
            return False
        if kind in ROW_WISE or kind in COLUMNS_ONLY:
            continue
        if kind in PER_DOCUMENT and DOCUMENT_COLUMN in kwargs.get("column_list", ()):
            continue
        return False
    return True


def suite_key(suite_path: str | Path = SUITE_PATH) -> str | None:
    """What a passed validation depends on besides the claims: the suite file, the GX version
    and how claims are handed to GX (this module and ``gx_speed``). None when the suite does not
    validate per document (``validates_per_document``): every run then validates every claim."""
    from importlib.metadata import version

    suite_path = Path(suite_path)
    if not validates_per_document(load_suite(suite_path)):
        return None
    digest = hashlib.sha256(version("great_expectations").encode())
    for file in (suite_path, Path(__file__), Path(gx_speed.__file__)):
        digest.update(file.read_bytes())
    return digest.hexdigest()


def load_suite(path: str | Path = SUITE_PATH) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def gx_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims as GX sees them. GX 1.24 compares pandas dtypes against numpy ones and has no
    name for pandas 3's ``str`` dtype, so text columns go in as ``object``; its type check then
    tests every value is a Python ``str`` (missing values are skipped)."""
    text_columns = {c: object for c in claims.columns
                    if pd.api.types.is_string_dtype(claims[c].dtype)
                    and not pd.api.types.is_object_dtype(claims[c].dtype)}
    return claims.astype(text_columns) if text_columns else claims


def run_checkpoint(claims: pd.DataFrame, suite_path: str | Path = SUITE_PATH,
                   data_docs_dir: str | Path | None = None, *, carried: int = 0,
                   docs_meanwhile: bool = False) -> ExpectationOutcome:
    """Run the suite as a GX Checkpoint over ``claims`` (an ephemeral context: no GX project
    state to keep). With ``data_docs_dir`` the checkpoint also builds Data Docs there.
    ``carried``: claims published alongside these that the suite already passed
    (``publish.claims_to_validate``); with no new claims and some carried, GX is not even
    imported and the earlier Data Docs stay. ``docs_meanwhile``: GX's Data Docs action runs
    on the checkpoint's result in a forked child (``DocsBuild``) instead, and the outcome
    returns before they are written: the caller publishes and writes its report meanwhile,
    then calls ``docs_written()``. The verdict and the findings are the same either way."""
    if claims.empty and carried:
        return ExpectationOutcome(success=True, evaluated=0, failed=[], findings=[],
                                  data_docs=_data_docs_index(data_docs_dir),
                                  suite=_display_path(suite_path), rows=0, carried=carried)
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    gx_speed.register_pair_metric_by_columns()
    suite_path = Path(suite_path)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    actions = []
    docs_action = None
    if data_docs_dir is not None:
        context.add_data_docs_site(site_name=DOCS_SITE, site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(Path(data_docs_dir).resolve())}})
        docs_action = UpdateDataDocsAction(name="data-docs", site_names=[DOCS_SITE])
        if not docs_meanwhile:
            actions.append(docs_action)
    spec = load_suite(suite_path)
    order = _suite_order(spec)          # before GX: ExpectationSuite(**spec) edits spec's meta
    suite = context.suites.add(gx.ExpectationSuite(**spec))
    batch = (context.data_sources.add_pandas("claims").add_dataframe_asset("claims")
             .add_batch_definition_whole_dataframe("about-to-publish"))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name="claims", data=batch, suite=suite))
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name="claims", validation_definitions=[definition], actions=actions,
        result_format={"result_format": "COMPLETE"}))
    frame = gx_frame(claims)
    # kept_from_collector: GX allocates enough to set off collections of the oldest
    # generation, which would walk every note the caller holds (factlint.heap).
    with gx_speed.object_strings(), gx_speed.memoised_within_run(), heap.kept_from_collector():
        result = checkpoint.run(batch_parameters={"dataframe": frame})
    docs_build = DocsBuild(docs_action, result, Path(data_docs_dir).resolve() / "index.html") \
        if docs_meanwhile and docs_action is not None else None

    evaluated, failed = 0, []
    for suite_result in result.run_results.values():
        for r in suite_result.results:
            evaluated += 1
            if not r.success:
                failed.append(_failed(r))
    failed.sort(key=lambda f: order.get(f.name, 1 << 30))
    return ExpectationOutcome(
        success=bool(result.success), evaluated=evaluated, failed=failed,
        findings=expectation_findings(claims, failed, suite_path),
        data_docs=docs_build.index if docs_build else _data_docs_index(data_docs_dir),
        suite=_display_path(suite_path), rows=int(len(claims)), carried=carried,
        docs_build=docs_build)


class DocsBuild:
    """GX's Data Docs action run on a checkpoint's result in a forked child, while the caller
    goes on: writing the site is a third of a small validation's time (0.21 of 0.8 s for one
    changed note's claims) and needs nothing the caller changes, and the flow's other core is
    idle while it publishes and writes its report. The child has the context and the result
    as they were at the fork. Where there is no fork (or this is a daemon process, which may
    not have children) the action runs here and now; if the child fails, ``wait`` logs why
    and runs it here, so the site is written either way, or the error is raised here."""

    def __init__(self, action, result, index: Path):
        from factlint.pipeline import _fork_context

        self.index = index
        self._action, self._result = action, result
        self._child = None
        context = _fork_context()
        if context is not None and not context.current_process().daemon:
            child = context.Process(target=self._in_child, name="factlint-data-docs")
            try:
                child.start()
                self._child = child
            except OSError:             # no fork now (memory, process limits): write here
                pass
        if self._child is None:
            self._write()

    def _write(self) -> None:
        self._action.run(checkpoint_result=self._result)

    def _in_child(self) -> None:
        """Write, then leave by ``os._exit``: the child must not run the exit hooks it
        inherited. Forked from a thread pool's worker (a Prefect task's thread), the pool's
        own hook tries to join that thread, which is the child's only one, and fails the
        child after the site was written (exit code 1, seen in every flow run)."""
        import os
        import sys
        import traceback

        try:
            self._write()
        except BaseException:
            traceback.print_exc()
            code = 1
        else:
            code = 0
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)

    def wait(self) -> Path | None:
        child, self._child = self._child, None
        if child is not None:
            child.join()
            if child.exitcode != 0:
                import logging
                logging.getLogger("factlint.gx_check").warning(
                    "writing the Data Docs in a child process failed (exit code %s); writing "
                    "them here", child.exitcode)
                self._write()
        self._action = self._result = None
        return _data_docs_index(self.index.parent)


def _data_docs_index(data_docs_dir: str | Path | None) -> Path | None:
    """The Data Docs site's index page, when one was built there (now or by an earlier run)."""
    if data_docs_dir is None:
        return None
    index = Path(data_docs_dir).resolve() / "index.html"
    return index if index.exists() else None


def _failed(r) -> FailedExpectation:
    config = r.expectation_config
    kwargs, meta = dict(config.kwargs), dict(config.meta or {})
    columns = tuple(c for c in (kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"))
                    if c) + tuple(kwargs.get("column_list") or ())
    result = r.result or {}
    raised = (r.exception_info or {}).get("raised_exception")
    return FailedExpectation(
        name=meta.get("name", config.type), type=config.type,
        description=meta.get("description", config.type), columns=columns,
        rows=tuple(_plain(i) for i in result.get("unexpected_index_list") or ()),
        unexpected_count=result.get("unexpected_count"),
        observed=_plain(result.get("observed_value")),
        error=(r.exception_info or {}).get("exception_message") if raised else None)


def _plain(value):
    """numpy scalars -> Python values (findings must be JSON-able)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


# --------------------------------------------------------------------------- findings (pure)

def expectation_findings(claims: pd.DataFrame, failed: Iterable[FailedExpectation],
                         suite_path: str | Path = SUITE_PATH,
                         max_rows: int = MAX_ROW_FINDINGS) -> list[Finding]:
    """One error finding per unexpected claim (at its source line), or one at the expectation's
    line in the suite file when the failure concerns the whole table."""
    findings = []
    suite_lines = _suite_lines(suite_path)
    suite_display = _display_path(suite_path)
    for failure in failed:
        at_suite = Location(path=suite_display, line=suite_lines.get(failure.name, 1),
                            column=failure.name, role="expectation")
        rows = [label for label in failure.rows if label in claims.index]
        for label in rows[:max_rows]:
            findings.append(_row_finding(failure, claims.loc[label], at_suite))
        hidden = len(rows) - min(len(rows), max_rows)
        if not rows or hidden:
            findings.append(_suite_finding(failure, at_suite, hidden))
    return findings


def _row_finding(failure: FailedExpectation, claim: pd.Series, at_suite: Location) -> Finding:
    from factlint.rules._context import claim_location

    location = claim_location(claim)
    shown = {c: _plain(claim[c]) for c in failure.columns if c in claim.index}
    evidence = ", ".join(f"{c}={_show(v)}" for c, v in shown.items())
    entity, attribute = _text_or_none(claim.get("entity")), _text_or_none(claim.get("attribute"))
    return Finding(
        rule=RULE_ID, severity=Severity.ERROR,
        message=f"Data expectation `{failure.name}` fails for {location.text!r}: "
                f"{failure.description}.",
        location=location, related=(at_suite,), entity=entity, attribute=attribute,
        evidence=evidence,
        fingerprint=fingerprint(RULE_ID, location.path, entity, attribute,
                                [failure.name, location.text, location.column]),
        data={"expectation": failure.name, "type": failure.type, "values": shown})


def _suite_finding(failure: FailedExpectation, at_suite: Location, hidden: int) -> Finding:
    if hidden:
        message = (f"Data expectation `{failure.name}` fails for {hidden} more claims than "
                   f"listed: {failure.description}.")
    elif failure.error:
        message = f"Data expectation `{failure.name}` could not run: {failure.error}"
    else:
        message = (f"Data expectation `{failure.name}` fails for the claims table: "
                   f"{failure.description} (observed {_show(failure.observed)}).")
    return Finding(
        rule=RULE_ID, severity=Severity.ERROR, message=message,
        location=Location(path=at_suite.path, line=at_suite.line, column=failure.name),
        evidence=f"unexpected: {failure.unexpected_count}" if failure.unexpected_count else "",
        fingerprint=fingerprint(RULE_ID, at_suite.path, None, None, [failure.name, hidden]),
        data={"expectation": failure.name, "type": failure.type,
              "observed": _plain(failure.observed), "unexpected_count": failure.unexpected_count})


def _suite_lines(suite_path: str | Path) -> dict[str, int]:
    """meta.name -> 1-based line in the suite file (it keeps one expectation per line)."""
    lines = {}
    for number, text in enumerate(Path(suite_path).read_text(encoding="utf-8").splitlines(), 1):
        try:
            entry = json.loads(text.strip().rstrip(","))
        except ValueError:
            continue
        name = entry.get("meta", {}).get("name") if isinstance(entry, dict) else None
        if name:
            lines.setdefault(name, number)
    return lines


def _suite_order(suite: Mapping[str, Any]) -> dict[str, int]:
    names = [e.get("meta", {}).get("name") for e in suite["expectations"]]
    return {name: i for i, name in enumerate(names)}


def _display_path(path: str | Path) -> str:
    """Relative to the working directory (the project) when below it, as note paths are."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _text_or_none(value) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _show(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "missing"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"[{', '.join(map(str, value[:6]))}, …]"
    return str(value)
