"""A worker killed in the middle of a refresh: the old snapshot stays whole, and the next
refresh, on a new worker, completes."""

import time

import psycopg
import pytest
from celery import Celery

from tests.chaos.services import App, PrivateRedis, drop_database, scratch_database, wait_until

SNAPSHOT_TABLES = [
    "dashboard_signatorycount",
    "dashboard_mapinterval",
    "dashboard_statealignment",
    "dashboard_statecamp",
    "dashboard_timelineentry",
]


@pytest.fixture
def stack(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    name, url = scratch_database()
    app = App(tmp_path, url, redis.url)
    try:
        yield app, redis, url.replace("postgres://", "postgresql://")
    finally:
        app.close()
        redis.stop()
        drop_database(name)


def snapshot_fingerprint(conn) -> dict[str, tuple]:
    return {
        table: conn.execute(f"SELECT COUNT(*), MAX(id) FROM {table}").fetchone()
        for table in SNAPSHOT_TABLES
    }


def runs(conn, outcome: str) -> int:
    return conn.execute(
        "SELECT COUNT(*) FROM dashboard_refreshrun WHERE outcome = %s AND NOT eager", (outcome,)
    ).fetchone()[0]


def test_a_refresh_killed_midway_leaves_the_old_snapshot_and_the_next_one_completes(stack):
    app, redis, url = stack
    app.manage("migrate", "--noinput")
    app.manage("load_dataset")
    app.manage("refresh_views")
    celery = Celery(broker=f"{redis.url}/0")
    with psycopg.connect(url, autocommit=True) as conn:
        before = snapshot_fingerprint(conn)

        # Hold the map table so the refresh stops inside its swap transaction, after it
        # has already deleted the old signatory counts.
        blocker = psycopg.connect(url)
        blocker.execute("LOCK TABLE dashboard_mapinterval IN ACCESS EXCLUSIVE MODE")
        worker = app.worker("doomed")
        celery.send_task("dashboard.refresh_views")
        wait_until(
            "the refresh to block inside its swap",
            lambda: conn.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query ILIKE '%%dashboard_mapinterval%%'"
            ).fetchone()[0],
            logs=app.tmp,
        )
        App.kill(worker)  # SIGKILL, mid-transaction
        blocker.rollback()
        blocker.close()
        wait_until(
            "PostgreSQL to drop the dead worker's session",
            lambda: (
                not conn.execute(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                ).fetchone()[0]
            ),
        )
        assert snapshot_fingerprint(conn) == before  # the swap rolled back whole
        assert runs(conn, "success") == 0

        app.worker("next")
        celery.send_task("dashboard.refresh_views")
        wait_until("the next refresh", lambda: runs(conn, "success") >= 1, logs=app.tmp)
        time.sleep(0.5)
        after = snapshot_fingerprint(conn)
        assert {t: v[0] for t, v in after.items()} == {t: v[0] for t, v in before.items()}
        assert all(after[t][1] > before[t][1] for t in SNAPSHOT_TABLES)  # rows are new
        # The killed run is no longer shown as running (a redelivery of the killed task,
        # if the broker hands it out again, may still be running for a moment).
        wait_until("no run left running", lambda: runs(conn, "running") == 0, logs=app.tmp)
        assert runs(conn, "lost") == 1
