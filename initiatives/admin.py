"""Curation: everything a curator edits is here, searchable and filterable, with sources inline."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from dashboard.triggers import curated_change
from initiatives.models import Event, Initiative, Measure, Participation, Principle, Source, Topic


class RefreshesSnapshots:
    """Every curator's change moves the data version and, once committed, queues a refresh."""

    # Fields whose change reaches rows outside refresh_scope's: a participation or principle
    # moved to another initiative leaves the old one's rows behind, and an initiative's
    # slug is copied into the timeline rows of measures and events that name it.
    refreshes_everything_when_changed: tuple[str, ...] = ()

    def refresh_scope(self, obj) -> int | None:
        return None  # everything

    def change_scope(self, obj, changed_fields) -> int | None:
        """What one saved change needs refreshed: an initiative's rows, or all (None)."""
        if set(changed_fields) & set(self.refreshes_everything_when_changed):
            return None
        return self.refresh_scope(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        curated_change(self.change_scope(form.instance, form.changed_data if change else ()))

    def delete_model(self, request, obj):
        scope = self.refresh_scope(obj)
        super().delete_model(request, obj)
        curated_change(scope)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        curated_change()


class CuratedAdmin(RefreshesSnapshots, SimpleHistoryAdmin):
    """Curated models: each save refreshes the snapshots, and its History page is the
    audit trail (who, when, which fields changed from what to what)."""


@admin.register(Topic)
class TopicAdmin(CuratedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


# Sources are cited by their full URL; a bare host typed by a curator is taken as https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Source)
class SourceAdmin(CuratedAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["key", "publisher", "title", "published_on", "url"]
    list_filter = ["published_on_precision"]
    search_fields = ["key", "publisher", "title", "url", "note"]
    autocomplete_fields = ["actors"]
    date_hierarchy = "published_on"


class PrincipleInline(admin.StackedInline):
    model = Principle
    extra = 0
    fields = [("order", "code", "section"), "title", "paraphrase", "note", "topics", "sources"]
    autocomplete_fields = ["topics", "sources"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    fields = [
        "actor",
        "role",
        "status",
        "joined_on",
        "joined_on_precision",
        "left_on",
        "left_on_precision",
        "instrument",
        "sources",
    ]
    autocomplete_fields = ["actor", "sources"]


@admin.register(Initiative)
class InitiativeAdmin(CuratedAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["short_name", "name", "sponsor", "announced_on", "kind", "status"]
    list_filter = ["kind", "status", "sponsor"]
    search_fields = ["name", "short_name", "slug", "summary"]
    autocomplete_fields = ["sponsor", "parent", "sources"]
    prepopulated_fields = {"slug": ["short_name"]}
    list_select_related = ["sponsor"]
    inlines = [PrincipleInline, ParticipationInline]
    refreshes_everything_when_changed = ("slug",)

    def refresh_scope(self, obj):
        return obj.pk


@admin.register(Principle)
class PrincipleAdmin(CuratedAdmin):
    list_display = ["title", "initiative", "order", "section"]
    list_filter = ["initiative", "topics"]
    search_fields = ["title", "paraphrase", "code", "initiative__short_name"]
    autocomplete_fields = ["initiative", "topics", "sources"]
    list_select_related = ["initiative"]
    refreshes_everything_when_changed = ("initiative",)

    def refresh_scope(self, obj):
        return obj.initiative_id


@admin.register(Participation)
class ParticipationAdmin(CuratedAdmin):
    list_display = ["actor", "initiative", "role", "status", "joined_on", "left_on", "instrument"]
    list_filter = ["initiative", "role", "status", "actor__kind"]
    search_fields = ["actor__name", "actor__slug", "initiative__short_name", "instrument", "note"]
    autocomplete_fields = ["initiative", "actor", "sources"]
    list_select_related = ["actor", "initiative"]
    date_hierarchy = "joined_on"
    refreshes_everything_when_changed = ("initiative",)

    def refresh_scope(self, obj):
        return obj.initiative_id


@admin.register(Measure)
class MeasureAdmin(CuratedAdmin):
    list_display = ["title", "issuer", "kind", "announced_on", "ended_on"]
    list_filter = ["kind", "issuer"]
    search_fields = ["title", "slug", "summary", "targets__name"]
    autocomplete_fields = [
        "issuer",
        "targets",
        "amends",
        "revokes",
        "enjoins",
        "initiatives",
        "principles",
        "sources",
    ]
    list_select_related = ["issuer"]
    date_hierarchy = "announced_on"


@admin.register(Event)
class EventAdmin(CuratedAdmin):
    list_display = ["title", "date", "kind"]
    list_filter = ["kind", "initiatives"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["initiatives", "actors", "measures", "sources"]
    date_hierarchy = "date"
