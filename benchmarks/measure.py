"""Run a command and measure it from outside: wall time, and peak memory of the largest single
process and of the whole process tree (a check with a worker pool is several processes).

For the tree, two sums: RSS counts every page each process maps, so the pages forked workers
still share with their parent (the interpreter, pandas, the loaded engine: ~185 MB) are counted
once per process; PSS (Linux smaps_rollup) divides each shared page among the processes sharing
it, so the sum is what the machine actually holds."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

# This checkout, first on every child's path: the benchmark runs its commands from the corpus'
# folder (and scripts from benchmarks/), where `import factlint` would otherwise find whatever
# the environment has installed (an editable install of another checkout), not the code measured.
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_tree_mb: float          # sampled every 50 ms: the sum over the process and its children
    peak_tree_pss_mb: float      # the same, proportional set size (shared pages divided)
    peak_process_mb: float       # getrusage of the reaped process tree: the largest one process
    returncode: int
    stdout: str
    stderr: str


def run(cmd: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None,
        timeout: float | None = None) -> Measurement:
    import tempfile

    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH")))),
                **(env or {})}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=full_env, stdout=out, stderr=err, text=True)
        peak = [0, 0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                pids = tree_pids(proc.pid)
                peak[0] = max(peak[0], sum(_status_kb(pid, b"VmRSS:") for pid in pids))
                peak[1] = max(peak[1], sum(_pss_kb(pid) for pid in pids))
                stop.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        # wait4: this child's own resource use, including the workers it reaped.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        return Measurement(seconds, peak[0] / 1024, peak[1] / 1024, usage.ru_maxrss / 1024,
                           proc.returncode,
                           out.read(), err.read())


def tree_pids(root: int) -> list[int]:
    """`root` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, ()))
    return pids


def _status_kb(pid: int, field: bytes) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
