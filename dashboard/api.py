from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Replace
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import (
    AtlasAPIMixin,
    Column,
    CSVListMixin,
    StrictOrderingFilter,
    csv_response,
    defused,
)
from dashboard import selectors, serializers, versioning
from dashboard.filters import CompareForm, MapForm, TimelineFilter
from dashboard.models import RefreshRun, TimelineEntry
from initiatives.models import Event, Initiative, Measure, Participation, Principle, Source


class TimelineViewSet(CSVListMixin, viewsets.ReadOnlyModelViewSet):
    """The unified timeline (from the snapshot): announcements, joins, departures, measures,
    injunctions, revocations and events."""

    serializer_class = serializers.TimelineEntrySerializer
    filterset_class = TimelineFilter
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["date", "id"]
    ordering = ["date", "id"]
    csv_filename = "timeline"
    csv_header = serializers.TimelineEntrySerializer.Meta.fields  # the JSON's own columns

    @property
    def csv_columns(self):
        return [Column(name, None) for name in self.csv_header]

    # The snapshot columns behind csv_header, in its order (the keys are denormalised).
    COLUMNS = (
        "id",
        "date",
        "date_precision",
        "kind",
        "detail",
        "title",
        "initiative_keys",
        "actor_keys",
        "source_kind",
        "source_key",
    )

    def csv_rows(self, queryset):
        """One plain tuple per entry, from the snapshot's denormalised columns, read with a
        server-side cursor: no joins, no per-row objects, memory flat in the row count."""
        for row in queryset.order_by("date", "id").values_list(*self.COLUMNS).iterator(5000):
            *head, initiatives, actors, origin, key = row
            yield (*head, initiatives.replace(";", "; "), actors.replace(";", "; "), origin, key)

    def csv_copy(self, queryset):
        """The same cells, finished by the database, for PostgreSQL to write as CSV."""

        def spaced(name):
            return Replace(F(name), Value(";"), Value("; "))

        if queryset.query.distinct:  # a filter across the links (copy_csv)
            queryset = TimelineEntry.objects.filter(pk__in=queryset.order_by().values("pk"))
        return queryset.order_by("date", "id").values_list(
            "id",
            Func(F("date"), Value("YYYY-MM-DD"), function="to_char", output_field=TextField()),
            *(defused(F(name)) for name in ("date_precision", "kind", "detail", "title")),
            defused(spaced("initiative_keys")),
            defused(spaced("actor_keys")),
            defused(F("source_kind")),
            defused(F("source_key")),
        )

    def get_queryset(self):
        return TimelineEntry.objects.all()


def form_or_400(form):
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


class CompareView(AtlasAPIMixin, APIView):
    """The principle crosswalk: for each topic, each initiative's principles."""

    extra_parameters = {"initiatives", "topic"}
    repeatable_parameters = {"initiatives", "topic"}
    csv_header = [
        "topic",
        "topic_name",
        "initiative",
        "principle_id",
        "principle_order",
        "principle_code",
        "principle_title",
        "paraphrase",
        "sources",
    ]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "initiatives",
                str,
                required=True,
                description="Two to six initiative slugs, comma-separated.",
                examples=[OpenApiExample("GIDS and the Clean Network", value="gids,clean-network")],
            ),
            OpenApiParameter(
                "topic",
                str,
                many=True,
                description="Topic slugs (repeatable or comma-separated): only these rows.",
            ),
            OpenApiParameter("format", str, enum=["json", "csv"]),
        ],
        responses={
            (200, "application/json"): serializers.CompareSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        params = form_or_400(CompareForm(request.query_params))
        initiatives = params["initiatives"]
        rows = selectors.crosswalk(initiatives, params["topic"])
        if self.wants_csv():
            slug_of = {i.pk: i.slug for i in initiatives}
            return csv_response(
                "compare",
                self.csv_header,
                (
                    [
                        topic.slug,
                        topic.name,
                        slug_of[i],
                        p.pk if p else "",
                        p.order if p else "",
                        p.code if p else "",
                        p.title if p else "",
                        p.paraphrase if p else "",
                        [s.key for s in p.sources.all()] if p else [],
                    ]
                    for topic, cells in rows
                    for i, principles in cells.items()
                    for p in (principles or [None])
                ),
            )
        return Response(
            {
                "initiatives": [
                    {"slug": i.slug, "short_name": i.short_name, "name": i.name}
                    for i in initiatives
                ],
                "rows": [
                    {
                        "topic": topic.slug,
                        "topic_name": topic.name,
                        "cells": [
                            {
                                "initiative": next(x.slug for x in initiatives if x.pk == i),
                                "principles": serializers.PrincipleCellSerializer(
                                    principles, many=True
                                ).data,
                            }
                            for i, principles in cells.items()
                        ],
                    }
                    for topic, cells in rows
                ],
            }
        )


class MapView(AtlasAPIMixin, APIView):
    """Every state's role and status in one or two initiatives on a date (from the snapshot)."""

    extra_parameters = {"initiative", "as_of"}
    repeatable_parameters = {"initiative"}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "initiative",
                str,
                many=True,
                required=True,
                description="One or two initiative slugs (repeat the parameter).",
                examples=[OpenApiExample("The Clean Network", value=["clean-network"])],
            ),
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description="YYYY-MM-DD; left out: the latest state, including "
                "participations whose date is unknown.",
            ),
            OpenApiParameter("format", str, enum=["json", "csv"]),
        ],
        responses={
            (200, "application/json"): serializers.MapSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        params = form_or_400(MapForm(request.query_params))
        initiatives, as_of = params["initiative"], params["as_of"]
        rows = selectors.map_rows(initiatives, as_of)
        if self.wants_csv():
            header = ["iso_alpha3", "name", "slug"]
            for i in initiatives:
                header += [
                    f"{i.slug}_role",
                    f"{i.slug}_status",
                    f"{i.slug}_joined_on",
                    f"{i.slug}_joined_on_precision",
                    f"{i.slug}_instrument",
                ]
            header.append("overlap")
            return csv_response(
                "map",
                header,
                (
                    [state.iso_alpha3, state.name, state.slug]
                    + [
                        v
                        for c in cells
                        for v in (
                            (c.role, c.status, c.joined_on, c.joined_on_precision, c.instrument)
                            if c
                            else ("", "", "", "", "")
                        )
                    ]
                    + [overlap or ""]
                    for state, cells, overlap in rows
                ),
            )
        return Response(
            {
                "as_of": as_of,
                "initiatives": [
                    {"slug": i.slug, "short_name": i.short_name, "name": i.name}
                    for i in initiatives
                ],
                "states": [
                    {
                        "slug": state.slug,
                        "iso_alpha3": state.iso_alpha3,
                        "iso_alpha2": state.iso_alpha2,
                        "name": state.name,
                        "kind": state.kind,
                        "overlap": overlap,
                        "cells": [
                            {
                                "initiative": i.slug,
                                "role": c.role,
                                "status": c.status,
                                "joined_on": c.joined_on,
                                "joined_on_precision": c.joined_on_precision,
                                "instrument": c.instrument,
                            }
                            for i, c in zip(initiatives, cells, strict=True)
                            if c is not None
                        ],
                    }
                    for state, cells, overlap in rows
                ],
            }
        )


def refresh_data(run: RefreshRun | None):
    if run is None:
        return None
    return {
        "scope": run.scope,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "duration_ms": run.duration_ms,
        "rows_written": run.rows_written,
        "by_worker": not run.eager,
        "error": run.error or None,
    }


class StatusView(AtlasAPIMixin, APIView):
    """The dataset's version and size, and the last snapshot refresh."""

    renderer_classes = AtlasAPIMixin.renderer_classes[:1]

    @extend_schema(responses=serializers.StatusSerializer)
    def get(self, request):
        version = versioning.current()
        success, failure = selectors.last_refresh(), selectors.last_failure()
        newer_failure = failure and (success is None or failure.started_at > success.started_at)
        return Response(
            {
                "data_version": version.data_version,
                "data_changed_at": version.data_changed_at,
                "snapshot_version": version.snapshot_version,
                "counts": {
                    "initiatives": Initiative.objects.count(),
                    "principles": Principle.objects.count(),
                    "participations": Participation.objects.count(),
                    "measures": Measure.objects.count(),
                    "events": Event.objects.count(),
                    "sources": Source.objects.count(),
                },
                "last_refresh": refresh_data(success),
                "last_failed_refresh": refresh_data(failure) if newer_failure else None,
            }
        )
