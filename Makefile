# Xuefa — two commands on a fresh machine:
#   make run    set up everything, load demo data, serve http://127.0.0.1:8000
#   make test   set up everything, run ruff, mypy, the schema and migrations checks, pytest with a coverage
#               floor (PostgreSQL when DATABASE_URL is set)
SHELL := /bin/bash
PYTHON := $(shell scripts/find-python.sh)
UV := $(PYTHON) -m uv
export UV_PYTHON := $(PYTHON)
export UV_PROJECT_ENVIRONMENT := .venv
VENV_PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint typecheck migrations pytest bench schema frontend clean

install:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	@$(UV) sync --frozen --quiet

frontend:
	@if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund && npm run build; fi

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
FULL_COVERAGE := accounts/scopes.py,quizzes/scoring.py,quizzes/ranking.py,quizzes/reporting.py,quizzes/quality.py

pytest: install
	.venv/bin/pytest --create-db -q --cov --cov-report=term
	.venv/bin/coverage report --include=$(FULL_COVERAGE) --fail-under=100 --no-skip-covered

migrations: install
	@# models against migrations only: no database needed, so an in-memory one whatever DATABASE_URL says
	DATABASE_URL=sqlite://:memory: $(VENV_PY) manage.py makemigrations --check --dry-run

test: lint typecheck schema migrations pytest

bench: install
	$(VENV_PY) bench/import_bench.py
	$(VENV_PY) bench/exam_bench.py
	$(VENV_PY) bench/results_bench.py

clean:
	rm -rf .venv staticfiles db.sqlite3 .mypy_cache .ruff_cache .coverage
