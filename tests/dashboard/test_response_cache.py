"""Public pages and API answers are cached by data version: a repeat costs one query, and a
curated change or a refresh is seen at once."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_repeated_page_is_served_from_the_cache_with_one_query(client, django_assert_num_queries):
    first = client.get("/map/", {"as_of": "2021-01-01"})
    assert first["X-Atlas-Cache"] == "miss"
    with django_assert_num_queries(1):  # the data version, nothing else
        again = client.get("/map/", {"as_of": "2021-01-01"})
    assert again["X-Atlas-Cache"] == "hit" and again.content == first.content
    assert again["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in again


def test_a_curated_change_is_seen_at_once(client, admin_client, django_capture_on_commit_callbacks):
    from initiatives.models import Topic

    assert "Backdoors" in client.get("/principles/", {"topic": "backdoors"}).content.decode()
    topic = Topic.objects.get(slug="backdoors")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:initiatives_topic_change", args=[topic.pk]),
            {"slug": "backdoors", "name": "Hidden access", "description": topic.description},
        )
    response = client.get("/principles/", {"topic": "backdoors"})
    assert response["X-Atlas-Cache"] == "miss" and "Hidden access" in response.content.decode()


def test_csv_exports_are_streamed_not_cached(client):
    response = client.get("/api/v1/events/", {"format": "csv"})
    assert response.streaming and "X-Atlas-Cache" not in response


def test_curators_always_get_fresh_pages(admin_client):
    admin_client.get("/")
    assert "X-Atlas-Cache" not in admin_client.get("/")


def test_cached_api_answers_are_still_throttled(client, settings):
    settings.API_ANON_RATE = "2/minute"
    codes = [client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    assert int(client.get("/api/v1/topics/")["Retry-After"]) > 0
