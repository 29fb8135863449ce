import factory
from factory.django import DjangoModelFactory

from actors.models import Actor, ActorKind
from initiatives.models import (
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    Participation,
    ParticipationStatus,
    Principle,
    Role,
    Source,
    Topic,
)


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Actor

    kind = ActorKind.COMPANY
    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    publisher = "Publisher"
    title = factory.Sequence(lambda n: f"Report {n}")
    url = factory.Sequence(lambda n: f"https://example.org/report/{n}")


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class InitiativeFactory(DjangoModelFactory):
    class Meta:
        model = Initiative

    slug = factory.Sequence(lambda n: f"initiative-{n}")
    name = factory.Sequence(lambda n: f"Initiative {n}")
    short_name = factory.Sequence(lambda n: f"I{n}")
    sponsor = factory.LazyFunction(lambda: Actor.objects.get(slug="usa"))
    announced_on = factory.Faker("date_between", start_date="-10y", end_date="-1y")
    announced_on_precision = "day"
    kind = InitiativeKind.INITIATIVE
    status = InitiativeStatus.ACTIVE
    summary = "A summary."


class PrincipleFactory(DjangoModelFactory):
    class Meta:
        model = Principle

    initiative = factory.SubFactory(InitiativeFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = "A principle"
    paraphrase = "What it says."


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    initiative = factory.SubFactory(InitiativeFactory)
    actor = factory.LazyFunction(lambda: Actor.objects.get(slug="fra"))
    role = Role.SIGNATORY
    status = ParticipationStatus.CONFIRMED
