# Parcours: two commands do everything on a new machine.
#   make run   create .venv, install, load the demo data if the database is empty, start the app
#   make test  install what the tests need (Python packages, Chromium, PostgreSQL) and run them all
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.dev-installed
DEMO_SIZE ?= M
PORT ?= 8501
export BROWSER_PATH ?= /usr/bin/chromium

.PHONY: run test bench lint install install-dev system-deps dictionary demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(STAMP)

install-dev: $(DEV_STAMP)

## Chromium (browser tests, PNG export) and PostgreSQL (database tests), from Debian's packages.
system-deps:
	bash scripts/install-system-deps.sh

run: $(STAMP)
	$(BIN)/python -m etl init-demo --size $(DEMO_SIZE)
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

test: $(DEV_STAMP) system-deps
	$(BIN)/python -m pytest -q

bench: $(DEV_STAMP) system-deps
	$(BIN)/python -m bench.bench_etl
	$(BIN)/python -m bench.bench_dashboard
	$(BIN)/python -m bench.bench_report

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

dictionary: $(STAMP)
	$(BIN)/python -m etl dictionary

demo: $(STAMP)
	$(BIN)/python -m etl demo --size $(DEMO_SIZE) --out data/demo-$(DEMO_SIZE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts
