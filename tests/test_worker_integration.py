"""The production parts for real: a Celery worker on the local Redis refreshes the snapshots
after a curated change, and beat installs the nightly schedule. No eager execution here.

The stack gets its own database (PostgreSQL when this run tests PostgreSQL, else an SQLite
file) and its own Redis databases, so it never touches the test database or a developer's.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from datetime import date
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.processes import spawn_logged, stop_groups, wait_until

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
BROKER_DB, CACHE_DB = 15, 14


class Stack:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.processes: list[subprocess.Popen] = []
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            db = connection.settings_dict
            self.pg = dict(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"])
            self.pg_password = db["PASSWORD"]
            self.name = f"atlas_it_{uuid.uuid4().hex[:8]}"
            with self._pg("postgres") as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            auth = (
                f"{self.pg['user']}:{self.pg_password}@"
                if self.pg_password
                else f"{self.pg['user']}@"
            )
            self.database_url = f"postgres://{auth}{self.pg['host']}:{self.pg['port']}/{self.name}"
        else:
            self.path = tmp / "stack.sqlite3"
            self.database_url = f"sqlite:///{self.path}"
        for db in (BROKER_DB, CACHE_DB):
            redis.Redis.from_url(f"{REDIS_URL}/{db}").flushdb()
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": f"{REDIS_URL}/{BROKER_DB}",
            "CACHE_URL": f"{REDIS_URL}/{CACHE_DB}",
            "ATLAS_VAR_DIR": str(tmp / "var"),
            "ATLAS_REFRESH_DEBOUNCE_SECONDS": "1",
            "DJANGO_SECRET_KEY": "integration-test-key-" + "x" * 40,
        }

    def _pg(self, dbname):
        return psycopg.connect(
            dbname=dbname, password=self.pg_password or None, autocommit=True, **self.pg
        )

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )

    def start(self, *celery_args) -> subprocess.Popen:
        process = spawn_logged(
            [sys.executable, "-m", "celery", "-A", "config", *celery_args],
            self.tmp / f"{celery_args[0]}.log",
            self.env,
        )
        self.processes.append(process)
        return process

    def query(self, sql: str, params=()):
        sql = sql.replace("%s", "?") if self.vendor != "postgresql" else sql
        if self.vendor == "postgresql":
            with self._pg(self.name) as conn:
                cursor = conn.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        with closing(sqlite3.connect(self.path, timeout=30)) as conn, conn:
            return conn.execute(sql, params).fetchall()

    def wait_for(self, what: str, check, timeout=90):
        return wait_until(what, check, timeout, logs=self.tmp, every=0.5)

    def close(self):
        stop_groups(self.processes)
        for db in (BROKER_DB, CACHE_DB):
            redis.Redis.from_url(f"{REDIS_URL}/{db}").flushdb()
        if self.vendor == "postgresql":
            with self._pg("postgres") as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("stack"))
    try:
        stack.manage("migrate", "--noinput")
        yield stack
    finally:
        stack.close()


def worker_runs(stack):
    return stack.query(
        "SELECT id, outcome, eager, worker, scope FROM dashboard_refreshrun "
        "WHERE outcome = 'success' ORDER BY id"
    )


def czech_clean_network_start(stack):
    rows = stack.query(
        "SELECT m.valid_from FROM dashboard_mapinterval m "
        "JOIN initiatives_initiative i ON i.id = m.initiative_id "
        "WHERE i.slug = 'clean-network' AND m.iso_alpha3 = 'CZE'"
    )
    return [str(r[0]) for r in rows]


def test_a_worker_refreshes_the_snapshot_after_a_curated_change(stack, tmp_path):
    # Loading the dataset queues a refresh on Redis; nothing runs it until a worker starts.
    stack.manage("load_dataset")
    time.sleep(2)
    assert worker_runs(stack) == []

    stack.start(
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-n",
        "atlas-it@%h",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    )
    first = stack.wait_for("the worker's first refresh", lambda: worker_runs(stack))
    _, outcome, eager, worker, scope = first[0]
    assert (outcome, bool(eager), scope) == ("success", False, "all")
    assert worker.startswith("atlas-it@")
    assert czech_clean_network_start(stack) == ["2020-05-06"]

    # A curator's change: the Czech declaration re-dated. The worker picks it up.
    data = tmp_path / "data"
    shutil.copytree(settings.ATLAS_DATA_DIR, data)
    path = data / "initiatives/clean-network.yaml"
    path.write_text(path.read_text().replace("joined_on: '2020-05-06'", "joined_on: '2020-05-20'"))
    stack.manage("load_dataset", str(data))
    stack.wait_for(
        "the refreshed map interval",
        lambda: czech_clean_network_start(stack) == [str(date(2020, 5, 20))],
    )
    # The run is marked successful just after its snapshot swap commits.
    runs = stack.wait_for(
        "the second run's record", lambda: (r := worker_runs(stack)) and len(r) == 2 and r
    )
    assert not any(eager for _, _, eager, _, _ in runs)


def test_a_failed_refresh_keeps_the_old_snapshot_and_the_worker_retries(stack, tmp_path):
    """Take a snapshot table away mid-run, then give it back: the retry completes."""
    stack.query("ALTER TABLE dashboard_timelineentry_actors RENAME TO timeline_actors_away")
    restored = False
    try:
        data = tmp_path / "data"
        shutil.copytree(settings.ATLAS_DATA_DIR, data)
        path = data / "initiatives/clean-network.yaml"
        path.write_text(
            path.read_text().replace("joined_on: '2020-05-06'", "joined_on: '2020-06-01'")
        )
        stack.manage("load_dataset", str(data))
        failed = stack.wait_for(
            "a failed refresh",
            lambda: stack.query(
                "SELECT id, error, eager FROM dashboard_refreshrun WHERE outcome = 'failed'"
            ),
        )
        assert "timelineentry_actors" in failed[0][1] and not failed[0][2]
        # The swap rolled back: the map still shows the last good snapshot.
        assert czech_clean_network_start(stack) == ["2020-05-20"]

        stack.query("ALTER TABLE timeline_actors_away RENAME TO dashboard_timelineentry_actors")
        restored = True
        stack.wait_for(
            "the retried refresh",
            lambda: czech_clean_network_start(stack) == ["2020-06-01"],
        )
        later = stack.wait_for(
            "the retried run's record",
            lambda: stack.query(
                "SELECT COUNT(*) FROM dashboard_refreshrun WHERE outcome = 'success' AND id > %s",
                (failed[0][0],),
            )[0][0],
        )
        assert later == 1
    finally:
        if not restored:
            stack.query("ALTER TABLE timeline_actors_away RENAME TO dashboard_timelineentry_actors")


def test_beat_installs_the_nightly_refresh(stack):
    stack.start("beat", "--loglevel=INFO", "-s", str(stack.tmp / "beat-schedule"))
    rows = stack.wait_for(
        "beat's schedule rows",
        lambda: stack.query(
            "SELECT task, enabled FROM django_celery_beat_periodictask WHERE name = %s",
            ("nightly-refresh-views",),
        ),
    )
    assert rows[0][0] == "dashboard.refresh_views" and rows[0][1]
