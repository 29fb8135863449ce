"""ETag and Last-Modified follow the data version: a polling client gets 304 until it changes."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_repeated_request_is_answered_304(api):
    first = api.get("/api/v1/participations/", {"initiative": "gids"})
    etag = first["ETag"]
    assert first.status_code == 200 and first["Last-Modified"]
    again = api.get("/api/v1/participations/", {"initiative": "gids"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    since = api.get("/api/v1/topics/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_curated_change_changes_the_etag(api, admin_client, django_capture_on_commit_callbacks):
    from initiatives.models import Topic

    etag = api.get("/api/v1/topics/")["ETag"]
    topic = Topic.objects.get(slug="backdoors")
    url = reverse("admin:initiatives_topic_change", args=[topic.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url, {"slug": "backdoors", "name": "Back doors", "description": topic.description}
        )
    response = api.get("/api/v1/topics/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_a_refresh_changes_the_etag(api):
    from dashboard import services

    etag = api.get("/api/v1/events/")["ETag"]
    services.refresh()
    assert api.get("/api/v1/events/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_representations_vary_by_accept(api):
    assert "Accept" in api.get("/api/v1/topics/")["Vary"]
