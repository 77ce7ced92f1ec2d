# Netralitas: `make demo` serves the product, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export NETRALITAS_HOME ?= $(CURDIR)/var

.PHONY: install demo test test-sqlite test-postgres lint ci chromium clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e ".[test,train]"
	touch $(STAMP)

# The detector's hot modules compiled with mypyc (optional: without a compiler the pure-Python
# detector runs, same results, slower). Rebuilt when one of them changes.
ACCEL := netralitas/detection/_compiled/stamp.json
# The modules of accel.COMPILED and accel.NATIVE, and accel.py itself.
ACCEL_SRC := $(addprefix netralitas/detection/,normalise.py linker.py features.py forest.py \
	model.py detector.py jsonl.py accel.py _scorer.c _chunks.c)
$(ACCEL): $(STAMP) $(ACCEL_SRC)
	$(BIN)/python -m netralitas.detection.compile || true

install: $(STAMP) $(ACCEL)

demo: install
	$(BIN)/netralitas demo --port $${PORT:-8000}

# Debian's Chromium for the browser test; never a downloaded browser build.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed: the browser test will be skipped"; \
		else echo "no /usr/bin/chromium and no way to install it: the browser test will be skipped"; fi; \
	fi

test: install chromium
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== test suite on SQLite =="
	NETRALITAS_HOME=$$(mktemp -d) DATABASE_URL= $(BIN)/pytest -q

# Runs when PostgreSQL answers on 127.0.0.1:5432 (it does on CI); says so when it does not.
test-postgres:
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== test suite on PostgreSQL =="; \
		NETRALITAS_HOME=$$(mktemp -d) DATABASE_URL=$(PG_URL) $(BIN)/pytest -q; \
	else echo "PostgreSQL is not answering on 127.0.0.1:5432: PostgreSQL run skipped"; fi

# Pure modules (no Django models) are type-checked strictly; they are libraries.
TYPED := netralitas/elections/config.py netralitas/elections/reference_config.py \
	netralitas/elections/guidance.py \
	netralitas/registry/nip.py netralitas/reports/tracking.py netralitas/reports/uploads.py \
	netralitas/cases/workdays.py netralitas/detection \
	netralitas/monitoring/importers netralitas/monitoring/clustering.py \
	netralitas/registry/spreadsheet.py netralitas/dashboards/charts.py

lint: install
	$(BIN)/ruff check netralitas benchmarks
	$(BIN)/ruff format --check netralitas benchmarks
	$(BIN)/mypy --strict --exclude 'tests/' $(TYPED)
	NETRALITAS_HOME=$$(mktemp -d) $(BIN)/netralitas makemigrations --check --dry-run

ci: lint test

messages: install
	cd netralitas && ../$(BIN)/netralitas makemessages -l id --no-obsolete --ignore "tests*" --ignore "tests_browser*" && ../$(BIN)/netralitas compilemessages -l id

clean:
	rm -rf $(VENV) var .pytest_cache netralitas/detection/_compiled
