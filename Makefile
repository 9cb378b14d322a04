# Xuefa — two commands on a fresh machine:
#   make run    set up everything, load demo data, serve http://127.0.0.1:8000
#   make test   set up everything, run ruff, mypy, the schema and migrations checks, pytest with a coverage
#               floor (PostgreSQL when DATABASE_URL is set) and the front end's checks and tests (Vitest;
#               Playwright browser tests unless DATABASE_URL is set)
SHELL := /bin/bash
PYTHON := $(shell scripts/find-python.sh)
UV := $(PYTHON) -m uv
export UV_PYTHON := $(PYTHON)
export UV_PROJECT_ENVIRONMENT := .venv
VENV_PY := .venv/bin/python
# Settings refuse to load without DJANGO_SECRET_KEY unless DJANGO_DEBUG=1; the checks below (mypy's Django
# plugin, the schema, migrations) load them with this throwaway key unless the environment sets one.
export DJANGO_SECRET_KEY ?= make-checks-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint typecheck migrations pytest bench chaos schema frontend clean schema-ts test-frontend e2e bench-frontend bench-load bench-two-servers

install:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --frozen --quiet

# --- Web front end (frontend/): Node >= 20.19 from the machine, else from PyPI into .venv ----------------
WITH_NODE = PATH="$$($(CURDIR)/scripts/find-node.sh):$$PATH"
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/package-lock.json

frontend/node_modules/.xuefa-installed: frontend/package-lock.json | install
	cd frontend && $(WITH_NODE) npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: frontend/node_modules/.xuefa-installed $(FRONTEND_SOURCES)
	cd frontend && $(WITH_NODE) npm run build

frontend: frontend/dist/index.html

schema-ts: install frontend/node_modules/.xuefa-installed
	cd frontend && $(WITH_NODE) npm run schema-ts

# The checked-in API types must match the schema; then type-check and unit-test the app.
test-frontend: install frontend/node_modules/.xuefa-installed
	cd frontend && $(WITH_NODE) npm run schema-ts:check
	cd frontend && $(WITH_NODE) npm run typecheck
	cd frontend && $(WITH_NODE) npm run test:unit

# Browser tests against a real server on a throwaway SQLite database (Debian's chromium, never a download),
# then the exam route's budgets (JS <= 300 KB gzipped, Fast 3G first load <= 3 s). They test the app, not
# the database: run once, on the SQLite pass of `make test`.
e2e: frontend
	@if [ -n "$${DATABASE_URL:-}" ]; then echo "e2e: skipped when DATABASE_URL is set (they run on the SQLite pass)"; \
	else cd frontend && $(WITH_NODE) npx playwright test && $(WITH_NODE) npm run measure; fi

bench-frontend: frontend
	cd frontend && $(WITH_NODE) npm run measure

run: install frontend
	DJANGO_DEBUG=1 $(VENV_PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(VENV_PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(VENV_PY) manage.py collectstatic --no-input -v0
	@echo "Xuefa is serving on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	DJANGO_DEBUG=1 $(VENV_PY) manage.py runserver $(HOST):$(PORT)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install
	.venv/bin/mypy .

schema: install
	$(VENV_PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

# coverage floor: 95 % overall (pyproject.toml), 100 % for the pure rules and the scopes
FULL_COVERAGE := accounts/scopes.py,quizzes/scoring.py,quizzes/ranking.py,quizzes/reporting.py,quizzes/statistics.py,quizzes/quality.py,quizzes/lawtexts.py,quizzes/timing.py,quizzes/certificates.py,quizzes/learning.py

pytest: install
	.venv/bin/pytest --create-db -q --cov --cov-report=term
	.venv/bin/coverage report --include=$(FULL_COVERAGE) --fail-under=100 --no-skip-covered

migrations: install
	@# models against migrations only: no database needed, so an in-memory one whatever DATABASE_URL says
	DATABASE_URL=sqlite://:memory: $(VENV_PY) manage.py makemigrations --check --dry-run

test: lint typecheck schema migrations pytest test-frontend e2e

bench: install
	$(VENV_PY) bench/import_bench.py
	$(VENV_PY) bench/exam_bench.py
	$(VENV_PY) bench/results_bench.py
	$(VENV_PY) bench/certificates_bench.py
	@if [[ "$${DATABASE_URL:-}" == postgres* && -n "$${REDIS_URL:-}" ]]; then $(MAKE) --no-print-directory chaos; \
	else echo "chaos: skipped (needs DATABASE_URL=postgres://… and REDIS_URL=redis://…; run make chaos)"; fi
	$(MAKE) --no-print-directory bench-load
	$(MAKE) --no-print-directory bench-two-servers

# Fault test (docs/security.md): kill -9 gunicorn workers and cut their database connections while clients
# autosave; every acknowledged answer must be in the database. Production stores: PostgreSQL and Redis.
chaos: install
	$(VENV_PY) bench/chaos.py

# The real server under an exam's load, over HTTP, against the ceiling of the same server (bench/load_bench.py):
# PostgreSQL and Redis (XUEFA_BENCH_DATABASE_URL, XUEFA_BENCH_REDIS_URL), wrk. BENCH_LOAD_ARGS=--full for the city.
bench-load: install
	$(VENV_PY) bench/load_bench.py $(BENCH_LOAD_ARGS)

# Two app servers behind one nginx on the same PostgreSQL and Redis, one killed (kill -9) mid-run, once while
# participants save answers and once while they submit: no request fails but those in flight on it, which a
# retry completes; every acknowledged answer and submit is stored (bench/two_servers.py).
bench-two-servers: install
	$(VENV_PY) bench/two_servers.py
	$(VENV_PY) bench/two_servers.py --kill-during submit

clean:
	rm -rf .venv staticfiles db.sqlite3 .mypy_cache .ruff_cache .coverage frontend/node_modules frontend/dist frontend/test-results
