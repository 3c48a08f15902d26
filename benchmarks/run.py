"""factlint's benchmark: `make bench` (= `.venv/bin/python benchmarks/run.py`).

For each corpus size N (default 500, 2,000 and 4,000 synthetic notes from `generate.py`) it
prints: the parsing floors (markdown-it-py as ingest runs it, and the Rust parsers
markdown-it-pyrs and pyromark, each alone in one process), `factlint check` wall time and
notes/s with its ratio to the floor, peak memory, the Prefect flow's full run and its re-run
after one note changed (and again once the history holds a year of daily runs), and the rules'
recall/precision against the generator's expected
findings. Once per run: the cold start of `factlint check` on one note, and with `--big` the
50 MB note, with `--fuzz N` a fuzz budget of N mutated notes.

Timings on a shared 2-core machine are noisy: `--repeat R` takes the median of R runs.
Examples:
  .venv/bin/python benchmarks/run.py --quick                # 100 notes, no flow: ~1 minute
  .venv/bin/python benchmarks/run.py --sizes 500,2000 --repeat 3
  .venv/bin/python benchmarks/run.py --big --fuzz 5000 --no-flow --sizes 500
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import kinds as note_kinds  # noqa: E402
import measure  # noqa: E402
import score as scoring  # noqa: E402

PYTHON = sys.executable
FACTLINT = [PYTHON, "-m", "factlint"]
# Everything the flow needs to stay on this machine (stack notes §3); the check needs none.
QUIET_ENV = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
             "PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_LOGGING_TO_API_ENABLED": "false",
             "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}
TARGETS = {"check_vs_floor": 2.0, "check_vs_floor_heavy": 2.0, "scaling_4000_vs_2000": 2.1,
           "flow_vs_check": 1.5, "rerun_vs_full": 0.10, "rss_mb_2000": 500.0, "cold_s": 0.8}


@dataclass
class SizeResult:
    notes: int
    mb: float
    floor_s: float
    check_s: float
    check_runs: list[float]
    check_rss_tree_mb: float
    check_rss_process_mb: float
    findings: int
    check_pss_tree_mb: float = 0.0
    flow_s: float | None = None
    rerun_s: float | None = None
    rerun_late_s: float | None = None   # the re-run after a year of daily runs' history
    flow_process_s: float | None = None
    flow_rss_tree_mb: float | None = None
    flow_detail: dict = field(default_factory=dict)   # server start, stage timings of both runs
    parser_floors_s: dict = field(default_factory=dict)   # parser -> seconds (floor.py); floor_s is markdown-it-py's
    score: dict = field(default_factory=dict)

    @property
    def check_ratio(self) -> float:
        return self.check_s / self.floor_s


def corpus(work: Path, n: int, seed: int) -> Path:
    """The N-note corpus for `seed`, generated once and reused while its marker matches the
    generator's own source (an edited template regenerates it, so expectations never go stale)."""
    root = work / f"corpus-{n}-s{seed}"
    marker = root / ".complete"
    stamp = generator_stamp()
    if not marker.exists() or marker.read_text() != stamp:
        shutil.rmtree(root, ignore_errors=True)
        generate.generate_corpus(root, n, seed)
        marker.write_text(stamp)
    return root


def generator_stamp() -> str:
    import hashlib

    digest = hashlib.sha256()
    for name in ("generate.py", "sections.py"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16] + "\n"


def floor(root: Path, repeat: int) -> dict[str, float]:
    """Each parser's floor (median of `repeat` runs); "markdown-it-py" is the one check is held to."""
    runs: dict[str, list[float]] = {}
    for _ in range(repeat):
        m = measure.run([PYTHON, str(HERE / "floor.py"), str(root)])
        _ok(m, "floor")
        for name, figures in json.loads(m.stdout)["floors"].items():
            runs.setdefault(name, []).append(figures["seconds"])
    return {name: statistics.median(seconds) for name, seconds in runs.items()}


def check(root: Path, out: Path, repeat: int, jobs: int | None) -> tuple[list[measure.Measurement], dict]:
    runs = []
    env = {"FACTLINT_JOBS": str(jobs)} if jobs else {}
    for _ in range(repeat):
        m = measure.run(FACTLINT + ["check", ".", "-f", "json", "-o", str(out), "--fail-on", "never"],
                        cwd=root, env=env)
        _ok(m, "factlint check")
        runs.append(m)
    return runs, json.loads(out.read_text(encoding="utf-8"))


def kind_ratios(work: Path, n: int, repeat: int, jobs: int | None) -> dict[str, dict]:
    """`check` against the markdown-it-py floor on N notes of each heavier kind (benchmarks/kinds.py)."""
    out = {}
    for kind in note_kinds.KINDS:
        root = note_kinds.kind_corpus(work, kind, n)
        floor_s = floor(root, repeat)["markdown-it-py"]
        runs, result = check(root, work / f"check-{kind}-{n}.json", repeat, jobs)
        check_s = statistics.median(m.seconds for m in runs)
        out[kind] = {"notes": n, "mb": sum(p.stat().st_size for p in root.rglob("*.md")) / 2 ** 20,
                     "floor_s": floor_s, "check_s": check_s, "ratio": check_s / floor_s,
                     "check_runs": [m.seconds for m in runs], "claims": result["summary"]["claims"],
                     "findings": result["summary"]["findings"]}
        print(f"{kind}: {n} notes, floor {floor_s:.2f} s, check {check_s:.2f} s ({check_s / floor_s:.2f}x)",
              flush=True)
    return out


def flow(root: Path, work: Path, runner: str) -> tuple[dict, measure.Measurement]:
    """The flow on a copy of the corpus (its re-run edits a note)."""
    raw = work / "flow-raw"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(root, raw, ignore=shutil.ignore_patterns("*.json", ".complete"))
    m = measure.run([PYTHON, str(HERE / "flow_once.py"), str(raw), str(work), "--runner", runner],
                    cwd=REPO, env={**QUIET_ENV, "PREFECT_HOME": str(REPO / ".prefect")})
    _ok(m, "flow")
    return json.loads(m.stdout.strip().splitlines()[-1]), m


def cold_start(work: Path, repeat: int) -> list[float]:
    one = work / "cold"
    one.mkdir(parents=True, exist_ok=True)
    note = one / "note.md"
    note.write_text(generate.generate_note(1, 0).text, encoding="utf-8")
    times = []
    for _ in range(repeat):
        m = measure.run(FACTLINT + ["check", str(note), "-f", "json", "-o", str(one / "out.json"),
                                    "--fail-on", "never"], cwd=one)
        _ok(m, "cold check")
        times.append(m.seconds)
    return times


def big_note(work: Path, megabytes: int) -> dict:
    """One note of `megabytes` MB (tables of the generator's notes, repeated) through check."""
    path = work / "big" / f"big-{megabytes}mb.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    unit = generate.generate_note(2, 0).text + "\n"
    with path.open("w", encoding="utf-8") as fh:
        written = 0
        while written < megabytes * 2 ** 20:
            fh.write(unit)
            written += len(unit.encode())
    m = measure.run(FACTLINT + ["check", str(path), "-f", "json", "-o", str(work / "big" / "out.json"),
                                "--fail-on", "never"], cwd=work, timeout=1800)
    _ok(m, "big note")
    out = json.loads((work / "big" / "out.json").read_text(encoding="utf-8"))
    floor_s = json.loads(measure.run([PYTHON, str(HERE / "floor.py"), str(path.parent)]).stdout)["seconds"]
    return {"mb": megabytes, "check_s": m.seconds, "floor_s": floor_s, "rss_mb": m.peak_tree_mb,
            "pss_mb": m.peak_tree_pss_mb, "largest_process_mb": m.peak_process_mb,
            "findings": out["summary"]["findings"], "claims": out["summary"]["claims"]}


def fuzz_run(budget: int, seed: int) -> dict:
    """`budget` mutated notes (real, hostile and generated; byte, line, cell and Unicode edits)
    through the gate and every emitter, batched on every core, a sample through the CLI."""
    import fuzz

    report = fuzz.fuzz_at_scale(budget, seed, progress=lambda m: print(f"fuzz: {m}", flush=True))
    d = report.as_dict()
    return {"budget": budget, "seed": seed, "crashes": d["crash_count"], "seconds": report.seconds,
            "cli_notes": report.cli_notes, "first": d["crashes"][:3]}


def _ok(m: measure.Measurement, what: str) -> None:
    if m.returncode != 0:
        raise SystemExit(f"{what} failed (exit {m.returncode}):\n{m.stderr[-3000:]}")


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(mem / 2 ** 20, 1),
            "python": platform.python_version(), "load_at_start": os.getloadavg()[0]}


def report(sizes: list[SizeResult], cold: list[float], extra: dict, by_kind: dict | None = None) -> str:
    lines = []
    lines.append(f"{'notes':>6} {'MB':>6} {'floor s':>8} {'check s':>8} {'notes/s':>8} {'×floor':>7} "
                 f"{'RSS MB':>7} {'PSS MB':>7} {'flow s':>7} {'×check':>7} {'rerun s':>8} {'rerun %':>8}")
    for r in sizes:
        flow_cols = (f"{r.flow_s:>7.1f} {r.flow_s / r.check_s:>7.2f} {r.rerun_s:>8.2f} "
                     f"{r.rerun_s / r.flow_s:>8.1%}") if r.flow_s else f"{'-':>7} {'-':>7} {'-':>8} {'-':>8}"
        lines.append(f"{r.notes:>6} {r.mb:>6.1f} {r.floor_s:>8.2f} {r.check_s:>8.2f} "
                     f"{r.notes / r.check_s:>8.0f} {r.check_ratio:>7.2f} {r.check_rss_tree_mb:>7.0f} "
                     f"{r.check_pss_tree_mb:>7.0f} {flow_cols}")
    if by_kind:
        lines.append("")
        lines.append(f"{'kind':>14} {'notes':>6} {'MB':>6} {'floor s':>8} {'check s':>8} {'×floor':>7} {'claims':>8}")
        first = sizes[0] if sizes else None
        if first is not None:
            lines.append(f"{'generated':>14} {first.notes:>6} {first.mb:>6.1f} {first.floor_s:>8.2f} "
                         f"{first.check_s:>8.2f} {first.check_ratio:>7.2f} {'':>8}")
        for kind, k in by_kind.items():
            lines.append(f"{kind:>14} {k['notes']:>6} {k['mb']:>6.1f} {k['floor_s']:>8.2f} {k['check_s']:>8.2f} "
                         f"{k['ratio']:>7.2f} {k['claims']:>8}")
    lines.append("")
    lines.append(f"cold check of one note: median {statistics.median(cold):.2f} s over {len(cold)} runs "
                 f"({', '.join(f'{t:.2f}' for t in cold)})")
    by_n = {r.notes: r for r in sizes}
    if 2000 in by_n and 4000 in by_n:
        lines.append(f"4,000 vs 2,000 notes: check {by_n[4000].check_s / by_n[2000].check_s:.2f}x"
                     + (f", flow {by_n[4000].flow_s / by_n[2000].flow_s:.2f}x" if by_n[4000].flow_s else ""))
    for r in sizes:
        lines.append(f"N={r.notes}: parse floors " + ", ".join(
            f"{name} {seconds:.2f} s ({1000 * seconds / r.notes:.2f} ms/note)"
            for name, seconds in r.parser_floors_s.items()))
    for r in sizes:
        lines.append(f"N={r.notes}: check runs {', '.join(f'{t:.2f}' for t in r.check_runs)} s; "
                     f"peak RSS tree {r.check_rss_tree_mb:.0f} MB (PSS {r.check_pss_tree_mb:.0f} MB), "
                     f"largest process {r.check_rss_process_mb:.0f} MB"
                     + (f"; flow process {r.flow_process_s:.1f} s, RSS {r.flow_rss_tree_mb:.0f} MB"
                        if r.flow_process_s else ""))
    for r in sizes:
        if not r.flow_detail:
            continue
        d = r.flow_detail
        lines.append(f"N={r.notes} flow: server start {d.get('startup_s', 0):.1f} s (not in the flow "
                     f"figures); re-run validated {d.get('rerun_validated_claims', '?')} claims, the changed "
                     f"note {d.get('changed_status', '?')}")
        if r.rerun_late_s:
            lines.append(f"  re-run after {d.get('history_runs')} runs of history: {r.rerun_late_s:.2f} s "
                         f"({r.rerun_late_s / r.flow_s:.1%} of the full run)")
        for run in ("full", "rerun", "rerun_late"):
            stages = d.get(f"{run}_stages") or {}
            if stages:
                lines.append(f"  {run:<10} stages: "
                             + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    if sizes:
        lines.append("")
        lines.append(f"rules against the generator's expected findings (N={sizes[0].notes}):")
        lines.append(sizes[0].score["table"])
    for name, value in extra.items():
        lines.append("")
        lines.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("")
    lines.append("targets (≤), measured, met?")
    for name, (value, limit) in target_values(sizes, cold, by_kind).items():
        shown = "not measured" if value is None else f"{value:.3g}"
        verdict = "-" if value is None else ("yes" if value <= limit else "NO")
        lines.append(f"  {name:<24} {limit:>6} {shown:>13}  {verdict}")
    return "\n".join(lines)


def target_values(sizes: list[SizeResult], cold: list[float],
                  by_kind: dict | None = None) -> dict[str, tuple[float | None, float]]:
    """Each target of issues #7 and #16 with the figure it is judged by (None: not measured this
    run). Check vs floor: the worst ratio over the sizes run; on heavy notes, the worst over the
    kinds of benchmarks/kinds.py. Memory: PSS of the process tree at 2,000 notes (RSS counts the
    pages forked workers share with their parent once per process)."""
    by_n = {r.notes: r for r in sizes}
    flows = [r for r in sizes if r.flow_s]
    values = {
        "check_vs_floor": max((r.check_ratio for r in sizes), default=None),
        "check_vs_floor_heavy": max((k["ratio"] for k in (by_kind or {}).values()), default=None),
        "scaling_4000_vs_2000": (by_n[4000].check_s / by_n[2000].check_s
                                 if 2000 in by_n and 4000 in by_n else None),
        "flow_vs_check": max((r.flow_s / r.check_s for r in flows), default=None),
        # The slower of the two re-runs: right after the full run, and after a year of history.
        "rerun_vs_full": max((max(r.rerun_s, r.rerun_late_s or 0) / r.flow_s for r in flows),
                             default=None),
        "rss_mb_2000": by_n[2000].check_pss_tree_mb if 2000 in by_n else None,
        "cold_s": statistics.median(cold) if cold else None,
    }
    return {name: (values[name], limit) for name, limit in TARGETS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--sizes", default="500,2000,4000", help="comma-separated corpus sizes")
    parser.add_argument("--quick", action="store_true", help="100 notes, one run, no flow")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--cold-repeat", type=int, default=5)
    parser.add_argument("--no-flow", action="store_true")
    parser.add_argument("--runner", default="thread", choices=("thread", "dask"))
    parser.add_argument("--jobs", type=int, default=None, help="FACTLINT_JOBS for the check")
    parser.add_argument("--big", type=int, nargs="?", const=50, default=0, metavar="MB",
                        help="also check one note of MB megabytes (default 50)")
    parser.add_argument("--fuzz", type=int, default=0, metavar="N", help="also fuzz N mutated notes")
    parser.add_argument("--kind-notes", type=int, default=500, metavar="N",
                        help="notes per heavier kind (benchmarks/kinds.py; 0: skip them)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "factlint-bench")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    sizes = [100] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    if args.quick:
        args.no_flow, args.cold_repeat, args.kind_notes = True, 3, min(args.kind_notes, 100)
    args.work.mkdir(parents=True, exist_ok=True)

    info = machine()
    print(f"machine: {info}", flush=True)
    results = []
    for n in sizes:
        root = corpus(args.work, n, args.seed)
        mb = sum(p.stat().st_size for p in root.rglob("*.md")) / 2 ** 20
        floors = floor(root, args.repeat)
        floor_s = floors["markdown-it-py"]
        runs, out = check(root, args.work / f"check-{n}.json", args.repeat, args.jobs)
        expected = scoring.load_expected(root)
        got = scoring.reported_keys(out["findings"], root, root)
        sc = scoring.score(expected, got)
        total = sc.total()
        r = SizeResult(n, mb, floor_s, statistics.median(m.seconds for m in runs), [m.seconds for m in runs],
                       max(m.peak_tree_mb for m in runs), max(m.peak_process_mb for m in runs),
                       out["summary"]["findings"], max(m.peak_tree_pss_mb for m in runs),
                       score={"recall": total.recall, "precision": total.precision,
                              "table": scoring.format_score(sc), "missed": sc.missed[:20],
                              "spurious": sc.spurious[:20]}, parser_floors_s=floors)
        if not args.no_flow:
            timing, m = flow(root, args.work / f"flow-{n}", args.runner)
            r.flow_s, r.rerun_s = timing["full_s"], timing["rerun_s"]
            r.rerun_late_s = timing.get("rerun_late_s")
            r.flow_process_s, r.flow_rss_tree_mb = m.seconds, m.peak_tree_mb
            r.flow_detail = {k: v for k, v in timing.items()
                             if k not in ("full_s", "rerun_s", "rerun_late_s")}
        results.append(r)
        print(f"N={n}: floors " + ", ".join(f"{name} {s:.2f} s" for name, s in floors.items())
              + f", check {r.check_s:.2f} s ({r.check_ratio:.2f}x), "
              f"RSS {r.check_rss_tree_mb:.0f} MB (PSS {r.check_pss_tree_mb:.0f} MB), recall {total.recall:.1%}, precision {total.precision:.1%}"
              + (f", flow {r.flow_s:.1f} s, re-run {r.rerun_s:.2f} s" if r.flow_s else ""), flush=True)
    by_kind = kind_ratios(args.work, args.kind_notes, args.repeat, args.jobs) if args.kind_notes else {}
    cold = cold_start(args.work, args.cold_repeat)
    extra = {}
    if args.big:
        extra["big note"] = big_note(args.work, args.big)
    if args.fuzz:
        extra["fuzz"] = fuzz_run(args.fuzz, args.seed)
    print()
    print(report(results, cold, extra, by_kind))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "sizes": [asdict(r) for r in results],
                                         "kinds": by_kind, "cold_s": cold, **extra}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
