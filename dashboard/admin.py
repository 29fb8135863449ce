from django.contrib import admin

from dashboard.models import RefreshRun


@admin.register(RefreshRun)
class RefreshRunAdmin(admin.ModelAdmin):
    """Every snapshot refresh, read-only: when, how long, by which worker, and why it failed."""

    list_display = ["started_at", "scope", "outcome", "duration_ms", "rows_written", "worker"]
    list_filter = ["outcome", "eager"]
    search_fields = ["scope", "error", "worker"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
