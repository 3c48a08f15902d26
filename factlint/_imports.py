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


class _HypothesisForPandera:
    """A meta-path finder that hides `hypothesis` from pandera's strategies module only while that
    module is being imported: pandera imports hypothesis (~0.3 s) whenever it is installed, to offer
    data synthesis factlint never uses. Any other import of hypothesis, before or after, is served
    as usual (the test suite's property tests import it themselves)."""

    def find_spec(self, name, path=None, target=None):
        if name != "hypothesis" and not name.startswith("hypothesis."):
            return None
        loading = sys.modules.get("pandera.strategies.base_strategies")
        if loading is not None and not hasattr(loading, "HAS_HYPOTHESIS"):
            raise ImportError("hypothesis is not loaded for pandera's data synthesis (factlint does not use it)")
        return None


def skip_pandera_hypothesis() -> None:
    if "hypothesis" in sys.modules or any(isinstance(f, _HypothesisForPandera) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _HypothesisForPandera())
