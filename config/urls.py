from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Tech Policy Atlas curation"
admin.site.site_title = "Atlas curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("dashboard.urls")),
]
