"""Browser tests against the real app: gunicorn on its own database, Chromium driven by Playwright.

The server is started once per session in a subprocess, exactly as in production (migrate,
load_dataset, refresh_views, collectstatic, gunicorn), on a database of its own: a fresh
PostgreSQL database when this run tests PostgreSQL, else an SQLite file in a temp folder.
The test database of the rest of the suite is never touched.

Every page a test opens goes through `new_tab`: every request to a host other than 127.0.0.1
is aborted and recorded, and console errors, page errors, failed requests, HTTP errors and
Content-Security-Policy violations are collected, so a test can assert there were none.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
import pytest
from django.db import connection
from playwright.sync_api import expect, sync_playwright

from tests.browser.support import DESKTOP, ROOT

VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(VENV_BIN / "gunicorn")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOST = "127.0.0.1"
TIMEOUT_MS = 15_000
SERVER_START_TIMEOUT = 60

expect.set_options(timeout=TIMEOUT_MS)


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCAL_HOST, 0))
        return sock.getsockname()[1]


class AtlasServer:
    """The app as production runs it, on a database of its own."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.var = tmp / "var"
        self.var.mkdir()
        self.log_path = tmp / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self.pg_database: str | None = None
        self.port = free_port()
        self.url = f"http://{LOCAL_HOST}:{self.port}"
        self._log_offset = 0

        env = dict(os.environ)
        # Tasks run eagerly and the cache is in-process: no broker, no Redis.
        for name in ("CELERY_BROKER_URL", "CACHE_URL", "DATABASE_URL"):
            env.pop(name, None)
        # Production-like regardless of the developer's shell: no debug pages, no TLS
        # redirect, static files collected into this run's own folder.
        for name in ("DJANGO_DEBUG", "DJANGO_HTTPS", "DJANGO_STATIC_ROOT"):
            env.pop(name, None)
        env.update(
            ATLAS_VAR_DIR=str(self.var),
            DJANGO_ALLOWED_HOSTS=LOCAL_HOST,
            DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
            API_ANON_RATE="100000/minute",
            DJANGO_SETTINGS_MODULE="config.settings",
        )
        if connection.vendor == "postgresql":
            env["DATABASE_URL"] = self._create_pg_database()
        self.env = env

    # PostgreSQL: same host, port and user as the test session, a fresh database.
    def _pg_params(self) -> dict:
        db = connection.settings_dict
        return {
            "host": db["HOST"] or LOCAL_HOST,
            "port": int(db["PORT"] or 5432),
            "user": db["USER"] or None,
            "password": db["PASSWORD"] or None,
        }

    def _pg_admin(self):
        return psycopg.connect(dbname="postgres", autocommit=True, **self._pg_params())

    def _create_pg_database(self) -> str:
        name = f"atlas_browser_{uuid.uuid4().hex[:12]}"
        with self._pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.pg_database = name
        p = self._pg_params()
        auth = quote(p["user"] or "", safe="")
        if p["password"]:
            auth += ":" + quote(p["password"], safe="")
        return f"postgres://{auth}@{p['host']}:{p['port']}/{name}"

    def _drop_pg_database(self):
        if self.pg_database:
            with self._pg_admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)')
            self.pg_database = None

    def manage(self, *args: str):
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def start(self):
        self.manage("migrate", "--noinput")
        self.manage("load_dataset")
        self.manage("refresh_views")
        self.manage("collectstatic", "--noinput")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [GUNICORN, "config.wsgi", "--bind", f"{LOCAL_HOST}:{self.port}", "--workers", "2"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"gunicorn did not answer GET / within {SERVER_START_TIMEOUT}s:\n{self.log()}"
                )
            time.sleep(0.25)
        self._log_offset = self.log_path.stat().st_size

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                pass
        self.process = None
        self._drop_pg_database()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""

    def new_server_errors(self) -> list[str]:
        """Tracebacks and ERROR lines the server logged since the last call."""
        with open(self.log_path, "rb") as log:
            log.seek(self._log_offset)
            text = log.read().decode(errors="replace")
            self._log_offset = log.tell()
        return [
            line
            for line in text.splitlines()
            if any(mark in line for mark in ("Traceback", " ERROR ", "[ERROR]", "[CRITICAL]"))
        ]


@pytest.fixture(scope="session")
def atlas_server(tmp_path_factory):
    server = AtlasServer(tmp_path_factory.mktemp("atlas_browser"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def no_server_errors(atlas_server):
    """No test may make the server log an error or a traceback."""
    atlas_server.new_server_errors()
    yield
    errors = atlas_server.new_server_errors()
    assert not errors, "the server logged errors:\n" + "\n".join(errors)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


# Reports every Content-Security-Policy violation to Python, across navigations.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__atlasCspViolation({
    directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
    source: e.sourceFile, line: e.lineNumber, page: document.location.href
  });
});
"""


@dataclass
class Tab:
    """A page with everything that went wrong on it recorded."""

    page: object
    base_url: str
    blocked: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    http_errors: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.status == 200, (
            f"GET {path} answered {response.status if response else None}"
        )
        return response

    def problems(self) -> dict:
        """Every kind of trouble seen so far; empty when the page behaved."""
        kinds = {
            "blocked requests (outside 127.0.0.1)": self.blocked,
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "failed requests": self.failed_requests,
            "HTTP errors": self.http_errors,
            "CSP violations": self.csp_violations,
        }
        return {kind: list(items) for kind, items in kinds.items() if items}


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == LOCAL_HOST


@pytest.fixture
def new_tab(browser, atlas_server):
    """Open a watched page: `new_tab(**context_options)`; the default is a desktop window."""
    contexts = []

    def open_tab(**options) -> Tab:
        context = browser.new_context(**{**DESKTOP, "service_workers": "block", **options})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)
        tab = Tab(page=page, base_url=atlas_server.url)

        def route(route):
            if _is_local(route.request.url):
                route.continue_()
            else:
                tab.blocked.append(route.request.url)
                route.abort("blockedbyclient")

        page.route("**/*", route)

        def route_socket(ws):
            if _is_local(ws.url):
                ws.connect_to_server()
            else:
                tab.blocked.append(ws.url)
                ws.close()

        page.route_web_socket("**/*", route_socket)

        def report_csp(violation):
            tab.csp_violations.append(violation)

        page.expose_function("__atlasCspViolation", report_csp)
        page.add_init_script(CSP_LISTENER)

        def on_console(message):
            if message.type == "error":
                tab.console_errors.append(f"{message.text} @ {message.location}")

        def on_page_error(error):
            tab.page_errors.append(str(error))

        def on_request_failed(request):
            tab.failed_requests.append(f"{request.url}: {request.failure}")

        def on_response(response):
            if response.status >= 400:
                tab.http_errors.append(f"{response.status} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def tab(new_tab) -> Tab:
    """A watched desktop page."""
    return new_tab()
