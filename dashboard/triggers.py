"""Queue a snapshot refresh once the curated change that needs it has committed.

A burst of edits gives one refresh: the first edit marks the scope as pending in the
cache and queues the task a few seconds out; later edits see the mark and add nothing.
The task clears the mark as it starts. Several triggers inside one transaction collapse
into a single on-commit callback.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
PENDING_TTL = 3600


def pending_key(initiative_id: int | None) -> str:
    return f"atlas:refresh-pending:{initiative_id or 'all'}"


def curated_change(initiative_id: int | None = None, using: str | None = None) -> None:
    """Call inside the transaction of a curated change: moves the data version now and
    queues a refresh of the views it affects (one initiative's, or all) for after commit."""
    from dashboard import versioning

    versioning.bump_data(initiative_id)
    queue_refresh(initiative_id, using)


def queue_refresh(initiative_id: int | None = None, using: str | None = None) -> None:
    """After the current transaction commits, queue a refresh (of one initiative, or of all)."""
    connection = transaction.get_connection(using)
    # Callbacks still waiting for this transaction's commit (emptied by a rollback).
    waiting = {getattr(func, "refresh_scope", object()) for _, func, _ in connection.run_on_commit}
    if initiative_id in waiting or None in waiting:
        return

    def send():
        _send(initiative_id)

    send.refresh_scope = initiative_id
    # robust: a refresh that fails in-process (the embedded default) is logged and
    # recorded as failed, and never turns a committed edit into an error page.
    transaction.on_commit(send, using=using, robust=True)


def _send(initiative_id: int | None) -> None:
    from dashboard import tasks

    if not cache.add(pending_key(initiative_id), 1, timeout=PENDING_TTL):
        return  # already queued and not yet started
    countdown = settings.ATLAS_REFRESH_DEBOUNCE_SECONDS
    try:
        if initiative_id is None:
            tasks.refresh_views.apply_async(countdown=countdown)
        else:
            tasks.refresh_initiative.apply_async((initiative_id,), countdown=countdown)
    except Exception:
        # The broker is unreachable: drop the mark so the next edit (or the nightly
        # refresh) tries again, and keep serving the snapshot we have.
        cache.delete(pending_key(initiative_id))
        raise
