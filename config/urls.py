from django.contrib import admin
from django.urls import include, path

from dashboard import api as dashboard_api

admin.site.site_header = "Tech Policy Atlas curation"
admin.site.site_title = "Atlas curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/status/", dashboard_api.status, name="api-status"),
    path("", include("dashboard.urls")),
]
