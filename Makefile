# Two entry points for a fresh machine: `make build` and `make test`.
# Each creates .venv from nothing, installs the project, then builds or tests.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
CHROMIUM := /usr/bin/chromium

.PHONY: build test serve check clean-cache browser-deps bench audit

build: $(RUNTIME_STAMP)
	$(BIN)/explainer build

test: $(TEST_STAMP) browser-deps
	$(BIN)/python -m pytest

serve: $(RUNTIME_STAMP)
	$(BIN)/explainer serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUNTIME_STAMP)

# Browser tests drive Debian's Chromium; CI machines start without it.
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	fi

clean-cache:
	rm -rf .cache
