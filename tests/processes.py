"""Child processes for the tests that run the app for real (worker integration, faults)."""

import os
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def spawn_logged(args: list[str], log_path: Path, env: dict) -> subprocess.Popen:
    """Start args in the repository, in a process group of its own, output to log_path."""
    log = open(log_path, "a")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def kill_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def stop_groups(processes: list[subprocess.Popen]) -> None:
    """SIGTERM each process group, and SIGKILL the ones still there after 20 s."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                kill_group(process)


def wait_until(what: str, check, timeout: float = 60, logs: Path | None = None, every=0.25):
    """check() until it returns something true (and return that), or fail after timeout
    with the tail of every *.log under logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    tail = ""
    if logs:
        tail = "\n".join(
            f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(logs.glob("*.log"))
        )
    raise AssertionError(f"timed out waiting for {what}\n{tail}")
