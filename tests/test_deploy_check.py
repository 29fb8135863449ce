"""The production environment passes Django's deployment checklist with no warning."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environment(tmp_path, production: bool) -> dict:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "ATLAS_VAR_DIR": str(tmp_path),
    }
    if production:
        env |= {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "atlas.example.org",
            "DJANGO_HTTPS": "true",
        }
    return env


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


CHECK_DEPLOY = ("check", "--deploy", "--fail-level", "WARNING")


def test_check_deploy_is_clean_under_the_production_environment(tmp_path):
    result = manage(environment(tmp_path, production=True), *CHECK_DEPLOY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_default_is_not_mistaken_for_production(tmp_path):
    result = manage(environment(tmp_path, production=False), *CHECK_DEPLOY)
    # Without TLS settings the checklist warns (HSTS, secure cookies, SSL redirect).
    assert result.returncode != 0 and "security.W004" in result.stderr + result.stdout


def test_the_production_environment_sends_the_security_headers(tmp_path):
    """Read off a response under the production environment, not off the settings module."""
    env = environment(tmp_path, production=True)
    probe = (
        "import json; from django.test import Client; "
        "r = Client().get('/about/', secure=True, HTTP_HOST='atlas.example.org'); "
        "plain = Client().get('/about/', HTTP_HOST='atlas.example.org'); "
        "print(json.dumps({'status': r.status_code, 'headers': dict(r.headers), "
        "'plain': plain.status_code, 'to': plain.get('Location')}))"
    )
    steps = (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"])
    for args in (*steps, ["shell", "-v0", "-c", probe]):
        result = manage(env, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    headers = answer["headers"]
    assert answer["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    # Plain HTTP is redirected to HTTPS.
    assert answer["plain"] == 301 and answer["to"].startswith("https://atlas.example.org/")
