"""Run a command and measure it from outside: wall time, and peak resident memory both of the
largest single process and of the whole process tree (a check with a worker pool is several
processes; their sum is what the machine has to hold)."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_tree_mb: float          # sampled every 50 ms: the sum over the process and its children
    peak_process_mb: float       # getrusage of the reaped process tree: the largest one process
    returncode: int
    stdout: str
    stderr: str


def run(cmd: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None,
        timeout: float | None = None) -> Measurement:
    import tempfile

    full_env = {**os.environ, **(env or {})}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=full_env, stdout=out, stderr=err, text=True)
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], tree_rss_kb(proc.pid))
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
        return Measurement(seconds, peak[0] / 1024, usage.ru_maxrss / 1024, proc.returncode,
                           out.read(), err.read())


def tree_rss_kb(root: int) -> int:
    """Sum of VmRSS over `root` and all its descendants (Linux /proc)."""
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
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo.extend(children.get(pid, ()))
    return total


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
