"""There is no Docker engine here, so the compose file is checked by reading it against the
settings, the Dockerfile and the entry points that are really installed."""

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_env_names() -> set[str]:
    source = (ROOT / "config/settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))


def env_example_names() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z0-9_]+=", line)}


def test_the_stack_has_its_five_services(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "postgres", "redis"}


def test_app_services_share_one_image_built_from_the_dockerfile(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["build"] == "." and service["image"] == "tech-policy-atlas:latest"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install ." in dockerfile and "collectstatic" in dockerfile


def test_app_services_wait_for_healthy_postgres_and_redis(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "pgdata" in compose["volumes"]


def test_app_configuration_uses_only_settings_the_code_reads(compose):
    read = settings_env_names()
    for name in APP_SERVICES:
        passed = set(compose["services"][name]["environment"])
        assert passed <= read, f"{name} passes variables settings never read: {passed - read}"
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "DJANGO_SECRET_KEY"} <= passed


def test_every_variable_is_documented_in_env_example(compose):
    documented = env_example_names()
    assert settings_env_names() <= documented
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    assert interpolated <= documented, interpolated - documented


def test_commands_name_entry_points_that_exist(compose):
    services = compose["services"]
    web = services["web"]["command"]
    assert "manage.py migrate" in web and "manage.py load_dataset" in web
    assert "gunicorn config.wsgi" in web
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    bin_dir = Path(sys.executable).parent
    for program in ("gunicorn", "celery"):
        assert shutil.which(program, path=str(bin_dir)), f"{program} is not installed"

    from config import celery_app
    from config.wsgi import application

    assert callable(application)
    celery_app.loader.import_default_modules()  # what a worker does at start
    assert {"dashboard.refresh_views", "dashboard.catch_up", "initiatives.backup_dataset"} <= set(
        celery_app.tasks
    )
    assert celery_app.conf.beat_scheduler.startswith("django_celery_beat")


def test_the_worker_keeps_nightly_backups_on_a_volume_the_app_user_owns(compose):
    backup_dir = compose["x-app"]["environment"]["ATLAS_BACKUP_DIR"]
    assert f"backups:{backup_dir}" in compose["services"]["worker"]["volumes"]
    assert "backups" in compose["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"mkdir -p {backup_dir}" in dockerfile and f"chown -R atlas /app/var {backup_dir}" in (
        dockerfile
    )
