"""Redis stops: pages and API keep serving from PostgreSQL and the snapshots; a curated
change made meanwhile is refreshed by the worker once Redis is back, without anyone
re-queueing it (beat's catch-up finds the refresh it is owed)."""

import shutil

import psycopg
import pytest
from django.conf import settings

from tests.chaos.services import (
    URLS,
    App,
    PrivateRedis,
    drop_database,
    scratch_database,
    wait_until,
)


@pytest.fixture
def stack(tmp_path):
    redis = PrivateRedis(tmp_path)
    redis.start()
    name, url = scratch_database()
    app = App(
        tmp_path,
        url,
        redis.url,
        ATLAS_CATCH_UP_SECONDS="2",
        ATLAS_CATCH_UP_GRACE_SECONDS="0",
    )
    try:
        yield app, redis, url
    finally:
        app.close()
        redis.stop()
        drop_database(name)


def czech_start(url: str) -> list[str]:
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        rows = conn.execute(
            "SELECT m.valid_from FROM dashboard_mapinterval m "
            "JOIN initiatives_initiative i ON i.id = m.initiative_id "
            "WHERE i.slug = 'clean-network' AND m.iso_alpha3 = 'CZE'"
        ).fetchall()
    return [str(r[0]) for r in rows]


def test_the_site_serves_without_redis_and_catches_up_after(stack, tmp_path):
    app, redis, url = stack
    app.manage("migrate", "--noinput")
    app.manage("load_dataset")
    app.manage("refresh_views")
    app.serve()
    app.worker()
    app.beat()
    assert set(app.statuses().values()) == {200}  # and now in the response cache

    redis.stop()
    down = app.statuses()
    assert down == {u: 200 for u in URLS}, down
    # Pages never cached before render from the database too.
    assert set(app.statuses(["/sources/", "/api/v1/events/?limit=5"]).values()) == {200}

    # A curator's change while the broker is down: it commits; its refresh cannot be queued.
    data = tmp_path / "data"
    shutil.copytree(settings.ATLAS_DATA_DIR, data)
    path = data / "initiatives/clean-network.yaml"
    path.write_text(path.read_text().replace("joined_on: '2020-05-06'", "joined_on: '2020-05-20'"))
    app.manage("load_dataset", str(data), timeout=120)
    assert czech_start(url) == ["2020-05-06"]  # the last good snapshot, still served
    assert set(app.statuses().values()) == {200}

    redis.start()
    wait_until(
        "the refresh owed to the change made while Redis was down",
        lambda: czech_start(url) == ["2020-05-20"],
        timeout=120,
        logs=tmp_path,
    )
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        outcome, eager = conn.execute(
            "SELECT outcome, eager FROM dashboard_refreshrun ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert (outcome, eager) == ("success", False)
    assert set(app.statuses().values()) == {200}
    assert "Cache unavailable" in (tmp_path / "gunicorn.log").read_text()
