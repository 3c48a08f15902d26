"""Keep expensive optional imports off the command line's cold path."""
from __future__ import annotations

import sys
import types


def skip_pandera_dask_typing() -> None:
    """pandera looks for Dask the first time it builds a schema (`get_dataframe_types`), and
    importing `dask.dataframe` costs 3-4 s on a 2-core machine. Dask is installed only for
    prefect-dask's task runner; factlint never validates Dask frames, so tell pandera its
    Dask typing is unavailable — unless something in this process already imported it."""
    name = "pandera.typing.dask"
    if name in sys.modules:
        return
    stub = types.ModuleType(name)
    stub.DASK_INSTALLED = False
    sys.modules[name] = stub
