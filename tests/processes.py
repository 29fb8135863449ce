"""Child processes for the tests that run the app for real (worker integration, faults)."""

import os
import signal
import subprocess
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
