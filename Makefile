# newsdigest: `make site` builds the sample site, `make test` runs every test.
# Both install what they need first (pinned versions from requirements.lock).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES ?= sources.yaml
CONTENT ?= content
OUTPUT ?= output
PORT ?= 8000
PELICAN := $(BIN)/pelican $(CONTENT) -o $(OUTPUT)

.PHONY: help site install install-test ingest html serve publish test lint format lock clean

help:
	@echo "make site     install, ingest the sample feeds (no network), build output/"
	@echo "make serve    serve output/ at http://localhost:$(PORT)"
	@echo "make test     install test tools (Chromium from Debian) and run the suite"
	@echo "make ingest   fetch the feeds in $(SOURCES) into $(CONTENT)/"
	@echo "make html     build output/ from $(CONTENT)/"
	@echo "make publish  build for the web with publishconf.py"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@command -v chromium >/dev/null || { \
	  echo "Installing Chromium from Debian for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

site: install ingest html

ingest: install
	$(BIN)/newsdigest ingest --sources $(SOURCES) --content $(CONTENT)

html: install
	$(PELICAN) -s pelicanconf.py

serve:
	$(BIN)/python -m http.server --directory $(OUTPUT) --bind 127.0.0.1 $(PORT)

publish: install
	$(PELICAN) -s publishconf.py

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install-test
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check > requirements.lock

clean:
	rm -rf $(OUTPUT) cache .newsdigest .pytest_cache .ruff_cache
