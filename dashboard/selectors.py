"""Reads of the snapshot tables: a fixed, small number of queries whatever the data size."""

from collections import defaultdict
from datetime import date

from django.db.models import Q

from actors.models import Actor
from dashboard.models import MapInterval, RefreshRun, SignatoryCount, StateAlignment, StateCamp


def _fold_counts(rows, include_undated: bool) -> dict[int, dict[tuple, int]]:
    """Delta rows (oldest first) → {initiative: {(group, role, status): count}}."""
    latest: dict[int, dict[tuple, int]] = defaultdict(dict)
    undated: dict[int, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        combo = (row["actor_group"], row["role"], row["status"])
        if row["date"] is None:
            undated[row["initiative_id"]][combo] += row["count"]
        else:
            latest[row["initiative_id"]][combo] = row["count"]
    if include_undated:
        for initiative_id, counts in undated.items():
            for combo, n in counts.items():
                latest[initiative_id][combo] = latest[initiative_id].get(combo, 0) + n
    return {i: {c: n for c, n in counts.items() if n} for i, counts in latest.items()}


def _count_rows(initiative_ids, day):
    rows = SignatoryCount.objects.filter(initiative_id__in=list(initiative_ids))
    if day is not None:
        rows = rows.filter(date__lte=day)
    return rows.order_by("date").values(
        "initiative_id", "date", "actor_group", "role", "status", "count"
    )


def signatory_counts_as_of(initiative_id: int, day: date | None = None) -> dict[tuple, int]:
    """{(actor group, role, status): count} on day; with no day, today's, undated included."""
    folded = _fold_counts(_count_rows([initiative_id], day), include_undated=day is None)
    return folded.get(initiative_id, {})


def latest_signatory_counts(initiative_ids) -> dict[int, dict[tuple, int]]:
    """Today's counts of several initiatives, undated participations included, in one query."""
    return _fold_counts(_count_rows(initiative_ids, None), include_undated=True)


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


def map_as_of_any(initiative_ids):
    """Every interval of the initiatives, for a map that can show any date in the browser."""
    return MapInterval.objects.filter(initiative_id__in=list(initiative_ids)).order_by(
        "initiative_id", "iso_alpha3", "valid_from"
    )


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


def crosswalk(initiatives, topics=None):
    """The principle crosswalk: [(topic, {initiative id: [principles]})] for the initiatives.

    With topics, exactly those rows (in that order, empty cells included); without, every
    topic that tags at least one of the initiatives' principles, by name.
    """
    from django.db.models import Prefetch

    from initiatives.models import Principle, Source, Topic

    ids = [i.pk for i in initiatives]
    principles = (
        Principle.objects.filter(initiative_id__in=ids)
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.all()),
            Prefetch("sources", queryset=Source.objects.only("key", "title", "url", "publisher")),
        )
        .order_by("initiative_id", "order")
    )
    cells: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    seen_topics = {}
    for principle in principles:
        for topic in principle.topics.all():
            cells[topic.pk][principle.initiative_id].append(principle)
            seen_topics[topic.pk] = topic
    rows_topics = list(topics) if topics else sorted(seen_topics.values(), key=lambda t: t.name)
    return [(topic, {i: cells[topic.pk].get(i, []) for i in ids}) for topic in rows_topics]


OVERLAP = {
    (True, True): "both",
    (True, False): "a-only",
    (False, True): "b-only",
    (False, False): "neither",
}


def map_rows(initiatives, as_of):
    """For every state: its interval in each initiative on as_of, and the overlap class."""
    intervals = {}
    for row in map_as_of([i.pk for i in initiatives], as_of):
        current = intervals.get((row.initiative_id, row.actor_id))
        # With as_of None both a dated and an undated row may be current: keep the dated one.
        if current is None or (current.valid_from is None and row.valid_from is not None):
            intervals[(row.initiative_id, row.actor_id)] = row
    for state in Actor.objects.countries().order_by("name"):
        cells = [intervals.get((i.pk, state.pk)) for i in initiatives]
        overlap = None
        if len(initiatives) == 2:
            present = tuple(c is not None and c.status != "withdrawn" for c in cells)
            overlap = OVERLAP[present]
        yield state, cells, overlap
