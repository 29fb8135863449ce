"""Bulk test data, to show that query counts do not grow with the number of rows."""

from datetime import date

from actors.models import Actor
from dashboard import services
from initiatives.models import Initiative, Measure, Participation, Principle, Source, Topic


def grow(n=40):
    """Add n initiatives (3 principles, 6 participations each) and n measures."""
    usa = Actor.objects.get(slug="usa")
    states = list(Actor.objects.countries().order_by("pk")[:6])
    huawei = Actor.objects.get(slug="huawei")
    source = Source.objects.first()
    topic = Topic.objects.first()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            slug=f"grown-{i}",
            name=f"Grown {i}",
            short_name=f"G{i}",
            sponsor=usa,
            announced_on=date(2021, 1, 1 + i % 28),
            announced_on_precision="day",
            kind="initiative",
            status="active",
            summary="Grown for the query test.",
        )
        for i in range(n)
    )
    principles = Principle.objects.bulk_create(
        Principle(initiative=i, order=o, title="t", paraphrase="p")
        for i in initiatives
        for o in (1, 2, 3)
    )
    participations = Participation.objects.bulk_create(
        Participation(
            initiative=i,
            actor=s,
            role="signatory",
            status="confirmed",
            joined_on=date(2021, 3, 1),
            joined_on_precision="day",
        )
        for i in initiatives
        for s in states
    )
    measures = Measure.objects.bulk_create(
        Measure(
            slug=f"grown-measure-{m}",
            title=f"M{m}",
            issuer=usa,
            kind="entity-listing",
            announced_on=date(2021, 2, 1),
            announced_on_precision="day",
            summary="s",
        )
        for m in range(n)
    )
    for model, rows in (
        (Initiative, initiatives),
        (Principle, principles),
        (Participation, participations),
        (Measure, measures),
    ):
        through = model.sources.through
        fk = model._meta.model_name + "_id"
        through.objects.bulk_create(through(**{fk: r.pk, "source_id": source.pk}) for r in rows)
    Principle.topics.through.objects.bulk_create(
        Principle.topics.through(principle_id=p.pk, topic_id=topic.pk) for p in principles
    )
    Measure.targets.through.objects.bulk_create(
        Measure.targets.through(measure_id=m.pk, actor_id=huawei.pk) for m in measures
    )
    services.refresh()
