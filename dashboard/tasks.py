"""Thin Celery tasks: take IDs or nothing, call the service, retry with backoff on failure."""

import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from dashboard import services, triggers, versioning

MAX_RETRIES = 5


def backoff(retries: int) -> float:
    """5 s, 10 s, 20 s … capped at 5 minutes, with jitter so retries do not stampede."""
    return min(300, 5 * 2**retries) * random.uniform(0.8, 1.2)


def _run(task, initiative_id=None):
    # The pending mark is cleared before the work starts, so an edit committed while this
    # refresh runs queues another one instead of being lost.
    cache.delete(triggers.pending_key(initiative_id))
    eager = bool(task.request.is_eager)
    try:
        run = services.refresh(initiative_id, eager=eager, worker=task.request.hostname or "")
    except Exception as exc:
        if eager:
            raise
        raise task.retry(exc=exc, countdown=backoff(task.request.retries)) from exc
    return {"run": run.pk, "rows": run.rows_written, "ms": run.duration_ms}


@shared_task(bind=True, name="dashboard.refresh_views", max_retries=MAX_RETRIES)
def refresh_views(self):
    """Rebuild every snapshot table."""
    return _run(self)


@shared_task(bind=True, name="dashboard.refresh_initiative", max_retries=MAX_RETRIES)
def refresh_initiative(self, initiative_id: int):
    """Rebuild one initiative's counts, map intervals and timeline rows, and the alignment."""
    return _run(self, initiative_id)


@shared_task(bind=True, name="dashboard.catch_up")
def catch_up(self):
    """Beat, every few minutes: run the refresh that curated changes are owed (one
    initiative's when they were all its own, else the full one), if the one they queued
    was lost (the broker was down, the worker died). Idempotent: once a refresh has caught
    up, this does nothing."""
    grace = timedelta(seconds=settings.ATLAS_CATCH_UP_GRACE_SECONDS)
    if not versioning.refresh_owed(settled_for=grace):
        return None
    return _run(self, versioning.current().owed_initiative)
