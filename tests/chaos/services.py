"""Private service processes for the fault tests, and the app run as production runs it."""

import http.client
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg

from bench.load import MIXED
from bench.run import free_port
from tests.processes import kill_group, spawn_logged, stop_groups, wait_until

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"
LOCAL_PG = dict(host="127.0.0.1", port=5432, user="postgres")

# The mixed set of pages and API calls that the load test drives.
URLS = MIXED


def status_of(url: str, timeout: float = 10) -> int:
    """The HTTP status, or 0 when no whole answer came (refused, reset, timed out, or a
    body cut off part way, which http.client raises as IncompleteRead, not OSError)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, http.client.HTTPException):
        return 0


def as_postgres(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI runs as root, a developer may not.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PrivateRedis:
    """A redis-server of our own on a free port, which a test may stop and start again."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.log = tmp / "redis.log"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(self.log),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until("redis", self.ping, timeout=20)

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class PrivatePostgres:
    """A PostgreSQL cluster of our own (initdb in a temp folder), restartable at will."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/atlas"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(
            as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def ctl(self, *args):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.dir / "postgres.log"),
                    "-o",
                    options,
                    "-w",
                    *args,
                ]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self):
        self.ctl("start")
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute('CREATE DATABASE "atlas"')

    def restart(self):
        # -m fast: every open connection is cut, as in a failover or a package upgrade.
        self.ctl("restart", "-m", "fast")

    def close(self):
        subprocess.run(
            as_postgres(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
            ),
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def scratch_database() -> tuple[str, str]:
    """A fresh database on the machine's PostgreSQL: (name, url)."""
    name = f"atlas_chaos_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **LOCAL_PG) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str):
    with psycopg.connect(dbname="postgres", autocommit=True, **LOCAL_PG) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class App:
    """manage.py, gunicorn and Celery processes sharing one environment."""

    def __init__(self, tmp: Path, database_url: str, redis_url: str | None = None, **extra):
        self.tmp = tmp
        self.processes: list[subprocess.Popen] = []
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "ATLAS_VAR_DIR": str(tmp / "var"),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "API_ANON_RATE": "1000000/minute",
            "ATLAS_REFRESH_DEBOUNCE_SECONDS": "1",
            **extra,
        }
        if redis_url:
            self.env["CACHE_URL"] = f"{redis_url}/1"
            self.env["CELERY_BROKER_URL"] = f"{redis_url}/0"
        self.url = ""

    def manage(self, *args, timeout=300):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        process = spawn_logged(args, self.tmp / f"{name}.log", self.env)
        self.processes.append(process)
        return process

    def serve(self, workers: int = 2):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.manage("collectstatic", "--noinput", "-v0")
        self.spawn(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
            ],
        )
        wait_until(
            "gunicorn", lambda: status_of(self.url + "/api/v1/status/") == 200, logs=self.tmp
        )

    def worker(self, name: str = "chaos") -> subprocess.Popen:
        return self.spawn(
            f"worker-{name}",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
        )

    def beat(self) -> subprocess.Popen:
        return self.spawn(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                "-s",
                str(self.tmp / "beat-schedule"),
            ],
        )

    def statuses(self, urls=URLS) -> dict[str, int]:
        return {url: status_of(self.url + url) for url in urls}

    @staticmethod
    def kill(process: subprocess.Popen):
        kill_group(process)

    def close(self):
        stop_groups(self.processes)
