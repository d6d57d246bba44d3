# Two commands do everything: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# The production server (gunicorn) and its settings; workers, threads and timeouts come from the
# environment (CRMGATE_WORKERS, CRMGATE_THREADS, ...: see assessment/serve.py and the README).
CRMGATE_BIND ?= $(HOST):$(PORT)
SERVE := CRMGATE_BIND=$(CRMGATE_BIND) exec $(BIN)/gunicorn -c python:assessment.serve app:app

.PHONY: run serve dev test lint bench messages clean
# The compiled translation catalogues, rebuilt whenever their source (.po) changes.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

## Install, migrate, seed the demo and serve on http://$(HOST):$(PORT) with the production server and an embedded SQLite database.
run: $(VENV)/.runtime $(CATALOGUES)
	PYTHON=$(PYTHON) scripts/system-deps.sh run
	$(FLASK) db upgrade
	$(FLASK) summaries refresh --missing
	$(FLASK) demo seed
	@echo "Serving on http://$(CRMGATE_BIND)/ (Ctrl-C stops)"
	$(SERVE)

## The production server for a deployment: install, migrate, then serve on $(CRMGATE_BIND) with gunicorn (no demo).
serve: $(VENV)/.runtime $(CATALOGUES)
	PYTHON=$(PYTHON) scripts/system-deps.sh run
	$(FLASK) db upgrade
	$(FLASK) summaries refresh --missing
	$(SERVE)

## For developing: like `run`, but Flask's development server, which reloads on every code change.
dev: $(VENV)/.runtime $(CATALOGUES)
	PYTHON=$(PYTHON) scripts/system-deps.sh run
	$(FLASK) db upgrade
	$(FLASK) summaries refresh --missing
	$(FLASK) demo seed
	$(FLASK) run --debug --host $(HOST) --port $(PORT)

## The whole suite against SQLite and throw-away PostgreSQL and Redis servers, browser journeys, lint, format, types and bandit.
test: $(VENV)/.dev $(CATALOGUES)
	scripts/system-deps.sh test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict assessment/engine
	$(BIN)/bandit -q -c pyproject.toml -r assessment app.py --severity-level medium
	$(BIN)/flask questionnaires validate
	scripts/with-postgres.sh scripts/with-redis.sh $(BIN)/pytest -n 2 $(PYTEST_ARGS)

## Start-up, page, scoring, simulation, report speed and the load-and-kill run against baselines of the same run;
## all run, failing at the end if any missed. The load run needs PostgreSQL: a throw-away server is started for it.
bench: $(VENV)/.dev $(CATALOGUES)
	scripts/system-deps.sh test
	scripts/with-postgres.sh $(BIN)/python -m bench $(BENCH)

## After changing what a reader sees: extract every message and merge it into each catalogue
## (translations/<language>/LC_MESSAGES/messages.po); then translate what is new or marked fuzzy.
messages: $(VENV)/.dev
	$(BIN)/pybabel -q extract -F babel.cfg -o translations/messages.pot .
	$(BIN)/pybabel -q update --ignore-obsolete --no-fuzzy-matching -i translations/messages.pot -d translations

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

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.runtime
	$(BIN)/pybabel compile -i $< -o $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis .ruff_cache $(CATALOGUES)
