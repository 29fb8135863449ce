import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list


def test_env_bool_rejects_what_it_cannot_read(monkeypatch):
    monkeypatch.setenv("FLAG", "treu")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean"):
        env_bool("FLAG")
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True


def test_env_int_rejects_what_it_cannot_read(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="N must be an integer"):
        env_int("N", 1)
    monkeypatch.delenv("N")
    assert env_int("N", 7) == 7


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.org, b.org,,")
    assert env_list("HOSTS", []) == ["a.org", "b.org"]


def read_settings(env: dict, *names: str) -> list[str]:
    code = "import django; from django.conf import settings as s; django.setup(); " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def test_the_embedded_default_needs_no_environment(tmp_path):
    debug, engine, eager = read_settings(
        {"ATLAS_VAR_DIR": str(tmp_path)},
        "DEBUG",
        "DATABASES['default']['ENGINE']",
        "CELERY_TASK_ALWAYS_EAGER",
    )
    assert debug == "False"
    assert engine == "'django.db.backends.sqlite3'"
    assert eager == "True"
    assert (tmp_path / "secret_key").exists()


def test_production_settings_come_from_the_environment(tmp_path):
    engine, eager, secure = read_settings(
        {
            "ATLAS_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://u:p@db:5432/atlas",
            "CELERY_BROKER_URL": "redis://redis:6379/0",
            "DJANGO_HTTPS": "true",
            "DJANGO_SECRET_KEY": "x" * 50,
        },
        "DATABASES['default']['ENGINE']",
        "CELERY_TASK_ALWAYS_EAGER",
        "SESSION_COOKIE_SECURE",
    )
    assert engine == "'django.db.backends.postgresql'"
    assert eager == "False"
    assert secure == "True"


def test_a_rotated_secret_key_keeps_the_previous_one_as_a_fallback(tmp_path):
    (fallbacks,) = read_settings(
        {
            "ATLAS_VAR_DIR": str(tmp_path),
            "DJANGO_SECRET_KEY": "new-" + "x" * 50,
            "DJANGO_SECRET_KEY_FALLBACKS": "old-" + "y" * 50,
        },
        "SECRET_KEY_FALLBACKS",
    )
    assert fallbacks == repr(["old-" + "y" * 50])
