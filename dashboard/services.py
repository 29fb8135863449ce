"""Refreshing the snapshot tables: build new rows, swap them in atomically, record the run."""

import logging
import time

from django.db import transaction
from django.utils import timezone

from actors.models import Actor
from dashboard import bulk, snapshots, versioning
from dashboard.models import (
    MapInterval,
    RefreshRun,
    SignatoryCount,
    StateAlignment,
    StateCamp,
    TimelineEntry,
)
from initiatives.models import Initiative

logger = logging.getLogger(__name__)


def _save_timeline(rows: snapshots.TimelineRows) -> int:
    initiative_slug = dict(Initiative.objects.values_list("pk", "slug"))
    actor_slug = dict(Actor.objects.values_list("pk", "slug"))
    for entry, initiative_ids, actor_ids in zip(
        rows.entries, rows.initiative_links, rows.actor_links, strict=True
    ):
        entry.initiative_keys = ";".join(sorted(initiative_slug[i] for i in initiative_ids))
        entry.actor_keys = ";".join(sorted(actor_slug[a] for a in actor_ids))
    bulk.write_objects(TimelineEntry, rows.entries, with_ids=True)
    bulk.write_rows(
        TimelineEntry.initiatives.through,
        ("timelineentry_id", "initiative_id"),
        (
            (entry.pk, i)
            for entry, ids in zip(rows.entries, rows.initiative_links, strict=True)
            for i in ids
        ),
    )
    bulk.write_rows(
        TimelineEntry.actors.through,
        ("timelineentry_id", "actor_id"),
        (
            (entry.pk, a)
            for entry, ids in zip(rows.entries, rows.actor_links, strict=True)
            for a in ids
        ),
    )
    return len(rows.entries)


def _delete_timeline(entries):
    # Links first, each in one statement; then the entries, which nothing else points at.
    # (QuerySet.delete() would first fetch every entry's key to cascade to the links.)
    ids = entries.values("pk")
    TimelineEntry.initiatives.through.objects.filter(timelineentry_id__in=ids).delete()
    TimelineEntry.actors.through.objects.filter(timelineentry_id__in=ids).delete()
    entries._raw_delete(entries.db)


def _swap_all() -> int:
    # The data version this snapshot reflects: edits committed after this read move the
    # data version past it, so the catch-up task knows another refresh is owed.
    built_from = versioning.current().data_version
    participations = list(snapshots.participations_for())
    counts = snapshots.build_signatory_counts(participations)
    intervals = snapshots.build_map_intervals(participations)
    memberships = snapshots.current_memberships()
    alignment = snapshots.build_alignment(memberships)
    camps = snapshots.build_camps(memberships)
    initiative_timeline = snapshots.build_initiative_timeline(participations=participations)
    global_timeline = snapshots.build_global_timeline()
    with transaction.atomic():
        versioning.lock_for_swap()
        for model in (SignatoryCount, MapInterval, StateAlignment, StateCamp):
            model.objects.all().delete()
        _delete_timeline(TimelineEntry.objects.all())
        bulk.write_objects(SignatoryCount, counts)
        bulk.write_objects(MapInterval, intervals)
        bulk.write_objects(StateAlignment, alignment)
        bulk.write_objects(StateCamp, camps)
        written = _save_timeline(initiative_timeline) + _save_timeline(global_timeline)
        versioning.bump_snapshot(built_from=built_from)
    return len(counts) + len(intervals) + len(alignment) + len(camps) + written


def _swap_initiative(initiative_id: int) -> int:
    built_from = versioning.current().data_version  # read first, as in _swap_all
    participations = list(snapshots.participations_for([initiative_id]))
    counts = snapshots.build_signatory_counts(participations)
    intervals = snapshots.build_map_intervals(participations)
    memberships = snapshots.current_memberships()
    alignment = snapshots.build_alignment(memberships)
    camps = snapshots.build_camps(memberships)
    timeline = snapshots.build_initiative_timeline([initiative_id], participations)
    with transaction.atomic():
        versioning.lock_for_swap()
        SignatoryCount.objects.filter(initiative_id=initiative_id).delete()
        MapInterval.objects.filter(initiative_id=initiative_id).delete()
        StateAlignment.objects.all().delete()
        StateCamp.objects.all().delete()
        _delete_timeline(TimelineEntry.objects.filter(scope_id=initiative_id))
        bulk.write_objects(SignatoryCount, counts)
        bulk.write_objects(MapInterval, intervals)
        bulk.write_objects(StateAlignment, alignment)
        bulk.write_objects(StateCamp, camps)
        written = _save_timeline(timeline)
        versioning.bump_snapshot(built_from=built_from, initiative_id=initiative_id)
    return len(counts) + len(intervals) + len(alignment) + len(camps) + written


def refresh(
    initiative_id: int | None = None, *, eager: bool = True, worker: str = ""
) -> RefreshRun:
    """Rebuild every snapshot (or one initiative's), record the run. The swap moves
    the snapshot version, which retires every cached answer once it commits.

    On failure the transaction rolls back, so the previous snapshot stays in place; the
    run is recorded as failed with its cause, and the exception propagates for a retry.
    """
    if initiative_id is None:
        scope, swap = "all", _swap_all
    else:
        slug = Initiative.objects.filter(pk=initiative_id).values_list("slug", flat=True).first()
        if slug is None:
            # Deleted since the refresh was queued: a full refresh drops its rows.
            scope, swap = "all", _swap_all
        else:
            scope, swap = f"initiative:{slug}", lambda: _swap_initiative(initiative_id)
    run = RefreshRun.objects.create(
        scope=scope, started_at=timezone.now(), eager=eager, worker=worker
    )
    started = time.monotonic()
    try:
        rows = swap()
    except Exception as exc:
        run.outcome = RefreshRun.Outcome.FAILED
        run.error = f"{type(exc).__name__}: {exc}"
        run.finished_at = timezone.now()
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.save(update_fields=["outcome", "error", "finished_at", "duration_ms"])
        logger.exception("Snapshot refresh %s failed; the previous snapshot stays in place", scope)
        raise
    run.outcome = RefreshRun.Outcome.SUCCESS
    run.rows_written = rows
    run.finished_at = timezone.now()
    run.duration_ms = int((time.monotonic() - started) * 1000)
    run.save(update_fields=["outcome", "rows_written", "finished_at", "duration_ms"])
    # Swaps take turns (lock_for_swap), so an older run still marked running now is one
    # whose worker died mid-run; if it was in fact only slow, its own end overwrites this.
    RefreshRun.objects.filter(
        outcome=RefreshRun.Outcome.RUNNING, started_at__lt=run.started_at
    ).update(outcome=RefreshRun.Outcome.LOST, error="Its worker stopped before it finished.")
    logger.info("Snapshot refresh %s wrote %d rows in %d ms", scope, rows, run.duration_ms)
    return run
