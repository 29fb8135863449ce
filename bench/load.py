"""make load: 60 s at concurrency 32 over the mixed page and API set, as production serves it
(gunicorn, PostgreSQL, the Redis cache, DEBUG off), then the same at the real anonymous rate.

Passes when the first run has no error and no non-2xx answer, the web workers' memory is
flat (the last 15 s hold no more than the first 15 s, +10 %), and the second run answers
only 200 or 429 (throttled), never a 5xx. Writes bench/results/load.json; exits 1 on a miss.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PY, ROOT, free_port, recreate_database, run, worker_pids, wrk  # noqa: E402

MIXED = [
    "/",
    "/map/?initiative=clean-network&as_of=2021-06-01",
    "/compare/?initiatives=gids,clean-network",
    "/principles/?topic=supply-chain",
    "/timeline/",
    "/actors/cze/",
    "/initiatives/gids/",
    "/sources/",
    "/api/v1/initiatives/",
    "/api/v1/principles/?topic=supply-chain",
    "/api/v1/participations/?initiative=clean-network",
    "/api/v1/measures/",
    "/api/v1/events/",
    "/api/v1/map/?initiative=clean-network&as_of=2021-06-01",
    "/api/v1/compare/?initiatives=gids,clean-network",
    "/api/v1/events/?format=csv",
]
API = [p for p in MIXED if p.startswith("/api/")]
MEMORY_GROWTH = 1.10


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    def __init__(self, env, workers):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        for _ in range(120):
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def flush(cache_url: str):
    import redis

    redis.Redis.from_url(cache_url).flushdb()


def sample_memory(pids, stop, samples):
    started = time.monotonic()
    while not stop.is_set():
        samples.append((time.monotonic() - started, sum(rss_mib(p) for p in pids)))
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    database_url = os.environ.get(
        "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/atlas_load"
    )
    var = Path(tempfile.mkdtemp(prefix="atlas-load-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL",)},
        "CACHE_URL": os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/12"),
        "DATABASE_URL": database_url,
        "ATLAS_VAR_DIR": str(var),
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    print(
        f"Load test: {database_url}, {args.connections} connections, {args.seconds} s", flush=True
    )
    recreate_database(database_url)
    flush(env["CACHE_URL"])
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PY, "manage.py", "load_dataset"], env, capture_output=True)
    run([PY, "manage.py", "refresh_views"], env, capture_output=True)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    results = {"connections": args.connections, "seconds": args.seconds, "paths": MIXED}
    server = Server({**env, "API_ANON_RATE": "100000000/minute"}, args.workers)
    try:
        for path in MIXED:  # warm up: imports, connections, the response cache
            for _ in range(3):
                urllib.request.urlopen(server.base + path, timeout=60).read()
        pids = worker_pids(server.process.pid)
        samples: list[tuple[float, float]] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(pids, stop, samples))
        sampler.start()
        mixed = wrk(server.base, MIXED, args.connections, args.seconds)
        stop.set()
        sampler.join()
    finally:
        server.stop()
    window = min(15, args.seconds // 4)
    first = max(m for t, m in samples if t <= window)
    last = max(m for t, m in samples if t >= samples[-1][0] - window)
    results["mixed"] = mixed
    results["memory_mib"] = {"first_window_max": round(first, 1), "last_window_max": round(last, 1)}

    # The real anonymous rate: a client over it gets 429 from then on, never an error.
    flush(env["CACHE_URL"])  # the first run's counters would throttle from the first request
    server = Server({**env, "API_ANON_RATE": "300/minute"}, args.workers)
    try:
        throttled = wrk(server.base, API, args.connections, 10)
    finally:
        server.stop()
    results["throttled"] = throttled

    problems = []
    non_2xx = {s: n for s, n in mixed["statuses"].items() if not s.startswith("2")}
    if mixed["errors"] or non_2xx:
        problems.append(f"mixed run: {mixed['errors']} socket errors, non-2xx {non_2xx}")
    if last > first * MEMORY_GROWTH:
        problems.append(f"memory grew from {first:.1f} MiB to {last:.1f} MiB")
    if throttled["errors"] or set(throttled["statuses"]) - {"200", "429"}:
        problems.append(f"throttled run: {throttled['errors']} errors, {throttled['statuses']}")
    if not throttled["statuses"].get("429"):
        problems.append("throttled run: no 429 at 300/minute")
    results["passed"] = not problems
    results["problems"] = problems
    out = ROOT / "bench/results/load.json"
    out.write_text(json.dumps(results, indent=2) + "\n")

    print(
        f"  mixed: {mixed['requests']} requests, {mixed['rps']} req/s, p50 {mixed['p50_ms']} ms, "
        f"p95 {mixed['p95_ms']} ms, p99 {mixed['p99_ms']} ms, errors {mixed['errors']}, "
        f"statuses {mixed['statuses']}"
    )
    print(
        f"  web workers' memory: {first:.1f} MiB (first {window} s) -> {last:.1f} MiB (last {window} s)"
    )
    print(
        f"  at 300/minute: {throttled['requests']} requests, statuses {throttled['statuses']}, "
        f"errors {throttled['errors']}"
    )
    print("load: passed" if not problems else "load: FAILED\n  " + "\n  ".join(problems))
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
