"""Filters over snapshot rows, shared by the timeline page, its CSV and Atom feed, and the API."""

import django_filters
from django import forms

from actors.models import Actor, ActorKind
from dashboard.models import TimelineEntry, TimelineKind
from initiatives.filters import IsoDateField, IsoDateFilter, slugs
from initiatives.models import Initiative, Topic


class TimelineFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "Must not be before since.")
        return cleaned


class TimelineFilter(django_filters.FilterSet):
    since = IsoDateFilter(field_name="date", lookup_expr="gte", label="YYYY-MM-DD, inclusive.")
    until = IsoDateFilter(field_name="date", lookup_expr="lte", label="YYYY-MM-DD, inclusive.")
    initiative = slugs(
        Initiative, "initiatives", label="Initiative slug (repeatable).", distinct=True
    )
    actor = slugs(
        Actor, "actors", label="Actor slug (repeatable), companies included.", distinct=True
    )
    company = slugs(
        Actor,
        "actors",
        label="Company slug (repeatable): entries about measures targeting it, and its joins.",
        queryset=Actor.objects.filter(kind=ActorKind.COMPANY),
        distinct=True,
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=TimelineKind.choices, label="Kind of entry (repeatable)."
    )

    class Meta:
        model = TimelineEntry
        form = TimelineFilterForm
        fields = ["since", "until", "initiative", "actor", "company", "kind"]


def _slug_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class CompareForm(forms.Form):
    """?initiatives=a,b[,c]&topic=x&topic=y — the crosswalk's parameters."""

    MIN, MAX = 2, 6
    initiatives = forms.CharField(help_text="Two to six initiative slugs, comma-separated.")
    topic = forms.CharField(required=False)

    def __init__(self, data, *args, **kwargs):
        # Both parameters may be repeated and/or comma-separated (a form's checkboxes repeat).
        self.topics_raw = [t for value in data.getlist("topic") for t in _slug_list(value)]
        self.initiatives_raw = [
            s for value in data.getlist("initiatives") for s in _slug_list(value)
        ]
        data = data.copy()
        data["initiatives"] = ",".join(self.initiatives_raw)
        super().__init__(data, *args, **kwargs)

    def clean_initiatives(self):
        wanted = self.initiatives_raw
        if not self.MIN <= len(wanted) <= self.MAX or len(set(wanted)) != len(wanted):
            raise forms.ValidationError(
                f"Give {self.MIN} to {self.MAX} different initiative slugs, comma-separated."
            )
        found = {i.slug: i for i in Initiative.objects.filter(slug__in=wanted)}
        unknown = [slug for slug in wanted if slug not in found]
        if unknown:
            raise forms.ValidationError(f"Unknown initiative: {', '.join(unknown)}.")
        return [found[slug] for slug in wanted]

    def clean_topic(self):
        if not self.topics_raw:
            return []
        found = {t.slug: t for t in Topic.objects.filter(slug__in=self.topics_raw)}
        unknown = [slug for slug in self.topics_raw if slug not in found]
        if unknown:
            raise forms.ValidationError(f"Unknown topic: {', '.join(unknown)}.")
        return [found[slug] for slug in dict.fromkeys(self.topics_raw)]


class MapForm(forms.Form):
    """?initiative=a[&initiative=b]&as_of=YYYY-MM-DD — the signatory map's parameters."""

    initiative = forms.CharField(help_text="One or two initiative slugs (repeat the parameter).")
    as_of = IsoDateField(required=False)

    def __init__(self, data, *args, **kwargs):
        self.initiatives_raw = [
            s for value in data.getlist("initiative") for s in _slug_list(value)
        ]
        super().__init__(data, *args, **kwargs)

    def clean_initiative(self):
        wanted = list(dict.fromkeys(self.initiatives_raw))
        if not 1 <= len(wanted) <= 2:
            raise forms.ValidationError("Give one or two initiative slugs.")
        found = {i.slug: i for i in Initiative.objects.filter(slug__in=wanted)}
        unknown = [slug for slug in wanted if slug not in found]
        if unknown:
            raise forms.ValidationError(f"Unknown initiative: {', '.join(unknown)}.")
        return [found[slug] for slug in wanted]
