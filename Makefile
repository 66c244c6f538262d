# Two entry points for a fresh machine: `make build` and `make test`.
# Each creates .venv from nothing, installs the project, then builds or tests.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
CHROMIUM := /usr/bin/chromium

.PHONY: build test serve check clean-cache browser-deps bench audit screenshots

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

# Browser tests drive Debian's Chromium; the HTML check runs the Nu checker (vnu.jar, from
# the npm package vnu-jar, installed with scripts off) on Java. CI machines start without them.
VNU_JAR := .tools/node_modules/vnu-jar/build/dist/vnu.jar
APT_PACKAGES := $(if $(wildcard $(CHROMIUM)),,chromium fonts-liberation) $(if $(shell command -v java),,default-jre-headless) $(if $(shell command -v npm),,npm)

browser-deps: $(VNU_JAR)
	@if [ -n "$(strip $(APT_PACKAGES))" ]; then \
		echo "Installing Debian packages for the browser tests: $(strip $(APT_PACKAGES))"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

$(VNU_JAR):
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	npm install --silent --ignore-scripts --no-audit --no-fund --prefix .tools vnu-jar

clean-cache:
	rm -rf .cache

# Lighthouse (the npm package, pinned, installed with scripts off) with Debian's Chromium:
# home, an explainer and an embed page, mobile, default throttling. Prints the four category
# scores and what cost points; fails under 95 in any (bench/audit.py, docs/quality.md).
# AUDIT_ARGS passes options on, e.g. AUDIT_ARGS="--runs 3 --reports lighthouse-reports".
LIGHTHOUSE_VERSION := 12.2.3

audit: $(RUNTIME_STAMP)
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; }
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	@node -e 'process.exit(require("./.tools/node_modules/lighthouse/package.json").version === "$(LIGHTHOUSE_VERSION)" ? 0 : 1)' 2>/dev/null || \
		npm install --silent --ignore-scripts --no-audit --no-fund --save-exact --prefix .tools lighthouse@$(LIGHTHOUSE_VERSION)
	CHROME_PATH=$(CHROMIUM) $(BIN)/python bench/audit.py $(AUDIT_ARGS)

# Home, an explainer, a contract page and an embed at 360 and 1280 px, light and dark, into
# docs/screenshots/ (bench/screenshots.py), for looking at after a change of theme or charts.
screenshots: $(TEST_STAMP) browser-deps
	$(BIN)/python bench/screenshots.py
