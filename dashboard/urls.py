from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.map_view, name="map"),
    path("compare/", views.compare_view, name="compare"),
    path("principles/", views.principles_view, name="principles"),
    path("timeline/", views.timeline_view, name="timeline"),
    path("timeline/feed/", views.TimelineFeed(), name="timeline-feed"),
    path("sources/", views.sources_view, name="sources"),
    path("about/", views.about, name="about"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
]
