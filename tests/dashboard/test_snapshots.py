"""Each snapshot builder against hand-computed expectations."""

from datetime import date

import pytest
from django.db.models import Q

from actors.models import Actor
from dashboard import selectors, snapshots
from dashboard.models import Camp, StateAlignment, TimelineKind
from initiatives.models import Initiative, Measure, Participation
from tests.factories import InitiativeFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

D = date


def state(slug):
    return Actor.objects.get(slug=slug)


@pytest.fixture
def small():
    """One initiative: a proposer, a member who left, a commitment that became a signature,
    a claimed member with no known date, and a company."""
    initiative = InitiativeFactory(announced_on=D(2020, 1, 1))
    make = ParticipationFactory
    return initiative, [
        make(
            initiative=initiative,
            actor=state("usa"),
            role="proposer",
            joined_on=D(2020, 1, 1),
            joined_on_precision="day",
        ),
        make(
            initiative=initiative,
            actor=state("fra"),
            role="signatory",
            status="withdrawn",
            joined_on=D(2020, 3, 1),
            joined_on_precision="month",
            left_on=D(2021, 6, 15),
            left_on_precision="day",
        ),
        make(
            initiative=initiative,
            actor=state("xkx"),
            role="commitment-only",
            joined_on=D(2020, 9, 4),
            joined_on_precision="day",
        ),
        make(
            initiative=initiative,
            actor=state("xkx"),
            role="signatory",
            joined_on=D(2020, 10, 23),
            joined_on_precision="day",
        ),
        make(initiative=initiative, actor=state("kor"), role="participant", status="claimed"),
        make(
            initiative=initiative,
            actor=Actor.objects.get(slug="huawei"),
            role="participant",
            joined_on=D(2020, 7, 1),
            joined_on_precision="month",
        ),
    ]


def test_signatory_counts_are_deltas_on_change_dates(small):
    initiative, participations = small
    rows = snapshots.build_signatory_counts(participations)
    got = {(r.date, r.actor_group, r.role, r.status): r.count for r in rows}
    assert got == {
        (D(2020, 1, 1), "state", "proposer", "confirmed"): 1,
        (D(2020, 3, 1), "state", "signatory", "confirmed"): 1,  # France, in until it left
        (D(2020, 7, 1), "company", "participant", "confirmed"): 1,
        (D(2020, 9, 4), "state", "commitment-only", "confirmed"): 1,
        (D(2020, 10, 23), "state", "signatory", "confirmed"): 2,  # Kosovo joins France
        (D(2021, 6, 15), "state", "signatory", "confirmed"): 1,  # France leaves ...
        (D(2021, 6, 15), "state", "signatory", "withdrawn"): 1,  # ... and shows as withdrawn
        (None, "state", "participant", "claimed"): 1,  # Korea, date unknown
    }


def test_counts_as_of_a_day_and_today(small):
    from dashboard.models import SignatoryCount

    initiative, participations = small
    SignatoryCount.objects.bulk_create(snapshots.build_signatory_counts(participations))
    assert selectors.signatory_counts_as_of(initiative.pk, D(2020, 12, 31)) == {
        ("state", "proposer", "confirmed"): 1,
        ("state", "signatory", "confirmed"): 2,
        ("state", "commitment-only", "confirmed"): 1,
        ("company", "participant", "confirmed"): 1,
    }
    today = selectors.signatory_counts_as_of(initiative.pk)
    assert today[("state", "signatory", "confirmed")] == 1
    assert today[("state", "signatory", "withdrawn")] == 1
    assert today[("state", "participant", "claimed")] == 1  # undated counts today only


def test_map_intervals_keep_the_strongest_role_and_show_departures(small):
    initiative, participations = small
    rows = snapshots.build_map_intervals(participations)
    got = sorted(
        ((r.iso_alpha3, r.role, r.status, r.valid_from, r.valid_to) for r in rows),
        key=lambda r: (r[0], r[3] or D.min),
    )
    assert got == [
        ("FRA", "signatory", "confirmed", D(2020, 3, 1), D(2021, 6, 15)),
        ("FRA", "signatory", "withdrawn", D(2021, 6, 15), None),
        ("KOR", "participant", "claimed", None, None),
        ("USA", "proposer", "confirmed", D(2020, 1, 1), None),
        ("XKX", "commitment-only", "confirmed", D(2020, 9, 4), D(2020, 10, 23)),
        ("XKX", "signatory", "confirmed", D(2020, 10, 23), None),
    ]  # the company is not on the map


def test_map_as_of_answers_from_the_intervals(small):
    from dashboard.models import MapInterval

    initiative, participations = small
    MapInterval.objects.bulk_create(snapshots.build_map_intervals(participations))

    def on(day):
        return {r.iso_alpha3: r.role for r in selectors.map_as_of([initiative.pk], day)}

    assert on(D(2020, 2, 1)) == {"USA": "proposer"}
    assert on(D(2020, 9, 30)) == {"USA": "proposer", "FRA": "signatory", "XKX": "commitment-only"}
    assert on(D(2020, 10, 23))["XKX"] == "signatory"
    assert "KOR" not in on(D(2030, 1, 1))  # an undated claim is never put on a dated map
    assert on(None)["KOR"] == "participant"


def test_alignment_is_the_jaccard_index_of_memberships():
    rows = snapshots.build_alignment({1: {10, 11, 12}, 2: {11, 12, 13}, 3: {99}})
    got = {(r.actor_id, r.other_id): (r.shared, r.union, r.jaccard) for r in rows}
    assert got[(1, 2)] == got[(2, 1)] == (2, 4, 0.5)
    assert got[(1, 3)] == (0, 4, 0.0)
    assert len(rows) == 6


def test_camps_follow_the_sponsors():
    china_led = Initiative.objects.get(slug="gids").pk
    us_led = Initiative.objects.get(slug="clean-network").pk
    neutral = Initiative.objects.get(slug="paris-call").pk
    memberships = {
        state("pak").pk: {china_led},
        state("cze").pk: {us_led, neutral},
        state("fra").pk: {neutral},
        state("srb").pk: {china_led, us_led},
    }
    camps = {c.actor_id: c for c in snapshots.build_camps(memberships)}
    assert camps[state("pak").pk].camp == Camp.CHINA
    assert camps[state("cze").pk].camp == Camp.US
    assert camps[state("fra").pk].camp == Camp.NEITHER
    assert camps[state("srb").pk].camp == Camp.BOTH
    assert camps[state("bra").pk].camp == Camp.NEITHER  # no membership at all
    assert len(camps) == Actor.objects.countries().count()


def test_initiative_timeline_has_the_announcement_joins_and_departures(small):
    initiative, _ = small
    rows = snapshots.build_initiative_timeline([initiative.pk])
    kinds = sorted((e.date, e.kind) for e in rows.entries)
    assert (initiative.announced_on, TimelineKind.ANNOUNCEMENT) in kinds
    assert [k for k in kinds if k[1] == TimelineKind.JOIN] == [
        (D(2020, 1, 1), "join"),
        (D(2020, 3, 1), "join"),
        (D(2020, 7, 1), "join"),
        (D(2020, 9, 4), "join"),
        (D(2020, 10, 23), "join"),
    ]  # Korea's claim has no date and no timeline entry
    assert [k for k in kinds if k[1] == TimelineKind.DEPARTURE] == [(D(2021, 6, 15), "departure")]
    assert all(e.scope_id == initiative.pk for e in rows.entries)


def test_global_timeline_links_measures_to_their_fate_and_companies():
    rows = snapshots.build_global_timeline()
    by_title = {}
    for entry, initiatives, actors in zip(
        rows.entries, rows.initiative_links, rows.actor_links, strict=True
    ):
        by_title[(entry.title, entry.kind)] = (entry, initiatives, actors)
    tiktok = state("tiktok").pk
    revocation = Measure.objects.get(slug="us-eo-14034")
    _, _, actors = by_title[(revocation.title, TimelineKind.REVOCATION)]
    assert tiktok in actors  # the revocation shows on TikTok's timeline
    injunction = Measure.objects.get(slug="us-2020-09-27-tiktok-injunction")
    assert by_title[(injunction.title, TimelineKind.INJUNCTION)][2] >= {tiktok}
    order = Measure.objects.get(slug="us-eo-13942")
    assert (f"{order.title} ends", TimelineKind.MEASURE_ENDED) in by_title
    assert Initiative.objects.get(slug="clean-network").pk in by_title[(order.title, "measure")][1]


def test_clean_network_confirmed_states_on_31_october_2020_match_the_dated_joins():
    clean = Initiative.objects.get(slug="clean-network")
    day = D(2020, 10, 31)
    dated_joins = (
        Participation.objects.filter(
            initiative=clean,
            actor__kind__in=["state", "territory"],
            status="confirmed",
            joined_on__lte=day,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .count()
    )
    counts = selectors.signatory_counts_as_of(clean.pk, day)
    confirmed_states = sum(
        n for (group, _, status), n in counts.items() if group == "state" and status == "confirmed"
    )
    assert confirmed_states == dated_joins == 21
    on_map = selectors.map_as_of([clean.pk], day)
    assert "CZE" in {r.iso_alpha3 for r in on_map}
    assert "CZE" not in {r.iso_alpha3 for r in selectors.map_as_of([clean.pk], D(2020, 5, 5))}


def test_alignment_snapshot_ranks_neighbours():
    czech = state("cze")
    most, least = selectors.alignment_for(czech.pk)
    assert most and most[0].jaccard >= most[-1].jaccard > 0
    assert least[0].jaccard <= most[-1].jaccard
    assert StateAlignment.objects.filter(actor=czech).count() > 10
