# Défis — every command a developer needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install run demo test test-fast test-e2e lint format messages bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

.env:
	bash scripts/write-env.sh

defis/static/vendor/htmx.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p defis/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

defis/locale/fr/LC_MESSAGES/django.mo: defis/locale/fr/LC_MESSAGES/django.po
	bash scripts/system-deps.sh gettext
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

install: $(BIN)/.installed .env defis/static/vendor/htmx.min.js defis/locale/fr/LC_MESSAGES/django.mo ## Install what the site needs (idempotent)

demo: install ## Migrate the SQLite database and load the demo (idempotent)
	mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_demo

run: demo ## Install, migrate, load the demo, serve on http://127.0.0.1:$(PORT) with the task worker
	PORT=$(PORT) bash scripts/run.sh

test: install ## Run the whole suite, end-to-end tests in Chromium included
	bash scripts/system-deps.sh chromium
	$(BIN)/pytest

test-fast: install ## Run the suite without the browser tests
	$(BIN)/pytest -m "not e2e"

lint: install ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy defis

format: install ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Refresh the French catalogue from the code, then compile it
	$(MANAGE) makemessages -l fr --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench --no-obsolete --add-location=file
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

bench: install ## Load-test a 2,000-défi edition as production serves it (BENCH_TASKS=rq: RQ); see bench/README.md
	$(BIN)/python -m bench.run

clean: ## Remove the virtual environment, the demo database and installed assets
	rm -rf $(VENV) node_modules var defis/static/vendor
