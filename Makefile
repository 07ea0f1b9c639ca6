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
ZENSICAL_STAMP := $(VENV)/.installed-zensical
HOST ?= 127.0.0.1:8000
# An organisation profile (docs/authoring/profile.md): make site PROFILE=FILE. Empty: the public build.
PROFILE ?=
export DRG_PROFILE := $(PROFILE)

.PHONY: help serve site site-zensical check test lint binder bench browser clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): requirements.txt constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

$(BINDER_STAMP): $(STAMP) requirements-binder.txt constraints.txt
	$(PY) -m pip install --quiet -r requirements-binder.txt -c constraints.txt
	@touch $@

$(ZENSICAL_STAMP): $(STAMP) requirements-zensical.txt constraints.txt
	$(PY) -m pip install --quiet -r requirements-zensical.txt -c constraints.txt
	@touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt requirements-binder.txt requirements-zensical.txt constraints.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $@

serve: $(STAMP) ## Build and serve the site with live reload on http://$(HOST)/
	$(PY) -m mkdocs serve --strict --dev-addr $(HOST)

site: $(STAMP) ## Strict build into site/ (PROFILE=FILE: an organisation's own build)
	$(PY) -m mkdocs build --strict
	@echo "The printed binder is site/exchange-dr-binder.pdf once make binder has run; the home page links it then."

# Zensical imports the adapter by name (PYTHONPATH) and renders the theme before define_env runs,
# so the site version for the theme comes in through the environment. --clean: no stale cache.
# Zensical writes pages before a later page fails, so a failed build leaves no site-zensical/.
# The engine's checks run first: Zensical would report a broken decision file inside a traceback.
site-zensical: $(ZENSICAL_STAMP) ## The same sources built with Zensical into site-zensical/ (see README: Platform)
	rm -rf site-zensical
	$(PY) -m macros check
	$(PY) -m macros commands
	DRG_VERSION_LABEL="$$($(PY) -c 'import pathlib, macros.engine.version as v; print(v.site_version(pathlib.Path.cwd())["label"])')" \
	  PYTHONPATH=$(CURDIR) NO_COLOR=1 $(PY) -m zensical build --clean --strict -f mkdocs-zensical.yml \
	  || { rm -rf site-zensical; exit 1; }

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

# Then the browser tests again on the Zensical build of the real site (README: Platform).
test: lint browser ## Run every test (lint, engine, sites, browser, PDF; the browser tests on Zensical too)
	$(PY) -m pytest
	DRG_RENDERER=zensical $(PY) -m pytest tests/browser -m browser

bench: $(DEV_STAMP) browser ## Benchmarks: a table, then one JSON line (see bench/README.md)
	$(PY) bench/run.py

clean: ## Remove build output (keeps .venv/)
	rm -rf site site-zensical .cache .pytest_cache
