from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("initiatives/<slug:slug>/", views.initiative_detail, name="initiative"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
]
