# Parcours: two commands do everything on a new machine.
#   make run   create .venv, install, load the demo data if the database is empty, start the app
#   make test  install what the tests need (Python packages, Chromium, PostgreSQL) and run them all
#   make lint  ruff and mypy (CI runs it before the tests)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.dev-installed
DEMO_SIZE ?= M
PORT ?= 8501
REPLICAS ?= 2
PROXY_PORT ?= 8500
export BROWSER_PATH ?= /usr/bin/chromium

.PHONY: run serve test bench bench-xl lint install install-dev system-deps dictionary demo clean

$(BIN)/python:
	@echo "==> Creating the Python environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)

# pip is quiet (no line per package) but keeps its progress bars: a first install takes a minute or two.
$(STAMP): requirements.txt | $(BIN)/python
	@echo "==> Installing Parcours' Python packages (requirements.txt; a minute or two the first time)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --progress-bar on -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	@echo "==> Installing the test and lint tools (requirements-dev.txt)"
	$(BIN)/python -m pip install --quiet --progress-bar on -r requirements-dev.txt
	touch $@

install: $(STAMP)

install-dev: $(DEV_STAMP)

## Chromium (browser tests, PNG export) and PostgreSQL (database tests), from Debian's packages.
system-deps:
	bash scripts/install-system-deps.sh

run: $(STAMP)
	@echo "==> Loading the demo data if the database is empty (size $(DEMO_SIZE); about a minute the first time)"
	$(BIN)/python -m etl init-demo --size $(DEMO_SIZE)
	$(BIN)/python -m dashboard users bootstrap
	@echo "==> Starting Parcours on http://localhost:$(PORT) (another port: make run PORT=8600; Ctrl+C stops it)"
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

## Several app processes behind nginx (sticky sessions): make serve REPLICAS=3; they share one on-disk snapshot.
serve: $(STAMP)
	$(BIN)/python -m etl init-demo --size $(DEMO_SIZE)
	$(BIN)/python -m dashboard users bootstrap
	@echo "==> Starting $(REPLICAS) Parcours processes (ports from $(PORT)) behind nginx on http://localhost:$(PROXY_PORT)"
	REPLICAS=$(REPLICAS) PORT=$(PORT) PROXY_PORT=$(PROXY_PORT) PYTHON=$(BIN)/python bash scripts/serve.sh

test: $(DEV_STAMP) system-deps
	$(BIN)/python -m pytest -q

bench: $(DEV_STAMP) system-deps
	$(BIN)/python -m bench.bench_etl
	$(BIN)/python -m bench.bench_dashboard
	$(BIN)/python -m bench.bench_report
	$(BIN)/python -m bench.bench_analyses
	$(BIN)/python -m bench.bench_cohorts
	$(BIN)/python -m bench.bench_snapshot
	$(BIN)/python -m bench.bench_capacity
	$(BIN)/python -m bench.bench_capacity --navigation links
	$(BIN)/python -m bench.bench_planted  # last: it fails (exit 1) when a planted effect is not recovered

# The federation's size (1 million persons, 67.5 million rows; about 1 hour, 20 GB of disk); not in CI.
bench-xl: $(DEV_STAMP) system-deps
	$(BIN)/python -m bench.bench_etl --sizes XL --no-postgres
	$(BIN)/python -m bench.bench_snapshot --size XL --processes 3
	$(BIN)/python -m bench.bench_dashboard --size XL --snapshot --no-browser
	$(BIN)/python -m bench.bench_capacity --size XL

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m mypy dashboard etl models

dictionary: $(STAMP)
	$(BIN)/python -m etl dictionary

demo: $(STAMP)
	$(BIN)/python -m etl demo --size $(DEMO_SIZE) --out data/demo-$(DEMO_SIZE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts
