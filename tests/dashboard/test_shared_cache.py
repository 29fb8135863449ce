"""With the shared cache production runs (Redis), a repeated view is one cache read and no
query; a commit that moves the data or snapshot version retires every cached answer, even
one rendered from older rows and stored after the commit; the throttle still counts."""

import os
import time

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from dashboard import generation, services

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
CACHE_DB = 11


@pytest.fixture(autouse=True)
def shared_cache(settings):
    redis.Redis.from_url(f"{REDIS_URL}/{CACHE_DB}").flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSafeRedisCache",
            "LOCATION": f"{REDIS_URL}/{CACHE_DB}",
        }
    }
    assert generation.shared()
    yield
    redis.Redis.from_url(f"{REDIS_URL}/{CACHE_DB}").flushdb()


def test_a_repeated_page_is_one_cache_read_and_no_query(client, django_assert_num_queries):
    first = client.get("/map/", {"as_of": "2021-01-01"})
    assert first["X-Atlas-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get("/map/", {"as_of": "2021-01-01"})
    assert again["X-Atlas-Cache"] == "hit" and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Last-Modified"] == first["Last-Modified"]
    assert again["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in again
    with django_assert_num_queries(0):
        unchanged = client.get("/map/", {"as_of": "2021-01-01"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304


def test_a_curated_change_is_seen_at_once(client, admin_client, django_capture_on_commit_callbacks):
    from initiatives.models import Topic

    before = client.get("/principles/", {"topic": "backdoors"})
    assert "Backdoors" in before.content.decode()
    assert client.get("/principles/", {"topic": "backdoors"})["X-Atlas-Cache"] == "hit"
    topic = Topic.objects.get(slug="backdoors")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:initiatives_topic_change", args=[topic.pk]),
            {"slug": "backdoors", "name": "Hidden access", "description": topic.description},
        )
    after = client.get("/principles/", {"topic": "backdoors"})
    assert after["X-Atlas-Cache"] == "miss" and "Hidden access" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_a_refresh_retires_cached_answers(client, django_capture_on_commit_callbacks):
    client.get("/api/v1/map/", {"initiative": "clean-network"})
    assert client.get("/api/v1/map/", {"initiative": "clean-network"})["X-Atlas-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh()
    assert client.get("/api/v1/map/", {"initiative": "clean-network"})["X-Atlas-Cache"] == "miss"


def test_an_answer_rendered_before_a_commit_and_stored_after_it_is_never_served(client):
    """The race a version read from the cache would lose: a slow render reads the old rows,
    a commit moves the version, then the render stores its answer. It was stored under the
    epoch read before the render, which the commit's rotation has already retired."""
    from dashboard.middleware import PublicResponseMiddleware

    epoch_before_render = generation.current()
    generation.rotate()  # the commit lands while the render is still running
    request = client.get("/about/").wsgi_request
    key = PublicResponseMiddleware.cache_key(request)
    stale = (epoch_before_render, "old-tag", None, b"stale body", "text/html")
    cache.set(key, stale, 60)
    response = client.get("/about/")
    assert response["X-Atlas-Cache"] == "miss" and b"stale body" not in response.content


def test_the_epoch_survives_a_flushed_cache(client):
    client.get("/sources/")
    redis.Redis.from_url(f"{REDIS_URL}/{CACHE_DB}").flushdb()
    assert client.get("/sources/")["X-Atlas-Cache"] == "miss"
    assert client.get("/sources/")["X-Atlas-Cache"] == "hit"


def test_the_throttle_counts_in_one_window_per_client(client, settings):
    settings.API_ANON_RATE = "3/minute"
    codes = [client.get("/api/v1/topics/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    other = client.get("/api/v1/topics/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
    ttl = redis.Redis.from_url(f"{REDIS_URL}/{CACHE_DB}").ttl(
        cache.make_key(f"atlas:rate:api:192.0.2.7:60:{int(time.time() // 60)}")
    )
    assert 0 < ttl <= 61  # the window's key expires with the window
