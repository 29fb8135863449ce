"""Builders: curated rows in, snapshot rows out. They read; services.py writes.

Dates known to the month or the year count from the first day of their period, so a
membership "in October 2020" is on the map from 1 Oct 2020; the About page says so.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from actors.models import COUNTRY_KINDS, Actor, ActorKind
from dashboard.models import (
    ActorGroup,
    Camp,
    MapInterval,
    SignatoryCount,
    StateAlignment,
    StateCamp,
    TimelineEntry,
    TimelineKind,
)
from initiatives.models import (
    Event,
    Initiative,
    Measure,
    MeasureKind,
    Participation,
    ParticipationStatus,
    Role,
)

ROLE_RANK = {role: rank for rank, role in enumerate(Role.values)}
STATUS_RANK = {
    ParticipationStatus.CONFIRMED: 0,
    ParticipationStatus.DISPUTED: 1,
    ParticipationStatus.CLAIMED: 2,
    ParticipationStatus.WITHDRAWN: 3,
}
CHINA, USA = "chn", "usa"


def actor_group(kind: str) -> str:
    if kind in COUNTRY_KINDS:
        return ActorGroup.STATE
    if kind == ActorKind.COMPANY:
        return ActorGroup.COMPANY
    return ActorGroup.ORGANISATION


@dataclass(frozen=True)
class Segment:
    """A span in which a participation puts its actor in a (role, status)."""

    start: date | None  # None: the date is unknown
    end: date | None  # exclusive; None: still in force
    role: str
    status: str
    participation_id: int

    @property
    def rank(self):
        return (ROLE_RANK[self.role], STATUS_RANK[self.status])


def segments(p: Participation) -> list[Segment]:
    if p.joined_on is None:
        return [Segment(None, None, p.role, p.status, p.pk)]
    if p.status == ParticipationStatus.WITHDRAWN and p.left_on is not None:
        # It was in until it left, and is shown as having left from then on.
        return [
            Segment(p.joined_on, p.left_on, p.role, ParticipationStatus.CONFIRMED, p.pk),
            Segment(p.left_on, None, p.role, ParticipationStatus.WITHDRAWN, p.pk),
        ]
    return [Segment(p.joined_on, p.left_on, p.role, p.status, p.pk)]


def participations_for(initiative_ids=None):
    qs = Participation.objects.select_related("actor").order_by("pk")
    if initiative_ids is not None:
        qs = qs.filter(initiative_id__in=initiative_ids)
    return qs.iterator(chunk_size=5000)


# -- signatory counts over time ------------------------------------------------------------


def build_signatory_counts(participations) -> list[SignatoryCount]:
    """Delta rows: for each date on which a (group, role, status) count changes, its new value."""
    changes = defaultdict(lambda: defaultdict(int))  # initiative -> (date, combo) -> delta
    undated = defaultdict(lambda: defaultdict(int))
    for p in participations:
        group = actor_group(p.actor.kind)
        for seg in segments(p):
            combo = (group, seg.role, seg.status)
            if seg.start is None:
                undated[p.initiative_id][combo] += 1
                continue
            changes[p.initiative_id][(seg.start, combo)] += 1
            if seg.end is not None:
                changes[p.initiative_id][(seg.end, combo)] -= 1
    rows = []
    for initiative_id, deltas in changes.items():
        running = defaultdict(int)
        for (day, combo), delta in sorted(deltas.items()):
            if delta == 0:
                continue
            running[combo] += delta
            rows.append(_count_row(initiative_id, day, combo, running[combo]))
    for initiative_id, counts in undated.items():
        rows.extend(
            _count_row(initiative_id, None, combo, n) for combo, n in sorted(counts.items())
        )
    return rows


def _count_row(initiative_id, day, combo, count):
    group, role, status = combo
    return SignatoryCount(
        initiative_id=initiative_id,
        date=day,
        actor_group=group,
        role=role,
        status=status,
        count=count,
    )


# -- the map through time ------------------------------------------------------------------


def build_map_intervals(participations) -> list[MapInterval]:
    """For each state in each initiative, the strongest (role, status) on every span of time."""
    by_pair = defaultdict(list)
    info = {}
    for p in participations:
        if p.actor.kind not in COUNTRY_KINDS:
            continue
        by_pair[(p.initiative_id, p.actor_id)].extend(segments(p))
        info[p.pk] = (p.actor.iso_alpha3, p.joined_on, p.joined_on_precision, p.instrument)
    rows = []
    for (initiative_id, actor_id), segs in by_pair.items():
        for seg in _flatten([s for s in segs if s.start is not None]):
            rows.append(_interval(initiative_id, actor_id, seg, info))
        undated = [s for s in segs if s.start is None]
        if undated:
            rows.append(
                _interval(initiative_id, actor_id, min(undated, key=lambda s: s.rank), info)
            )
    return rows


def _flatten(segs: list[Segment]) -> list[Segment]:
    """Split overlapping spans at every boundary, keep the strongest, merge equal neighbours."""
    if not segs:
        return []
    bounds = sorted({s.start for s in segs} | {s.end for s in segs if s.end is not None})
    out: list[Segment] = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else None
        covering = [s for s in segs if s.start <= start and (s.end is None or s.end > start)]
        if not covering:
            continue
        best = min(covering, key=lambda s: s.rank)
        previous = out[-1] if out else None
        if (
            previous
            and previous.end == start
            and (previous.role, previous.status, previous.participation_id)
            == (best.role, best.status, best.participation_id)
        ):
            out[-1] = Segment(previous.start, end, best.role, best.status, best.participation_id)
        else:
            out.append(Segment(start, end, best.role, best.status, best.participation_id))
    return out


def _interval(initiative_id, actor_id, seg: Segment, info) -> MapInterval:
    iso, joined_on, precision, instrument = info[seg.participation_id]
    return MapInterval(
        initiative_id=initiative_id,
        actor_id=actor_id,
        participation_id=seg.participation_id,
        role=seg.role,
        status=seg.status,
        valid_from=seg.start,
        valid_to=seg.end,
        iso_alpha3=iso,
        joined_on=joined_on,
        joined_on_precision=precision,
        instrument=instrument,
    )


# -- alignment and camps -------------------------------------------------------------------


def current_memberships() -> dict[int, set[int]]:
    """{state id: ids of initiatives it has a confirmed participation in today, in any role}."""
    memberships = defaultdict(set)
    rows = Participation.objects.filter(
        actor__kind__in=COUNTRY_KINDS,
        status=ParticipationStatus.CONFIRMED,
        left_on__isnull=True,
    ).values_list("actor_id", "initiative_id")
    for actor_id, initiative_id in rows.iterator(chunk_size=5000):
        memberships[actor_id].add(initiative_id)
    return memberships


def build_alignment(memberships: dict[int, set[int]]) -> list[StateAlignment]:
    rows = []
    for a, b in combinations(sorted(memberships), 2):
        shared = len(memberships[a] & memberships[b])
        union = len(memberships[a] | memberships[b])
        jaccard = shared / union if union else 0.0
        rows.append(
            StateAlignment(actor_id=a, other_id=b, shared=shared, union=union, jaccard=jaccard)
        )
        rows.append(
            StateAlignment(actor_id=b, other_id=a, shared=shared, union=union, jaccard=jaccard)
        )
    return rows


def build_camps(memberships: dict[int, set[int]]) -> list[StateCamp]:
    sponsor_of = dict(Initiative.objects.values_list("pk", "sponsor__slug"))
    rows = []
    for actor_id in Actor.objects.countries().values_list("pk", flat=True).order_by("pk"):
        initiatives = memberships.get(actor_id, set())
        china = sum(1 for i in initiatives if sponsor_of[i] == CHINA)
        us = sum(1 for i in initiatives if sponsor_of[i] == USA)
        camp = (
            Camp.BOTH if china and us else Camp.CHINA if china else Camp.US if us else Camp.NEITHER
        )
        rows.append(
            StateCamp(
                actor_id=actor_id,
                camp=camp,
                china_led=china,
                us_led=us,
                memberships=len(initiatives),
            )
        )
    return rows


# -- the unified timeline ------------------------------------------------------------------


@dataclass
class TimelineRows:
    entries: list[TimelineEntry] = field(default_factory=list)
    initiative_links: list[set[int]] = field(default_factory=list)
    actor_links: list[set[int]] = field(default_factory=list)

    def add(self, entry: TimelineEntry, initiatives, actors):
        self.entries.append(entry)
        self.initiative_links.append(set(initiatives))
        self.actor_links.append(set(actors))


JOIN_VERB = {
    Role.WELCOMED_ONLY: "welcomes",
    Role.COMMITMENT_ONLY: "commits to the aims of",
    Role.PROPOSER: "proposes",
}


def build_initiative_timeline(initiative_ids=None, participations=None) -> TimelineRows:
    """Announcements, joins and departures: the rows a per-initiative refresh owns.
    participations: those of initiative_ids (with actors), if the caller has read them."""
    out = TimelineRows()
    initiatives = Initiative.objects.select_related("sponsor").order_by("pk")
    if initiative_ids is not None:
        initiatives = initiatives.filter(pk__in=initiative_ids)
    names = {}
    for i in initiatives:
        names[i.pk] = i.short_name
        out.add(
            TimelineEntry(
                date=i.announced_on,
                date_precision=i.announced_on_precision,
                kind=TimelineKind.ANNOUNCEMENT,
                detail=i.kind,
                title=f"{i.sponsor.name} announces the {i.name}",
                initiative_id=i.pk,
                scope_id=i.pk,
                source_kind="initiative",
                source_key=i.slug,
            ),
            [i.pk],
            [i.sponsor_id],
        )
    if participations is None:
        participations = participations_for(initiative_ids)
    for p in participations:
        name = names.get(p.initiative_id)
        moves = []
        if p.joined_on is not None:
            verb = JOIN_VERB.get(p.role, "joins")
            suffix = "" if p.role in JOIN_VERB else f" as {Role(p.role).label}"
            status = "" if p.status == ParticipationStatus.CONFIRMED else f" ({p.status})"
            moves.append(
                (
                    p.joined_on,
                    p.joined_on_precision,
                    TimelineKind.JOIN,
                    f"{p.actor.name} {verb} {name}{suffix}{status}",
                )
            )
        if p.left_on is not None:
            moves.append(
                (
                    p.left_on,
                    p.left_on_precision,
                    TimelineKind.DEPARTURE,
                    f"{p.actor.name} leaves {name}",
                )
            )
        for day, precision, kind, title in moves:
            out.add(
                TimelineEntry(
                    date=day,
                    date_precision=precision,
                    kind=kind,
                    detail=p.role,
                    title=title,
                    participation_id=p.pk,
                    scope_id=p.initiative_id,
                    source_kind="participation",
                    source_key=str(p.pk),
                ),
                [p.initiative_id],
                [p.actor_id],
            )
    return out


MEASURE_TIMELINE_KIND = {
    MeasureKind.COURT_INJUNCTION: TimelineKind.INJUNCTION,
    MeasureKind.REVOCATION: TimelineKind.REVOCATION,
}


def _pairs(model, field_name: str) -> dict[int, set[int]]:
    """{left pk: {right pk}} for one many-to-many table, read as plain tuples."""
    m2m = model._meta.get_field(field_name)
    through = m2m.remote_field.through
    left, right = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
    out = defaultdict(set)
    for a, b in through.objects.values_list(left, right).iterator(chunk_size=20000):
        out[a].add(b)
    return out


def build_global_timeline() -> TimelineRows:
    """Measures, their end, and events: the rows only a full refresh rebuilds.

    Read as plain tuples and joined in dictionaries: at a hundred thousand events,
    model instances and per-row prefetches would take minutes.
    """
    out = TimelineRows()
    targets = _pairs(Measure, "targets")
    measure_initiatives = _pairs(Measure, "initiatives")
    for measure_id, initiative_id in Measure.principles.through.objects.values_list(
        "measure_id", "principle__initiative_id"
    ).iterator(chunk_size=20000):
        measure_initiatives[measure_id].add(initiative_id)
    affected = _pairs(Measure, "revokes")
    for a, bs in _pairs(Measure, "enjoins").items():
        affected[a] |= bs
    measures = Measure.objects.values_list(
        "pk",
        "slug",
        "title",
        "kind",
        "issuer_id",
        "announced_on",
        "announced_on_precision",
        "ended_on",
        "ended_on_precision",
    )
    for (
        pk,
        slug,
        title,
        kind,
        issuer,
        announced,
        precision,
        ended,
        ended_precision,
    ) in measures.iterator(chunk_size=20000):
        initiatives = measure_initiatives.get(pk, set())
        actors = {issuer} | targets.get(pk, set())
        for other in affected.get(pk, ()):
            actors |= targets.get(other, set())
        out.add(
            TimelineEntry(
                date=announced,
                date_precision=precision,
                kind=MEASURE_TIMELINE_KIND.get(kind, TimelineKind.MEASURE),
                detail=kind,
                title=title,
                measure_id=pk,
                source_kind="measure",
                source_key=slug,
            ),
            initiatives,
            actors,
        )
        if ended is not None:
            out.add(
                TimelineEntry(
                    date=ended,
                    date_precision=ended_precision,
                    kind=TimelineKind.MEASURE_ENDED,
                    detail=kind,
                    title=f"{title} ends",
                    measure_id=pk,
                    source_kind="measure",
                    source_key=slug,
                ),
                initiatives,
                actors,
            )
    event_initiatives = _pairs(Event, "initiatives")
    event_actors = _pairs(Event, "actors")
    event_measures = _pairs(Event, "measures")
    events = Event.objects.values_list("pk", "date", "date_precision", "kind", "title")
    for pk, day, precision, kind, title in events.iterator(chunk_size=20000):
        actors = set(event_actors.get(pk, ()))
        for measure_id in event_measures.get(pk, ()):
            actors |= targets.get(measure_id, set())
        out.add(
            TimelineEntry(
                date=day,
                date_precision=precision,
                kind=TimelineKind.EVENT,
                detail=kind,
                title=title,
                event_id=pk,
                source_kind="event",
                source_key=str(pk),
            ),
            event_initiatives.get(pk, set()),
            actors,
        )
    return out
