"""The check on a Dask cluster, with no Prefect on the workers.

A Prefect task that ran on a Dask worker would report its state to a Prefect API from there: a
worker started elsewhere has none, so it starts an ephemeral server of its own and times out
(or, given the flow's, is one more client every worker must reach). Here the flow's tasks run
in the flow's process and hand only the engine's work to the cluster: ``check_on_worker`` over
one batch, a plain function that needs factlint importable on the worker and nothing else.

The work leaves this process with absolute paths (a worker has its own working directory),
and a worker that cannot see a note fails the run: its result would otherwise be one more
"unreadable" note, and a run over folders the workers do not share would end Completed with
every note unread. This module imports no Prefect: workers unpickle its function by reference.
"""
from __future__ import annotations

import contextlib
import os
import socket
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

from factlint import cache
from factlint.errors import FactlintError

LOCAL_WORKERS = 2


class WorkerCannotRead(FactlintError):
    """A Dask worker does not see a note the flow found: the run cannot be trusted."""


def check_on_worker(paths: Sequence[str], settings, cache_root: str, engine) -> cache.CachedBatch:
    """``cache.check_documents_cached`` on a worker, after making sure it sees every note."""
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise WorkerCannotRead(
            f"Dask worker on {socket.gethostname()} (pid {os.getpid()}, working directory "
            f"{os.getcwd()}) cannot see {len(missing)} of {len(paths)} notes, first {missing[0]}: "
            f"the workers must see the notes at the same absolute paths as the flow")
    return cache.check_documents_cached([Path(p) for p in paths], settings, cache_root, engine)


def check_remotely(client, paths: Sequence[Path], settings, cache_root: Path, engine) -> cache.CachedBatch:
    """One batch checked on the cluster; its result (or its worker's exception) returned here."""
    future = client.submit(check_on_worker, [os.path.abspath(p) for p in paths],
                           settings.absolute(), str(Path(cache_root).resolve()), engine,
                           pure=False)
    return future.result()


@contextlib.contextmanager
def cluster_client(address: str | None = None) -> Iterator[object]:
    """A client of the scheduler at ``address``, else of a 2-process LocalCluster started here
    (and stopped on exit), its scratch space in a temporary folder, not the project."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise FactlintError("the Dask runner needs the dask extra: pip install 'factlint[dask]'") from None
    if address:
        with Client(address, set_as_default=False) as client:
            yield client
        return
    with tempfile.TemporaryDirectory(prefix="factlint-dask-") as scratch, \
            LocalCluster(n_workers=LOCAL_WORKERS, threads_per_worker=1, processes=True,
                         dashboard_address=None, local_directory=scratch) as local, \
            Client(local, set_as_default=False) as client:
        yield client
