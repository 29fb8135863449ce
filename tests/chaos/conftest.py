"""Fault tests: real Redis, PostgreSQL, gunicorn and Celery processes, stopped and killed.

They start private service instances (their own redis-server, their own PostgreSQL
cluster or database) so that stopping one never disturbs anything else on the machine.
Run by `make chaos` (CI runs it after `make test`); collected only when ATLAS_CHAOS=1,
because each half of `make test` would otherwise repeat them.
"""

import os

if os.environ.get("ATLAS_CHAOS") != "1":
    collect_ignore_glob = ["test_*.py"]
