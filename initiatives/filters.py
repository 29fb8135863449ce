"""The one definition of each filter: the pages, the API and the CSV exports all use these."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from actors.models import Actor, ActorKind
from initiatives.models import (
    Initiative,
    InitiativeKind,
    InitiativeStatus,
    Measure,
    MeasureKind,
    Participation,
    ParticipationStatus,
    Principle,
    Role,
    Source,
    Topic,
)

ISO_DATE = ["%Y-%m-%d"]
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class IsoDateField(forms.DateField):
    """A date written exactly as YYYY-MM-DD (strptime alone would take 2020-1-1)."""

    def __init__(self, *args, **kwargs):
        kwargs["input_formats"] = ISO_DATE
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not ISO_DATE_RE.match(value.strip()):
            raise forms.ValidationError("Enter a date as YYYY-MM-DD.", code="invalid")
        return super().to_python(value)


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


@extend_schema_field(OpenApiTypes.STR)
class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable ?name=slug&name=slug, validated against the slugs that exist."""


def slugs(model, field_name, *, label, slug_field="slug", queryset=None, **kwargs):
    return SlugsFilter(
        field_name=f"{field_name}__{slug_field}",
        to_field_name=slug_field,
        queryset=queryset if queryset is not None else model.objects.all(),
        label=label,
        **kwargs,
    )


# Searches are short: a longer value is a 400 / a form error, not a query that SQLite
# cannot compile ("expression tree is too large") or PostgreSQL takes seconds over.
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10


def at_most_ten_words(value: str) -> None:
    if len(value.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(f"Search with at most {SEARCH_MAX_WORDS} words.")


def search_filter(label: str, method: str = "search") -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method=method,
        label=label,
        max_length=SEARCH_MAX_LENGTH,
        validators=[at_most_ten_words],
    )


def words_filter(fields):
    """A plain-text search: every word must appear in one of the fields."""

    def method(queryset, name, value):
        for word in value.split():
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    return method


class InitiativeFilter(django_filters.FilterSet):
    sponsor = slugs(Actor, "sponsor", label="Sponsor actor slug (repeatable).")
    kind = django_filters.MultipleChoiceFilter(choices=InitiativeKind.choices, label="Kind.")
    status = django_filters.MultipleChoiceFilter(choices=InitiativeStatus.choices, label="Status.")
    q = search_filter("Words in the name, short name or summary.")

    search = staticmethod(words_filter(["name", "short_name", "summary"]))

    class Meta:
        model = Initiative
        fields = ["sponsor", "kind", "status", "q"]


class TopicMatch:
    ANY, ALL = "any", "all"


class PrincipleFilter(django_filters.FilterSet):
    initiative = slugs(Initiative, "initiative", label="Initiative slug (repeatable).")
    topic = slugs(Topic, "topics", label="Topic slug (repeatable); see topic_match.")
    topic_match = django_filters.ChoiceFilter(
        choices=[(TopicMatch.ANY, "any"), (TopicMatch.ALL, "all")],
        method="noop",
        empty_label=None,
        label="With several topics: principles tagged with any of them (default) or all.",
    )
    q = search_filter("Full text over title and paraphrase (ranked on PostgreSQL).")

    class Meta:
        model = Principle
        fields = ["initiative", "topic", "topic_match", "q"]

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        topics = self.form.cleaned_data.pop("topic", None)
        queryset = super().filter_queryset(queryset)
        if topics:
            if self.form.cleaned_data.get("topic_match") == TopicMatch.ALL:
                for topic in topics:
                    queryset = queryset.filter(topics=topic)
            else:
                queryset = queryset.filter(
                    pk__in=Principle.topics.through.objects.filter(topic__in=topics).values(
                        "principle_id"
                    )
                )
        return queryset

    def search(self, queryset, name, value):
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = SearchVector("title", weight="A") + SearchVector("paraphrase", weight="B")
            query = SearchQuery(value, search_type="websearch", config="english")
            return (
                queryset.annotate(rank=SearchRank(vector, query))
                .filter(rank__gt=0)
                .order_by("-rank", "initiative__announced_on", "order")
            )
        return words_filter(["title", "paraphrase", "code", "section"])(queryset, name, value)


class TopicFilter(django_filters.FilterSet):
    q = search_filter("Words in the name or description.")
    search = staticmethod(words_filter(["name", "slug", "description"]))

    class Meta:
        model = Topic
        fields = ["q"]


class ParticipationFilter(django_filters.FilterSet):
    initiative = slugs(Initiative, "initiative", label="Initiative slug (repeatable).")
    actor = slugs(Actor, "actor", label="Actor slug (repeatable); a state's is its alpha-3.")
    actor_kind = django_filters.MultipleChoiceFilter(
        field_name="actor__kind", choices=ActorKind.choices, label="Kind of actor."
    )
    role = django_filters.MultipleChoiceFilter(choices=Role.choices, label="Role (repeatable).")
    status = django_filters.MultipleChoiceFilter(
        choices=ParticipationStatus.choices, label="Status (repeatable)."
    )
    as_of = IsoDateFilter(
        method="in_force_on",
        label="YYYY-MM-DD: participations in force that day (joined on or before, not yet left). "
        "Participations with no known date are left out.",
    )

    class Meta:
        model = Participation
        fields = ["initiative", "actor", "actor_kind", "role", "status", "as_of"]

    def in_force_on(self, queryset, name, value):
        return queryset.filter(joined_on__lte=value).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=value)
        )


class MeasureFilter(django_filters.FilterSet):
    issuer = slugs(Actor, "issuer", label="Issuing actor slug (repeatable).")
    target = slugs(Actor, "targets", label="Targeted company slug (repeatable).", distinct=True)
    kind = django_filters.MultipleChoiceFilter(choices=MeasureKind.choices, label="Kind.")
    initiative = slugs(
        Initiative, "initiatives", label="Motivating initiative slug (repeatable).", distinct=True
    )
    active_on = IsoDateFilter(
        method="in_force_on",
        label="YYYY-MM-DD: measures in force that day (taken effect, not yet ended).",
    )

    class Meta:
        model = Measure
        fields = ["issuer", "target", "kind", "initiative", "active_on"]

    def in_force_on(self, queryset, name, value):
        started = Q(effective_on__lte=value) | Q(effective_on__isnull=True, announced_on__lte=value)
        return queryset.filter(started).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=value))


class SourceFilter(django_filters.FilterSet):
    q = search_filter("Words in the publisher, title or URL.")
    search = staticmethod(words_filter(["publisher", "title", "url", "key"]))

    class Meta:
        model = Source
        fields = ["q"]
