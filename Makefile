# Accord: the two quick-start commands are `make demo` and `make test`.
# `make test` reads nothing outside the repository; `make test-shared` runs the tests that read the
# project's shared folder of public benchmark domains and sourced facts (tests/shared_folder).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test test-fast test-shared services lint typecheck imports unit clean bench bench-frontier bench-sim bench-tournament bench-server bench-write-cycle bench-cli bench-ingest check-domain-export

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[server,sim,ingest]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-demo

demo: $(VENV)/.installed-demo
	$(BIN)/accord demo

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python tools/sizes.py src

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy src

imports: $(VENV)/.installed-test
	$(BIN)/lint-imports

unit: services
	$(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# PostgreSQL and Chromium for the tests: used if there, else installed and started (root, apt-get),
# else one line saying what to run (tools/services.sh).
services: $(VENV)/.installed-test
	@PYTHON=$(BIN)/python bash tools/services.sh

test: services lint typecheck imports unit

# The edit loop: the linters, then the suite without a browser, PostgreSQL or the slow tests
# (SQLite, Dask and the rest stay real); `make test` runs everything before a commit is pushed.
test-fast: lint typecheck imports
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider -m "not browser and not postgres and not slow"

# The tests that read the shared folder (beside the checkout or a parent of it, or $ACCORD_SHARED).
test-shared: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider tests/shared_folder

# Benchmarks against NegMAS (AGPL, kept in its own venv; never run by CI)
BENCH_VENV ?= .venv-bench
$(BENCH_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install -q -e '.[bench]' 'negmas==0.16.0'
	touch $@

bench: bench-frontier bench-sim bench-tournament

bench-frontier: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python bench/bench_frontier.py $(BENCH_ARGS)

bench-sim: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python bench/bench_sim.py
	$(BENCH_VENV)/bin/python bench/bench_backends.py

# The whole `accord tournament` process (200,000 negotiations) against NegMAS's SAO, same domains
bench-tournament: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python bench/bench_tournament.py $(BENCH_ARGS)

# The domains `accord domain export` writes, loaded by NegMAS: same utilities on a sample of outcomes
check-domain-export: $(BENCH_VENV)/.installed
	$(BENCH_VENV)/bin/python bench/check_domain_export.py $(CHECK_ARGS)

bench-server: $(VENV)/.installed-test
	$(BIN)/python bench/bench_server.py

# One write's cost to a server process (record, fold, views), without HTTP
bench-write-cycle: $(VENV)/.installed-test
	$(BIN)/python bench/bench_write_cycle.py

bench-cli: $(VENV)/.installed-demo
	$(BIN)/python bench/bench_cli.py
# Reading news: precision and recall per kind of draft on tests/ingest/corpus, and the time to
# read a 2,000-word article (printed, never asserted)
bench-ingest: $(VENV)/.installed-test
	$(BIN)/python bench/bench_ingest.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
