from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from actors.filters import ActorFilter
from actors.models import Actor
from actors.serializers import ActorDetailSerializer, ActorSerializer
from config.api import Column, CSVListMixin, StrictOrderingFilter
from dashboard import selectors as snapshot
from initiatives.api import example_path
from initiatives.models import Measure, Participation, Source


@example_path("slug", "chn")
class ActorViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """States, territories, organisations and companies. A state's slug is its ISO alpha-3."""

    lookup_field = "slug"
    filterset_class = ActorFilter
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["name", "slug", "kind"]
    ordering = ["name"]
    csv_filename = "actors"
    csv_columns = [
        Column("slug", lambda a: a.slug),
        Column("kind", lambda a: a.kind),
        Column("name", lambda a: a.name),
        Column("short_name", lambda a: a.short_name),
        Column("iso_alpha2", lambda a: a.iso_alpha2),
        Column("iso_alpha3", lambda a: a.iso_alpha3),
        Column("headquarters", lambda a: a.headquarters.slug if a.headquarters else ""),
        Column("parent", lambda a: a.parent.slug if a.parent else ""),
    ]

    def get_queryset(self):
        queryset = Actor.objects.select_related("headquarters", "parent")
        if self.action == "retrieve":
            slug_only = Actor.objects.only("slug")
            queryset = queryset.prefetch_related(
                Prefetch("members", queryset=slug_only),
                Prefetch("member_of", queryset=slug_only),
                Prefetch("children", queryset=slug_only),
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("initiative", "actor")
                    .prefetch_related(Prefetch("sources", queryset=Source.objects.only("key")))
                    .order_by("joined_on", "initiative__slug"),
                ),
                Prefetch("measures_issued", queryset=Measure.objects.only("slug", "issuer_id")),
                Prefetch("targeted_by", queryset=Measure.objects.only("slug")),
                Prefetch("sources", queryset=Source.objects.order_by("key")),
            )
        return queryset

    def get_serializer_class(self):
        return ActorDetailSerializer if self.action == "retrieve" else ActorSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve" and "slug" in self.kwargs:
            actors = Actor.objects.filter(slug=self.kwargs["slug"])
            actor_id = actors.values_list("pk", flat=True).first()
            if actor_id is not None:
                context["camp"] = snapshot.camp_for(actor_id)
                context["alignment"] = snapshot.alignment_for(actor_id)
        return context
