from django.urls import path
from rest_framework.routers import DefaultRouter

from actors.api import ActorViewSet
from dashboard.api import CompareView, MapView, StatusView, TimelineViewSet
from initiatives.api import (
    InitiativeViewSet,
    MeasureViewSet,
    ParticipationViewSet,
    PrincipleViewSet,
    SourceViewSet,
    TopicViewSet,
)

router = DefaultRouter(trailing_slash=True, use_regex_path=False)
router.include_format_suffixes = False
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("principles", PrincipleViewSet, basename="principle")
router.register("topics", TopicViewSet, basename="topic")
router.register("actors", ActorViewSet, basename="actor")
router.register("participations", ParticipationViewSet, basename="participation")
router.register("measures", MeasureViewSet, basename="measure")
router.register("events", TimelineViewSet, basename="event")
router.register("sources", SourceViewSet, basename="source")

urlpatterns = [
    path("compare/", CompareView.as_view(), name="compare"),
    path("map/", MapView.as_view(), name="map"),
    path("status/", StatusView.as_view(), name="status"),
    *router.urls,
]
