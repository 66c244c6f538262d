# Two entry points for a fresh machine: `make build` and `make test`.
# Each creates .venv from nothing, installs what it needs, then builds or tests.
#
# Everything downloaded is pinned: Python packages come from hashed locks in requirements/
# (`make lock` writes them from pyproject.toml's ranges), npm tools from the package-lock.json
# files in tools/ (`npm ci`, install scripts off). Debian packages come from the distribution
# and follow its security updates; each is installed only when its program is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
VNU_JAR := tools/html-check/node_modules/vnu-jar/build/dist/vnu.jar
LIGHTHOUSE := tools/audit/node_modules/.bin/lighthouse

.PHONY: build test serve clean-cache build-deps browser-deps test-packages audit-deps audit-packages audit screenshots lock vega-digest

build: $(RUNTIME_STAMP) build-deps
	$(BIN)/explainer build

test: $(TEST_STAMP) browser-deps
	$(BIN)/python -m pytest

serve: $(RUNTIME_STAMP) build-deps
	$(BIN)/explainer serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

# The lock first (with --require-hashes pip refuses any file whose hash the lock lacks, and any
# dependency it does not list), then the project itself with nothing more: --no-build-isolation
# builds it with the locked setuptools instead of fetching one.
$(RUNTIME_STAMP): requirements/deploy.txt pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --require-hashes -r requirements/deploy.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(TEST_STAMP): requirements/test.txt pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --require-hashes -r requirements/test.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(RUNTIME_STAMP)

# --- Debian packages ------------------------------------------------------------------------
# Each is checked on its own, by the program or file the build or tests use; `apt-get update`
# runs once, and only when something is missing. Override a path to try it:
# `make -n test-packages JAVA=no-java` prints the install of default-jre-headless.
CHROMIUM := /usr/bin/chromium
JAVA := java
NPM := npm
PDFTOTEXT := pdftotext
# No font package: charts, cards and pages use the fonts the package carries (generator/fonts/),
# so the build draws the same bytes whatever fonts the machine has.

HAVE_CHROMIUM := $(wildcard $(CHROMIUM))
HAVE_JAVA := $(shell command -v $(JAVA))
HAVE_NPM := $(shell command -v $(NPM))
HAVE_PDFTOTEXT := $(shell command -v $(PDFTOTEXT))

# $(call apt-install,packages): install the Debian packages named, if any.
define apt-install
$(if $(strip $1),@echo "Installing Debian packages: $(strip $1)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(strip $1) >/dev/null)
endef

# Packages per goal, so that one `make test` runs `apt-get update` at most once.
# Chromium for the browser tests (Playwright drives Debian's build: its own download is not
# used), Java for the Nu checker, npm (with Debian's nodejs) to install the checker, poppler's
# pdftotext to read what a printed page says (tests/browser/test_scrolly.py). Chromium
# brings a font for page text with it (fontconfig depends on fonts-dejavu-core).
BUILD_PACKAGES :=
BROWSER_PACKAGES := $(if $(HAVE_CHROMIUM),,chromium) $(if $(HAVE_NPM),,npm)
TEST_PACKAGES := $(BUILD_PACKAGES) $(BROWSER_PACKAGES) $(if $(HAVE_JAVA),,default-jre-headless) $(if $(HAVE_PDFTOTEXT),,poppler-utils)

build-deps:
	$(call apt-install,$(BUILD_PACKAGES))

browser-deps: test-packages $(VNU_JAR)
test-packages:
	$(call apt-install,$(TEST_PACKAGES))

audit-deps: audit-packages $(LIGHTHOUSE)
audit-packages:
	$(call apt-install,$(BUILD_PACKAGES) $(BROWSER_PACKAGES))

# --- npm tools, each from its committed package-lock.json -----------------------------------
# `npm ci` installs exactly the lock (every package checked against its sha512), with install
# scripts off: vnu-jar's tarball already holds vnu.jar.
NPM_CI := $(NPM) ci --ignore-scripts --no-audit --no-fund --silent

$(VNU_JAR): tools/html-check/package-lock.json | test-packages
	$(NPM_CI) --prefix tools/html-check
	touch $@

$(LIGHTHOUSE): tools/audit/package-lock.json | audit-packages
	$(NPM_CI) --prefix tools/audit
	touch $@

clean-cache:
	rm -rf .cache

# --- The locks ------------------------------------------------------------------------------
# `make lock` rewrites requirements/*.txt from pyproject.toml (and requirements/*.in), for
# Python 3.11 on Linux x86_64, with the hash of every file of each pinned release (every
# platform's wheels and the sdist). Versions already locked stay unless pyproject.toml rules
# them out; `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed. The
# deploy lock is constrained by the test lock, so both pin the same versions. uv comes from
# its own hashed lock.
UV := $(BIN)/uv
UV_STAMP := $(VENV)/.uv-installed
LOCK_OPTIONS := --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: $(UV_STAMP)
	$(UV) pip compile $(LOCK_OPTIONS) pyproject.toml requirements/build.in --extra test -o requirements/test.txt
	$(UV) pip compile $(LOCK_OPTIONS) pyproject.toml requirements/build.in -c requirements/test.txt -o requirements/deploy.txt
	$(UV) pip compile $(LOCK_OPTIONS) requirements/uv.in -o requirements/uv.txt

$(UV_STAMP): requirements/uv.txt | $(BIN)/python
	$(PIP) install --quiet --require-hashes -r requirements/uv.txt
	touch $@

# After a new vl-convert-python is locked: make its Vega bundle, look at what changed (the
# Vega, Vega-Lite and vega-embed versions it prints), and record its sha256 in
# generator/vega_bundles.json, which every build checks the bundle against.
vega-digest: $(RUNTIME_STAMP)
	$(BIN)/python tools/record_vega_bundle.py

# Lighthouse (pinned in tools/audit, scripts off) with Debian's Chromium: home, an explainer
# and an embed page, mobile, default throttling. Prints the four category scores and what cost
# points; fails under 95 in any (bench/audit.py, docs/quality.md).
# AUDIT_ARGS passes options on, e.g. AUDIT_ARGS="--runs 3 --reports lighthouse-reports".
audit: $(RUNTIME_STAMP) audit-deps
	CHROME_PATH=$(CHROMIUM) $(BIN)/python bench/audit.py $(AUDIT_ARGS)

# Home, an explainer, a contract page and an embed at 360 and 1280 px, light and dark, into
# docs/screenshots/ (bench/screenshots.py), for looking at after a change of theme or charts.
screenshots: $(TEST_STAMP) browser-deps
	$(BIN)/python bench/screenshots.py
