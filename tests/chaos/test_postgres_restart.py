"""PostgreSQL restarts under load: the app reconnects, and only requests in flight while
it was down may fail."""

import threading
import time

import pytest

from tests.chaos.services import URLS, App, PrivatePostgres, status_of


@pytest.fixture
def stack(tmp_path):
    postgres = PrivatePostgres()
    postgres.start()
    app = App(tmp_path, postgres.url, DATABASE_CONN_MAX_AGE="600")
    try:
        yield app, postgres
    finally:
        app.close()
        postgres.close()


def test_the_app_reconnects_after_a_postgres_restart(stack):
    app, postgres = stack
    app.manage("migrate", "--noinput")
    app.manage("load_dataset")
    app.manage("refresh_views")
    app.serve(workers=2)
    for _ in range(3):  # every worker holds a persistent connection now
        assert set(app.statuses().values()) == {200}

    outcomes: list[tuple[float, int]] = []
    crashed: list[BaseException] = []
    stop = threading.Event()

    def keep_asking():
        try:
            while not stop.is_set():
                for url in URLS:
                    sent = time.monotonic()
                    outcomes.append((sent, status_of(app.url + url)))
        except BaseException as error:  # a dead load thread would leave nothing to judge
            crashed.append(error)

    load = threading.Thread(target=keep_asking)
    load.start()
    time.sleep(1)
    restart_began = time.monotonic()
    postgres.restart()
    restart_ended = time.monotonic()
    time.sleep(3)
    stop.set()
    load.join()
    assert not crashed, crashed

    # Outcomes are keyed by when each request was sent: a request sent once the restart
    # was over must succeed; only those sent while it was going on may fail.
    after = [status for sent, status in outcomes if sent > restart_ended]
    assert len(after) > 10 and set(after) == {200}, after
    failed = [(sent, status) for sent, status in outcomes if status != 200]
    assert all(restart_began - 1 <= sent <= restart_ended for sent, _ in failed), failed
    # And a fresh round on every page after the restart: all answered.
    assert set(app.statuses().values()) == {200}
