"""Reads of the snapshot tables: a fixed, small number of queries whatever the data size."""

from collections import defaultdict
from datetime import date

from django.db.models import Q

from dashboard.models import MapInterval, RefreshRun, SignatoryCount, StateAlignment, StateCamp


def signatory_counts_as_of(initiative_id: int, day: date | None = None) -> dict[tuple, int]:
    """{(actor group, role, status): count} on day; with no day, today's, undated included."""
    rows = SignatoryCount.objects.filter(initiative_id=initiative_id)
    if day is not None:
        rows = rows.filter(date__lte=day)
    latest: dict[tuple, int] = {}
    undated: dict[tuple, int] = defaultdict(int)
    for row in rows.order_by("date").values("date", "actor_group", "role", "status", "count"):
        combo = (row["actor_group"], row["role"], row["status"])
        if row["date"] is None:
            undated[combo] += row["count"]
        else:
            latest[combo] = row["count"]
    if day is None:
        for combo, n in undated.items():
            latest[combo] = latest.get(combo, 0) + n
    return {combo: n for combo, n in latest.items() if n}


def signatory_series(initiative_id: int):
    """The dated delta rows of one initiative, oldest first, for a growth chart."""
    return SignatoryCount.objects.filter(initiative_id=initiative_id, date__isnull=False).order_by(
        "date", "actor_group", "role", "status"
    )


def map_as_of(initiative_ids, day: date | None = None):
    """Map intervals in force on day; with no day, the latest state, undated included."""
    rows = MapInterval.objects.filter(initiative_id__in=list(initiative_ids))
    if day is None:
        rows = rows.filter(valid_to__isnull=True)
    else:
        rows = rows.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )
    return rows.order_by("initiative_id", "iso_alpha3", "valid_from")


def alignment_for(actor_id: int, limit: int = 5):
    """The states most and least aligned with a state, by the Jaccard index of memberships."""
    rows = StateAlignment.objects.filter(actor_id=actor_id).select_related("other")
    most = list(rows.filter(shared__gt=0).order_by("-jaccard", "other__name")[:limit])
    least = list(rows.order_by("jaccard", "other__name")[:limit])
    return most, least


def camp_for(actor_id: int) -> StateCamp | None:
    return StateCamp.objects.filter(actor_id=actor_id).first()


def last_refresh() -> RefreshRun | None:
    return (
        RefreshRun.objects.filter(outcome=RefreshRun.Outcome.SUCCESS)
        .order_by("-finished_at")
        .first()
    )


def last_failure() -> RefreshRun | None:
    return (
        RefreshRun.objects.filter(outcome=RefreshRun.Outcome.FAILED).order_by("-started_at").first()
    )
