"""The curated dataset says what the fact sheet says, and cites a source for every fact."""

from datetime import date

import pytest
from django.db.models import Count, Q

from initiatives.models import Event, Initiative, Measure, Participation, Principle

pytestmark = pytest.mark.django_db


def members_on(initiative: str, day: date, statuses=("confirmed",)) -> set[str]:
    return set(
        Participation.objects.filter(
            initiative__slug=initiative, status__in=statuses, joined_on__lte=day
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .values_list("actor__iso_alpha3", flat=True)
    )


def test_gids_has_eight_principles_in_order():
    orders = list(Principle.objects.filter(initiative__slug="gids").values_list("order", flat=True))
    assert orders == [1, 2, 3, 4, 5, 6, 7, 8]
    backdoors = Principle.objects.get(initiative__slug="gids", order=7)
    assert list(backdoors.topics.values_list("slug", flat=True)) == ["backdoors"]


def test_gids_welcomes_are_not_signatures():
    roles = dict(
        Participation.objects.filter(initiative__slug="gids").values_list("actor__slug", "role")
    )
    assert roles == {
        "chn": "proposer",
        "pak": "welcomed-only",
        "rus": "welcomed-only",
        "phl": "welcomed-only",
        "lao": "welcomed-only",
    }
    # Russia's and ASEAN's welcomes rest on China's account alone.
    assert Participation.objects.get(initiative__slug="gids", actor__slug="rus").status == "claimed"


def test_china_central_asia_parties_on_launch_day():
    parties = {"CHN", "KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert members_on("china-central-asia-data-security", date(2022, 6, 8)) == parties
    assert members_on("china-central-asia-data-security", date(2022, 6, 7)) == set()


def test_future_of_the_internet_has_61_launch_endorsers_besides_the_usa():
    endorsers = Participation.objects.filter(
        initiative__slug="future-of-the-internet", role="endorser", joined_on=date(2022, 4, 28)
    )
    assert endorsers.count() == 61
    assert endorsers.filter(actor__kind__in=["state", "territory"]).count() == 60
    assert endorsers.filter(actor__slug="european-commission").exists()
    assert not endorsers.filter(actor__slug="usa").exists()
    usa = Participation.objects.get(initiative__slug="future-of-the-internet", actor__slug="usa")
    assert usa.role == "proposer"


def test_clean_network_honest_statuses():
    status = dict(
        Participation.objects.filter(initiative__slug="clean-network", actor__kind="state")
        .exclude(role="commitment-only")
        .values_list("actor__slug", "status")
    )
    assert status["bra"] == status["jpn"] == status["cyp"] == "disputed"
    assert {s for s, v in status.items() if v == "claimed"} == {"kor", "sgp", "can", "vnm", "ind"}
    assert "swe" not in status
    serbia = Participation.objects.get(initiative__slug="clean-network", actor__slug="srb")
    assert serbia.role == "commitment-only"
    kosovo_roles = set(
        Participation.objects.filter(
            initiative__slug="clean-network", actor__slug="xkx"
        ).values_list("role", flat=True)
    )
    assert kosovo_roles == {"commitment-only", "signatory"}


def test_czech_republic_joins_the_clean_network_on_6_may_2020():
    assert "CZE" not in members_on("clean-network", date(2020, 5, 5))
    assert "CZE" in members_on("clean-network", date(2020, 5, 6))


def test_clean_network_aggregate_claims_are_dated_events():
    claims = {
        (e.date, e.date_precision)
        for e in Event.objects.filter(initiatives__slug="clean-network", kind="claim")
    }
    # 30+ (5 Aug), 40 (17 Oct), ~50 (10 Nov), 53 (late Nov, known to the month), 60 (15 Jan).
    assert {
        (date(2020, 8, 5), "day"),
        (date(2020, 10, 17), "day"),
        (date(2020, 11, 10), "day"),
        (date(2020, 11, 1), "month"),
        (date(2021, 1, 15), "day"),
    } <= claims


def test_clean_telcos_are_company_participants():
    telcos = Participation.objects.filter(initiative__slug="clean-network", actor__kind="company")
    assert telcos.count() == 21
    assert set(telcos.values_list("role", flat=True)) == {"participant"}


def test_eo_14034_revokes_the_tiktok_and_wechat_orders_which_courts_had_enjoined():
    revocation = Measure.objects.get(slug="us-eo-14034")
    assert {"us-eo-13942", "us-eo-13943"} <= set(revocation.revokes.values_list("slug", flat=True))
    tiktok_order = Measure.objects.get(slug="us-eo-13942")
    assert list(tiktok_order.targets.values_list("slug", flat=True)) == ["tiktok"]
    assert tiktok_order.enjoined_by.count() >= 2
    assert tiktok_order.ended_on == date(2021, 6, 9)
    assert (
        Measure.objects.get(slug="us-eo-13943")
        .enjoined_by.filter(slug="us-2020-09-19-wechat-injunction")
        .exists()
    )


def test_companies_carry_parents():
    from actors.models import Actor

    assert Actor.objects.get(slug="tiktok").parent.slug == "bytedance"
    assert Actor.objects.get(slug="wechat").parent.slug == "tencent"


def test_every_fact_cites_a_source():
    for model in (Initiative, Principle, Participation, Measure, Event):
        uncited = model.objects.annotate(n=Count("sources")).filter(n=0)
        assert list(uncited) == [], f"{model.__name__} without a source"


def test_derivatives_point_at_their_parents():
    assert Initiative.objects.get(slug="china-las-data-security").parent.slug == "gids"
    assert Initiative.objects.get(slug="clean-network").parent.slug == "5g-clean-path"
