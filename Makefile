# The two commands of the README: `make run` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
PYTHON_VERSION := $(shell cat .python-version)
# pyenv resolves python3.12 through .python-version; any python3.12 on PATH does too.
PYTHON ?= python$(PYTHON_VERSION)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in emails follow the port `make run` serves on, unless SITE_URL is given.
SITE_URL ?= http://127.0.0.1:$(PORT)
PYTEST_ARGS ?=
# Test processes: one per CPU, each with its own test database (made by running the migrations)
# and its own MEDIA_ROOT; `make test PYTEST_WORKERS=0` runs in this one process.
PYTEST_WORKERS ?= auto

.PHONY: run test worker lint bench clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python $(PYTHON_VERSION) is needed (pyenv install $(PYTHON_VERSION))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(VENV)/bin/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

var:
	@mkdir -p var/static

## make run: set up, migrate, load the demo clinic and serve it on http://127.0.0.1:$(PORT) with its task worker.
run: $(VENV)/.runtime | var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT) with the background task worker. Ctrl-C stops both."
	@echo "Emails $(if $(EMAIL_HOST),go out through $(EMAIL_HOST),are written to var/mail/); their links point at $(SITE_URL)."
	DEBUG=1 SITE_URL='$(SITE_URL)' bash -c 'trap "kill 0" EXIT; $(BIN)/python manage.py db_worker --reload & $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)'

## make test: set up and pass the whole suite in parallel (on PostgreSQL when DATABASE_URL is set).
test: $(VENV)/.dev | var
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

## make bench: the in-memory slot finder bench; the database benches are in the README (own databases).
bench: $(VENV)/.dev | var
	$(BIN)/python bench/bench_slots_core.py

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
