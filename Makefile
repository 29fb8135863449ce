# One command file for developers and CI. `make run` and `make test` are the README's two commands.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL the suite runs against a second time (pytest-django creates test_<name> there).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: install run worker beat data api-fuzz bench load chaos test test-sqlite test-postgres lint format migrations-check check clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Load the curated dataset into the configured database (SQLite in var/ by default)
## and rebuild the snapshot tables the pages read.
data: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_dataset
	$(PY) manage.py refresh_views

## Install, migrate, load the dataset and serve the dashboard at http://$(HOST):$(PORT)/
run: data
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py runserver $(HOST):$(PORT)

## Install and run the whole suite: on SQLite (the embedded default), then on PostgreSQL.
## Production-style processes (need CELERY_BROKER_URL and DATABASE_URL).
worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

test: install lint migrations-check test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: install
	@$(PY) -c 'import psycopg, dj_database_url as d, sys; c = d.parse("$(TEST_DATABASE_URL)"); psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], dbname=c["NAME"], password=c["PASSWORD"] or None, connect_timeout=5).close()' \
	  || { echo "PostgreSQL at $(TEST_DATABASE_URL) is not reachable: start it or set TEST_DATABASE_URL (make test-sqlite runs the SQLite half alone)."; exit 1; }
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest

## Fuzz the API against its OpenAPI schema (schemathesis) on a live gunicorn.
api-fuzz: install
	PY=$(PY) bash scripts/api_fuzz.sh

## Benchmark at SIZE=S|M|L on the local PostgreSQL with wrk; writes bench/results/$(SIZE).json.
SIZE ?= M
bench: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) bench/run.py --size $(SIZE)

## 60 s at concurrency 32 over the mixed page and API set, then at the real anonymous rate:
## zero errors, flat memory, 429 and never 5xx when throttled. Writes bench/results/load.json.
load: install
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) bench/load.py

## Fault tests on private Redis and PostgreSQL instances: Redis stopped, a worker killed
## mid-refresh, PostgreSQL restarted under load (tests/chaos).
chaos: install
	ATLAS_CHAOS=1 env -u DATABASE_URL $(PY) -m pytest tests/chaos

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf $(VENV) var .pytest_cache
