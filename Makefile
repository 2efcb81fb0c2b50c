# Communiqué: the README's two commands are `make demo` and `make test`.
# Every target sets up what it needs; running one again is quick and changes nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
# Airflow starts its components by name: the virtualenv's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: install venv demo test airflow compose-env lint typecheck lock bench clean

## install: virtualenv, pinned dependencies, embedded warehouse, Airflow metadata database.
install: venv
	$(BIN)/communique setup

## venv: the virtualenv in .venv with the hash-pinned requirements and the package (editable).
venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt requirements-bootstrap.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Communiqué needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; exit 1; }
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV) \
	  || { echo "Could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv"; exit 1; }
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-bootstrap.txt
	$(VENV)/bin/uv pip install --python $(VENV)/bin/python --quiet --require-hashes \
	  -r requirements.txt -r requirements-dev.txt
	$(VENV)/bin/uv pip install --python $(VENV)/bin/python --quiet --no-deps -e .
	@touch $@

## demo: run the whole pipeline through Airflow on the bundled offline demo site and print a report.
demo: install
	$(BIN)/communique demo

## test: the whole test suite (unit, integration against a real PostgreSQL, DAG tests), one worker per core.
test: install
	$(BIN)/python -m pytest -n auto --dist load

## airflow: Airflow standalone (API server, scheduler, dag-processor, triggerer) on the embedded stack.
## The UI listens on 127.0.0.1 (COMMUNIQUE_AIRFLOW_HOST, COMMUNIQUE_AIRFLOW_PORT change it).
airflow: install
	$(BIN)/communique airflow standalone

## compose-env: .env with random secrets for docker compose (only what is missing; needs no virtualenv).
compose-env:
	$(PYTHON) include/communique/local/keys.py .env

## bench: the end-to-end throughput benchmark (20,000 documents, about 15 minutes); see docs/performance.md.
bench: install
	$(BIN)/python bench/throughput.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

## lock: re-resolve requirements*.in into the hash-pinned requirements*.txt.
lock: venv
	$(BIN)/uv pip compile requirements.in --universal --python-version 3.11 --generate-hashes -q -o requirements.txt
	$(BIN)/uv pip compile requirements-dev.in --universal --python-version 3.11 --generate-hashes -q -o requirements-dev.txt

clean:
	-$(BIN)/communique warehouse stop
	rm -rf $(VENV) .airflow .communique .pytest_cache .ruff_cache .mypy_cache
