import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


def test_anonymous_clients_are_throttled_with_429(api, monkeypatch):
    monkeypatch.setattr(
        AnonRateThrottle,
        "THROTTLE_RATES",
        {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/minute"},
    )
    cache.clear()
    codes = [api.get("/api/v1/topics/").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    body = api.get("/api/v1/topics/").json()
    assert "detail" in body
    cache.clear()
