"""The ``validate-notes`` flow: discover -> check (batched, cached) -> corpus rules -> data
expectations -> publish -> history -> report -> artifact. Every step is an engine function;
this module only composes them (no claim or finding logic lives here).

Entry point for the CLI: ``run_flow(raw, out, reports, runner="thread", dask_address=None)``.
Tasks always run in the flow's process (threads); with the Dask runner each check task hands
its batch to the cluster (flows.dask_cluster), so workers need no Prefect API of their own.
"""
# No `from __future__ import annotations`: Prefect builds the parameter model from the flow's
# annotations, and a served run loads this file by path, where string annotations such as
# "Path" fail to resolve ("Validate_NotesModel is not fully defined").
from flows.environment import apply_defaults

apply_defaults()                        # before `import prefect`: it reads settings at import

import contextlib
import functools
import logging
from pathlib import Path

from prefect import flow, task, unmapped
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.states import Failed
from prefect.utilities.annotations import quote

from factlint import cache, gx_check, heap, history, pipeline, publish, recovery
from factlint.config import in_scope
from flows import dask_cluster
from flows.batching import MAX_TASKS, batches
from flows.handover import handed

log = logging.getLogger("factlint.flow")

RUNNERS = ("thread", "dask")
LOCK_WAIT_SECONDS = 300.0

# Tasks wrap engine functions as they are. NO_CACHE: results are big (frames) and our own
# per-document cache (factlint.cache) decides what is re-validated, across runs. Tasks whose
# value holds the notes (their results, findings, documents) return it ``handed`` (see
# flows.handover): Prefect would otherwise keep it reachable for as long as the process lives.
check_corpus = task(handed(pipeline.across_documents), name="across-documents",
                    cache_policy=NO_CACHE)
run_expectations = task(handed(gx_check.run_checkpoint), name="data-expectations",
                        cache_policy=NO_CACHE)
publish_dataset = task(publish.publish, name="publish", cache_policy=NO_CACHE, retries=1,
                       retry_delay_seconds=2)


@task(name="check-documents", cache_policy=NO_CACHE)
@handed
def check_batch(paths: list[Path], settings, cache_root: Path, engine, cluster=None) -> cache.CachedBatch:
    """One batch, checked here or, given a Dask client, on one of its workers. Here a cached
    note comes back as its summary (factlint.summary), which every later stage takes."""
    if cluster is None:
        return cache.check_documents_cached(paths, settings, cache_root, engine, summaries=True)
    return dask_cluster.check_remotely(cluster, paths, settings, cache_root, engine)


@functools.lru_cache(maxsize=1)
def _html():
    """factlint.emit.html, or None (with one warning) where the report's extra is not installed."""
    try:
        from factlint.emit import html
    except ImportError as exc:
        log.warning("HTML report skipped: factlint.emit.html is not available (%s)", exc)
        return None
    return html


def report_indexes(results):
    """The report's cell indexes (``html.cell_indexes``), shared by the pages rendered early
    and the report task, so the anchors the early pages resolved reach the notes' summaries."""
    html = _html()
    return html.cell_indexes(results, html.renderer_digest()) if html is not None else None


def report_pages_meanwhile(results, findings, reports: Path, plan, indexes):
    html = _html()
    if html is None:
        return contextlib.nullcontext()
    return html.pages_rendered_meanwhile(results, findings, reports, indexes=indexes,
                                         run=history.planned_report_metadata(plan))


@task(name="report", cache_policy=NO_CACHE)
@handed
def write_reports(results, findings, reports: Path, summary: history.RunSummary,
                  runs: list[dict], indexes) -> tuple[str | None, str | None, object]:
    """reports/index.html (document pages whose inputs did not change are kept, as are those
    rendered while the suite ran) and its copy in reports/runs/<run-id>/, the run's archive;
    and what the report resolved of each note, for the notes' summaries
    (``html.report_facts``; None without a report)."""
    html = _html()
    if html is None:
        return None, None, None
    renderer = html.renderer_digest()
    index = html.write_report(results, findings, reports, run=summary.report_metadata(),
                              history=runs, indexes=indexes)
    archive = html.copy_report(reports, reports / "runs" / summary.run_id)
    return str(index), str(archive), lambda result: html.report_facts(result, indexes, renderer)


@flow(name="validate-notes")
def validate_notes(raw: Path = Path("data/raw"), out: Path = Path("data/validated"),
                   reports: Path = Path("reports"), cache_dir: Path | None = None,
                   config: Path | None = None,
                   lock_wait: float = LOCK_WAIT_SECONDS,
                   runner: str = "thread", dask_address: str | None = None):
    """``runner``: "thread" checks in this process (its check forks a pool over the CPUs, so
    one task); "dask" splits the check into up to MAX_TASKS tasks whose batches run on the
    cluster at ``dask_address`` (else a local 2-worker one). On Dask the notes go out by
    absolute path, so their results (and findings) carry absolute paths."""
    started = history.now_utc()
    clock = history.Stopwatch()
    run_id = history.new_run_id(started)
    settings = _settings(config)
    cache_root = cache.cache_dir(cache_dir, settings).resolve()
    on_dask = _check_runner(runner) == "dask"
    if on_dask:
        raw, settings = Path(raw).resolve(), settings.absolute()
    with contextlib.ExitStack() as run_scope:
        on_cluster = dask_cluster.cluster_client(dask_address) if on_dask \
            else contextlib.nullcontext()
        with publish.publication_lock(out, wait=lock_wait), on_cluster as cluster:
            runs_brief = history.brief_path(cache_root, out / history.HISTORY_FILE)
            recovery.record_unrecorded(out, by_run=run_id, brief=runs_brief)   # killed after publishing
            # The notes' results live until the run ends; without this, each collection of
            # the oldest generation walks them all (~1.4 s for 2,000 notes), in the check as
            # they arrive and in whichever later stage sets one off. The check hands them over
            # as it loads them (factlint.heap).
            run_scope.enter_context(heap.kept_from_collector())
            with clock("check"):
                engine = cache.engine_key(settings)
                paths = [p for p in pipeline.discover([raw]) if in_scope(p, settings)]   # `exclude`
                futures = check_batch.map(
                    batches(paths, max_tasks=MAX_TASKS if on_dask else 1),
                    settings=unmapped(settings), cache_root=unmapped(cache_root),
                    engine=unmapped(engine), cluster=unmapped(quote(cluster)))
                checked = cache.flatten(f.result().take() for f in futures)
            heap.keep_what_exists()             # and what the check task made of them
            with clock("corpus"):
                # quote(): Prefect would otherwise walk every cell of every document for futures
                # (and, for the report task, every note's status and every past run: 4.8 s of a
                # re-run's 26 s under cProfile).
                corpus = check_corpus(quote(checked.results), quote(settings)).take()
            with clock("plan"):
                findings = publish.judged_findings(checked.results, corpus, settings)
                previous = publish.read_published(out)
                plan = publish.plan_publication(
                    checked.results, findings, previous, run_id=run_id,
                    created=started.isoformat(timespec="seconds"), engine=engine.as_dict(),
                    validation_key=gx_check.suite_key())
                pending = publish.claims_to_validate(plan, previous)
            # While the suite runs (on one core), forked workers render the report's pages and
            # write the version's files, as they will be if the run publishes; publishing then
            # only makes that version current, and only if the suite passed.
            indexes = report_indexes(checked.results)
            with report_pages_meanwhile(checked.results, findings, reports, plan, indexes), \
                    publish.staged_meanwhile(plan, out) as staged:
                with clock("expectations"):
                    # On this process's task runner, GX's Data Docs are written by a forked
                    # child while the run publishes and writes its report (gx_check.DocsBuild);
                    # the run waits for them at its end, and if it fails before that.
                    expectations = run_expectations.submit(
                        quote(pending), data_docs_dir=reports / "data-docs",
                        carried=len(plan.claims) - len(pending),
                        docs_meanwhile=not on_dask).result().take()
                    run_scope.callback(expectations.docs_written)
                with clock("publish"):
                    version = publish_dataset(quote(plan), out, staged=staged()) \
                        if expectations.success else None
            summary = history.summarise(
                plan, expectations.summary(), checked.stats, started=started,
                finished=history.now_utc(), published_version=version.name if version else None,
                dataset=out, expectation_findings=expectations.findings, flow_run_id=_flow_run_id(),
                timings=clock.seconds)
            summary.failed = summary.gate_failure(settings.fail_on)
            history.append(out / history.HISTORY_FILE, summary.history_entry())
            if version is not None:
                cache.DocumentCache(cache_root, engine).prune()
        all_findings = findings + expectations.findings
        with clock("report"):
            summary.report, summary.report_archive, report_facts = write_reports(
                quote(checked.results), quote(all_findings), reports, quote(summary),
                quote(history.runs(out / history.HISTORY_FILE, runs_brief)), quote(indexes)).take()
        with clock("summaries"):
            # What the next run reads of each note instead of its full result.
            if not on_dask:
                cache.keep_summaries(checked.results, cache_root, engine, report_facts)
        _publish_artifacts(summary, all_findings)
        with clock("data-docs"):
            expectations.docs_written()
    summary.timings.update(clock.seconds)
    # The run's final state follows fail-on as the gate does: Failed (with the summary as its
    # result) when publishing was blocked or findings reach the threshold. quote(): Prefect
    # walks a flow's return value for futures, and the summary's 2,000 note statuses cost it
    # 0.6-0.8 s of every run; run_flow unwraps it.
    value = quote(summary)
    return Failed(message=summary.failed, data=value) if summary.failed else value


def _publish_artifacts(summary: history.RunSummary, findings) -> None:
    """What a reader of the Prefect UI sees: the run's summary, a table of its documents, and
    a link to the report."""
    create_markdown_artifact(key=history.ARTIFACT_KEY,
                             markdown=history.markdown_summary(summary, findings),
                             description=f"factlint run {summary.run_id}")
    create_table_artifact(key=history.DOCUMENTS_ARTIFACT_KEY, table=history.document_rows(summary),
                          description=f"documents of factlint run {summary.run_id}")
    if summary.report:
        create_link_artifact(key=history.REPORT_ARTIFACT_KEY,
                             link=Path(summary.report).resolve().as_uri(),
                             link_text=f"factlint report of run {summary.run_id}")


def _settings(config: Path | None):
    from factlint.config import load_config
    return load_config(config)


def _flow_run_id() -> str | None:
    try:
        return str(get_run_context().flow_run.id)
    except Exception:       # not inside a flow run (never expected; the id is informative only)
        return None


def _check_runner(runner: str) -> str:
    if runner not in RUNNERS:
        from factlint.errors import UsageError
        raise UsageError(f"unknown runner {runner!r}; choose one of {', '.join(RUNNERS)}")
    return runner


def task_runner(runner: str = "thread"):
    """Threads: enough for every check task to wait on its Dask worker at once."""
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=MAX_TASKS if _check_runner(runner) == "dask" else 2)


def run_flow(raw: Path, out: Path, reports: Path, runner: str = "thread",
             dask_address: str | None = None, *, cache_dir: Path | None = None,
             config: Path | None = None,
             lock_wait: float = LOCK_WAIT_SECONDS) -> history.RunSummary:
    """Run the flow once, in-process, against the embedded ephemeral API server (or the
    server PREFECT_API_URL names). Raises publish.PublishLocked when another run holds the
    output folder for longer than ``lock_wait`` seconds."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows import parent_bound_server

    parent_bound_server.start()             # the embedded server dies with us, even by kill -9
    configured = validate_notes.with_options(task_runner=task_runner(runner))
    # A sync flow otherwise waits ~1 s at the end for its heartbeat thread (stack notes §3c);
    # heartbeats only matter to detect crashed runs of long-lived deployments.
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        state = configured(Path(raw), Path(out), Path(reports), cache_dir=cache_dir,
                           config=config, lock_wait=lock_wait, runner=runner,
                           dask_address=dask_address, return_state=True)
    # _sync: Prefect answers with a coroutine wherever it sees an event loop running in this
    # thread (a caller's, e.g. a browser driver's), and this function is sync.
    result = state.result(raise_on_failure=False, _sync=True)
    if isinstance(result, quote):
        result = result.unwrap()
    if isinstance(result, BaseException):      # the run crashed: its exception, not a summary
        raise result
    return result
