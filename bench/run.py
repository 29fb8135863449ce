"""make bench SIZE=M: load a synthetic dataset into PostgreSQL, refresh the snapshots, serve
the app under gunicorn (DEBUG off, as in production), and drive it with wrk.

Reports p50/p95/p99 latency and requests per second at concurrency 1 and 16 for the pages
and API calls users make, the CSV export of every event (rows per second and the web
worker's peak memory), and a full refresh (duration and peak memory). Prints a table and
writes bench/results/<SIZE>.json.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TARGET_P95_MS = 100
TARGET_FAST_P95_MS = 30  # map, compare and timeline
TARGET_CSV_ROWS_PER_S = 100_000
TARGET_REFRESH_S = 60

ENDPOINTS = [
    ("home", "/", False),
    ("map page", "/map/?initiative=clean-network&as_of=2021-06-01", True),
    ("compare page", "/compare/?initiatives=gids,clean-network", True),
    ("principles by topic", "/principles/?topic=supply-chain", False),
    ("timeline page", "/timeline/", True),
    ("country page", "/actors/cze/", False),
    ("API initiatives", "/api/v1/initiatives/", False),
    ("API principles", "/api/v1/principles/", False),
    ("API topics", "/api/v1/topics/", False),
    ("API actors", "/api/v1/actors/", False),
    ("API participations", "/api/v1/participations/", False),
    ("API measures", "/api/v1/measures/", False),
    ("API events", "/api/v1/events/", False),
    ("API sources", "/api/v1/sources/", False),
    (
        "API map",
        "/api/v1/map/?initiative=clean-network&initiative=future-of-the-internet&as_of=2021-06-01",
        True,
    ),
    ("API compare", "/api/v1/compare/?initiatives=gids,clean-network", True),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def timed_child(args, env) -> tuple[float, int, str]:
    """Run a child process; return its wall time, its own peak RSS in MiB and its output.
    (wait4 gives that child's usage; RUSAGE_CHILDREN would give the largest of every
    child so far, so a refresh after a bigger load would report the load's peak.)"""
    with tempfile.TemporaryFile("w+") as out:
        started = time.monotonic()
        child = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True
        )
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, args, output)
    return elapsed, usage.ru_maxrss // 1024, output


def connect(url: str, dbname: str | None = None, **options):
    """A psycopg connection to the database of url (or to dbname on its server)."""
    import psycopg
    from dj_database_url import parse

    cfg = parse(url)
    return psycopg.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname=dbname or cfg["NAME"],
        **options,
    )


def recreate_database(url: str) -> None:
    from dj_database_url import parse

    name = parse(url)["NAME"]
    with connect(url, "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def calibration(database_url: str, cache_url: str) -> dict:
    """How fast this machine is right now, so runs on a busier or slower machine (a shared
    VM) can be told apart from slower code: a CPU loop, a PostgreSQL and a Redis round trip."""
    import statistics

    import redis

    def median_ms(call, times=200):
        samples = []
        for _ in range(times):
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(samples), 3)

    with connect(database_url) as conn:
        pg = median_ms(lambda: conn.execute("SELECT 1").fetchone())
    client = redis.Redis.from_url(cache_url)
    return {
        "cpu_loop_ms": min(median_ms(lambda: sum(range(1_000_000)), 1) for _ in range(5)),
        "postgres_select_1_ms": pg,
        "redis_ping_ms": median_ms(client.ping),
    }


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


def wrk(base: str, paths: list[str], connections: int, seconds: int) -> dict:
    """Drive base with wrk, cycling through paths; latency, throughput and status counts."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench/wrk_report.lua"),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "WRK_PATHS": " ".join(paths)},
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["non_2xx"] = sum(n for s, n in result["statuses"].items() if not s.startswith("2"))
    return result


def cold(url: str, cache_url: str, times: int = 15) -> dict:
    """Latency with an empty response cache: every request renders from the database."""
    import redis

    client = redis.Redis.from_url(cache_url)
    samples = []
    for _ in range(times):
        client.flushdb()
        started = time.monotonic()
        urllib.request.urlopen(url, timeout=60).read()
        samples.append((time.monotonic() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(samples[len(samples) // 2], 2),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 2),
        "max_ms": round(samples[-1], 2),
    }


def csv_export(base: str, workers: list[int]) -> dict:
    before = {pid: peak_rss_mib(pid) for pid in workers}
    started = time.monotonic()
    rows = -1  # the header
    with urllib.request.urlopen(f"{base}/api/v1/events/?format=csv", timeout=600) as response:
        # Read in large blocks and count record ends in C: a line-by-line Python reader
        # on the same two cores would slow the server it measures. (The synthetic titles
        # hold no line breaks, so every LF ends a record.)
        while block := response.read(1 << 20):
            rows += block.count(b"\n")
    seconds = time.monotonic() - started
    after = {pid: peak_rss_mib(pid) for pid in workers}
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds),
        "worker_peak_rss_mib_before": round(max(before.values()), 1),
        "worker_peak_rss_mib_after": round(max(after.values()), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="M", choices=["S", "M", "L"])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 8)))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench installs it: apt-get install wrk)")

    database_url = args.database_url or os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/atlas_bench_{args.size.lower()}"
    )
    var = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    # Production's cache: Redis (a database of its own, emptied to measure cold requests).
    cache_url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "CACHE_URL")},
        "CACHE_URL": cache_url,
        "DATABASE_URL": database_url,
        "ATLAS_VAR_DIR": str(var),
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "API_ANON_RATE": "100000000/minute",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    results = {
        "size": args.size,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "seconds_per_run": args.seconds,
        "gunicorn_workers": args.workers,
    }
    print(f"Size {args.size}: database {database_url}", flush=True)
    recreate_database(database_url)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
    results["machine"]["calibration"] = calibration(database_url, cache_url)
    print(f"  calibration: {results['machine']['calibration']}", flush=True)
    load_s, load_mib, _ = timed_child([PY, "manage.py", "load_bench_data", args.size], env)
    print(f"  loaded in {load_s:.1f} s", flush=True)
    refresh_s, refresh_mib, output = timed_child([PY, "manage.py", "refresh_views"], env)
    rows = int(re.search(r"Refreshed all: (\d+) rows", output).group(1))
    results["load"] = {"seconds": round(load_s, 1), "peak_rss_mib": load_mib}
    results["refresh"] = {"seconds": round(refresh_s, 1), "peak_rss_mib": refresh_mib, "rows": rows}
    print(f"  full refresh: {refresh_s:.1f} s, {rows} rows, peak {refresh_mib} MiB", flush=True)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        for _, path, _ in ENDPOINTS:  # warm up: caches, connections, imports
            for _ in range(5):
                urllib.request.urlopen(base + path, timeout=60).read()
        results["endpoints"] = []
        for name, path, fast in ENDPOINTS:
            row = {
                "name": name,
                "path": path,
                "target_p95_ms": TARGET_FAST_P95_MS if fast else TARGET_P95_MS,
            }
            row["cold"] = cold(base + path, cache_url)
            for connections in (1, 16):
                row[f"c{connections}"] = wrk(base, [path], connections, args.seconds)
            results["endpoints"].append(row)
            print(
                f"  {name:24} cold p95 {row['cold']['p95_ms']:7.1f} ms | c1 p95 {row['c1']['p95_ms']:7.1f} ms | c16 p95 {row['c16']['p95_ms']:7.1f} ms "
                f"{row['c16']['rps']:7.1f} req/s",
                flush=True,
            )
        results["csv_export"] = csv_export(base, worker_pids(server.pid))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)

    results["verdict"] = verdict(results)
    out = ROOT / "bench/results" / f"{args.size}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print(f"\nWrote {out.relative_to(ROOT)}")
    print(
        "cold: each request after emptying the response cache (sequential); c1/c16: wrk at "
        "concurrency 1 and 16 on a warm cache, the way repeated views are served."
    )


def verdict(results) -> dict:
    failures = []
    for row in results["endpoints"]:
        for c in ("c1", "c16"):
            if row[c]["errors"] or row[c]["non_2xx"]:
                failures.append(
                    f"{row['name']} {c}: {row[c]['errors']} errors, {row[c]['non_2xx']} non-2xx"
                )
        if row["c16"]["p95_ms"] > row["target_p95_ms"]:
            failures.append(
                f"{row['name']}: p95 {row['c16']['p95_ms']} ms > {row['target_p95_ms']} ms"
            )
    if results["csv_export"]["rows_per_s"] < TARGET_CSV_ROWS_PER_S:
        failures.append(
            f"CSV export {results['csv_export']['rows_per_s']} rows/s < {TARGET_CSV_ROWS_PER_S}"
        )
    if results["refresh"]["seconds"] > TARGET_REFRESH_S:
        failures.append(f"refresh {results['refresh']['seconds']} s > {TARGET_REFRESH_S} s")
    return {"meets_targets": not failures, "failures": failures}


def print_table(results):
    print(
        f"\n## Size {results['size']} ({results['machine']['cpus']} cores, {results['gunicorn_workers']} gunicorn workers)\n"
    )
    if "calibration" in results["machine"]:
        print(f"Machine right now: {results['machine']['calibration']}\n")
    print(
        "| endpoint | cold p50 | cold p95 | c1 p50 | c1 p95 | c1 p99 | c1 req/s | c16 p50 | c16 p95 | c16 p99 | c16 req/s | target p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in results["endpoints"]:
        a, b = row["c1"], row["c16"]
        print(
            f"| {row['name']} | {row['cold']['p50_ms']:.1f} | {row['cold']['p95_ms']:.1f} "
            f"| {a['p50_ms']:.1f} | {a['p95_ms']:.1f} | {a['p99_ms']:.1f} | {a['rps']:.0f} "
            f"| {b['p50_ms']:.1f} | {b['p95_ms']:.1f} | {b['p99_ms']:.1f} | {b['rps']:.0f} | {row['target_p95_ms']} |"
        )
    csv = results["csv_export"]
    print(
        f"\nCSV export of all events: {csv['rows']} rows in {csv['seconds']} s = {csv['rows_per_s']} rows/s; "
        f"web worker peak RSS {csv['worker_peak_rss_mib_before']} MiB before, {csv['worker_peak_rss_mib_after']} MiB after"
    )
    r = results["refresh"]
    print(f"Full refresh: {r['seconds']} s, {r['rows']} rows, peak RSS {r['peak_rss_mib']} MiB")
    v = results["verdict"]
    print(
        "Targets met." if v["meets_targets"] else "Targets missed:\n  " + "\n  ".join(v["failures"])
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    main()
