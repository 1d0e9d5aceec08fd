# newsdigest: `make site` builds the sample site, `make test` runs every test.
# Both install what they need first (pinned versions from requirements.lock).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES ?= sources.yaml
CONTENT ?= content
OUTPUT ?= output
PORT ?= 8000
PELICAN := $(BIN)/newsdigest-build $(CONTENT) -o $(OUTPUT)
# Where the deploy targets upload to (see "Publish" in README.md).
RSYNC_TARGET ?=
S3_BUCKET ?=
S3_ENDPOINT ?=
S3_FLAGS ?=
GH_PAGES_REMOTE ?= origin
GH_PAGES_BRANCH ?= gh-pages

.PHONY: help site install install-test ingest check html serve publish test lint format lock clean

help:
	@echo "make site     install, ingest the sample feeds (no network), build output/"
	@echo "make serve    serve output/ at http://localhost:$(PORT)"
	@echo "make test     install test tools (Chromium from Debian, axe-core from npm) and run the suite"
	@echo "make ingest   fetch the feeds in $(SOURCES) into $(CONTENT)/"
	@echo "make check    validate $(SOURCES) and every file in $(CONTENT)/"
	@echo "make html     check, then build output/ from $(CONTENT)/"
	@echo "make devserver  rebuild on every change and serve at http://localhost:$(PORT)"
	@echo "make publish  build for the web with publishconf.py (SITEURL=https://...)"
	@echo "make deploy-rsync RSYNC_TARGET=user@host:/path   publish, then upload by rsync"
	@echo "make deploy-s3 S3_BUCKET=name [S3_ENDPOINT=url]   publish, then aws s3 sync"
	@echo "make deploy-gh-pages   publish, then push output/ to the gh-pages branch"
	@echo "make bench [N=2000]    time ingest and builds of N synthetic stories vs Hugo and vanilla Pelican"
	@echo "make bench-scale       time clustering and related stories at 10,000 and 100,000 reports"
	@echo "make eval-clustering   score story clustering on eval/ (writes eval/results.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed package.json package-lock.json
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	npm ci --no-audit --no-fund --loglevel=error
	@command -v chromium >/dev/null || { \
	  echo "Installing Chromium from Debian for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	touch $@

$(VENV)/.installed-bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[bench]'
	touch $@

$(VENV)/.installed-deploy: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[deploy]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-deploy: $(VENV)/.installed-deploy
install-bench: $(VENV)/.installed-bench

site: install ingest html

ingest: install
	$(BIN)/newsdigest ingest --sources $(SOURCES) --content $(CONTENT)

check: install
	$(BIN)/newsdigest check --sources $(SOURCES) --content $(CONTENT) --cache cache/newsdigest-check.pickle

html: install check
	$(PELICAN) -s pelicanconf.py
	$(BIN)/python -m newsdigest.search_index $(OUTPUT) --record cache/newsdigest-search.json

serve:
	$(BIN)/python -m http.server --directory $(OUTPUT) --bind 127.0.0.1 $(PORT)

devserver: install
	$(PELICAN) -s pelicanconf.py --autoreload --listen --bind 127.0.0.1 --port $(PORT)

publish: install check
	$(PELICAN) -s publishconf.py
	$(BIN)/python -m newsdigest.search_index $(OUTPUT) --record cache/newsdigest-search.json

# Each deploy target builds with publishconf.py, then uploads only changed
# files: rsync compares checksums; aws s3 sync compares sizes and times, and
# the build keeps the old mtime of every file whose bytes did not change;
# git (ghp-import) stores only changed files.
.PHONY: install-deploy devserver deploy-rsync deploy-s3 deploy-gh-pages
deploy-rsync: need-RSYNC_TARGET publish
	rsync -rlptvz --checksum --delete $(OUTPUT)/ $(RSYNC_TARGET)/

deploy-s3: need-S3_BUCKET publish
	aws s3 sync $(OUTPUT)/ s3://$(S3_BUCKET)/ --delete $(if $(S3_ENDPOINT),--endpoint-url $(S3_ENDPOINT)) $(S3_FLAGS)

deploy-gh-pages: install-deploy publish
	$(BIN)/ghp-import --no-jekyll --push --remote $(GH_PAGES_REMOTE) --branch $(GH_PAGES_BRANCH) --message "Publish the site" $(OUTPUT)

need-%:
	$(if $($*),,$(error $* is not set: see "make help"))

# Results go to bench/results.md (bench/results-N.md for another N) and .json;
# how clustering scales (10,000 and 100,000 reports) to bench/results-scale.md.
N ?= 2000
REPEAT ?= 3
.PHONY: bench bench-scale install-bench
bench: install-bench bench-scale
	$(BIN)/python -m bench.site_bench --stories $(N) --repeat $(REPEAT)

bench-scale: install-bench
	$(BIN)/python -m bench.cluster_bench 10000 100000 --results bench/results-scale.md

# Pairwise and B-cubed scores of `newsdigest cluster` on the labelled sets.
.PHONY: eval-clustering
eval-clustering: install
	$(BIN)/python eval/run.py

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: install-test install-deploy install-bench
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check > requirements.lock

clean:
	rm -rf $(OUTPUT) cache .newsdigest .pytest_cache .ruff_cache
