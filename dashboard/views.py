"""Thin page views: parse the query string with the shared filters, call selectors, render."""

import re
from datetime import date
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from actors.models import Actor
from dashboard import charts, selectors
from dashboard.filters import CompareForm, MapForm, TimelineFilter
from dashboard.models import Camp, TimelineEntry
from initiatives import selectors as curated
from initiatives.filters import PrincipleFilter, SourceFilter
from initiatives.models import Initiative, Principle, Source, Topic

PAGE_SIZE = 100
TIMELINE_CHART_LIMIT = 2000
DEFAULT_MAP = "clean-network"


def query_string(params, drop=()) -> str:
    """The non-empty parameters, for links to the same view in another format or page."""
    pairs = [
        (name, value)
        for name in params
        if name not in drop
        for value in params.getlist(name)
        if value.strip()
    ]
    return urlencode(pairs)


def today() -> date:
    return timezone.localdate()


@require_safe
def home(request):
    gids = Initiative.objects.filter(slug="gids").first()
    clean = Initiative.objects.filter(slug="clean-network").first()
    glance = [i for i in (gids, clean) if i is not None]
    latest = TimelineEntry.objects.filter(date__lte=today()).order_by("-date", "-id")[:8]
    initiatives = curated.initiative_list()
    return render(
        request,
        "dashboard/home.html",
        {
            "initiatives": Paginator(initiatives, PAGE_SIZE // 2).get_page(request.GET.get("page")),
            "at_a_glance": [i for i in initiatives.filter(slug__in=["gids", "clean-network"])],
            "glance": glance,
            "glance_chart": {
                "series": [
                    {**line, "name": f"{i.short_name}: {line['name']}"}
                    for i in glance
                    for line in charts.growth_payload(selectors.signatory_series(i.pk))["series"]
                    if line["name"].endswith("states") or "welcoming" in line["name"]
                ]
            },
            "latest": latest,
        },
    )


@require_safe
def map_view(request):
    params = request.GET.copy()
    if not params.getlist("initiative"):
        params.setlist("initiative", [DEFAULT_MAP])
    form = MapForm(params)
    status = 200
    if not form.is_valid():
        status = 400
        initiatives = [Initiative.objects.get(slug=DEFAULT_MAP)]
        as_of = None
    else:
        initiatives, as_of = form.cleaned_data["initiative"], form.cleaned_data["as_of"]
    states = list(Actor.objects.countries().order_by("name"))
    intervals = list(selectors.map_as_of_any([i.pk for i in initiatives]))
    rows = [
        {
            "state": state,
            "cells": cells,
            "overlap": overlap,
            "category": overlap
            or charts.map_category(
                cells[0].role if cells[0] else None, cells[0].status if cells[0] else None
            ),
        }
        for state, cells, overlap in selectors.map_rows(initiatives, as_of)
    ]
    choices = Initiative.objects.order_by("announced_on").only("slug", "short_name", "name")
    payload = charts.map_payload(initiatives, intervals, states, today())
    return render(
        request,
        "dashboard/map.html",
        {
            "form": form,
            "initiatives": initiatives,
            "choices": choices,
            "selected": [i.slug for i in initiatives],
            "as_of": as_of,
            "rows": rows,
            "payload": payload,
            "legend": payload["categories"],
            "category_labels": {key: label for key, label, _ in payload["categories"]},
            "csv_query": query_string(params),
        },
        status=status,
    )


@require_safe
def compare_view(request):
    form = CompareForm(request.GET) if request.GET.get("initiatives") else None
    rows, initiatives, status = [], [], 200
    if form is not None:
        if form.is_valid():
            initiatives = form.cleaned_data["initiatives"]
            rows = selectors.crosswalk(initiatives, form.cleaned_data["topic"])
        else:
            status = 400
    selected = form.cleaned_data["initiatives"] if form and form.is_valid() else []
    chosen_topics = form.cleaned_data["topic"] if form and form.is_valid() else []
    return render(
        request,
        "dashboard/compare.html",
        {
            "form": form,
            "initiatives": initiatives,
            "rows": [(topic, [(i, cells[i.pk]) for i in initiatives]) for topic, cells in rows],
            "choices": Initiative.objects.order_by("announced_on").only(
                "slug", "short_name", "name"
            ),
            "topics": Topic.objects.order_by("name"),
            "selected": {i.slug for i in selected},
            "chosen_topics": {t.slug for t in chosen_topics},
            "csv_query": query_string(request.GET),
        },
        status=status,
    )


@require_safe
def principles_view(request):
    data = request.GET.copy()
    for name in list(data):
        data.setlist(name, [v for v in data.getlist(name) if v.strip()])
    queryset = (
        Principle.objects.select_related("initiative")
        .prefetch_related("topics", Prefetch("sources", queryset=Source.objects.order_by("key")))
        .order_by("initiative__announced_on", "initiative__slug", "order")
    )
    principle_filter = PrincipleFilter(data, queryset=queryset)
    valid = principle_filter.is_valid()
    page = Paginator(principle_filter.qs if valid else queryset.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dashboard/principles.html",
        {
            "filter": principle_filter,
            "page": page,
            "topics": Topic.objects.order_by("name"),
            "choices": Initiative.objects.order_by("announced_on").only("slug", "short_name"),
            "chosen_topics": set(data.getlist("topic")),
            "chosen_initiatives": set(data.getlist("initiative")),
            "csv_query": query_string(data, drop={"page"}),
            "page_query": query_string(data, drop={"page"}),
        },
        status=200 if valid else 400,
    )


def timeline_entries(data):
    entries = TimelineEntry.objects.select_related(
        "participation__actor", "measure", "event", "initiative"
    )
    timeline_filter = TimelineFilter(data, queryset=entries.order_by("date", "id"))
    return timeline_filter, timeline_filter.is_valid()


def non_empty(params):
    data = params.copy()
    for name in list(data):
        data.setlist(name, [v for v in data.getlist(name) if v.strip()])
    return data


@require_safe
def timeline_view(request):
    data = non_empty(request.GET)
    timeline_filter, valid = timeline_entries(data)
    entries = timeline_filter.qs if valid else TimelineEntry.objects.none()
    total = entries.count()
    chart_entries = list(entries[:TIMELINE_CHART_LIMIT])
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/timeline.html",
        {
            "filter": timeline_filter,
            "page": page,
            "total": total,
            "chart": charts.timeline_payload(chart_entries),
            "chart_capped": total > TIMELINE_CHART_LIMIT,
            "chart_limit": TIMELINE_CHART_LIMIT,
            "choices": Initiative.objects.order_by("announced_on").only("slug", "short_name"),
            "companies": Actor.objects.companies().order_by("name").only("slug", "name"),
            "kinds": TimelineEntry._meta.get_field("kind").choices,
            "data": data,
            "chosen": {name: data.getlist(name) for name in ("initiative", "company", "kind")},
            "csv_query": query_string(data, drop={"page"}),
            "page_query": query_string(data, drop={"page"}),
        },
        status=200 if valid else 400,
    )


def entry_link(entry) -> str:
    if entry.participation_id:
        return reverse("dashboard:actor", args=[entry.participation.actor.slug])
    if entry.initiative_id:
        return reverse("dashboard:initiative", args=[entry.initiative.slug])
    return reverse("dashboard:timeline") + f"#entry-{entry.pk}"


# Characters XML 1.0 cannot carry. One of them in one title (a vertical tab pasted from a
# word processor) would otherwise make the feed fail for every subscriber.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return XML_ILLEGAL.sub(" ", text)


class TimelineFeed(Feed):
    """The timeline's Atom feed: the same filters, newest first."""

    feed_type = Atom1Feed
    limit = 50

    def get_object(self, request):
        data = non_empty(request.GET)
        timeline_filter, valid = timeline_entries(data)
        if not valid:
            raise Http404("Invalid filter.")
        self.query = query_string(data)
        return timeline_filter.qs

    def title(self, obj):
        return xml_text("Tech Policy Atlas: timeline" + (f" ({self.query})" if self.query else ""))

    def link(self, obj):
        return reverse("dashboard:timeline") + (f"?{self.query}" if self.query else "")

    def feed_url(self, obj):
        # Feed readers keep this address: it must carry the filter the subscriber chose.
        return reverse("dashboard:timeline-feed") + (f"?{self.query}" if self.query else "")

    def subtitle(self, obj):
        return "Announcements, joins, departures, measures and their fate, and events."

    def items(self, obj):
        return obj.order_by("-date", "-id")[: self.limit]

    def item_title(self, item):
        return xml_text(f"{item.date:%Y-%m-%d}: {item.title}")

    def item_description(self, item):
        when = charts.shown_date(item.date, item.date_precision)
        return xml_text(f"{item.get_kind_display()} ({item.detail}), {when}.")

    def item_link(self, item):
        return entry_link(item)

    def item_guid(self, item):
        return f"atlas-timeline-{item.pk}-{item.kind}-{item.date:%Y%m%d}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return self.item_pubdate(item)

    def item_pubdate(self, item):
        return timezone.make_aware(
            timezone.datetime(item.date.year, item.date.month, item.date.day)
        )


@require_safe
def initiative_detail(request, slug):
    try:
        initiative = curated.initiative_detail(slug)
    except Initiative.DoesNotExist:
        raise Http404("No initiative with that slug.") from None
    states = list(Actor.objects.countries().order_by("name"))
    intervals = list(selectors.map_as_of_any([initiative.pk]))
    return render(
        request,
        "dashboard/initiative.html",
        {
            "initiative": initiative,
            "growth": charts.growth_payload(selectors.signatory_series(initiative.pk)),
            "map_payload": charts.map_payload([initiative], intervals, states, today()),
            "counts": sorted(selectors.signatory_counts_as_of(initiative.pk).items()),
        },
    )


@require_safe
def actor_detail(request, slug):
    try:
        actor = curated.actor_detail(slug)
    except Actor.DoesNotExist:
        raise Http404("No actor with that slug.") from None
    context = {"actor": actor}
    if actor.is_country:
        context["camp"] = selectors.camp_for(actor.pk)
        context["most_aligned"], context["least_aligned"] = selectors.alignment_for(actor.pk)
        context["camp_labels"] = dict(Camp.choices)
    targeted = list(actor.targeted_by.all())
    if targeted:
        context["measures_chart"] = charts.company_measures_payload(targeted, today())
        named_by = {}
        for measure in targeted:
            for initiative in measure.initiatives.all():
                named_by.setdefault(initiative, [])
            for principle in measure.principles.all():
                named_by.setdefault(principle.initiative, []).append(principle)
        context["named_by"] = named_by
    return render(request, "dashboard/actor.html", context)


@require_safe
def sources_view(request):
    sources = Source.objects.annotate(
        n_initiatives=Count("cited_by_initiatives", distinct=True),
        n_principles=Count("cited_by_principles", distinct=True),
        n_participations=Count("cited_by_participations", distinct=True),
        n_measures=Count("cited_by_measures", distinct=True),
        n_events=Count("cited_by_events", distinct=True),
    ).order_by("publisher", "key")
    # The API's filter, so the page finds what its "Download CSV" link would.
    search = SourceFilter({"q": request.GET.get("q", "").strip()}, queryset=sources)
    sources = search.qs if search.is_valid() else sources.none()
    page = Paginator(sources, PAGE_SIZE).get_page(request.GET.get("page"))
    cited = {
        "initiatives": Initiative.objects.filter(sources__in=[s.pk for s in page]).values_list(
            "sources", "slug", "short_name"
        ),
    }
    supports = {}
    for source_id, slug, short in cited["initiatives"]:
        supports.setdefault(source_id, []).append((slug, short))
    return render(
        request,
        "dashboard/sources.html",
        {
            "page": page,
            "q": search.data["q"],
            "search_errors": search.errors.get("q", []),
            "supports": supports,
            "page_query": query_string(non_empty(request.GET), drop={"page"}),
        },
        status=200 if search.is_valid() else 400,
    )


@require_safe
def about(request):
    return render(request, "dashboard/about.html", {"categories": charts.CATEGORIES})
