from django.db.models import Count, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets

from actors.models import Actor
from config.api import Column, CSVListMixin, StrictOrderingFilter
from dashboard import selectors as snapshot
from initiatives import filters, serializers
from initiatives.models import Initiative, Measure, Participation, Principle, Source, Topic

FILTERS = [DjangoFilterBackend, StrictOrderingFilter]


def example_path(name: str, value):
    """A real object for the docs' "try it out" and for the schema fuzzer."""
    return extend_schema_view(
        retrieve=extend_schema(
            parameters=[
                OpenApiParameter(
                    name,
                    location=OpenApiParameter.PATH,
                    examples=[OpenApiExample(str(value), value=value)],
                )
            ]
        )
    )


def slugs_of(related):
    return lambda obj: [o.slug for o in getattr(obj, related).all()]


def source_keys(obj):
    return [s.key for s in obj.sources.all()]


@example_path("slug", "gids")
class InitiativeViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """Initiatives with their principles, counts by role and status, parent and derivatives."""

    lookup_field = "slug"
    filterset_class = filters.InitiativeFilter
    filter_backends = FILTERS
    ordering_fields = ["announced_on", "name", "short_name", "slug"]
    ordering = ["announced_on", "slug"]
    csv_filename = "initiatives"
    csv_columns = [
        Column("slug", lambda i: i.slug),
        Column("name", lambda i: i.name),
        Column("short_name", lambda i: i.short_name),
        Column("sponsor", lambda i: i.sponsor.slug),
        Column("announced_on", lambda i: i.announced_on),
        Column("announced_on_precision", lambda i: i.announced_on_precision),
        Column("kind", lambda i: i.kind),
        Column("status", lambda i: i.status),
        Column("status_since", lambda i: i.status_since),
        Column("parent", lambda i: i.parent.slug if i.parent else ""),
        Column("principle_count", lambda i: i.principle_count),
        Column("primary_url", lambda i: i.primary_url),
        Column("summary", lambda i: i.summary),
        Column("sources", source_keys),
    ]

    def get_queryset(self):
        detail = self.action == "retrieve"
        sources = Source.objects.order_by("key") if detail else Source.objects.only("key")
        queryset = (
            Initiative.objects.select_related("sponsor", "parent")
            .annotate(principle_count=Count("principles"))
            .prefetch_related(
                Prefetch("sources", queryset=sources),
                Prefetch("derivatives", queryset=Initiative.objects.only("slug", "parent_id")),
            )
        )
        if detail:
            queryset = queryset.prefetch_related(
                Prefetch(
                    "principles",
                    queryset=Principle.objects.select_related("initiative").prefetch_related(
                        Prefetch("topics", queryset=Topic.objects.only("slug")),
                        Prefetch("sources", queryset=Source.objects.only("key")),
                    ),
                ),
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.InitiativeDetailSerializer
        return serializers.InitiativeSerializer

    def get_serializer(self, *args, **kwargs):
        # Counts come from the snapshot, for every initiative on the page, in one query.
        objects = args[0] if args else None
        if objects is not None:
            items = objects if isinstance(objects, list | tuple) else [objects]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["counts"] = snapshot.latest_signatory_counts([i.pk for i in items])
        return super().get_serializer(*args, **kwargs)


class PrincipleViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """Principles and lines of effort, paraphrased, with their topics and sources."""

    serializer_class = serializers.PrincipleSerializer
    filterset_class = filters.PrincipleFilter
    filter_backends = FILTERS
    ordering_fields = ["initiative__announced_on", "order", "title", "id"]
    csv_filename = "principles"
    csv_columns = [
        Column("id", lambda p: p.pk),
        Column("initiative", lambda p: p.initiative.slug),
        Column("order", lambda p: p.order),
        Column("code", lambda p: p.code),
        Column("section", lambda p: p.section),
        Column("title", lambda p: p.title),
        Column("paraphrase", lambda p: p.paraphrase),
        Column("note", lambda p: p.note),
        Column("topics", slugs_of("topics")),
        Column("sources", source_keys),
    ]

    def get_queryset(self):
        return (
            Principle.objects.select_related("initiative")
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.only("slug")),
                Prefetch("sources", queryset=Source.objects.only("key")),
            )
            .order_by("initiative__announced_on", "initiative__slug", "order")
        )


@example_path("slug", "backdoors")
class TopicViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """The controlled topic taxonomy, with how many principles carry each topic."""

    lookup_field = "slug"
    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilter
    filter_backends = FILTERS
    ordering_fields = ["slug", "name", "principle_count"]
    ordering = ["slug"]
    csv_filename = "topics"
    csv_columns = [
        Column("slug", lambda t: t.slug),
        Column("name", lambda t: t.name),
        Column("description", lambda t: t.description),
        Column("principle_count", lambda t: t.principle_count),
    ]

    def get_queryset(self):
        return Topic.objects.annotate(principle_count=Count("principles"))


class ParticipationViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """Who takes part in what: role, honest status, dates with their precision, instrument."""

    serializer_class = serializers.ParticipationSerializer
    filterset_class = filters.ParticipationFilter
    filter_backends = FILTERS
    ordering_fields = ["joined_on", "left_on", "id", "actor__name", "initiative__announced_on"]
    ordering = ["initiative__announced_on", "joined_on", "id"]
    csv_filename = "participations"
    csv_columns = [
        Column("id", lambda p: p.pk),
        Column("initiative", lambda p: p.initiative.slug),
        Column("actor", lambda p: p.actor.slug),
        Column("actor_name", lambda p: p.actor.name),
        Column("actor_kind", lambda p: p.actor.kind),
        Column("role", lambda p: p.role),
        Column("status", lambda p: p.status),
        Column("joined_on", lambda p: p.joined_on),
        Column("joined_on_precision", lambda p: p.joined_on_precision),
        Column("left_on", lambda p: p.left_on),
        Column("left_on_precision", lambda p: p.left_on_precision),
        Column("instrument", lambda p: p.instrument),
        Column("note", lambda p: p.note),
        Column("sources", source_keys),
    ]

    def get_queryset(self):
        return Participation.objects.select_related("initiative", "actor").prefetch_related(
            Prefetch("sources", queryset=Source.objects.only("key"))
        )


@example_path("slug", "us-eo-13942")
class MeasureViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """Measures aimed at companies, linked to what they amend, revoke or enjoin, with their fate."""

    lookup_field = "slug"
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilter
    filter_backends = FILTERS
    ordering_fields = ["announced_on", "ended_on", "slug", "title"]
    ordering = ["announced_on", "slug"]
    csv_filename = "measures"
    csv_columns = [
        Column("slug", lambda m: m.slug),
        Column("title", lambda m: m.title),
        Column("issuer", lambda m: m.issuer.slug),
        Column("kind", lambda m: m.kind),
        Column("announced_on", lambda m: m.announced_on),
        Column("announced_on_precision", lambda m: m.announced_on_precision),
        Column("effective_on", lambda m: m.effective_on),
        Column("ended_on", lambda m: m.ended_on),
        Column("targets", slugs_of("targets")),
        Column("amends", slugs_of("amends")),
        Column("revokes", slugs_of("revokes")),
        Column("enjoins", slugs_of("enjoins")),
        Column("revoked_by", slugs_of("revoked_by")),
        Column("enjoined_by", slugs_of("enjoined_by")),
        Column("initiatives", slugs_of("initiatives")),
        Column("fate", serializers.measure_fate),
        Column("summary", lambda m: m.summary),
        Column("sources", source_keys),
    ]

    def get_queryset(self):
        slug_only = Measure.objects.only("slug")
        return Measure.objects.select_related("issuer").prefetch_related(
            Prefetch("targets", queryset=Actor.objects.only("slug")),
            Prefetch("amends", queryset=slug_only),
            Prefetch("revokes", queryset=slug_only),
            Prefetch("enjoins", queryset=slug_only),
            Prefetch("amended_by", queryset=slug_only),
            Prefetch("revoked_by", queryset=slug_only),
            Prefetch("enjoined_by", queryset=slug_only),
            Prefetch("initiatives", queryset=Initiative.objects.only("slug")),
            Prefetch("principles", queryset=Principle.objects.select_related("initiative")),
            Prefetch("sources", queryset=Source.objects.only("key")),
        )


@example_path("key", "golem-undated-clean-network-offline")
class SourceViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """Every source the Atlas cites."""

    lookup_field = "key"
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilter
    filter_backends = FILTERS
    ordering_fields = ["key", "publisher", "published_on"]
    ordering = ["key"]
    queryset = Source.objects.all()
    csv_filename = "sources"
    csv_columns = [
        Column("key", lambda s: s.key),
        Column("publisher", lambda s: s.publisher),
        Column("title", lambda s: s.title),
        Column("url", lambda s: s.url),
        Column("published_on", lambda s: s.published_on),
        Column("published_on_precision", lambda s: s.published_on_precision),
        Column("note", lambda s: s.note),
    ]
