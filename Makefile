# Two commands do everything from a clean clone: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready

.PHONY: run test test-fast setup bench clean-cache lab

run: $(READY)
	$(BIN)/python -m analysis run

test: $(READY)
	$(BIN)/python -m pytest -q

# Everything but the tests marked `slow` (the notebook runs, whole corpora): a quick check while editing.
test-fast: $(READY)
	$(BIN)/python -m pytest -q -m "not slow"

setup: $(READY)

# Re-made whenever the dependencies change.
$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(BIN)/python -m analysis setup
	touch $(READY)

# JupyterLab listens on localhost only; as root (e.g. in a container) it needs --allow-root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(READY)
	$(BIN)/jupyter lab --ip=127.0.0.1 $(LAB_ROOT) notebooks/

bench: $(READY)
	$(BIN)/python -m analysis bench

clean-cache:
	rm -rf .cache
