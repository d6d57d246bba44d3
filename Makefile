# Two commands do everything: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint bench clean

## Install, migrate, seed the demo and serve on http://$(HOST):$(PORT) with an embedded SQLite database.
run: $(VENV)/.runtime
	PYTHON=$(PYTHON) scripts/system-deps.sh run
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) run --host $(HOST) --port $(PORT)

## The whole suite against SQLite and a throw-away PostgreSQL server, browser journeys, lint, format, types and bandit.
test: $(VENV)/.dev
	scripts/system-deps.sh test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict assessment/engine
	$(BIN)/bandit -q -c pyproject.toml -r assessment app.py --severity-level medium
	$(BIN)/flask questionnaires validate
	scripts/with-postgres.sh $(BIN)/pytest -n 2 $(PYTEST_ARGS)

## Page, scoring, simulation and report speed against baselines of the same run; all run, failing at the end if any missed.
bench: $(VENV)/.dev
	$(BIN)/python -m bench

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(BIN)/python:
	PYTHON=$(PYTHON) scripts/system-deps.sh run
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CRM Gate needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis .ruff_cache
