"""The database itself refuses records that break the model's meaning."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from actors.models import Actor, ActorKind
from tests.factories import (
    CompanyFactory,
    InitiativeFactory,
    ParticipationFactory,
    PrincipleFactory,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_participation_per_initiative_actor_and_role():
    first = ParticipationFactory()
    refused(
        lambda: ParticipationFactory(
            initiative=first.initiative, actor=first.actor, role=first.role
        )
    )
    # The same actor in another role is a separate fact (commitment, then MoU).
    ParticipationFactory(initiative=first.initiative, actor=first.actor, role="commitment-only")


def test_left_on_cannot_precede_joined_on():
    refused(
        lambda: ParticipationFactory(
            joined_on=date(2021, 1, 1),
            joined_on_precision="day",
            left_on=date(2020, 1, 1),
            left_on_precision="day",
        )
    )


def test_a_month_precise_date_starts_on_the_first():
    refused(lambda: ParticipationFactory(joined_on=date(2020, 10, 21), joined_on_precision="month"))
    ParticipationFactory(joined_on=date(2020, 10, 1), joined_on_precision="month")


def test_a_year_precise_date_starts_on_the_first_of_january():
    refused(lambda: ParticipationFactory(joined_on=date(2020, 3, 1), joined_on_precision="year"))


def test_a_date_needs_a_precision_and_a_precision_needs_a_date():
    refused(lambda: ParticipationFactory(joined_on=date(2020, 3, 1), joined_on_precision=""))
    refused(lambda: ParticipationFactory(joined_on=None, joined_on_precision="day"))


def test_iso_codes_are_unique():
    refused(
        lambda: Actor.objects.create(
            kind=ActorKind.STATE,
            name="Another China",
            slug="chn",
            iso_alpha2="ZZ",
            iso_alpha3="CHN",
        )
    )
    refused(
        lambda: Actor.objects.create(
            kind=ActorKind.STATE, name="Copy", slug="zzz", iso_alpha2="CN", iso_alpha3="ZZZ"
        )
    )


def test_a_state_slug_is_its_lower_case_alpha3():
    refused(
        lambda: Actor.objects.create(
            kind=ActorKind.STATE, name="Nowhere", slug="nowhere", iso_alpha2="QQ", iso_alpha3="QQQ"
        )
    )
    Actor.objects.create(
        kind=ActorKind.STATE, name="Q", slug="qqq", iso_alpha2="QQ", iso_alpha3="QQQ"
    )


def test_only_states_and_territories_carry_iso_codes():
    refused(lambda: CompanyFactory(iso_alpha2="QQ", iso_alpha3="QQQ"))
    refused(lambda: Actor.objects.create(kind=ActorKind.STATE, name="No code", slug="nocode"))


def test_only_companies_have_headquarters():
    refused(
        lambda: Actor.objects.create(
            kind=ActorKind.ORGANISATION,
            name="Org",
            slug="org",
            headquarters=Actor.objects.get(slug="fra"),
        )
    )


def test_principle_order_is_unique_per_initiative_and_positive():
    principle = PrincipleFactory(order=1)
    refused(lambda: PrincipleFactory(initiative=principle.initiative, order=1))
    refused(lambda: PrincipleFactory(order=0))


def test_status_cannot_change_before_the_announcement():
    refused(
        lambda: InitiativeFactory(
            announced_on=date(2020, 8, 5),
            status_since=date(2020, 1, 1),
            status_since_precision="day",
        )
    )
