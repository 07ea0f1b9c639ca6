# Exchange DR Guide. Every target creates .venv/ from the pinned requirements on first use.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
BINDER_STAMP := $(VENV)/.installed-binder
HOST ?= 127.0.0.1:8000
# An organisation profile (docs/authoring/profile.md): make site PROFILE=FILE. Empty: the public build.
PROFILE ?=
export DRG_PROFILE := $(PROFILE)

.PHONY: help serve site check test lint binder bench browser clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

$(BINDER_STAMP): $(STAMP) requirements-binder.txt constraints.txt
	$(PY) -m pip install --quiet -r requirements-binder.txt -c constraints.txt
	@touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt requirements-binder.txt constraints.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $@

serve: $(STAMP) ## Build and serve the site with live reload on http://$(HOST)/
	$(PY) -m mkdocs serve --strict --dev-addr $(HOST)

site: $(STAMP) ## Strict build into site/ (PROFILE=FILE: an organisation's own build)
	$(PY) -m mkdocs build --strict
	@echo "The printed binder is site/exchange-dr-binder.pdf once make binder has run; the home page links it then."

binder: $(BINDER_STAMP) site ## The printed DR binder: site/exchange-dr-binder.pdf (PROFILE=FILE as for site)
	$(PY) -m macros binder --site site --out site/exchange-dr-binder.pdf $(if $(PROFILE),--profile "$(PROFILE)")

check: $(STAMP) ## Validate decisions/ and every command on the site (catalogue/commands.yml)
	$(PY) -m macros check
	$(PY) -m macros commands

browser: $(DEV_STAMP) ## Install Chromium for the browser tests (Debian package)
	@$(PY) tools/ensure_chromium.py

lint: $(DEV_STAMP) ## Ruff over the Python code
	$(PY) -m ruff check macros tests tools bench
	$(PY) -m ruff format --check macros tests tools bench

test: lint browser ## Run every test (lint, engine, sites, browser, PDF)
	$(PY) -m pytest

bench: $(DEV_STAMP) browser ## Benchmarks: a table, then one JSON line (see bench/README.md)
	$(PY) bench/run.py

clean: ## Remove build output (keeps .venv/)
	rm -rf site .pytest_cache
