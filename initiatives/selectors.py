"""Read paths for pages and, later, the API: each returns a queryset with its joins planned."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from actors.models import Actor
from initiatives.models import (
    Initiative,
    Measure,
    Participation,
    ParticipationStatus,
    Principle,
    Source,
)


def _count(model, **filters):
    """A correlated COUNT per initiative: joining two related tables at once would multiply
    their rows (principles x participations) before counting."""
    rows = (
        model.objects.filter(initiative=OuterRef("pk"), **filters)
        .order_by()
        .values("initiative")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def initiative_list():
    return (
        Initiative.objects.select_related("sponsor", "parent")
        .annotate(
            principle_count=_count(Principle),
            confirmed_count=_count(Participation, status=ParticipationStatus.CONFIRMED),
            participation_count=_count(Participation),
        )
        .order_by("announced_on", "slug")
    )


def initiative_detail(slug: str) -> Initiative:
    sources = Prefetch("sources", queryset=Source.objects.order_by("publisher", "key"))
    return (
        Initiative.objects.select_related("sponsor", "parent")
        .prefetch_related(
            sources,
            "derivatives",
            Prefetch(
                "principles",
                queryset=Principle.objects.order_by("order").prefetch_related("topics", sources),
            ),
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor")
                .prefetch_related(sources)
                .order_by("joined_on", "actor__name"),
            ),
            Prefetch("motivated_measures", queryset=Measure.objects.select_related("issuer")),
        )
        .get(slug=slug)
    )


def actor_detail(slug: str) -> Actor:
    return (
        Actor.objects.select_related("headquarters", "parent")
        .prefetch_related(
            "members",
            "member_of",
            "children",
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("initiative")
                .prefetch_related("sources")
                .order_by("joined_on", "initiative__slug"),
            ),
            Prefetch(
                "measures_issued",
                queryset=Measure.objects.prefetch_related("targets").order_by("announced_on"),
            ),
            Prefetch(
                "targeted_by",
                queryset=Measure.objects.select_related("issuer")
                .prefetch_related(
                    "revoked_by",
                    "enjoined_by",
                    "sources",
                    "initiatives",
                    Prefetch("principles", queryset=Principle.objects.select_related("initiative")),
                )
                .order_by("announced_on"),
            ),
        )
        .get(slug=slug)
    )
