"""factlint's command line: a thin shell over the engine. Exit codes: 0 clean, 1 findings at or
above --fail-on, 2 usage or configuration error, 3 internal error, 4 incomplete (a note or folder
could not be read; the rest was checked). No traceback reaches the user."""
from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Fact-check the numbers in Markdown tables.")

PathsArg = typer.Argument(None, help="Markdown files or folders (default: [tool.factlint] paths, else data/raw).")


class ClaimFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Runner(str, Enum):
    thread = "thread"
    dask = "dask"


def _stderr(msg: str) -> None:
    typer.echo(msg, err=True)


def _print_version(value: bool) -> None:
    if value:
        from factlint import __version__

        typer.echo(f"factlint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="Print factlint's version and exit.")):
    """Fact-check the numbers in Markdown tables."""


def _rule_list(values: Optional[List[str]]) -> tuple[str, ...]:
    """`--select a,b --select c` -> (a, b, c), as ruff reads rule lists."""
    return tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())


def _color(target: str, fmt: str, environ=os.environ, isatty=None) -> bool:
    """Colour for text written to a terminal; NO_COLOR (no-color.org) turns it off and wins,
    FORCE_COLOR turns it on even through a pipe (CI logs that render ANSI)."""
    if fmt != "text" or target != "-" or environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "").strip().lower() not in ("", "0", "false", "no"):
        return True
    return (isatty or sys.stdout.isatty)()


def _settings(config: Optional[Path] = None, **overrides):
    from factlint.config import load_config

    return load_config(config, **{k: v for k, v in overrides.items() if v})


def _paths(paths: Optional[List[Path]], settings) -> list[Path]:
    if paths:
        return list(paths)
    configured = settings.paths or ["data/raw"]
    return [Path(p) for p in configured]


def _progress():
    """A progress callback when stderr is a terminal and there are many files."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True, console=None)
    state: dict = {}

    def update(done: int, total: int) -> None:
        if total < 20:
            return
        if "task" not in state:
            bar.start()
            state["task"] = bar.add_task("checking notes", total=total)
        bar.update(state["task"], completed=done)

    return update, bar


def _extract_all(paths: list[Path], vocab, read=None) -> list:
    """Ingest and extract the claims of every note under `paths` (no rules), with a progress bar;
    `read(path, vocab)` reads one note (default: its claims)."""
    from factlint.pipeline import discover, extract_document

    files = discover(paths)
    update, bar = _progress()
    results = []
    try:
        for i, path in enumerate(files, 1):
            results.append((read or extract_document)(path, vocab))
            if update:
                update(i, len(files))
    finally:
        if bar is not None:
            bar.stop()
    return results


def _read_facts(paths: list[Path], vocab) -> list:
    """The facts of every readable note under `paths`, as the rules see them."""
    from factlint.pipeline import read_with_facts

    return [facts for _, facts in _extract_all(paths, vocab, read_with_facts) if facts is not None]


@app.command()
def extract(paths: Optional[List[Path]] = PathsArg,
            format: ClaimFormat = typer.Option(ClaimFormat.table, "--format", "-f"),
            output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default stdout)."),
            config: Optional[Path] = typer.Option(None, "--config", help="pyproject.toml to read.")):
    """Print every table cell of the notes as a typed claim with its source line."""
    import pandas as pd

    from factlint.normalise.vocab import load_vocabulary
    from factlint.pipeline import all_claims
    from schemas.claims import ClaimsSchema, CLAIM_COLUMNS

    settings = _settings(config)
    vocab = load_vocabulary(tuple(str(p) for p in settings.vocabulary))
    results = _extract_all(_paths(paths, settings), vocab)
    for r in results:
        if r.error:
            _stderr(f"{r.path}: cannot read: {r.error}")
    claims = all_claims(results)
    if claims is None:
        claims = pd.DataFrame(columns=CLAIM_COLUMNS)
    if len(claims):
        claims = ClaimsSchema.validate(claims)
    _write_claims(claims, format, output)


def _write_claims(claims, fmt: ClaimFormat, output: Optional[Path]) -> None:
    if fmt is ClaimFormat.parquet:
        if output is None:
            raise _usage("--format parquet needs --output FILE")
        _write(output, lambda: claims.to_parquet(output, index=False))
        return
    if fmt is ClaimFormat.csv:
        from factlint.csvtext import frame_csv
        text = frame_csv(claims)
    elif fmt is ClaimFormat.json:
        text = claims.to_json(orient="records", force_ascii=False, indent=1)
    else:
        text = _claims_table(claims)
    if output is None:
        typer.echo(text)
    else:
        _write_text(output, text if text.endswith("\n") else text + "\n")


def _write_text(path: Path, text: str) -> None:
    _write_chunks(path, (text,))


def _write_chunks(path: Path, chunks) -> None:
    """Write output piece by piece, so a big run's report is never held whole. A new or regular
    file is written beside itself and moved into place (a failed write leaves no half report);
    anything else the path names (/dev/stdout, a FIFO, a symlink) is written through, as given."""
    import os

    def write_through() -> None:
        with open(path, "w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(chunk)

    def write_beside() -> None:
        partial = path.with_name(path.name + ".partial")
        try:
            with open(partial, "w", encoding="utf-8") as out:
                for chunk in chunks:
                    out.write(chunk)
            os.replace(partial, path)
        finally:
            if partial.exists():
                partial.unlink()

    replaceable = not os.path.lexists(path) or (path.is_file() and not path.is_symlink())
    _write(path, write_beside if replaceable else write_through)


def _write(path: Path, write) -> None:
    """Write an output file; a path that cannot be written is a usage error (exit 2)."""
    from factlint.errors import UsageError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write()
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _claims_table(claims) -> str:
    cols = ["path", "line", "entity", "attribute", "raw", "canonical_value", "canonical_unit", "status"]
    return _rows_table(claims[cols].to_dict("records"), width=200)


@app.command()
def check(paths: Optional[List[Path]] = PathsArg,
          format: List[str] = typer.Option(["text"], "--format", "-f",
                                           help="text, json, sarif, junit, github or html; repeat for several."),
          output: List[str] = typer.Option([], "--output", "-o",
                                           help="File for the matching --format ('-' = stdout)."),
          fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Default: error."),
          baseline: Optional[Path] = typer.Option(None, "--baseline", help="Fail only on findings not in it."),
          select: Optional[List[str]] = typer.Option(None, "--select", help="Only these rule ids (comma-separated)."),
          ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these rule ids (comma-separated)."),
          fix: bool = typer.Option(False, "--fix", help="Apply the safe fixes to the notes in place."),
          diff: bool = typer.Option(False, "--diff", help="Print the safe fixes as a unified diff; write nothing."),
          concise: bool = typer.Option(False, "--concise", help="Text: one line per finding, no evidence."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="Text: only the findings, no summary."),
          statistics: bool = typer.Option(False, "--statistics", help="Text: count findings per rule instead."),
          force_exclude: bool = typer.Option(False, "--force-exclude",
                                             help="Files named on the command line must lie under [tool.factlint] "
                                                  "paths and match no exclude (for pre-commit)."),
          changed_from: Optional[str] = typer.Option(None, "--changed-from", metavar="REF",
                                                     help="Only the configured notes git sees changed since REF "
                                                          "(all of them when the configuration or reference data "
                                                          "changed): a pull request's check."),
          config: Optional[Path] = typer.Option(None, "--config", help="pyproject.toml to read.")):
    """Check the notes and exit 1 when a finding is at or above --fail-on (the CI gate).

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or
    configuration error; 3 internal error; 4 incomplete: a note or folder could not be read
    (reported as unreadable-path, whatever --fail-on says), the rest was checked.
    """
    from factlint.emit import FORMATS, render_chunks
    from factlint.gate import gate_exit_code

    if len(output) > len(format):
        raise _usage("more --output than --format options")
    unknown = [f for f in format if f not in FORMATS]
    if unknown:
        raise _usage(f"unknown format {unknown[0]!r}; choose from {', '.join(sorted(FORMATS))}")
    settings = _settings(config, select=_rule_list(select), ignore=_rule_list(ignore))
    if changed_from is not None:
        if paths:
            raise _usage("--changed-from takes the notes from git: give no paths with it")
        from factlint.changed import changed_targets

        # held to paths and exclude like --force-exclude, whichever of the two it returns
        targets = _scoped(changed_targets(changed_from, settings, _paths(None, settings)), settings, True)
    else:
        targets = _scoped(_paths(paths, settings), settings, force_exclude)

    def check_once():
        return _run_check(targets, settings, baseline=baseline, keep_documents="html" in format)

    if diff:
        raise typer.Exit(_show_diff(check_once(), quiet))
    outcome = _fix_in_place(check_once, quiet) if fix else check_once()
    threshold = fail_on.value if fail_on else settings.fail_on
    text_options = {"concise": concise, "quiet": quiet, "statistics": statistics}
    destinations = list(output) + ["-"] * (len(format) - len(output))
    for fmt, target in zip(format, destinations):
        if fmt == "html" and target != "-" and _is_folder_target(Path(target)):
            _write_report_folder(Path(target), outcome)
            continue
        chunks = render_chunks(fmt, outcome, fail_on=threshold, color=_color(target, fmt),
                               text_options=text_options)
        if target == "-":
            for chunk in chunks:
                sys.stdout.write(chunk)
        else:
            _write_chunks(Path(target), chunks)
    raise typer.Exit(gate_exit_code(outcome, threshold))


def _is_folder_target(target: Path) -> bool:
    """`-f html -o reports/` (a folder, or a name without a suffix) asks for the report folder:
    index.html, and a page per document when the run is large; `-o report.html` for one page."""
    return target.is_dir() or str(target).endswith(("/", os.sep)) or not target.suffix


def _write_report_folder(target: Path, outcome) -> None:
    from factlint.emit.html import write_report

    coverage = getattr(outcome, "coverage", None)
    try:
        index = write_report(list(getattr(outcome, "results", ()) or ()), list(outcome.findings), target,
                             run=None if coverage is None else {"coverage": coverage})
    except OSError as exc:
        raise _usage(f"{target}: cannot write the report: {exc.strerror or exc}") from None
    _stderr(f"factlint: wrote {index}")


def _scoped(targets: list[Path], settings, force_exclude: bool) -> list[Path]:
    """The notes to check: folders are walked and their notes that match an `exclude` glob left
    out; a file named on the command line is checked as named, unless --force-exclude holds it
    to `paths` and `exclude` too (pre-commit names every changed Markdown file, README.md
    included)."""
    if not settings.exclude and not force_exclude:
        return targets
    from factlint.config import in_scope
    from factlint.pipeline import discover

    named = {os.path.abspath(t) for t in targets if not os.path.isdir(t)}
    keep = []
    for f in discover(targets):
        is_named = os.path.abspath(f) in named
        if (is_named and not force_exclude) or in_scope(f, settings, named=is_named):
            keep.append(f)          # a file named without --force-exclude is checked, as ruff does
    return keep


def _run_check(paths: list[Path], settings, **options):
    from factlint.gate import run_check

    update, bar = _progress()
    try:
        return run_check(paths, settings, progress=update, **options)
    finally:
        if bar is not None:
            bar.stop()


# Each pass applies at most one fix per line; a cell with two safe fixes needs a second pass.
MAX_FIX_PASSES = 10


def _fix_in_place(check_once, quiet: bool):
    """Apply the safe fixes, check again, until none is left; the last check's outcome."""
    fixed, files = 0, set()
    for _ in range(MAX_FIX_PASSES):
        outcome = check_once()
        applied = 0
        for path, (before, after, n) in _fixed_texts(outcome).items():
            Path(path).write_bytes(after.encode("utf-8"))    # in place: the note keeps its mode and links
            applied += n
            files.add(path)
        if not applied:
            break
        fixed += applied
    else:
        outcome = check_once()
    if not quiet:
        _stderr(f"Fixed {fixed} finding{'s' if fixed != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}.")
    return outcome


def _show_diff(outcome, quiet: bool) -> int:
    """The safe fixes as a unified diff on stdout; exit 1 when there is something to fix (ruff).
    On a terminal the notes' control characters are shown escaped; through a pipe the diff is
    exact, for `patch` or `git apply`."""
    from factlint.emit.escape import printable
    from factlint.fixes import unified_diff

    changes = _fixed_texts(outcome)
    for path in sorted(changes):
        before, after, _ = changes[path]
        text = unified_diff(path, before, after)
        sys.stdout.write(printable(text, keep="\t\r\n") if sys.stdout.isatty() else text)
    count = sum(n for _, _, n in changes.values())
    if not quiet:
        _stderr(f"Would fix {count} finding{'s' if count != 1 else ''}.")
    return 1 if count else 0


def _fixed_texts(outcome) -> dict[str, tuple[str, str, int]]:
    """path -> (text now, text with the safe fixes, how many). A note that is not UTF-8 (decoded
    by a guess) is never rewritten: writing it back would change more than the fix."""
    from factlint.emit.source import documents_by_path
    from factlint.fixes import apply_edits, safe_edits

    changes = {}
    for path, edits in safe_edits(outcome.findings, documents_by_path(outcome.results)).items():
        try:
            before = Path(path).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        after, applied = apply_edits(before, edits)
        if applied:
            changes[path] = (before, after, applied)
    return changes


@app.command("baseline")
def make_baseline(paths: Optional[List[Path]] = PathsArg,
                  output: Path = typer.Option(Path("factlint-baseline.json"), "--output", "-o"),
                  config: Optional[Path] = typer.Option(None, "--config")):
    """Record the current findings by fingerprint, so `check --baseline` fails only on new ones."""
    from factlint.baseline import write_baseline
    from factlint.gate import run_check

    settings = _settings(config)
    outcome = run_check(_paths(paths, settings), settings)
    write_baseline(outcome.findings, output)
    typer.echo(f"wrote {len(outcome.findings)} findings to {output}")


@app.command()
def rules():
    """List every rule: id, default severity, fixable, summary."""
    from factlint.rules import load_rules

    for spec in sorted(load_rules().values(), key=lambda s: s.id):
        fix = "fix" if spec.fixable else "   "
        typer.echo(f"{spec.id:<22} {spec.severity.value:<8} {fix}  {spec.summary}")


@app.command()
def explain(rule_id: str = typer.Argument(..., help="A rule id, e.g. cluster-total.")):
    """Print a rule's documentation."""
    from factlint.rules import load_rules

    registry = load_rules()
    if rule_id not in registry:
        raise _usage(f"unknown rule {rule_id!r}; `factlint rules` lists them")
    spec = registry[rule_id]
    typer.echo(f"{spec.id} ({spec.severity.value}{', fixable' if spec.fixable else ''})\n")
    typer.echo(spec.doc)


@app.command()
def refs(paths: Optional[List[Path]] = PathsArg,
         entity: Optional[str] = typer.Option(None, "--entity", help="Only this entity (any alias)."),
         config: Optional[Path] = typer.Option(None, "--config")):
    """List the reference knowledge base and how much of the checked notes it covers."""
    from factlint.pipeline import load_engine
    from factlint.reference.coverage import coverage, imported_summary, refs_table

    settings = _settings(config)
    engine = load_engine(settings)
    if engine.kb is None:
        raise _usage("no reference knowledge base is configured")
    if entity is not None:
        entity = _kb_entity(entity, engine)
    notes = _read_facts(_paths(paths, settings), engine.vocab)
    rows = refs_table(engine.kb, notes, entity=entity)
    typer.echo(_rows_table(rows))
    if entity is None:
        for line in imported_summary(engine.kb):
            typer.echo(line)
    if any(n.claims for n in notes):
        cov = coverage(notes, engine.kb, engine.vocab)
        hardware = cov["hardware"]
        typer.echo(f"Coverage: {cov['checked']} of {cov['numeric_claims']} numeric claims about products and "
                   f"companies checked against a source ({cov['share']:.0%}): {cov['agree']} agree, "
                   f"{cov['mismatch']} contradict, {cov['confusion']} confuse attributes, "
                   f"{cov['undisclosed']} undisclosed. Hardware specifications: {hardware['checked']} of "
                   f"{hardware['numeric_claims']} ({hardware['share']:.0%}).")


def _kb_entity(text: str, engine) -> str:
    """The knowledge-base entity `text` names: a vocabulary alias, else a product name of the
    curated or imported facts (`RTX 4090` -> `GeForce RTX 4090`)."""
    from factlint.facts.names import read_name

    known = engine.vocab.match_entity(text)
    if known is not None:
        return known.id
    name = read_name(text)
    exact = engine.kb.named_exactly(name.key, name.variant)
    if len(exact) == 1:
        return exact[0]
    raise _usage(f"unknown entity {text!r}" if not exact else f"{text!r} names several products: {', '.join(exact)}")


def _rows_table(rows: list[dict], width: int = 160) -> str:
    """Rows of plain values as a text table (missing values blank)."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    table = Table()
    columns = list(rows[0]) if rows else []
    for c in columns:
        table.add_column(str(c), overflow="fold")
    for row in rows:
        table.add_row(*["" if row[c] is None or row[c] != row[c] else str(row[c]) for c in columns])
    buf = StringIO()
    Console(file=buf, width=width, color_system=None).print(table)
    return buf.getvalue()


@app.command()
def run(raw: Path = typer.Argument(Path("data/raw"), help="Folder of notes."),
        out: Path = typer.Option(Path("data/validated"), "--out", help="Published dataset."),
        reports: Path = typer.Option(Path("reports"), "--reports", help="HTML report folder."),
        runner: Runner = typer.Option(Runner.thread, "--runner"),
        dask_address: Optional[str] = typer.Option(None, "--dask-address", help="tcp://host:port of a Dask scheduler.")):
    """Run the Prefect flow: validate, publish what passes to data/validated/, write the report.
    Exits 1, like `check`, when the run fails its gate (findings at or above fail-on, or
    publishing blocked): the flow run's final Prefect state is then Failed too. Exits 4, like
    `check`, when a note or folder could not be read."""
    if not raw.exists():
        raise _usage(f"no such file or directory: {raw}")
    _need_extra("flow", "prefect", "great_expectations")
    if runner is Runner.dask:
        _need_extra("dask", "distributed")
    from flows.validate_notes import run_flow

    summary = run_flow(raw, out, reports, runner=runner.value, dask_address=dask_address)
    typer.echo(str(summary))
    from factlint.gate import run_exit_code
    raise typer.Exit(run_exit_code(summary))


@app.command()
def serve(cron: str = typer.Option("0 6 * * *", "--cron", help="Schedule (cron syntax)."),
          raw: Path = typer.Option(Path("data/raw"), "--raw"),
          out: Path = typer.Option(Path("data/validated"), "--out"),
          reports: Path = typer.Option(Path("reports"), "--reports")):
    """Serve the flow on a schedule (starts a local Prefect server unless PREFECT_API_URL is set)."""
    _need_extra("flow", "prefect", "great_expectations")
    from flows.serve import serve as serve_flow

    serve_flow(cron, raw, out, reports)


def _need_extra(extra: str, *modules: str) -> None:
    """`check` needs only the light install; the flow's commands name the extra they need."""
    from importlib.util import find_spec

    missing = [m for m in modules if find_spec(m) is None]
    if missing:
        raise _usage(f"this command needs {', '.join(missing)}, which the light install leaves out: "
                     f"pip install 'factlint[{extra}]'")


def _usage(message: str) -> typer.Exit:
    _stderr(f"factlint: error: {message}")
    return typer.Exit(2)


def main() -> None:
    from factlint._imports import skip_pandera_dask_typing, skip_pandera_hypothesis
    from factlint.errors import ConfigError, FactlintError, UsageError

    skip_pandera_dask_typing()
    skip_pandera_hypothesis()

    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (ConfigError, UsageError, FactlintError) as exc:
        _stderr(f"factlint: error: {exc}")
        sys.exit(2)
    except Exception as exc:  # click usage errors and anything unexpected: one line, no traceback
        # typer ships its own click; recognise its exceptions by shape rather than by class.
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        if type(exc).__name__ == "Abort":
            sys.exit(130)
        if os.environ.get("FACTLINT_DEBUG", "").strip().lower() in ("1", "true", "yes", "on"):
            import traceback

            traceback.print_exc()       # the traceback, but still the exit code of an internal error
        _stderr(f"factlint: internal error: {type(exc).__name__}: {exc} (set FACTLINT_DEBUG=1 for a traceback)")
        sys.exit(3)


if __name__ == "__main__":
    main()
