"""Child processes that die with the process that started them (Linux PR_SET_PDEATHSIG)."""
from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with(parent: int):
    """A ``preexec_fn`` for ``subprocess.Popen``: the kernel SIGTERMs the child when ``parent``
    dies, however it dies (kill -9 included), and the child stops at once if the parent died
    before the setting was made. prctl is looked up here, in the parent: loading a library in
    the forked child could wait forever on a loader lock another of the parent's threads held
    at the fork."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def in_child() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)       # survives exec
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
    return in_child
