import hashlib

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def plain_static_storage():
    """Serve static files without the hashed manifest, so tests need no collectstatic run."""
    storages = {**settings.STORAGES}
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Tests change data inside rolled-back transactions, without moving the data version,
    so a response cached by one test must not be served to the next."""
    cache.clear()
    yield


@pytest.fixture
def redis_down(settings):
    """The production cache, pointed at a port where no Redis answers (connection refused):
    what the app meets while Redis is stopped. Each process's fallback counts start empty."""
    from dashboard import rate_limit

    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    rate_limit._process_counts.clear()
    yield
    rate_limit._process_counts.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the curated dataset, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("load_dataset", str(settings.ATLAS_DATA_DIR), verbosity=0)


@pytest.fixture
def data_dir():
    return settings.ATLAS_DATA_DIR


def database_checksum() -> str:
    """A digest of every row of every table, to prove that a failed load wrote nothing."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("django_session"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            digest.update(table.encode())
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()
