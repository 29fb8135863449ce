from django.contrib import admin

from actors.models import Actor
from initiatives.admin import CuratedAdmin


@admin.register(Actor)
class ActorAdmin(CuratedAdmin):
    list_display = ["name", "kind", "slug", "iso_alpha3", "headquarters", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "slug", "iso_alpha2", "iso_alpha3"]
    autocomplete_fields = ["headquarters", "parent", "members"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["headquarters", "parent"]
